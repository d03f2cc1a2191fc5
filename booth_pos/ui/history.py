"""Today's sales: find a receipt, see what was on it, and (with a coordinator) void or refund it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from booth_pos.domain.money import format_yuan
from booth_pos.domain.quantity import PricingUnit, format_kg
from booth_pos.services import printing, sales
from booth_pos.services.sales import LineView, RefundView, SaleView, VoidView
from booth_pos.ui import i18n, people
from booth_pos.ui.people import TOUCH_HEIGHT, alive, message_label, show_message, touch_button
from booth_pos.ui.runner import OperationRunner
from booth_pos.ui.workers import PrintBridge

LIST_LIMIT = 500
SALE_COLUMNS = 5  # receipt, time, total, operator, status
LINE_COLUMNS = 6  # refund tick, item, quantity, unit price, amount, refunded
GREY = QColor("#808080")


def yuan(fen: int) -> str:
    return "¥" + format_yuan(fen)


def local_midnight_utc(now: dt.datetime | None = None) -> dt.datetime:
    """This morning's midnight on the till's clock, as naive UTC (how the ledger stores time)."""
    local = (now or dt.datetime.now()).astimezone()
    midnight = dt.datetime.combine(local.date(), dt.time()).astimezone()
    return midnight.astimezone(dt.UTC).replace(tzinfo=None)


def local_time(sale: SaleView) -> dt.datetime:
    """When the sale happened on the clock of the till that rang it up."""
    return sale.occurred_at + dt.timedelta(minutes=sale.utc_offset_min)


def _item(text: str, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class ReasonDialog(QDialog):
    """Why a sale is voided or refunded: a tap on a common reason, or typed words."""

    def __init__(self, purpose: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reason"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        heading = QLabel(purpose)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(QLabel(self.tr("Why? Tap a reason or type one.")))
        self.reason_edit = QLineEdit()
        presets = QGridLayout()
        self.preset_buttons = []
        for index, text in enumerate(
            (
                self.tr("Rung up by mistake"),
                self.tr("Customer changed their mind"),
                self.tr("Goods damaged or spoiled"),
                self.tr("Wrong price or weight"),
            )
        ):
            button = touch_button(text)
            button.clicked.connect(lambda _=False, t=text: self.reason_edit.setText(t))
            presets.addWidget(button, index // 2, index % 2)
            self.preset_buttons.append(button)
        layout.addLayout(presets)
        self.reason_edit.setMinimumHeight(TOUCH_HEIGHT)
        self.reason_edit.setPlaceholderText(self.tr("Reason"))
        self.reason_edit.setMaxLength(200)
        layout.addWidget(self.reason_edit)
        self.message = message_label()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        cancel = touch_button(self.tr("Cancel (Esc)"))
        cancel.clicked.connect(self.reject)
        self.ok_button = touch_button(self.tr("Continue (Enter)"))
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.accept)
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok_button)
        layout.addLayout(buttons)
        self.reason_edit.setFocus()

    @property
    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def accept(self) -> None:
        if not self.reason:
            show_message(self.message, self.tr("Give a reason first."))
            return
        super().accept()


def ask_reason(parent: QWidget | None, purpose: str) -> str | None:
    """The reason for a void or refund, or None if cancelled. Replaceable in tests."""
    dialog = ReasonDialog(purpose, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.reason
        return None
    finally:
        dialog.deleteLater()


class HistoryDialog(QDialog):
    """Today's receipts, newest first, with the selected one's lines and payments."""

    def __init__(
        self,
        runner: OperationRunner,
        parent: QWidget | None = None,
        printer: PrintBridge | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.printer = printer
        self.print_jobs: list[printing.PrintJobView] = []
        self.sales: list[SaleView] = []
        self.selected: SaleView | None = None
        self._wanted: str | None = None  # the receipt to show once its row is listed
        self._pending_receipt: str | None = None  # the receipt whose details are on their way
        self._generation = 0  # ignores a list that a newer search has overtaken
        self._busy = False
        self.setWindowTitle(self.tr("Sales history"))
        self.resize(1000, 720)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setMinimumHeight(TOUCH_HEIGHT)
        self.search_edit.setPlaceholderText(self.tr("Search by receipt number, e.g. 000012"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(lambda _text: self.refresh())
        top.addWidget(self.search_edit, 1)
        self.today_button = touch_button(self.tr("Today only"))
        self.today_button.setCheckable(True)
        self.today_button.setChecked(True)
        self.today_button.setToolTip(self.tr("Untick to search earlier days too"))
        self.today_button.toggled.connect(lambda _on: self.refresh())
        top.addWidget(self.today_button)
        self.refresh_button = touch_button(self.tr("Refresh (F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableWidget(0, SALE_COLUMNS)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Receipt"),
                self.tr("Time"),
                self.tr("Total"),
                self.tr("Operator"),
                self.tr("Status"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        splitter.addWidget(self.table)

        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        self.details_label = QLabel(self.tr("Tap a receipt to see what was sold."))
        self.details_label.setWordWrap(True)
        details_layout.addWidget(self.details_label)
        self.lines_table = QTableWidget(0, LINE_COLUMNS)
        self.lines_table.setHorizontalHeaderLabels(
            [
                self.tr("Refund"),
                self.tr("Item"),
                self.tr("Quantity"),
                self.tr("Price"),
                self.tr("Amount"),
                self.tr("Refunded"),
            ]
        )
        self.lines_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.lines_table.verticalHeader().setVisible(False)
        self.lines_table.verticalHeader().setDefaultSectionSize(44)
        self.lines_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.lines_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.lines_table.cellClicked.connect(self._toggle_line)
        self.lines_table.itemChanged.connect(lambda _item: self._update_buttons())
        details_layout.addWidget(self.lines_table, 1)
        self.tenders_label = QLabel()
        self.tenders_label.setWordWrap(True)
        details_layout.addWidget(self.tenders_label)
        self.print_label = QLabel()
        self.print_label.setWordWrap(True)
        details_layout.addWidget(self.print_label)
        # The receipt as the printer prints it (the same layout, drawn as an image).
        self.preview_label = QLabel()
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        preview_scroll = QScrollArea()
        preview_scroll.setWidgetResizable(True)
        preview_scroll.setWidget(self.preview_label)
        details_layout.addWidget(preview_scroll, 1)
        splitter.addWidget(details)
        splitter.setSizes([520, 480])
        layout.addWidget(splitter, 1)

        self.message = message_label()
        layout.addWidget(self.message)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        buttons = QHBoxLayout()
        self.reprint_button = touch_button(self.tr("Reprint"))
        self.reprint_button.setEnabled(False)
        self.reprint_button.clicked.connect(self.reprint_selected)
        buttons.addWidget(self.reprint_button)
        self.retry_button = touch_button(self.tr("Retry failed prints"))
        self.retry_button.clicked.connect(self.retry_failed_prints)
        buttons.addWidget(self.retry_button)
        self.void_button = touch_button(self.tr("Void…"))
        self.void_button.clicked.connect(self.void_selected)
        buttons.addWidget(self.void_button)
        self.refund_button = touch_button(self.tr("Refund…"))
        self.refund_button.clicked.connect(self.refund_selected)
        buttons.addWidget(self.refund_button)
        buttons.addStretch(1)
        self.close_button = touch_button(self.tr("Close (Esc)"))
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        self._update_buttons()
        self.refresh()
        self.search_edit.setFocus()

    # -- the list ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the list again (today's sales, or every day's when 'Today only' is off)."""
        self._generation += 1
        generation = self._generation
        since = local_midnight_utc() if self.today_button.isChecked() else None
        self.runner.read(self, sales.list_sales, LIST_LIMIT, since, self.search_edit.text()).done(
            lambda rows: self._show_sales(rows, generation)
        ).failed(self._failed)

    def _show_sales(self, rows: list[SaleView], generation: int) -> None:
        if not alive(self) or generation != self._generation:
            return
        keep = self._wanted or (self.selected.receipt_no if self.selected else None)
        self.sales = list(rows)
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        select_row = -1
        for row, sale in enumerate(rows):
            when = local_time(sale)
            today = when.date() == dt.datetime.now().date()
            cells = (
                _item(sale.receipt_no),
                _item(when.strftime("%H:%M:%S" if today else "%Y-%m-%d %H:%M")),
                _item(yuan(sale.total_fen), align_right=True),
                _item(sale.operator_name),
                _item(self.status_text(sale)),
            )
            for column, cell in enumerate(cells):
                if sale.voided:
                    cell.setForeground(QBrush(GREY))
                self.table.setItem(row, column, cell)
            if sale.receipt_no == keep:
                select_row = row
        if select_row >= 0:
            self.table.selectRow(select_row)
        else:
            self.table.clearSelection()
        self.table.blockSignals(False)
        if select_row >= 0:
            self._wanted = None
            self._load_details(self.sales[select_row].receipt_no)
        else:
            self._show_no_sale()

    def status_text(self, sale: SaleView) -> str:
        if sale.voided:
            return self.tr("Voided")
        if sale.refunded_fen >= sale.total_fen and sale.refunded_fen > 0:
            return self.tr("Refunded")
        if sale.refunded_fen > 0:
            return self.tr("Refunded {0}").format(yuan(sale.refunded_fen))
        return ""

    def select_receipt(self, receipt_no: str) -> bool:
        """Select a listed receipt (as a tap on its row would); False if it is not listed."""
        for row, sale in enumerate(self.sales):
            if sale.receipt_no == receipt_no:
                self.table.selectRow(row)
                return True
        return False

    def _selection_changed(self) -> None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        if not rows:
            self._show_no_sale()
            return
        row = min(rows)
        if 0 <= row < len(self.sales):
            self._load_details(self.sales[row].receipt_no)

    # -- the details pane --------------------------------------------------------------------

    def _load_details(self, receipt_no: str) -> None:
        self._pending_receipt = receipt_no
        self.runner.read(self, sales.show_sale, receipt_no).done(self._show_details).failed(
            self._failed
        )

    def _show_no_sale(self) -> None:
        self.selected = None
        self._pending_receipt = None
        self.lines_table.setRowCount(0)
        self.details_label.setText(self.tr("Tap a receipt to see what was sold."))
        self.tenders_label.setText("")
        self._update_buttons()

    def _show_details(self, sale: SaleView) -> None:
        if not alive(self) or sale.receipt_no != self._pending_receipt:
            return
        self.selected = sale
        when = local_time(sale).strftime("%Y-%m-%d %H:%M:%S")
        header = self.tr("Receipt {0} · {1} · operator {2}").format(
            sale.receipt_no, when, sale.operator_name
        )
        state = self.status_text(sale)
        if state:
            header += " · " + state
        self.details_label.setText(header)

        self.lines_table.blockSignals(True)
        self.lines_table.setRowCount(len(sale.lines))
        for row, line in enumerate(sale.lines):
            tick = QTableWidgetItem()
            left = line.quantity - line.refunded_quantity
            if sale.voided or left <= 0:
                tick.setFlags(Qt.ItemFlag.NoItemFlags)
                tick.setText("—")
            else:
                tick.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                tick.setCheckState(Qt.CheckState.Unchecked)
            tick.setData(Qt.ItemDataRole.UserRole, line.line_no)
            self.lines_table.setItem(row, 0, tick)
            self.lines_table.setItem(row, 1, _item(self.line_name(line)))
            self.lines_table.setItem(row, 2, _item(self.quantity_text(line, line.quantity)))
            self.lines_table.setItem(row, 3, _item(self.price_text(line), align_right=True))
            self.lines_table.setItem(row, 4, _item(yuan(line.amount_fen), align_right=True))
            refunded = (
                self.quantity_text(line, line.refunded_quantity) if line.refunded_quantity else ""
            )
            self.lines_table.setItem(row, 5, _item(refunded))
        self.lines_table.blockSignals(False)

        parts = [self.tr("Subtotal {0}").format(yuan(sale.subtotal_fen))]
        if sale.round_down_fen:
            parts.append(self.tr("round-down −{0}").format(yuan(sale.round_down_fen)))
        parts.append(self.tr("Total {0}").format(yuan(sale.total_fen)))
        paid = [
            self.tr("{0} {1}").format(self.method_name(t.method), yuan(t.amount_fen))
            for t in sale.tenders
        ]
        text = " · ".join(parts) + "\n" + self.tr("Paid: {0}").format(", ".join(paid))
        if sale.change_fen:
            text += " · " + self.tr("change {0}").format(yuan(sale.change_fen))
        if sale.refunded_fen:
            text += "\n" + self.tr("Refunded so far: {0}").format(yuan(sale.refunded_fen))
        self.tenders_label.setText(text)
        self._update_buttons()
        self.runner.read(self, printing.jobs_for_receipt, sale.receipt_no).done(self._show_jobs)
        self.runner.io_read(self, printing.receipt_preview_png, sale.receipt_no).done(
            self._show_preview
        )

    def _show_preview(self, png: bytes) -> None:
        if not alive(self):
            return
        pixmap = QPixmap()
        pixmap.loadFromData(png, "PNG")
        self.preview_label.setPixmap(pixmap)

    def _show_jobs(self, jobs: list[printing.PrintJobView]) -> None:
        if not alive(self):
            return
        self.print_jobs = jobs
        lang = i18n.current_language()
        parts = []
        for job in jobs:
            if job.state == "failed":
                parts.append(self.tr("Print failed: {0}").format(job.message(lang)))
            elif job.state == "done" and job.printed:
                parts.append(self.tr("Reprinted") if job.reprint else self.tr("Printed"))
            elif job.state in ("pending", "printing"):
                parts.append(self.tr("Waiting for the printer"))
        self.print_label.setText(" · ".join(parts))
        self._update_buttons()

    def reprint_selected(self) -> None:
        """A new print job marked 补打 / REPRINT; the sale itself is untouched."""
        sale = self.selected
        if sale is None or self.printer is None:
            return

        def queued(_job: printing.PrintJobView) -> None:
            if self.printer is not None:
                self.printer.wake()
            if alive(self):
                show_message(
                    self.status,
                    self.tr("Reprint of {0} sent to the printer.").format(sale.receipt_no),
                )
                self.runner.read(self, printing.jobs_for_receipt, sale.receipt_no).done(
                    self._show_jobs
                )

        self.runner.write(self, printing.reprint, sale.receipt_no).done(queued).failed(self._failed)

    def retry_failed_prints(self) -> None:
        def retried(count: int) -> None:
            if self.printer is not None:
                self.printer.retry_now()
            if alive(self):
                show_message(
                    self.status, self.tr("{0} failed receipt(s) sent again.").format(count)
                )

        self.runner.write(self, printing.retry_failed).done(retried).failed(self._failed)

    def line_name(self, line: LineView) -> str:
        if i18n.current_language() == "en" and line.name_en:
            return line.name_en
        return line.name_zh

    def quantity_text(self, line: LineView, amount: int) -> str:
        if line.unit == PricingUnit.ITEM.value:
            label = line.item_label_zh if i18n.current_language() == "zh" else ""
            return f"{amount} {label}".strip()
        return self.tr("{0} kg").format(format_kg(amount))

    def price_text(self, line: LineView) -> str:
        if line.unit == PricingUnit.KG.value:
            return self.tr("{0}/kg").format(yuan(line.unit_price_fen))
        if line.unit == PricingUnit.JIN.value:
            return self.tr("{0}/jin").format(yuan(line.unit_price_fen))
        return yuan(line.unit_price_fen)

    def method_name(self, method: str) -> str:
        names = {
            "cash": self.tr("Cash"),
            "mobile": self.tr("Mobile QR"),
            "other": self.tr("Other"),
        }
        return names.get(method, method)

    def _toggle_line(self, row: int, column: int) -> None:
        """A tap anywhere on a line ticks it for a refund (the tick box itself is small)."""
        if column == 0:
            return
        tick = self.lines_table.item(row, 0)
        if tick is None or not tick.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            return
        checked = tick.checkState() == Qt.CheckState.Checked
        tick.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def set_line_checked(self, line_no: int, checked: bool = True) -> None:
        for row in range(self.lines_table.rowCount()):
            tick = self.lines_table.item(row, 0)
            if tick is not None and tick.data(Qt.ItemDataRole.UserRole) == line_no:
                state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
                tick.setCheckState(state)

    def checked_lines(self) -> list[int]:
        lines = []
        for row in range(self.lines_table.rowCount()):
            tick = self.lines_table.item(row, 0)
            if (
                tick is not None
                and tick.flags() & Qt.ItemFlag.ItemIsUserCheckable
                and tick.checkState() == Qt.CheckState.Checked
            ):
                lines.append(int(tick.data(Qt.ItemDataRole.UserRole)))
        return lines

    def _update_buttons(self) -> None:
        sale = self.selected
        can_void = sale is not None and not sale.voided and sale.refunded_fen == 0
        left = sale is not None and any(
            line.quantity > line.refunded_quantity for line in sale.lines
        )
        can_refund = sale is not None and not sale.voided and left
        self.void_button.setEnabled(can_void and not self._busy)
        self.reprint_button.setEnabled(sale is not None and self.printer is not None)
        self.reprint_button.setToolTip(
            "" if self.printer is not None else self.tr("Printing is not configured yet")
        )
        self.refund_button.setEnabled(bool(can_refund) and not self._busy)
        checked = len(self.checked_lines()) if sale is not None else 0
        if checked:
            self.refund_button.setText(self.tr("Refund {0} ticked line(s)…").format(checked))
        else:
            self.refund_button.setText(self.tr("Refund…"))

    # -- void and refund ---------------------------------------------------------------------

    def void_selected(self) -> None:
        sale = self.selected
        if sale is None or sale.voided or self._busy:
            return
        purpose = self.tr(
            "Void receipt {0} ({1}): the whole sale is cancelled and its goods go back to stock."
        ).format(sale.receipt_no, yuan(sale.total_fen))
        reason = ask_reason(self, purpose)
        if reason is None:
            return
        granted = people.ask_coordinator_pin(self, self.runner, purpose)
        if granted is None:
            return
        _coordinator, pin = granted
        self._start(sale.receipt_no)
        self.runner.write(self, sales.void, sale.receipt_no, reason, pin).done(self._voided).failed(
            self._failed
        )

    def refund_selected(self) -> None:
        """Refund the ticked lines (all that is left of each), or the whole sale if none."""
        sale = self.selected
        if sale is None or sale.voided or self._busy:
            return
        ticked = self.checked_lines()
        if ticked:
            purpose = self.tr("Refund {0} line(s) of receipt {1}: the goods come back.").format(
                len(ticked), sale.receipt_no
            )
        else:
            purpose = self.tr(
                "Refund everything not yet refunded on receipt {0}: the goods come back."
            ).format(sale.receipt_no)
        reason = ask_reason(self, purpose)
        if reason is None:
            return
        granted = people.ask_coordinator_pin(self, self.runner, purpose)
        if granted is None:
            return
        _coordinator, pin = granted
        lines: dict[int, int | None] | None = dict.fromkeys(ticked) if ticked else None
        self._start(sale.receipt_no)
        self.runner.write(self, sales.refund, sale.receipt_no, reason, pin, lines).done(
            self._refunded
        ).failed(self._failed)

    def _start(self, receipt_no: str) -> None:
        self._busy = True
        self._wanted = receipt_no
        show_message(self.message, "")
        self.status.setText("")
        self._update_buttons()

    def _voided(self, result: VoidView) -> None:
        if not alive(self):
            return
        self._busy = False
        self.status.setText(
            self.tr("Receipt {0} voided ({1}), allowed by {2}. Give the money back.").format(
                result.receipt_no, yuan(result.amount_fen), result.authorised_by
            )
        )
        self.refresh()

    def _refunded(self, result: RefundView) -> None:
        if not alive(self):
            return
        self._busy = False
        self.status.setText(
            self.tr("Refund {0} of receipt {1}: give back {2} ({3}), allowed by {4}.").format(
                result.refund_no,
                result.receipt_no,
                yuan(result.amount_fen),
                self.method_name(result.method),
                result.authorised_by,
            )
        )
        self.refresh()

    def _failed(self, message: str) -> None:
        if not alive(self):
            return
        self._busy = False
        self._wanted = None
        show_message(self.message, message)
        self._update_buttons()
