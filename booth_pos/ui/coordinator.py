"""The coordinator's day-end screen: shifts, stock, the X report, closing the day, commission.

Everything the CLI's day-end commands do (booth_pos/cli/dayend_cmds.py), behind the
coordinator PIN the till asked for. All ledger work goes through the OperationRunner.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from booth_pos.domain.errors import BadInput
from booth_pos.domain.money import parse_yuan
from booth_pos.domain.reports import (
    DENOMINATIONS_FEN,
    CashCount,
    DayReport,
    ShiftSummary,
    denomination_label,
    format_quantity,
    format_rate,
    parse_rate,
    unit_label,
    yuan,
)
from booth_pos.services import dayend, printing, shifts, stock
from booth_pos.ui import i18n, people
from booth_pos.ui.runner import OperationRunner
from booth_pos.ui.widgets import OK_STYLE, ResultFooter
from booth_pos.ui.workers import PrintBridge

WASTE_REASONS = ("spoiled", "damaged", "tasting", "other")
LOW_STYLE = "color:#b71c1c;font-weight:bold;"


def ask_save_path(parent: QWidget | None, title: str, pattern: str) -> str | None:
    """Where to write an export, or None if cancelled. Tests replace this."""
    path, _ = QFileDialog.getSaveFileName(parent, title, "", pattern)
    return path or None


def _item(text: str, right: bool = False, editable: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    flags = item.flags()
    item.setFlags(
        flags | Qt.ItemFlag.ItemIsEditable if editable else flags & ~Qt.ItemFlag.ItemIsEditable
    )
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _money(fen: int | None) -> str:
    return "-" if fen is None else f"¥{yuan(fen)}"


class BarChart(QWidget):
    """A plain bar chart drawn with QPainter: a title, one bar per label, the value on top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.labels: list[str] = []
        self.values: list[int] = []
        self.setMinimumHeight(160)

    def set_data(self, title: str, labels: Sequence[str], values: Sequence[int]) -> None:
        self.title, self.labels, self.values = title, list(labels), list(values)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        painter.fillRect(0, 0, w, h, QColor("#ffffff"))
        painter.setPen(QColor("#333333"))
        painter.drawText(QRectF(4, 2, w - 8, 18), Qt.AlignmentFlag.AlignLeft, self.title)
        top, bottom = 38.0, h - 22.0
        if not self.values or max(self.values) <= 0:
            painter.drawText(QRectF(0, top, w, bottom - top), Qt.AlignmentFlag.AlignCenter, "-")
            painter.end()
            return
        peak = max(self.values)
        slot = (w - 8) / len(self.values)
        for index, (label, value) in enumerate(zip(self.labels, self.values, strict=True)):
            x = 4 + index * slot
            bar_h = (bottom - top) * max(value, 0) / peak
            painter.fillRect(
                QRectF(x + slot * 0.15, bottom - bar_h, slot * 0.7, bar_h), QColor("#4a90d9")
            )
            painter.drawText(
                QRectF(x, bottom + 2, slot, 18), Qt.AlignmentFlag.AlignHCenter, label[:6]
            )
            painter.drawText(
                QRectF(x - 8, bottom - bar_h - 18, slot + 16, 16),
                Qt.AlignmentFlag.AlignHCenter,
                yuan(value),
            )
        painter.end()


class CoordinatorDialog(ResultFooter, QDialog):
    """Tabs: Shift, Stock, Day (X report, close, exports), Commission."""

    day_closed = Signal(object)  # DayReport
    stock_changed = Signal()

    def __init__(
        self,
        runner: OperationRunner,
        parent: QWidget | None = None,
        printer: PrintBridge | None = None,
        operator: str | None = None,
        pin: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.printer = printer
        self.operator = operator  # who does the shift and stock entries (the coordinator)
        self.pin = pin  # the PIN the till already asked for; commission and low levels
        self.shift: ShiftSummary | None = None
        self.report: DayReport | None = None
        self.levels: list[stock.StockLevel] = []
        self.rates: list[dayend.RateView] = []
        self.last_close: dayend.DayCloseResult | None = None
        self.exported: Path | None = None
        self.setWindowTitle(self.tr("Day end (coordinator)"))
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._shift_tab(), self.tr("Shift"))
        self.tabs.addTab(self._stock_tab(), self.tr("Stock"))
        self.tabs.addTab(self._day_tab(), self.tr("Day"))
        self.tabs.addTab(self._commission_tab(), self.tr("Commission"))
        layout.addWidget(self.tabs, 1)
        self.build_footer(layout)
        self.resize(960, 720)
        self.refresh()

    # ---- shared ---------------------------------------------------------------------------
    def refresh(self) -> None:
        self.runner.read(self, shifts.current_shift).done(self._show_shift).failed(self.fail)
        self.refresh_stock()
        self.refresh_report()
        self.runner.read(self, dayend.list_commissions).done(self._show_rates).failed(self.fail)

    def _bad(self, exc: BadInput) -> None:
        self.fail(exc.message(i18n.current_language()))

    # ---- shift ----------------------------------------------------------------------------
    def _shift_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.shift_status = QLabel()
        self.shift_status.setWordWrap(True)
        layout.addWidget(self.shift_status)
        row = QHBoxLayout()
        self.float_edit = QLineEdit()
        self.float_edit.setPlaceholderText(self.tr("Float in yuan, e.g. 200"))
        self.open_shift_button = people.touch_button(self.tr("Open shift"))
        self.open_shift_button.clicked.connect(self.open_shift)
        row.addWidget(self.float_edit, 2)
        row.addWidget(self.open_shift_button, 1)
        layout.addLayout(row)
        row = QHBoxLayout()
        self.move_amount = QLineEdit()
        self.move_amount.setPlaceholderText(self.tr("Amount in yuan"))
        self.move_reason = QLineEdit()
        self.move_reason.setPlaceholderText(self.tr("Reason"))
        self.pay_in_button = people.touch_button(self.tr("Pay in"))
        self.pay_out_button = people.touch_button(self.tr("Pay out"))
        self.pay_in_button.clicked.connect(lambda: self.move_cash(True))
        self.pay_out_button.clicked.connect(lambda: self.move_cash(False))
        for widget, stretch in (
            (self.move_amount, 1),
            (self.move_reason, 2),
            (self.pay_in_button, 1),
            (self.pay_out_button, 1),
        ):
            row.addWidget(widget, stretch)
        layout.addLayout(row)
        layout.addWidget(QLabel(self.tr("Cash count: pieces of each note and coin")))
        grid = QGridLayout()
        self.count_spins: dict[int, QSpinBox] = {}
        for index, fen in enumerate(DENOMINATIONS_FEN):
            spin = QSpinBox()
            spin.setRange(0, 99_999)
            spin.setMinimumHeight(40)
            spin.valueChanged.connect(lambda _v: self._show_count())
            self.count_spins[fen] = spin
            grid.addWidget(QLabel(f"¥{denomination_label(fen)} ×"), index // 4, (index % 4) * 2)
            grid.addWidget(spin, index // 4, (index % 4) * 2 + 1)
        layout.addLayout(grid)
        self.count_label = QLabel()
        font = self.count_label.font()
        font.setPointSize(16)
        self.count_label.setFont(font)
        layout.addWidget(self.count_label)
        self.close_shift_button = people.touch_button(self.tr("Close shift with this count"))
        self.close_shift_button.clicked.connect(self.close_shift)
        layout.addWidget(self.close_shift_button)
        layout.addStretch(1)
        return tab

    def set_count(self, pieces: dict[int, int]) -> None:
        for fen, spin in self.count_spins.items():
            spin.setValue(pieces.get(fen, 0))

    def cash_count(self) -> CashCount:
        return CashCount.of({fen: s.value() for fen, s in self.count_spins.items() if s.value()})

    def _show_count(self) -> None:
        counted = self.cash_count().total_fen
        expected = self.shift.expected_fen if self.shift is not None else None
        text = self.tr("Counted {0}").format(_money(counted))
        if expected is not None:
            text += self.tr(" · expected {0} · variance {1}").format(
                _money(expected), _money(counted - expected)
            )
        self.count_label.setText(text)

    def _show_shift(self, summary: ShiftSummary | None) -> None:
        if not people.alive(self):
            return
        self.shift = summary
        if summary is None:
            self.shift_status.setText(self.tr("No shift is open."))
        else:
            self.shift_status.setText(self.shift_text(summary))
        self.open_shift_button.setEnabled(summary is None)
        self.close_shift_button.setEnabled(summary is not None)
        self._show_count()

    def shift_text(self, s: ShiftSummary) -> str:
        text = self.tr(
            "Shift opened by {0}: float {1}, pay-ins {2}, pay-outs {3}, cash taken {4}, "
            "expected in the box {5}"
        ).format(
            s.opened_by,
            _money(s.float_fen),
            _money(s.pay_ins_fen),
            _money(s.pay_outs_fen),
            _money(s.cash_taken_fen),
            _money(s.expected_fen),
        )
        if s.counted_fen is not None:
            text += "\n" + self.tr("Closed by {0}: counted {1}, variance {2}").format(
                s.closed_by or "-", _money(s.counted_fen), _money(s.variance_fen)
            )
        return text

    def open_shift(self) -> None:
        try:
            fen = parse_yuan(self.float_edit.text())
        except BadInput as exc:
            self._bad(exc)
            return
        self.runner.write(self, shifts.open_shift, fen, self.operator).done(
            self._shift_written
        ).failed(self.fail)

    def _shift_written(self, summary: ShiftSummary) -> None:
        self.done_ok(self.shift_text(summary))
        self.refresh()

    def move_cash(self, into: bool) -> None:
        try:
            fen = parse_yuan(self.move_amount.text())
        except BadInput as exc:
            self._bad(exc)
            return
        move = shifts.pay_in if into else shifts.pay_out
        self.runner.write(self, move, fen, self.move_reason.text(), self.operator).done(
            self._moved
        ).failed(self.fail)

    def _moved(self, view: shifts.CashMovementView) -> None:
        kind = self.tr("Pay-in") if view.kind == "pay_in" else self.tr("Pay-out")
        self.done_ok(f"{kind} {_money(view.amount_fen)}: {view.reason}")
        self.move_amount.clear()
        self.move_reason.clear()
        self.refresh()

    def close_shift(self) -> None:
        try:
            count = self.cash_count()
        except BadInput as exc:
            self._bad(exc)
            return
        self.runner.write(self, shifts.close_shift, count, self.operator).done(
            self._shift_closed
        ).failed(self.fail)

    def _shift_closed(self, summary: ShiftSummary) -> None:
        if not people.alive(self):
            return
        self.done_ok(self.shift_text(summary))
        self.set_count({})
        self.refresh()
        self.shift_status.setText(self.shift_text(summary))

    # ---- stock ----------------------------------------------------------------------------
    def _stock_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        form = QFormLayout()
        self.product_combo = QComboBox()
        self.stock_qty = QLineEdit()
        self.stock_qty.setPlaceholderText(self.tr("e.g. 20kg, 40斤 or 12"))
        self.household_edit = QLineEdit()
        self.household_edit.setPlaceholderText(self.tr("Household code (optional), e.g. H001"))
        form.addRow(self.tr("Product"), self.product_combo)
        form.addRow(self.tr("Quantity"), self.stock_qty)
        form.addRow(self.tr("Household"), self.household_edit)
        self.waste_reason = QComboBox()
        for code, text in zip(
            WASTE_REASONS,
            (self.tr("Spoiled"), self.tr("Damaged"), self.tr("Tasting sample"), self.tr("Other")),
            strict=True,
        ):
            self.waste_reason.addItem(text, code)
        self.waste_note = QLineEdit()
        self.waste_note.setPlaceholderText(self.tr("Note (optional)"))
        form.addRow(self.tr("Waste reason"), self.waste_reason)
        form.addRow(self.tr("Note"), self.waste_note)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.receive_button = people.touch_button(self.tr("Receive goods"))
        self.waste_button = people.touch_button(self.tr("Record waste"))
        self.receive_button.clicked.connect(self.receive)
        self.waste_button.clicked.connect(self.record_waste)
        row.addWidget(self.receive_button)
        row.addWidget(self.waste_button)
        layout.addLayout(row)
        self.stock_table = QTableWidget(0, 5)
        self.stock_table.setHorizontalHeaderLabels(
            [
                self.tr("PLU"),
                self.tr("Goods"),
                self.tr("On hand"),
                self.tr("Low"),
                self.tr("Counted"),
            ]
        )
        self.stock_table.verticalHeader().setVisible(False)
        self.stock_table.setEditTriggers(
            QAbstractItemView.EditTrigger.AllEditTriggers
            & ~QAbstractItemView.EditTrigger.CurrentChanged
        )
        self.stock_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.stock_table, 1)
        row = QHBoxLayout()
        self.count_reason = QLineEdit()
        self.count_reason.setPlaceholderText(self.tr("Reason for any difference"))
        self.save_counts_button = people.touch_button(self.tr("Save counted stock"))
        self.save_counts_button.clicked.connect(self.save_counts)
        row.addWidget(self.count_reason, 2)
        row.addWidget(self.save_counts_button, 1)
        layout.addLayout(row)
        return tab

    def refresh_stock(self) -> None:
        self.runner.read(self, stock.stock_levels).done(self._show_levels).failed(self.fail)

    def _unit(self, unit: str) -> str:
        return unit_label(unit, i18n.current_language())

    def level_text(self, level: stock.StockLevel) -> str:
        if level.on_hand is None:
            return "-"
        return f"{level.on_hand_text} {self._unit(level.unit)}"

    def _show_levels(self, levels: list[stock.StockLevel]) -> None:
        if not people.alive(self):
            return
        self.levels = levels
        current = self.product_combo.currentData()
        self.product_combo.clear()
        for level in levels:
            self.product_combo.addItem(f"{level.plu} {level.name_zh}", level.plu)
        if current is not None:
            self.product_combo.setCurrentIndex(max(0, self.product_combo.findData(current)))
        self.stock_table.setRowCount(len(levels))
        for row, level in enumerate(levels):
            low = QTableWidgetItem(self.tr("LOW") if level.low else "")
            low.setFlags(low.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if level.low:
                low.setForeground(QColor("#b71c1c"))
            cells = (
                _item(level.plu),
                _item(level.name_zh),
                _item(self.level_text(level), right=True),
                low,
                _item("", right=True, editable=True),
            )
            for col, cell in enumerate(cells):
                self.stock_table.setItem(row, col, cell)

    def select_product(self, plu: str) -> None:
        self.product_combo.setCurrentIndex(self.product_combo.findData(plu))

    def receive(self) -> None:
        plu = self.product_combo.currentData()
        if plu is None:
            return
        self.runner.write(
            self,
            stock.receive,
            plu,
            self.stock_qty.text(),
            self.household_edit.text().strip() or None,
            self.operator,
        ).done(self._stock_written).failed(self.fail)

    def record_waste(self) -> None:
        plu = self.product_combo.currentData()
        if plu is None:
            return
        self.runner.write(
            self,
            stock.waste,
            plu,
            self.stock_qty.text(),
            self.waste_reason.currentData(),
            self.waste_note.text(),
            self.operator,
        ).done(self._stock_written).failed(self.fail)

    def _stock_written(self, view: stock.StockEntryView) -> None:
        self._entries_written([view])

    def _entries_written(self, views: list[stock.StockEntryView]) -> None:
        if not people.alive(self):
            return
        self.done_ok(
            "\n".join(
                self.tr("{0} {1}: {2} {3}; on hand {4} {3}").format(
                    v.plu,
                    v.name_zh,
                    format_quantity(v.unit, v.quantity),
                    self._unit(v.unit),
                    format_quantity(v.unit, v.on_hand),
                )
                for v in views
            )
        )
        self.stock_qty.clear()
        self.waste_note.clear()
        self.stock_changed.emit()
        self.refresh_stock()
        self.refresh_report()

    def set_counted(self, plu: str, text: str) -> None:
        row = [level.plu for level in self.levels].index(plu)
        cell = self.stock_table.item(row, 4)
        if cell is not None:
            cell.setText(text)

    def save_counts(self) -> None:
        counted: dict[str, str] = {}
        for row, level in enumerate(self.levels):
            cell = self.stock_table.item(row, 4)
            if cell is not None and cell.text().strip():
                counted[level.plu] = cell.text().strip()
        if not counted:
            self.fail(self.tr("Type a counted quantity next to the goods first."))
            return
        self.runner.write(self, stock.count, counted, self.count_reason.text(), self.operator).done(
            self._counts_written
        ).failed(self.fail)

    def _counts_written(self, views: list[stock.StockEntryView]) -> None:
        if people.alive(self):
            self.count_reason.clear()
        self._entries_written(views)

    # ---- day ------------------------------------------------------------------------------
    def _day_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("QR payment app's total for the day (yuan)")))
        self.mobile_edit = QLineEdit()
        self.mobile_edit.setPlaceholderText(self.tr("e.g. 356.50"))
        self.mobile_edit.textChanged.connect(lambda _t: self.refresh_report())
        row.addWidget(self.mobile_edit)
        self.mobile_label = QLabel()
        row.addWidget(self.mobile_label, 1)
        layout.addLayout(row)
        self.report_text = QPlainTextEdit()
        self.report_text.setReadOnly(True)
        layout.addWidget(self.report_text, 2)
        charts = QHBoxLayout()
        self.hour_chart = BarChart()
        self.product_chart = BarChart()
        charts.addWidget(self.hour_chart)
        charts.addWidget(self.product_chart)
        layout.addLayout(charts, 1)
        row = QHBoxLayout()
        self.refresh_button = people.touch_button(self.tr("Refresh"))
        self.close_day_button = people.touch_button(self.tr("Close the day (Z report)…"))
        self.close_day_button.setStyleSheet("background:#b71c1c;color:white;font-weight:bold;")
        self.csv_button = people.touch_button(self.tr("Export CSV…"))
        self.pdf_button = people.touch_button(self.tr("Export PDF…"))
        self.print_statements_button = people.touch_button(self.tr("Print household slips"))
        self.print_report_button = people.touch_button(self.tr("Print the report"))
        self.print_statements_button.setEnabled(self.printer is not None)
        self.print_report_button.setEnabled(self.printer is not None)
        self.print_statements_button.clicked.connect(self.print_statements)
        self.print_report_button.clicked.connect(self.print_report)
        self.refresh_button.clicked.connect(self.refresh)
        self.close_day_button.clicked.connect(self.close_day)
        self.csv_button.clicked.connect(self.export_csv)
        self.pdf_button.clicked.connect(self.export_pdf)
        for button in (
            self.refresh_button,
            self.close_day_button,
            self.csv_button,
            self.pdf_button,
            self.print_statements_button,
            self.print_report_button,
        ):
            row.addWidget(button)
        layout.addLayout(row)
        return tab

    def mobile_total(self) -> int | None:
        text = self.mobile_edit.text().strip()
        return None if not text else parse_yuan(text)

    def refresh_report(self) -> None:
        try:
            mobile = self.mobile_total()
        except BadInput as exc:
            self.mobile_label.setText(exc.message(i18n.current_language()))
            self.mobile_label.setStyleSheet(LOW_STYLE)
            mobile = None
        self.runner.read(self, dayend.x_report, None, mobile).done(self._show_report).failed(
            self.fail
        )

    def _show_report(self, report: DayReport) -> None:
        if not people.alive(self):
            return
        self.report = report
        self.report_text.setPlainText(self.report_body(report))
        m = report.mobile
        if m.variance_fen is not None:
            self.mobile_label.setText(
                self.tr("Recorded {0} · variance {1}").format(
                    _money(m.recorded_fen), _money(m.variance_fen)
                )
            )
            self.mobile_label.setStyleSheet(LOW_STYLE if m.variance_fen else OK_STYLE)
        elif not self.mobile_edit.text().strip():
            self.mobile_label.setText(self.tr("Recorded {0}").format(_money(m.recorded_fen)))
            self.mobile_label.setStyleSheet("")
        self.hour_chart.set_data(
            self.tr("Sales by hour (¥)"),
            [f"{h.hour}" for h in report.hours],
            [h.gross_fen for h in report.hours],
        )
        top = sorted(report.products, key=lambda p: -p.net_fen)[:8]
        self.product_chart.set_data(
            self.tr("Sales by product (¥)"),
            [self.product_name(p.name_zh, p.name_en) for p in top],
            [p.net_fen for p in top],
        )
        closed = report.z_no is not None
        self.close_day_button.setEnabled(not closed)

    def product_name(self, name_zh: str, name_en: str) -> str:
        return name_en if i18n.current_language() == "en" and name_en else name_zh

    def report_body(self, r: DayReport) -> str:
        if r.z_no is not None:
            title = self.tr("Z report no. {0}").format(r.z_no)
        else:
            title = self.tr("X report (snapshot)")
        rows = [
            f"{title}  {r.booth_code} {r.booth_name}  {r.day.isoformat()}",
            self.tr("Receipts {0} .. {1}").format(r.first_receipt or "-", r.last_receipt or "-"),
            self.tr("Sales {0} · voids {1} · refunds {2}").format(
                r.sales_count, r.voids_count, r.refunds_count
            ),
            self.tr("Gross {0}").format(_money(r.gross_fen)),
            self.tr("Voids {0}").format(_money(r.voids_fen)),
            self.tr("Refunds {0}").format(_money(r.refunds_fen)),
            self.tr("Round-downs {0}").format(_money(r.round_down_fen)),
            self.tr("Net {0}").format(_money(r.net_fen)),
            "",
            self.tr("By tender"),
        ]
        names = {"cash": self.tr("Cash"), "mobile": self.tr("QR"), "other": self.tr("Other")}
        rows += [
            f"  {names.get(t.method, t.method):<10} {_money(t.net_fen):>12}" for t in r.tenders
        ]
        rows += ["", self.tr("By product")]
        rows += [
            f"  {p.plu:<6} {self.product_name(p.name_zh, p.name_en):<14} "
            f"{format_quantity(p.unit, p.net_qty):>9} {self._unit(p.unit):<4} "
            f"{_money(p.net_fen):>12}"
            for p in r.products
        ]
        rows += ["", self.tr("By household")]
        rows += [
            "  "
            + self.tr("{0} {1}: goods {2}, commission {3} {4}, owed {5}").format(
                h.code,
                h.name,
                _money(h.goods_fen),
                format_rate(h.rate_bp),
                _money(h.commission_fen),
                _money(h.owed_fen),
            )
            for h in r.households
        ]
        c, m = r.cash, r.mobile
        rows += [
            "",
            self.tr("Variances"),
            "  "
            + self.tr("Cash: expected {0}, counted {1}, variance {2}").format(
                _money(c.expected_fen), _money(c.counted_fen), _money(c.variance_fen)
            ),
            "  "
            + self.tr("QR: recorded {0}, statement {1}, variance {2}").format(
                _money(m.recorded_fen), _money(m.statement_fen), _money(m.variance_fen)
            ),
        ]
        lines = r.stock_variance_lines
        if not lines:
            rows.append("  " + self.tr("Stock: no variance"))
        rows += [
            "  "
            + self.tr("Stock {0} {1}: {2} {3} ({4})").format(
                s.plu,
                s.name_zh,
                format_quantity(s.unit, s.variance),
                self._unit(s.unit),
                "; ".join(s.reasons),
            )
            for s in lines
        ]
        return "\n".join(rows)

    def close_day(self) -> None:
        try:
            mobile = self.mobile_total()
            count = self.cash_count()
        except BadInput as exc:
            self._bad(exc)
            return
        allowed = people.ask_coordinator_pin(
            self, self.runner, self.tr("Close the day: the day is locked and a Z report is made.")
        )
        if allowed is None:
            return
        self.close_day_button.setEnabled(False)
        self.runner.io(
            self,
            dayend.close_day_with_backup,
            self.runner.ledger,
            allowed[1],
            None,
            count if count.pieces else None,
            mobile,
            None,
        ).done(self._day_closed).failed(self._close_failed)

    def _close_failed(self, message: str) -> None:
        if people.alive(self):
            self.close_day_button.setEnabled(True)
        self.fail(message)

    def _day_closed(self, result: dayend.DayCloseResult) -> None:
        self.last_close = result
        self.day_closed.emit(result.report)
        if not people.alive(self):
            return
        self.set_count({})
        self._show_report(result.report)
        if result.backup_error is None:
            self.done_ok(
                self.tr("Day closed: Z report no. {0}. Backup written to {1}").format(
                    result.report.z_no, result.backup_path
                )
            )
        else:
            self.fail(
                self.tr("Day closed: Z report no. {0}, but the backup failed: {1}").format(
                    result.report.z_no, result.backup_error
                )
            )
        self.refresh()

    def export_csv(self) -> None:
        from booth_pos.reports import csv_export

        if self.report is None:
            return
        path = ask_save_path(self, self.tr("Export CSV"), self.tr("CSV files (*.csv)"))
        if path is None:
            return
        text = csv_export.day_report_csv(self.report)
        self.runner.io(self, csv_export.write_csv, Path(path), text).done(self._exported).failed(
            self.fail
        )

    def export_pdf(self) -> None:
        from booth_pos.reports import pdf_export

        if self.report is None:
            return
        path = ask_save_path(self, self.tr("Export PDF"), self.tr("PDF files (*.pdf)"))
        if path is None:
            return
        self.runner.io(self, pdf_export.day_report_pdf, self.report, Path(path)).done(
            self._exported
        ).failed(self.fail)

    def print_statements(self) -> None:
        """One slip per household that sold today: goods, amount owed, a line to sign, a QR."""
        if self.report is None:
            return
        self.runner.write(self, printing.queue_statements, self.report.day).done(
            self._queued
        ).failed(self.fail)

    def print_report(self) -> None:
        """The Z slip of a closed day, otherwise the X slip (a snapshot)."""
        if self.report is None:
            return
        self.runner.write(
            self, printing.queue_day_report, self.report.day, self.report.z_no is not None
        ).done(self._queued).failed(self.fail)

    def _queued(self, jobs: object) -> None:
        count = len(jobs) if isinstance(jobs, list) else 1
        if self.printer is not None:
            self.printer.wake()
        self.done_ok(self.tr("{0} slip(s) sent to the printer.").format(count))

    def _exported(self, path: Path) -> None:
        self.exported = path
        self.done_ok(self.tr("Written to {0}").format(path))

    # ---- commission -----------------------------------------------------------------------
    def _commission_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.rate_table = QTableWidget(0, 3)
        self.rate_table.setHorizontalHeaderLabels(
            [self.tr("Household"), self.tr("Name"), self.tr("Commission")]
        )
        self.rate_table.verticalHeader().setVisible(False)
        self.rate_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rate_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rate_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.rate_table, 1)
        row = QHBoxLayout()
        self.rate_edit = QLineEdit()
        self.rate_edit.setPlaceholderText(self.tr("Rate in percent, e.g. 5 or 5.5"))
        self.set_rate_button = people.touch_button(self.tr("Set rate for the selected household"))
        self.set_rate_button.clicked.connect(self.set_rate)
        row.addWidget(self.rate_edit, 1)
        row.addWidget(self.set_rate_button, 1)
        layout.addLayout(row)
        return tab

    def _show_rates(self, rates: list[dayend.RateView]) -> None:
        if not people.alive(self):
            return
        current = self.rate_table.currentRow()
        self.rates = rates
        self.rate_table.setRowCount(len(rates))
        for row, rate in enumerate(rates):
            self.rate_table.setItem(row, 0, _item(rate.household_code))
            self.rate_table.setItem(row, 1, _item(rate.household_name))
            self.rate_table.setItem(row, 2, _item(format_rate(rate.rate_bp), right=True))
        if 0 <= current < len(rates):
            self.rate_table.selectRow(current)

    def select_household(self, code: str) -> None:
        self.rate_table.selectRow([r.household_code for r in self.rates].index(code))

    def set_rate(self) -> None:
        row = self.rate_table.currentRow()
        if not 0 <= row < len(self.rates):
            self.fail(self.tr("Choose a household first."))
            return
        try:
            rate = parse_rate(self.rate_edit.text())
        except BadInput as exc:
            self._bad(exc)
            return
        pin = self.pin
        if pin is None:
            allowed = people.ask_coordinator_pin(
                self, self.runner, self.tr("Set a household's commission rate.")
            )
            if allowed is None:
                return
            pin = allowed[1]
        self.runner.write(
            self, dayend.set_commission, self.rates[row].household_code, rate, pin
        ).done(self._rate_set).failed(self.fail)

    def _rate_set(self, view: dayend.RateView) -> None:
        self.done_ok(f"{view.household_code} {view.household_name}: {format_rate(view.rate_bp)}")
        if people.alive(self):
            self.rate_edit.clear()
        self.refresh()
