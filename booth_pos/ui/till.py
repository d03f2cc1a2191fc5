"""The till: product grid, scanner field, cart, total, quick cash and Pay.

All ledger work goes through the OperationRunner; while a sale is being written the
pay buttons are disabled, so a double tap can never ring a sale up twice.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QPixmap, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTabBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from booth_pos.domain.cart import Goods, TillCart
from booth_pos.domain.errors import BadInput
from booth_pos.domain.money import format_yuan, parse_yuan
from booth_pos.domain.pricing import RoundDown, TenderIn, TenderMethod
from booth_pos.domain.quantity import PricingUnit, Quantity, format_kg
from booth_pos.domain.reports import unit_label
from booth_pos.services import catalog, printing, sales, status, stock, sync_client
from booth_pos.services.auth import OperatorView
from booth_pos.services.booth import BoothView
from booth_pos.services.settings import BoothSettings
from booth_pos.ui import i18n
from booth_pos.ui.county_status import county_text
from booth_pos.ui.runner import Change, Coalesced, OperationRunner
from booth_pos.ui.workers import PrintBridge, SyncBridge

CATEGORY_COLOURS = (
    "#f6d365",
    "#a1c4fd",
    "#c2e9fb",
    "#d4fc79",
    "#fbc2eb",
    "#ffd1a9",
    "#b5ead7",
    "#e2c2ff",
)
QUICK_NOTES = (10, 20, 50, 100)
GRID_CELL_WIDTH = 132  # a product button and its spacing
BUTTON_HEIGHT = 64
PREVIEW_DELAY_MS = 150


def goods_of(product: catalog.ProductView) -> Goods:
    return Goods(
        plu=product.plu,
        name_zh=product.name_zh,
        name_en=product.name_en,
        unit=PricingUnit(product.unit),
        unit_price_fen=product.price_fen,
        item_label_zh=product.item_label_zh,
        item_label_en=product.item_label_en,
        category=product.category,
    )


class TillWindow(QMainWindow):
    sale_completed = Signal(object)  # SaleView
    lock_requested = Signal()
    language_toggled = Signal(str)
    quit_requested = Signal()

    def __init__(
        self,
        runner: OperationRunner,
        operator: OperatorView,
        booth: BoothView,
        settings: BoothSettings,
        parent: QWidget | None = None,
        printer: PrintBridge | None = None,
        sync: SyncBridge | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.printer = printer
        self.sync = sync
        self.sync_state: sync_client.SyncStatus | None = None
        self.printer_state: printing.PrinterState | None = None
        self.status_figures: status.TillStatus | None = None
        self.operator = operator
        self.booth = booth
        self.settings = settings
        self.cart = TillCart()
        self.products: list[catalog.ProductView] = []
        self.by_code: dict[str, Goods] = {}
        self.product_buttons: dict[str, QPushButton] = {}
        self.stock_levels: dict[str, stock.StockLevel] = {}
        self.active_dialog: QDialog | None = None
        self.paying = False
        self.override_pin: str | None = None  # the coordinator's, while the cart has overrides
        self.last_sale: sales.SaleView | None = None
        self.allow_close = False  # the app is quitting: close without asking
        self.quit_question: QMessageBox | None = None
        self._preview_wanted = ""  # the receipt whose picture is still worth drawing
        # Beside the ledger lane, and one at a time: a status read never delays a sale.
        self._status_read = Coalesced(
            lambda: self.runner.io_read(self, status.till_status), self._show_status
        )
        self._sync_read = Coalesced(
            lambda: self.runner.io_read(self, sync_client.sync_status, False), self._sync_changed
        )
        self._stock_read = Coalesced(
            lambda: self.runner.io_read(self, stock.stock_levels), self.set_stock_levels
        )
        self._build()
        self.retranslate()
        self.reload_catalog()
        self.refresh_status()
        if printer is not None:
            printer.printer_changed.connect(self._printer_changed)
            self.printer_state = printer.state
        if sync is not None:
            # The worker's own report may be older than the sale just rung up: read afresh.
            sync.status_changed.connect(lambda _state: self._sync_read())
            if sync.last_status is not None:
                self.sync_state = sync.last_status
        runner.changed.connect(self._ledger_changed)
        self._status_timer = QTimer(self)
        self._status_timer.timeout.connect(self.refresh_status)
        self._status_timer.start(15_000)
        self._stock_timer = QTimer(self)
        self._stock_timer.timeout.connect(self.refresh_stock)
        self._stock_timer.start(60_000)

    # ---- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        body = self.body = QWidget()
        outer = QHBoxLayout(body)

        left = QVBoxLayout()
        fields = QHBoxLayout()
        self.code_edit = QLineEdit()
        self.code_edit.setMinimumHeight(48)
        self.code_edit.returnPressed.connect(self._code_entered)
        self.search_edit = QLineEdit()
        self.search_edit.setMinimumHeight(48)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(lambda _t: self._fill_grid())
        fields.addWidget(self.code_edit, 3)
        fields.addWidget(self.search_edit, 2)
        left.addLayout(fields)
        self.category_tabs = QTabBar()
        self.category_tabs.setExpanding(False)
        self.category_tabs.currentChanged.connect(lambda _i: self._fill_grid())
        left.addWidget(self.category_tabs)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setSpacing(6)
        scroll = self.grid_scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.grid_host)
        left.addWidget(scroll, 1)
        self._columns = 0
        outer.addLayout(left, 3)

        right = QVBoxLayout()
        self.cart_table = QTableWidget(0, 4)
        self.cart_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cart_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cart_table.verticalHeader().setVisible(False)
        header = self.cart_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.cart_table.cellClicked.connect(lambda row, _col: self.edit_line(row))
        # After a sale the cart's place shows the receipt, as the printer will print it.
        self.receipt_preview = QLabel()
        self.receipt_preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        preview_scroll = QScrollArea()
        preview_scroll.setWidgetResizable(True)
        preview_scroll.setWidget(self.receipt_preview)
        self.cart_stack = QStackedWidget()
        self.cart_stack.addWidget(self.cart_table)
        self.cart_stack.addWidget(preview_scroll)
        right.addWidget(self.cart_stack, 1)
        self.total_label = QLabel()
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        font = self.total_label.font()
        font.setPointSize(32)
        font.setBold(True)
        self.total_label.setFont(font)
        right.addWidget(self.total_label)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setMinimumHeight(48)
        bfont = self.banner.font()
        bfont.setPointSize(16)
        self.banner.setFont(bfont)
        right.addWidget(self.banner)

        notes = QHBoxLayout()
        self.cash_label = QLabel()
        notes.addWidget(self.cash_label)
        self.quick_cash_buttons: dict[int, QPushButton] = {}
        for yuan in QUICK_NOTES:
            button = self._big_button(lambda _c=False, y=yuan: self.quick_cash(y * 100))
            self.quick_cash_buttons[yuan] = button
            notes.addWidget(button)
        self.exact_cash_button = self._big_button(lambda: self.quick_cash(None))
        notes.addWidget(self.exact_cash_button)
        right.addLayout(notes)
        actions = QHBoxLayout()
        self.clear_button = self._big_button(self.clear_cart)
        self.pay_button = self._big_button(self.open_pay)
        self.pay_button.setStyleSheet("background:#2e7d32;color:white;font-weight:bold;")
        actions.addWidget(self.clear_button, 1)
        actions.addWidget(self.pay_button, 2)
        right.addLayout(actions)
        tools = QGridLayout()
        self.history_button = self._big_button(self.open_history)
        self.settings_button = self._big_button(self.open_settings)
        self.language_button = self._big_button(self.toggle_language)
        self.lock_button = self._big_button(self.lock_requested.emit)
        self.day_end_button = self._big_button(self.open_coordinator)
        self.goods_button = self._big_button(self.open_catalog_editor)
        self.people_button = self._big_button(self.open_people)
        self.audit_button = self._big_button(self.open_audit)
        self.quit_button = self._big_button(self.ask_quit)
        for index, b in enumerate(
            (
                self.history_button,
                self.settings_button,
                self.day_end_button,
                self.goods_button,
                self.people_button,
                self.audit_button,
                self.language_button,
                self.lock_button,
                self.quit_button,
            )
        ):
            b.setMinimumHeight(48)
            tools.addWidget(b, index // 3, index % 3)
        right.addLayout(tools)
        outer.addLayout(right, 2)
        self.setCentralWidget(body)

        self.operator_status = QLabel()
        self.sync_status = QLabel()
        self.printer_status = QLabel()
        for label in (self.operator_status, self.sync_status, self.printer_status):
            label.setStyleSheet("padding:0 10px;border-left:1px solid #999;")
            self.statusBar().addPermanentWidget(label)

        for key, slot in (
            ("F12", self.open_pay),
            ("F9", self.clear_cart),
            ("F8", self.open_history),
            ("F10", self.open_settings),
            ("F11", self.lock_requested.emit),
            ("F7", self.toggle_language),
            ("F6", self._focus_search),
            ("F4", self.open_coordinator),
            ("F2", self.open_catalog_editor),
            ("Ctrl+Q", self.ask_quit),
        ):
            QShortcut(QKeySequence(key), self, slot)
        for index, yuan in enumerate(QUICK_NOTES, start=1):
            QShortcut(QKeySequence(f"Ctrl+{index}"), self, lambda y=yuan: self.quick_cash(y * 100))
        QShortcut(QKeySequence("Ctrl+0"), self, lambda: self.quick_cash(None))
        self.resize(1024, 768)
        self.code_edit.setFocus()

    def _big_button(self, slot: object) -> QPushButton:
        button = QPushButton()
        button.setMinimumHeight(BUTTON_HEIGHT)
        # Ignored: the panes share the width by stretch, not by the longest label.
        button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep the scanner field focused
        button.clicked.connect(slot)
        return button

    def retranslate(self) -> None:
        self.setWindowTitle(
            self.tr("booth-pos · {0} ({1})").format(self.booth.name, self.booth.code)
        )
        self.code_edit.setPlaceholderText(self.tr("Scan a barcode or type a PLU, then Enter"))
        self.search_edit.setPlaceholderText(self.tr("Search goods (F6)"))
        self.cart_table.setHorizontalHeaderLabels(
            [self.tr("Goods"), self.tr("Quantity"), self.tr("Price"), self.tr("Amount")]
        )
        self.cash_label.setText(self.tr("Cash"))
        for yuan, button in self.quick_cash_buttons.items():
            button.setText(f"¥{yuan}\nCtrl+{QUICK_NOTES.index(yuan) + 1}")
        self.exact_cash_button.setText(self.tr("Exact\nCtrl+0"))
        self.clear_button.setText(self.tr("Clear cart (F9)"))
        self.pay_button.setText(self.tr("Pay… (F12)"))
        self.history_button.setText(self.tr("History (F8)"))
        self.settings_button.setText(self.tr("Settings (F10)"))
        self.day_end_button.setText(self.tr("Day end (F4)"))
        self.goods_button.setText(self.tr("Goods (F2)"))
        self.people_button.setText(self.tr("People"))
        self.audit_button.setText(self.tr("Audit"))
        self.language_button.setText(
            self.tr("English (F7)") if i18n.current_language() == "zh" else self.tr("中文 (F7)")
        )
        self.lock_button.setText(self.tr("Lock (F11)"))
        self.quit_button.setText(self.tr("Quit (Ctrl+Q)"))
        self.operator_status.setText(self.tr("Operator: {0}").format(self.operator.name))
        self._show_printer()
        self._fill_tabs()
        self._fill_grid()
        self._show_cart()
        self.refresh_status()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._grid_columns() != self._columns:
            self._fill_grid()

    def _grid_columns(self) -> int:
        return max(2, self.grid_scroll.viewport().width() // GRID_CELL_WIDTH)

    # ---- catalogue ----------------------------------------------------------------------
    def reload_catalog(self) -> None:
        self.runner.read(self, catalog.list_products, False).done(self.set_products).failed(
            self.show_error
        )

    def set_products(self, products: Sequence[catalog.ProductView]) -> None:
        self.products = list(products)
        self.by_code = {}
        for product in self.products:
            goods = goods_of(product)
            self.by_code[product.plu] = goods
            if product.barcode:
                self.by_code[product.barcode] = goods
        self._fill_tabs()
        self._fill_grid()
        self.refresh_stock()

    def refresh_stock(self) -> None:
        """Stock on hand for the product buttons: after the catalogue, each sale, a timer.

        Read beside the ledger lane, so the next sale never queues behind it."""
        self._stock_read()

    def set_stock_levels(self, levels: Sequence[stock.StockLevel]) -> None:
        self.stock_levels = {level.plu: level for level in levels}
        for plu, button in self.product_buttons.items():
            goods = self.by_code.get(plu)
            if goods is not None:
                self._dress_button(button, goods)

    def _dress_button(self, button: QPushButton, goods: Goods) -> None:
        """Name, price, PLU and, once stock is tracked, what is left (tinted red when low)."""
        name = textwrap.fill(self._display_name(goods), 14)
        text = f"{name}\n¥{format_yuan(goods.unit_price_fen)}/{self._unit_text(goods)}\n{goods.plu}"
        level = self.stock_levels.get(goods.plu)
        categories = self._categories()
        colour = CATEGORY_COLOURS[
            (categories.index(goods.category) if goods.category in categories else 0)
            % len(CATEGORY_COLOURS)
        ]
        style = f"background:{colour};font-size:15px;"
        if level is not None and level.on_hand is not None:
            text += "\n" + self.tr("left {0} {1}").format(
                level.on_hand_text, unit_label(level.unit, i18n.current_language())
            )
            if level.low:
                style = "background:#ffcdd2;border:3px solid #c62828;font-size:15px;"
        # Unchanged buttons are left alone: a new style sheet restyles the whole button.
        if button.text() != text:
            button.setText(text)
        if button.styleSheet() != style:
            button.setStyleSheet(style)
        button.setProperty("low_stock", bool(level is not None and level.low))

    def _categories(self) -> list[str]:
        seen: list[str] = []
        for product in self.products:
            if product.category not in seen:
                seen.append(product.category)
        return seen

    def _fill_tabs(self) -> None:
        current = self.category_tabs.currentIndex()
        self.category_tabs.blockSignals(True)
        while self.category_tabs.count():
            self.category_tabs.removeTab(0)
        self.category_tabs.addTab(self.tr("All"))
        for category in self._categories():
            self.category_tabs.addTab(category or self.tr("Other"))
        self.category_tabs.setCurrentIndex(max(0, min(current, self.category_tabs.count() - 1)))
        self.category_tabs.blockSignals(False)

    def _display_name(self, goods: Goods) -> str:
        if i18n.current_language() == "en" and goods.name_en:
            return goods.name_en
        return goods.name_zh

    def _unit_text(self, goods: Goods) -> str:
        if goods.unit is PricingUnit.KG:
            return self.tr("kg")
        if goods.unit is PricingUnit.JIN:
            return self.tr("jin")
        label = goods.item_label_en if i18n.current_language() == "en" else goods.item_label_zh
        return label or self.tr("item")

    def _fill_grid(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.product_buttons = {}
        categories = self._categories()
        tab = self.category_tabs.currentIndex()
        wanted = categories[tab - 1] if 0 < tab <= len(categories) else None
        needle = self.search_edit.text().strip().lower()
        columns = self._columns = self._grid_columns()
        shown = 0
        for product in self.products:
            if wanted is not None and product.category != wanted:
                continue
            haystack = f"{product.plu} {product.name_zh} {product.name_en}".lower()
            if needle and needle not in haystack:
                continue
            goods = self.by_code[product.plu]
            button = QPushButton()
            self._dress_button(button, goods)
            button.setFixedHeight(104)
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, g=goods: self.tap_goods(g))
            self.grid.addWidget(button, shown // columns, shown % columns)
            self.product_buttons[product.plu] = button
            shown += 1
        self.grid.setRowStretch(shown // columns + 1, 1)

    def _focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    # ---- ringing up ---------------------------------------------------------------------
    def _code_entered(self) -> None:
        text = self.code_edit.text().strip()
        self.code_edit.clear()
        if not text:
            return
        count = 1
        if "*" in text:  # "3*201": three of PLU 201
            left, _, right = text.partition("*")
            if left.strip().isdigit():
                count, text = int(left), right.strip()
        goods = self.by_code.get(text)
        if goods is None:
            self.show_error(BadInput("unknown_plu", plu=text).message(i18n.current_language()))
            return
        if goods.unit.weighed:
            self.ask_weight(goods)
        else:
            self.add_goods(goods, Quantity.units(count))

    def tap_goods(self, goods: Goods) -> None:
        if goods.unit.weighed:
            self.ask_weight(goods)
        else:
            self.add_goods(goods, Quantity.units(1))

    def ask_weight(self, goods: Goods, line: int | None = None) -> None:
        from booth_pos.ui.weight_dialog import WeightDialog

        dialog = WeightDialog(
            self._display_name(goods),
            goods.unit,
            goods.unit_price_fen,
            self.settings.tare_presets,
            self,
        )

        def accepted() -> None:
            if line is None:
                self.add_goods(goods, dialog.result_quantity())
            else:
                self._set_line(line, dialog.result_quantity())

        self._open(dialog, accepted)

    def add_goods(self, goods: Goods, quantity: Quantity) -> None:
        try:
            row = self.cart.add(goods, quantity)
        except BadInput as exc:
            self.show_error(exc.message(i18n.current_language()))
            return
        self.banner.clear()
        self.cart_stack.setCurrentIndex(0)
        self._show_cart(select=row)

    def _set_line(self, index: int, quantity: Quantity) -> None:
        try:
            self.cart.set_quantity(index, quantity)
        except BadInput as exc:
            self.show_error(exc.message(i18n.current_language()))
            return
        self._show_cart(select=index)

    def edit_line(self, index: int) -> None:
        if not 0 <= index < len(self.cart.lines):
            return
        dialog = LineDialog(self, index)
        self._open(dialog, lambda: None)

    def remove_line(self, index: int) -> None:
        self.cart.remove(index)
        self._show_cart()

    def clear_cart(self) -> None:
        if self.paying:
            return
        self.cart.clear()
        self.override_pin = None
        self._show_cart()

    def quantity_text(self, goods: Goods, quantity: Quantity) -> str:
        if quantity.weighed:
            return self.tr("{0} kg").format(format_kg(quantity.amount))
        return f"{quantity.amount} {self._unit_text(goods)}"

    def _show_cart(self, select: int | None = None) -> None:
        self.cart_table.setRowCount(len(self.cart.lines))
        for row, line in enumerate(self.cart.lines):
            goods = line.goods
            cells = (
                self._display_name(goods),
                self.quantity_text(goods, line.quantity),
                f"¥{format_yuan(line.unit_price_fen)}/{self._unit_text(goods)}",
                f"¥{format_yuan(line.amount_fen)}",
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.cart_table.setItem(row, col, item)
        if select is not None:
            self.cart_table.selectRow(select)
        self.total_label.setText(self.tr("Total ¥{0}").format(format_yuan(self.cart.subtotal_fen)))
        self._update_pay_buttons()

    def _update_pay_buttons(self) -> None:
        ready = bool(self.cart.lines) and not self.paying
        total = self.cart.subtotal_fen
        self.pay_button.setEnabled(ready)
        self.exact_cash_button.setEnabled(ready)
        for yuan, button in self.quick_cash_buttons.items():
            button.setEnabled(ready and yuan * 100 >= total)

    # ---- paying -------------------------------------------------------------------------
    def quick_cash(self, amount_fen: int | None) -> None:
        """One tap: cash of this note (or exact), rung up at once, change shown large."""
        if not self.cart.lines or self.paying:
            return
        amount = self.cart.subtotal_fen if amount_fen is None else amount_fen
        if amount < self.cart.subtotal_fen:
            return
        self.ring_up((TenderIn(TenderMethod.CASH, amount),), RoundDown.NONE)

    def open_pay(self) -> None:
        if not self.cart.lines or self.paying:
            return
        from booth_pos.ui.pay_dialog import PayDialog

        dialog = PayDialog(
            self.cart.line_amounts,
            self.settings.allowed_round_downs(),
            self.settings.collection_qr,
            self,
        )
        self._open(
            dialog, lambda: self.ring_up(dialog.result_tenders(), dialog.result_round_down())
        )

    def ring_up(self, tenders: Sequence[TenderIn], rule: RoundDown) -> None:
        if self.paying:
            return
        self.paying = True
        self._update_pay_buttons()
        self.banner.setStyleSheet("")
        self.banner.setText(self.tr("Saving…"))
        self.runner.write(
            self,
            sales.ring_up,
            self.cart.cart_lines(),
            list(tenders),
            self.operator.name,
            rule,
            self.override_pin if self.cart.has_overrides else None,
        ).done(self._sale_done).failed(self._sale_failed)

    def _sale_done(self, view: sales.SaleView) -> None:
        self.paying = False
        self.last_sale = view
        self.override_pin = None
        self.cart.clear()
        self._show_cart()
        self.banner.setStyleSheet("color:#1b5e20;font-weight:bold;font-size:28px;")
        if view.change_fen:
            self.banner.setText(
                self.tr("Change ¥{0} · {1}").format(format_yuan(view.change_fen), view.receipt_no)
            )
        else:
            self.banner.setText(self.tr("Paid · {0}").format(view.receipt_no))
        self.code_edit.setFocus()
        if self.printer is not None:
            self.printer.wake()
        if self.sync is not None:
            self.sync.kick()
        self._preview_wanted = view.receipt_no
        # Drawn once the queue pauses: when the next customer's goods are tapped at once, the
        # picture would be hidden before it is shown, and drawing it costs the next sale time.
        QTimer.singleShot(PREVIEW_DELAY_MS, self, lambda: self._draw_receipt(view.receipt_no))
        self.sale_completed.emit(view)

    def _draw_receipt(self, receipt_no: str) -> None:
        if self.cart.lines or self._preview_wanted != receipt_no:
            return
        self.runner.io_read(self, self._receipt_png, receipt_no).done(self._show_receipt)

    def _receipt_png(self, session: Session, receipt_no: str) -> bytes | None:
        """On the I/O lane: the picture, unless a later sale has made it stale already."""
        if self._preview_wanted != receipt_no:
            return None
        return printing.receipt_preview_png(session, receipt_no)

    def _show_receipt(self, png: bytes | None) -> None:
        if png is None or self.cart.lines:
            return  # the next sale has already started
        pixmap = QPixmap()
        pixmap.loadFromData(png, "PNG")
        self.receipt_preview.setPixmap(pixmap)
        self.cart_stack.setCurrentIndex(1)

    def _sale_failed(self, message: str) -> None:
        self.paying = False
        self._update_pay_buttons()
        self.show_error(message)

    def show_error(self, message: str) -> None:
        self.banner.setStyleSheet("color:#b71c1c;font-weight:bold;")
        self.banner.setText(message)

    # ---- other screens ------------------------------------------------------------------
    def _open(self, dialog: QDialog, on_accept: object) -> None:
        self.active_dialog = dialog

        def finished(result: int) -> None:
            if self.active_dialog is dialog:
                self.active_dialog = None
            if result == QDialog.DialogCode.Accepted:
                on_accept()  # type: ignore[operator]
            self.code_edit.setFocus()
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def open_history(self) -> None:
        from booth_pos.ui.history import HistoryDialog

        dialog = HistoryDialog(self.runner, self, printer=self.printer)
        dialog.finished.connect(lambda _r: self.refresh_status())
        self._open(dialog, lambda: None)

    def open_settings(self) -> None:
        from booth_pos.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.runner, self, printer=self.printer, sync=self.sync)
        dialog.saved.connect(self.apply_settings)
        self._open(dialog, lambda: None)

    def open_coordinator(self) -> None:
        """Day end: shifts, stock, the X report and closing the day, behind the coordinator PIN."""
        if self.active_dialog is not None or self.paying:
            return
        from booth_pos.ui import people
        from booth_pos.ui.coordinator import CoordinatorDialog

        allowed = people.ask_coordinator_pin(
            self, self.runner, self.tr("Day end: shifts, stock, reports and closing the day.")
        )
        if allowed is None:
            return
        coordinator, pin = allowed
        dialog = CoordinatorDialog(
            self.runner, self, printer=self.printer, operator=coordinator.name, pin=pin
        )
        dialog.stock_changed.connect(self.refresh_stock)
        dialog.finished.connect(lambda _r: self.refresh_status())
        dialog.finished.connect(lambda _r: self.refresh_stock())
        self._open(dialog, lambda: None)

    def _ask_coordinator(self, purpose: str) -> str | None:
        """The coordinator's PIN for one of the coordinator's screens, or None."""
        if self.active_dialog is not None or self.paying:
            return None
        from booth_pos.ui import people

        allowed = people.ask_coordinator_pin(self, self.runner, purpose)
        return None if allowed is None else allowed[1]

    def open_catalog_editor(self) -> None:
        """Goods, households, prices and categories; the till reloads them afterwards."""
        pin = self._ask_coordinator(self.tr("Goods: products, prices, households and CSV."))
        if pin is None:
            return
        from booth_pos.ui.catalog_editor import CatalogEditorDialog

        dialog = CatalogEditorDialog(self.runner, self, pin=pin)
        dialog.finished.connect(lambda _r: self.reload_catalog())
        self._open(dialog, lambda: None)

    def open_people(self) -> None:
        pin = self._ask_coordinator(self.tr("People: add, deactivate, reset PINs and roles."))
        if pin is None:
            return
        from booth_pos.ui.people_admin import PeopleDialog

        self._open(PeopleDialog(self.runner, self, pin=pin), lambda: None)

    def open_audit(self) -> None:
        if self._ask_coordinator(self.tr("Read the audit trail.")) is None:
            return
        from booth_pos.ui.audit_view import AuditDialog

        self._open(AuditDialog(self.runner, self), lambda: None)

    def ask_quit(self) -> None:
        """Quit is for a coordinator: the till is the booth's record of the day."""
        if self._ask_coordinator(self.tr("Quit booth-pos on this laptop.")) is None:
            return
        self.quit_requested.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window quits the app; an unpaid cart is not dropped without a question."""
        if self.allow_close or not self.cart.lines:
            if not self.allow_close:
                event.ignore()
                self.quit_requested.emit()
                return
            super().closeEvent(event)
            return
        event.ignore()
        if self.quit_question is not None:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Quit"))
        box.setText(
            self.tr("The cart holds {0} unpaid line(s), ¥{1}. Quit and drop them?").format(
                len(self.cart.lines), format_yuan(self.cart.subtotal_fen)
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        self.quit_question = box

        def answered(_result: int) -> None:
            self.quit_question = None
            box.deleteLater()
            if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes:
                self.quit_requested.emit()

        box.finished.connect(answered)
        box.open()

    def apply_settings(self, settings: BoothSettings) -> None:
        self.settings = settings
        self._show_printer()
        if self.printer is not None:
            self.printer.retry_now()
        if settings.language != i18n.current_language():
            self.language_toggled.emit(settings.language)

    def toggle_language(self) -> None:
        self.language_toggled.emit("en" if i18n.current_language() == "zh" else "zh")

    def refresh_status(self) -> None:
        self._status_read()
        self._sync_read()

    def _ledger_changed(self, changes: frozenset[Change]) -> None:
        """The one place the till hears that something changed, by itself or elsewhere."""
        if changes & {
            Change.SALES,
            Change.SYNC,
            Change.OUTBOX,
            Change.PRINT,
            Change.SHIFT,
            Change.SETTINGS,
        }:
            self.refresh_status()
        if Change.CATALOG in changes:
            self.reload_catalog()
        elif Change.STOCK in changes:
            self.refresh_stock()

    def _sync_changed(self, state: sync_client.SyncStatus) -> None:
        self.sync_state = state
        self._show_sync()

    def _show_sync(self) -> None:
        """Enrolled or not, online or not: only what the last contact showed."""
        figures = self.status_figures
        self.sync_status.setText(
            county_text(self.sync_state, figures.unsynced if figures is not None else 0)
        )

    def _show_status(self, figures: status.TillStatus) -> None:
        self.status_figures = figures
        self._show_sync()
        self._show_printer()

    def _printer_changed(self, state: printing.PrinterState) -> None:
        self.printer_state = state
        self._show_printer()

    def _show_printer(self) -> None:
        """Only what is known: "not configured" until a printer is set, never a guess."""
        state = self.printer_state
        if self.settings.printer_uri == "none" or self.printer is None:
            self.printer_status.setText(self.tr("Printer: not configured"))
            return
        if state is None or state.state in ("unknown", "none"):
            text = self.tr("Printer: not checked yet")
        elif state.state == "online":
            text = self.tr("Printer: ready")
        elif state.state == "not_ready":
            text = self.tr("Printer: {0}").format(state.message(i18n.current_language()))
        else:
            text = self.tr("Printer: offline")
        figures = self.status_figures
        if figures is not None and figures.print_jobs_waiting:
            text += self.tr(" · {0} waiting").format(figures.print_jobs_waiting)
        if figures is not None and figures.print_jobs_failed:
            text += self.tr(" · {0} failed").format(figures.print_jobs_failed)
        self.printer_status.setText(text)


class LineDialog(QDialog):
    """Change or remove one cart line; a coordinator may set its price."""

    def __init__(self, till: TillWindow, index: int) -> None:
        super().__init__(till)
        self.till = till
        self.index = index
        self.coordinator_pin: str | None = None
        line = till.cart.lines[index]
        layout = QVBoxLayout(self)
        title = QLabel(
            f"{till._display_name(line.goods)} · "
            f"{till.quantity_text(line.goods, line.quantity)} · "
            f"¥{format_yuan(line.unit_price_fen)}/{till._unit_text(line.goods)}"
        )
        font = title.font()
        font.setPointSize(18)
        title.setFont(font)
        layout.addWidget(title)
        row = QHBoxLayout()
        self.minus_button = QPushButton(self.tr("− 1"))
        self.plus_button = QPushButton(self.tr("+ 1"))
        self.reweigh_button = QPushButton(self.tr("Weigh again"))
        self.price_button = QPushButton(self.tr("Change price…"))
        self.remove_button = QPushButton(self.tr("Remove (Del)"))
        self.close_button = QPushButton(self.tr("Done (Esc)"))
        weighed = line.goods.unit.weighed
        for button, show in (
            (self.minus_button, not weighed),
            (self.plus_button, not weighed),
            (self.reweigh_button, weighed),
            (self.price_button, True),
            (self.remove_button, True),
            (self.close_button, True),
        ):
            button.setMinimumHeight(BUTTON_HEIGHT)
            button.setVisible(show)
            row.addWidget(button)
        layout.addLayout(row)
        price_row = QHBoxLayout()
        self.price_edit = QLineEdit()
        self.price_edit.setMinimumHeight(48)
        self.price_edit.setPlaceholderText(self.tr("New price in yuan, e.g. 3.00"))
        self.price_edit.returnPressed.connect(self._apply_price)
        self.apply_price_button = QPushButton(self.tr("Apply price (Enter)"))
        self.apply_price_button.setMinimumHeight(BUTTON_HEIGHT)
        self.apply_price_button.clicked.connect(self._apply_price)
        price_row.addWidget(self.price_edit, 2)
        price_row.addWidget(self.apply_price_button, 1)
        self.price_host = QWidget()
        self.price_host.setLayout(price_row)
        self.price_host.setVisible(False)
        layout.addWidget(self.price_host)
        self.message = QLabel()
        self.message.setStyleSheet("color:#b71c1c;")
        layout.addWidget(self.message)
        self.minus_button.clicked.connect(lambda: self._step(-1))
        self.plus_button.clicked.connect(lambda: self._step(1))
        self.reweigh_button.clicked.connect(self._reweigh)
        self.price_button.clicked.connect(self._ask_price)
        self.remove_button.clicked.connect(self._remove)
        self.close_button.clicked.connect(self.accept)
        QShortcut(QKeySequence("Del"), self, self._remove)
        self.setWindowTitle(self.tr("Change line"))

    def _step(self, delta: int) -> None:
        line = self.till.cart.lines[self.index]
        new = line.quantity.amount + delta
        if new <= 0:
            self._remove()
            return
        self.till._set_line(self.index, Quantity.units(new))
        self.accept()

    def _reweigh(self) -> None:
        goods = self.till.cart.lines[self.index].goods
        self.accept()
        self.till.ask_weight(goods, line=self.index)

    def _ask_price(self) -> None:
        from booth_pos.ui import people

        allowed = people.ask_coordinator_pin(
            self, self.till.runner, self.tr("Change the price of this line for this sale only.")
        )
        if allowed is None:
            return
        self.coordinator_pin = allowed[1]
        self.price_host.setVisible(True)
        self.price_edit.setFocus()

    def _apply_price(self) -> None:
        if self.coordinator_pin is None:
            return
        try:
            price = parse_yuan(self.price_edit.text())
            self.till.cart.override_price(self.index, price)
        except BadInput as exc:
            self.message.setText(exc.message(i18n.current_language()))
            return
        self.till.override_pin = self.coordinator_pin
        self.till._show_cart(select=self.index)
        self.accept()

    def _remove(self) -> None:
        self.till.remove_line(self.index)
        self.accept()
