"""The coordinator's catalogue editor: products, households, category order and CSV import.

Every write goes through the services in booth_pos/services/catalog_edit.py with the
coordinator's PIN (the till's, or asked for once and kept while the dialog is open).
All ledger work runs on the OperationRunner; this module holds no SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from booth_pos.domain.errors import BadInput
from booth_pos.domain.money import format_yuan, parse_yuan
from booth_pos.services import catalog, catalog_edit
from booth_pos.ui import coordinator, i18n, people
from booth_pos.ui.runner import OperationRunner
from booth_pos.ui.widgets import ResultFooter

UNITS = ("kg", "jin", "item")
HOUSEHOLD_KINDS = ("poverty_registered", "family_farm", "cooperative")


def ask_open_path(parent: QWidget | None, title: str, pattern: str) -> str | None:
    """Which file to read, or None if cancelled. Tests replace this."""
    path, _ = QFileDialog.getOpenFileName(parent, title, "", pattern)
    return path or None


def _read_text(path: str) -> str | None:
    """The file's text, or None if it cannot be read as UTF-8."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def _write_text(path: str, text: str) -> bool:
    try:
        Path(path).write_text(text, encoding="utf-8-sig")
    except OSError:
        return False
    return True


def _item(text: str, right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _local_time(at: dt.datetime) -> str:
    """A naive UTC moment as this machine's local time."""
    return at.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")


class CatalogEditorDialog(ResultFooter, QDialog):
    """Tabs: Products, Households, Categories, CSV import/export."""

    def __init__(
        self, runner: OperationRunner, parent: QWidget | None = None, pin: str | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.pin = pin
        self.products: list[catalog.ProductView] = []
        self.households: list[catalog_edit.HouseholdView] = []
        self.categories: list[str] = []
        self.history: list[catalog_edit.PriceChangeView] = []
        self.preview: catalog_edit.CsvPreview | None = None
        self.csv_text: str | None = None
        self.csv_path: str | None = None
        self.changed = False  # something was written; the till reloads its catalogue
        self.loaded = False
        self.setWindowTitle(self.tr("Goods and households (coordinator)"))
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._products_tab(), self.tr("Products"))
        self.tabs.addTab(self._households_tab(), self.tr("Households"))
        self.tabs.addTab(self._categories_tab(), self.tr("Categories"))
        self.tabs.addTab(self._csv_tab(), self.tr("CSV"))
        layout.addWidget(self.tabs, 1)
        self.build_footer(layout)
        self.resize(1000, 740)
        self.refresh()

    # ---- shared ---------------------------------------------------------------------------
    def refresh(self) -> None:
        self.runner.read(self, catalog_edit.list_households).done(self._show_households).failed(
            self.fail
        )
        self.runner.read(self, catalog.list_products, True).done(self._show_products).failed(
            self.fail
        )
        self.runner.read(self, catalog_edit.category_order).done(self._show_categories).failed(
            self.fail
        )

    def _bad(self, exc: BadInput) -> None:
        self.fail(exc.message(i18n.current_language()))

    def with_pin(self, action: Callable[[str], None]) -> None:
        """Run `action(pin)` with the coordinator's PIN, asking for it once if not given."""
        if self.pin is None:
            allowed = people.ask_coordinator_pin(
                self, self.runner, self.tr("Change the goods, households and prices.")
            )
            if allowed is None:
                return
            self.pin = allowed[1]
        action(self.pin)

    # ---- products -------------------------------------------------------------------------
    def _products_tab(self) -> QWidget:
        tab = QWidget()
        layout = QHBoxLayout(tab)
        left = QVBoxLayout()
        self.product_table = _table(9)
        self.product_table.itemSelectionChanged.connect(self._product_selected)
        left.addWidget(self.product_table, 1)
        layout.addLayout(left, 3)

        right = QVBoxLayout()
        form = QFormLayout()
        self.plu_edit = QLineEdit()
        self.name_zh_edit = QLineEdit()
        self.name_en_edit = QLineEdit()
        self.category_combo = QComboBox()
        self.category_combo.setEditable(True)
        self.unit_combo = QComboBox()
        for unit in UNITS:
            self.unit_combo.addItem(self._unit_label(unit), unit)
        self.price_edit = QLineEdit()
        self.price_edit.setPlaceholderText(self.tr("Yuan per unit, e.g. 6.80"))
        self.barcode_edit = QLineEdit()
        self.household_combo = QComboBox()
        self.colour_edit = QLineEdit()
        self.colour_edit.setPlaceholderText(self.tr("Button colour, e.g. #4a90d9 (optional)"))
        self.active_check = QCheckBox(self.tr("On sale"))
        self.active_check.setChecked(True)
        form.addRow(self.tr("PLU"), self.plu_edit)
        form.addRow(self.tr("Chinese name"), self.name_zh_edit)
        form.addRow(self.tr("English name"), self.name_en_edit)
        form.addRow(self.tr("Category"), self.category_combo)
        form.addRow(self.tr("Sold by"), self.unit_combo)
        form.addRow(self.tr("Price (yuan)"), self.price_edit)
        form.addRow(self.tr("Barcode"), self.barcode_edit)
        form.addRow(self.tr("Household"), self.household_combo)
        form.addRow(self.tr("Colour"), self.colour_edit)
        form.addRow("", self.active_check)
        right.addLayout(form)
        buttons = QHBoxLayout()
        self.new_product_button = people.touch_button(self.tr("New product"))
        self.new_product_button.clicked.connect(self.new_product)
        self.save_product_button = people.touch_button(self.tr("Save product"))
        self.save_product_button.clicked.connect(self.save_product)
        self.deactivate_button = people.touch_button(self.tr("Take off sale"))
        self.deactivate_button.clicked.connect(self.deactivate_product)
        buttons.addWidget(self.new_product_button)
        buttons.addWidget(self.save_product_button)
        buttons.addWidget(self.deactivate_button)
        right.addLayout(buttons)
        right.addWidget(QLabel(self.tr("Price history of this product")))
        self.history_list = QListWidget()
        right.addWidget(self.history_list, 1)
        layout.addLayout(right, 2)
        return tab

    def _unit_label(self, unit: str) -> str:
        labels = {"kg": self.tr("kg"), "jin": self.tr("jin (500 g)"), "item": self.tr("item")}
        return labels.get(unit, unit)

    def _source_label(self, source: str) -> str:
        labels = {"local": self.tr("set at the booth"), "county": self.tr("from the county")}
        return labels.get(source, source)

    def _kind_label(self, kind: str) -> str:
        labels = {
            "poverty_registered": self.tr("Poverty-registered household"),
            "family_farm": self.tr("Family farm"),
            "cooperative": self.tr("Cooperative"),
        }
        return labels.get(kind, kind)

    def _show_products(self, products: list[catalog.ProductView]) -> None:
        if not people.alive(self):
            return
        self.products = list(products)
        self.loaded = True
        table = self.product_table
        selected = self.selected_plu()
        table.blockSignals(True)
        table.setHorizontalHeaderLabels(
            [
                self.tr("PLU"),
                self.tr("Name"),
                self.tr("Category"),
                self.tr("Sold by"),
                self.tr("Price"),
                self.tr("Price from"),
                self.tr("Household"),
                self.tr("Barcode"),
                self.tr("On sale"),
            ]
        )
        table.setRowCount(len(self.products))
        for row, p in enumerate(self.products):
            name = p.name_zh if not p.name_en else f"{p.name_zh} / {p.name_en}"
            cells = (
                _item(p.plu),
                _item(name),
                _item(p.category),
                _item(self._unit_label(p.unit)),
                _item(f"¥{format_yuan(p.price_fen)}", right=True),
                _item(self._source_label(p.price_source)),
                _item(f"{p.household_code} {p.household_name}"),
                _item(p.barcode or ""),
                _item(self.tr("yes") if p.active else self.tr("no")),
            )
            for column, cell in enumerate(cells):
                table.setItem(row, column, cell)
        table.blockSignals(False)
        self._merge_categories()
        if selected is not None:
            self.select_product(selected)

    def selected_plu(self) -> str | None:
        rows = self.product_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.products):
            return None
        return self.products[rows[0].row()].plu

    def select_product(self, plu: str) -> None:
        for row, p in enumerate(self.products):
            if p.plu == plu:
                self.product_table.selectRow(row)
                self._product_selected()
                return

    def _product_selected(self) -> None:
        plu = self.selected_plu()
        if plu is None:
            return
        product = next(p for p in self.products if p.plu == plu)
        self.plu_edit.setText(product.plu)
        self.plu_edit.setReadOnly(True)
        self.name_zh_edit.setText(product.name_zh)
        self.name_en_edit.setText(product.name_en)
        self.category_combo.setCurrentText(product.category)
        self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(product.unit), 0))
        self.price_edit.setText(format_yuan(product.price_fen))
        self.barcode_edit.setText(product.barcode or "")
        self.colour_edit.setText(product.colour)
        index = self.household_combo.findData(product.household_code)
        self.household_combo.setCurrentIndex(max(index, 0))
        self.active_check.setChecked(product.active)
        self.load_history(product.plu)

    def new_product(self) -> None:
        self.product_table.clearSelection()
        for edit in (
            self.plu_edit,
            self.name_zh_edit,
            self.name_en_edit,
            self.price_edit,
            self.barcode_edit,
            self.colour_edit,
        ):
            edit.clear()
        self.plu_edit.setReadOnly(False)
        self.category_combo.setCurrentText("")
        self.unit_combo.setCurrentIndex(0)
        self.active_check.setChecked(True)
        self.history = []
        self.history_list.clear()
        self.plu_edit.setFocus()

    def load_history(self, plu: str) -> None:
        self.runner.read(self, catalog_edit.price_history, plu).done(self._show_history).failed(
            self.fail
        )

    def _show_history(self, history: list[catalog_edit.PriceChangeView]) -> None:
        if not people.alive(self):
            return
        self.history = list(history)
        self.history_list.clear()
        for change in self.history:
            old = "-" if change.old_fen is None else f"¥{format_yuan(change.old_fen)}"
            self.history_list.addItem(
                self.tr("{0}: {1} → {2} by {3} ({4})").format(
                    _local_time(change.at),
                    old,
                    f"¥{format_yuan(change.new_fen)}",
                    change.by,
                    self._source_label(change.source),
                )
            )

    def save_product(self) -> None:
        plu = self.plu_edit.text().strip()
        try:
            price_fen = parse_yuan(self.price_edit.text())
        except BadInput as exc:
            self._bad(exc)
            return
        household = self.household_combo.currentData()
        if household is None:
            self.fail(self.tr("Choose the household that supplies this product."))
            return
        args = (
            plu,
            self.name_zh_edit.text().strip(),
            self.name_en_edit.text().strip(),
            self.category_combo.currentText().strip(),
            str(self.unit_combo.currentData()),
            price_fen,
            str(household),
            self.barcode_edit.text().strip() or None,
            self.active_check.isChecked(),
            self.colour_edit.text().strip(),
        )

        def write(pin: str) -> None:
            self.runner.write(self, catalog_edit.save_product, pin, *args).done(
                self._product_saved
            ).failed(self.fail)

        self.with_pin(write)

    def _product_saved(self, product: catalog.ProductView) -> None:
        if not people.alive(self):
            return
        self.changed = True
        self.done_ok(
            self.tr("Saved {0} {1} at ¥{2}.").format(
                product.plu, product.name_zh, format_yuan(product.price_fen)
            )
        )
        self._reload_products(product.plu)

    def _reload_products(self, select: str | None) -> None:
        def shown(products: list[catalog.ProductView]) -> None:
            self._show_products(products)
            if select is not None and people.alive(self):
                self.select_product(select)

        self.runner.read(self, catalog.list_products, True).done(shown).failed(self.fail)
        self.runner.read(self, catalog_edit.category_order).done(self._show_categories).failed(
            self.fail
        )

    def deactivate_product(self) -> None:
        plu = self.selected_plu()
        if plu is None:
            self.fail(self.tr("Choose a product first."))
            return

        def write(pin: str) -> None:
            self.runner.write(self, catalog_edit.deactivate_product, pin, plu).done(
                lambda _r: self._deactivated(plu)
            ).failed(self.fail)

        self.with_pin(write)

    def _deactivated(self, plu: str) -> None:
        if not people.alive(self):
            return
        self.changed = True
        self.done_ok(self.tr("{0} is no longer on sale.").format(plu))
        self._reload_products(plu)

    # ---- households -----------------------------------------------------------------------
    def _households_tab(self) -> QWidget:
        tab = QWidget()
        layout = QHBoxLayout(tab)
        self.household_table = _table(5)
        self.household_table.itemSelectionChanged.connect(self._household_selected)
        layout.addWidget(self.household_table, 3)
        right = QVBoxLayout()
        form = QFormLayout()
        self.hh_code_edit = QLineEdit()
        self.hh_name_edit = QLineEdit()
        self.hh_village_edit = QLineEdit()
        self.hh_town_edit = QLineEdit()
        self.hh_kind_combo = QComboBox()
        for kind in HOUSEHOLD_KINDS:
            self.hh_kind_combo.addItem(self._kind_label(kind), kind)
        form.addRow(self.tr("Code"), self.hh_code_edit)
        form.addRow(self.tr("Name"), self.hh_name_edit)
        form.addRow(self.tr("Village"), self.hh_village_edit)
        form.addRow(self.tr("Town"), self.hh_town_edit)
        form.addRow(self.tr("Kind"), self.hh_kind_combo)
        right.addLayout(form)
        buttons = QHBoxLayout()
        self.new_household_button = people.touch_button(self.tr("New household"))
        self.new_household_button.clicked.connect(self.new_household)
        self.save_household_button = people.touch_button(self.tr("Save household"))
        self.save_household_button.clicked.connect(self.save_household)
        buttons.addWidget(self.new_household_button)
        buttons.addWidget(self.save_household_button)
        right.addLayout(buttons)
        right.addStretch(1)
        layout.addLayout(right, 2)
        return tab

    def _show_households(self, households: list[catalog_edit.HouseholdView]) -> None:
        if not people.alive(self):
            return
        self.households = list(households)
        table = self.household_table
        table.blockSignals(True)
        table.setHorizontalHeaderLabels(
            [self.tr("Code"), self.tr("Name"), self.tr("Village"), self.tr("Town"), self.tr("Kind")]
        )
        table.setRowCount(len(self.households))
        for row, h in enumerate(self.households):
            for column, text in enumerate(
                (h.code, h.name, h.village, h.town, self._kind_label(h.kind))
            ):
                table.setItem(row, column, _item(text))
        table.blockSignals(False)
        current = self.household_combo.currentData()
        self.household_combo.clear()
        for h in self.households:
            self.household_combo.addItem(f"{h.code} {h.name}", h.code)
        if current is not None:
            self.household_combo.setCurrentIndex(max(self.household_combo.findData(current), 0))

    def _household_selected(self) -> None:
        rows = self.household_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.households):
            return
        h = self.households[rows[0].row()]
        self.hh_code_edit.setText(h.code)
        self.hh_code_edit.setReadOnly(True)
        self.hh_name_edit.setText(h.name)
        self.hh_village_edit.setText(h.village)
        self.hh_town_edit.setText(h.town)
        self.hh_kind_combo.setCurrentIndex(max(self.hh_kind_combo.findData(h.kind), 0))

    def new_household(self) -> None:
        self.household_table.clearSelection()
        for edit in (self.hh_code_edit, self.hh_name_edit, self.hh_village_edit, self.hh_town_edit):
            edit.clear()
        self.hh_code_edit.setReadOnly(False)
        self.hh_kind_combo.setCurrentIndex(0)
        self.hh_code_edit.setFocus()

    def save_household(self) -> None:
        args = (
            self.hh_code_edit.text().strip(),
            self.hh_name_edit.text().strip(),
            self.hh_village_edit.text().strip(),
            self.hh_town_edit.text().strip(),
            str(self.hh_kind_combo.currentData()),
        )

        def write(pin: str) -> None:
            self.runner.write(self, catalog_edit.save_household, pin, *args).done(
                self._household_saved
            ).failed(self.fail)

        self.with_pin(write)

    def _household_saved(self, household: catalog_edit.HouseholdView) -> None:
        if not people.alive(self):
            return
        self.changed = True
        self.done_ok(self.tr("Saved household {0} {1}.").format(household.code, household.name))
        self.runner.read(self, catalog_edit.list_households).done(self._show_households).failed(
            self.fail
        )
        self._reload_products(self.selected_plu())

    # ---- categories -----------------------------------------------------------------------
    def _categories_tab(self) -> QWidget:
        tab = QWidget()
        layout = QHBoxLayout(tab)
        self.category_list = QListWidget()
        layout.addWidget(self.category_list, 1)
        buttons = QVBoxLayout()
        self.up_button = people.touch_button(self.tr("Move up"))
        self.up_button.clicked.connect(lambda: self.move_category(-1))
        self.down_button = people.touch_button(self.tr("Move down"))
        self.down_button.clicked.connect(lambda: self.move_category(1))
        self.save_order_button = people.touch_button(self.tr("Save order"))
        self.save_order_button.clicked.connect(self.save_category_order)
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_order_button)
        layout.addLayout(buttons)
        return tab

    def _show_categories(self, categories: list[str]) -> None:
        if not people.alive(self):
            return
        self.categories = list(categories)
        self._merge_categories()

    def _merge_categories(self) -> None:
        """The chosen order, then categories of products not yet in it (as the till shows)."""
        for p in self.products:
            if p.category and p.category not in self.categories:
                self.categories.append(p.category)
        row = self.category_list.currentRow()
        self.category_list.clear()
        self.category_list.addItems(self.categories)
        if 0 <= row < len(self.categories):
            self.category_list.setCurrentRow(row)
        self._fill_category_combo()

    def _fill_category_combo(self) -> None:
        text = self.category_combo.currentText()
        names = list(self.categories)
        self.category_combo.blockSignals(True)
        self.category_combo.clear()
        self.category_combo.addItems(names)
        self.category_combo.setCurrentText(text)
        self.category_combo.blockSignals(False)

    def move_category(self, step: int) -> None:
        row = self.category_list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < len(self.categories):
            return
        self.categories[row], self.categories[target] = (
            self.categories[target],
            self.categories[row],
        )
        self.category_list.clear()
        self.category_list.addItems(self.categories)
        self.category_list.setCurrentRow(target)

    def save_category_order(self) -> None:
        order = list(self.categories)

        def write(pin: str) -> None:
            self.runner.write(self, catalog_edit.set_category_order, pin, order).done(
                lambda _r: self._order_saved()
            ).failed(self.fail)

        self.with_pin(write)

    def _order_saved(self) -> None:
        if not people.alive(self):
            return
        self.changed = True
        self.done_ok(self.tr("The till shows the categories in this order."))
        self.runner.read(self, catalog_edit.category_order).done(self._show_categories).failed(
            self.fail
        )

    # ---- CSV ------------------------------------------------------------------------------
    def _csv_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        hint = QLabel(
            self.tr(
                "Choose a catalogue CSV file. Its rows are checked first; nothing is written "
                "until you press Import, and only if every row is good."
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        row = QHBoxLayout()
        self.choose_csv_button = people.touch_button(self.tr("Choose CSV file…"))
        self.choose_csv_button.clicked.connect(self.choose_csv)
        self.import_button = people.touch_button(self.tr("Import"))
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.import_csv)
        self.export_button = people.touch_button(self.tr("Export CSV…"))
        self.export_button.clicked.connect(self.export_csv)
        row.addWidget(self.choose_csv_button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        row.addWidget(self.export_button)
        layout.addLayout(row)
        self.csv_summary = QLabel()
        self.csv_summary.setWordWrap(True)
        layout.addWidget(self.csv_summary)
        layout.addWidget(QLabel(self.tr("Bad lines")))
        self.csv_errors = QListWidget()
        layout.addWidget(self.csv_errors, 1)
        return tab

    def choose_csv(self) -> None:
        path = ask_open_path(self, self.tr("Catalogue CSV"), self.tr("CSV files (*.csv)"))
        if path is None:
            return
        self.load_csv(path)

    def load_csv(self, path: str) -> None:
        self.preview = None
        self.csv_text = None
        self.csv_path = path
        self.import_button.setEnabled(False)
        self.csv_errors.clear()
        self.csv_summary.setText(self.tr("Checking {0}…").format(Path(path).name))
        self.runner.io(self, _read_text, path).done(self._csv_read).failed(self.fail)

    def _csv_read(self, text: str | None) -> None:
        if not people.alive(self):
            return
        if text is None:
            self._preview_failed(
                self.tr("That file cannot be read; save it as a UTF-8 CSV and try again.")
            )
            return
        self.runner.read(self, catalog_edit.preview_catalog_csv, text).done(
            lambda preview: self._show_preview(text, preview)
        ).failed(self._preview_failed)

    def _preview_failed(self, message: str) -> None:
        if not people.alive(self):
            return
        self.csv_summary.setText("")
        self.fail(message)

    def _show_preview(self, text: str, preview: catalog_edit.CsvPreview) -> None:
        if not people.alive(self):
            return
        self.preview = preview
        self.csv_text = text
        self.csv_errors.clear()
        self.csv_errors.addItems(list(preview.errors))
        summary = self.tr(
            "{0} households, {1} new products, {2} changed products, {3} bad lines."
        ).format(
            preview.households,
            preview.products_new,
            preview.products_changed,
            len(preview.errors),
        )
        if preview.errors:
            summary += " " + self.tr("Fix the bad lines and choose the file again.")
        self.csv_summary.setText(summary)
        self.import_button.setEnabled(not preview.errors)

    def import_csv(self) -> None:
        text = self.csv_text
        if text is None or self.preview is None or self.preview.errors:
            return

        def write(pin: str) -> None:
            self.import_button.setEnabled(False)
            self.runner.write(self, catalog_edit.import_catalog_csv, pin, text).done(
                self._imported
            ).failed(self._import_failed)

        self.with_pin(write)

    def _import_failed(self, message: str) -> None:
        if not people.alive(self):
            return
        self.import_button.setEnabled(self.csv_text is not None)
        self.fail(message)

    def _imported(self, result: catalog.ImportResult) -> None:
        if not people.alive(self):
            return
        self.changed = True
        self.preview = None
        self.csv_text = None
        self.done_ok(
            self.tr("Imported: {0} households, {1} products added, {2} updated.").format(
                result.households, result.products_added, result.products_updated
            )
        )
        self.refresh()

    def export_csv(self) -> None:
        path = coordinator.ask_save_path(
            self, self.tr("Export the catalogue"), self.tr("CSV files (*.csv)")
        )
        if path is None:
            return

        def got(products: list[catalog.ProductView]) -> None:
            self.runner.io(self, _write_text, path, catalog.catalog_csv(products)).done(
                lambda ok: self._exported(path, bool(ok))
            ).failed(self.fail)

        self.runner.read(self, catalog.list_products, True).done(got).failed(self.fail)

    def _exported(self, path: str, ok: bool) -> None:
        if not people.alive(self):
            return
        if ok:
            self.done_ok(self.tr("Catalogue written to {0}.").format(path))
        else:
            self.fail(self.tr("The file could not be written: {0}").format(path))
