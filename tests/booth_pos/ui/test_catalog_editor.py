"""The catalogue editor driven like a coordinator would, against a real ledger."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from booth_pos.domain.cart import CartLine
from booth_pos.domain.pricing import TenderIn, TenderMethod
from booth_pos.services import auth, catalog, sales
from booth_pos.services.ledger import Ledger
from booth_pos.ui import catalog_editor, people
from booth_pos.ui.catalog_editor import CatalogEditorDialog
from booth_pos.ui.runner import OperationRunner
from tests.conftest import COORDINATOR_PIN


def sell(ledger: Ledger, plu: str) -> sales.SaleView:
    cart = [CartLine.parse(plu, "1")]
    return ledger.write(sales.ring_up, cart, [TenderIn(TenderMethod.CASH, 100_000)], "李娜")


@pytest.fixture
def runner(ledger: Ledger) -> Iterator[OperationRunner]:
    runner = OperationRunner(ledger)
    yield runner
    runner.shutdown()


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch, ledger: Ledger) -> list[str]:
    asked: list[str] = []
    who = ledger.read(auth.log_in, "张敏", COORDINATOR_PIN)

    def ask(_parent, _runner, purpose):
        asked.append(purpose)
        return who, COORDINATOR_PIN

    monkeypatch.setattr(people, "ask_coordinator_pin", ask)
    return asked


def idle(qtbot: QtBot, runner: OperationRunner) -> None:
    qtbot.waitUntil(lambda: not runner.busy)


def open_editor(
    qtbot: QtBot, runner: OperationRunner, pin: str | None = None
) -> CatalogEditorDialog:
    dialog = CatalogEditorDialog(runner, pin=pin)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded and bool(dialog.households))
    idle(qtbot, runner)
    return dialog


def item_product(ledger: Ledger) -> catalog.ProductView:
    return next(
        p for p in ledger.read(catalog.list_products, False) if p.unit == "item" and p.active
    )


def test_a_new_price_charges_the_next_sale_and_keeps_the_last_one(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner, asked: list[str]
) -> None:
    product = item_product(ledger)
    before = sell(ledger, product.plu)
    dialog = open_editor(qtbot, runner)
    dialog.select_product(product.plu)
    assert dialog.price_edit.text() == f"{product.price_fen // 100}.{product.price_fen % 100:02d}"
    new_fen = product.price_fen + 150
    dialog.price_edit.setText(f"{new_fen // 100}.{new_fen % 100:02d}")
    dialog.save_product_button.click()
    idle(qtbot, runner)
    qtbot.waitUntil(lambda: "Saved" in dialog.info.text())
    idle(qtbot, runner)
    assert not dialog.message.isVisible()
    assert dialog.changed
    assert len(asked) == 1  # asked once, kept for the dialog's life

    after = sell(ledger, product.plu)
    assert after.total_fen == new_fen
    assert ledger.read(sales.show_sale, before.receipt_no).total_fen == product.price_fen

    qtbot.waitUntil(lambda: len(dialog.history) >= 1)
    shown = [dialog.history_list.item(i).text() for i in range(dialog.history_list.count())]
    old_text = f"¥{product.price_fen // 100}.{product.price_fen % 100:02d}"
    new_text = f"¥{new_fen // 100}.{new_fen % 100:02d}"
    assert any(old_text in line and new_text in line for line in shown), shown

    # A second save in the same dialog does not ask again.
    dialog.name_en_edit.setText("Renamed")
    dialog.save_product_button.click()
    idle(qtbot, runner)
    assert len(asked) == 1


def test_a_bad_price_is_refused_before_anything_is_written(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner
) -> None:
    product = item_product(ledger)
    dialog = open_editor(qtbot, runner, pin=COORDINATOR_PIN)
    dialog.select_product(product.plu)
    dialog.price_edit.setText("abc")
    dialog.save_product_button.click()
    idle(qtbot, runner)
    assert dialog.message.isVisible()
    again = next(p for p in ledger.read(catalog.list_products) if p.plu == product.plu)
    assert again.price_fen == product.price_fen


def test_deactivating_takes_the_product_off_sale(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner
) -> None:
    product = item_product(ledger)
    dialog = open_editor(qtbot, runner, pin=COORDINATOR_PIN)
    dialog.select_product(product.plu)
    dialog.deactivate_button.click()
    idle(qtbot, runner)
    qtbot.waitUntil(lambda: "no longer on sale" in dialog.info.text())
    idle(qtbot, runner)
    again = next(p for p in ledger.read(catalog.list_products) if p.plu == product.plu)
    assert not again.active


def test_a_bad_csv_names_the_bad_line_and_cannot_be_imported(
    qtbot: QtBot,
    ledger: Ledger,
    runner: OperationRunner,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    before = ledger.read(catalog.list_products)
    path = tmp_path / "bad.csv"
    path.write_text(
        "plu,name_zh,unit,price,household_code,household_name,household_kind\n"
        "901,新藕,item,5.00,H001,李桂兰,poverty_registered\n"
        "902,坏行,furlong,-3,H001,李桂兰,poverty_registered\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(catalog_editor, "ask_open_path", lambda *_a: str(path))
    dialog = open_editor(qtbot, runner, pin=COORDINATOR_PIN)
    dialog.choose_csv_button.click()
    qtbot.waitUntil(lambda: dialog.preview is not None)
    idle(qtbot, runner)
    errors = [dialog.csv_errors.item(i).text() for i in range(dialog.csv_errors.count())]
    assert errors and any("3" in line for line in errors), errors
    assert "bad lines" in dialog.csv_summary.text()
    assert not dialog.import_button.isEnabled()
    dialog.import_csv()  # even if called, nothing happens
    idle(qtbot, runner)
    assert ledger.read(catalog.list_products) == before


def test_a_good_csv_is_previewed_then_imported(
    qtbot: QtBot,
    ledger: Ledger,
    runner: OperationRunner,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    path = tmp_path / "good.csv"
    path.write_text(
        "plu,name_zh,unit,price,household_code,household_name,household_kind\n"
        "901,新藕,item,5.00,H001,李桂兰,poverty_registered\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(catalog_editor, "ask_open_path", lambda *_a: str(path))
    dialog = open_editor(qtbot, runner, pin=COORDINATOR_PIN)
    dialog.choose_csv_button.click()
    qtbot.waitUntil(lambda: dialog.preview is not None)
    assert dialog.preview is not None and dialog.preview.products_new == 1
    idle(qtbot, runner)
    assert not any(p.plu == "901" for p in ledger.read(catalog.list_products))
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: "Imported" in dialog.info.text())
    idle(qtbot, runner)
    assert any(p.plu == "901" for p in ledger.read(catalog.list_products))


def test_a_household_is_added_and_offered_for_products(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner
) -> None:
    dialog = open_editor(qtbot, runner, pin=COORDINATOR_PIN)
    dialog.new_household()
    dialog.hh_code_edit.setText("H099")
    dialog.hh_name_edit.setText("刘大姐")
    dialog.hh_village_edit.setText("后湖村")
    dialog.hh_town_edit.setText("莲花镇")
    dialog.save_household_button.click()
    qtbot.waitUntil(lambda: any(h.code == "H099" for h in dialog.households))
    assert dialog.household_combo.findData("H099") >= 0


def test_categories_are_reordered(qtbot: QtBot, ledger: Ledger, runner: OperationRunner) -> None:
    from booth_pos.services import catalog_edit

    dialog = open_editor(qtbot, runner, pin=COORDINATOR_PIN)
    qtbot.waitUntil(lambda: len(dialog.categories) >= 2)
    first, second = dialog.categories[:2]
    dialog.category_list.setCurrentRow(1)
    dialog.up_button.click()
    assert dialog.categories[:2] == [second, first]
    dialog.save_order_button.click()
    qtbot.waitUntil(lambda: "order" in dialog.info.text())
    idle(qtbot, runner)
    assert ledger.read(catalog_edit.category_order)[:2] == [second, first]


def test_the_till_opens_the_editor_behind_the_pin_and_reloads_after(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner, asked: list[str]
) -> None:
    from booth_pos.services import booth, settings
    from booth_pos.ui.audit_view import AuditDialog
    from booth_pos.ui.people_admin import PeopleDialog
    from booth_pos.ui.till import TillWindow
    from tests.conftest import OPERATOR_PIN

    operator = ledger.read(auth.log_in, "李娜", OPERATOR_PIN)
    till = TillWindow(
        runner, operator, ledger.read(booth.booth_info), ledger.read(settings.load_settings)
    )
    qtbot.addWidget(till)
    till.show()
    qtbot.waitUntil(lambda: bool(till.products))
    idle(qtbot, runner)
    product = item_product(ledger)

    till.goods_button.click()
    assert len(asked) == 1
    dialog = till.active_dialog
    assert isinstance(dialog, CatalogEditorDialog) and dialog.pin == COORDINATOR_PIN
    qtbot.waitUntil(lambda: dialog.loaded and bool(dialog.households))
    idle(qtbot, runner)
    dialog.select_product(product.plu)
    dialog.price_edit.setText("99.00")
    dialog.save_product_button.click()
    qtbot.waitUntil(lambda: "Saved" in dialog.info.text())
    idle(qtbot, runner)
    dialog.close_button.click()
    qtbot.waitUntil(lambda: till.active_dialog is None)
    qtbot.waitUntil(
        lambda: any(p.plu == product.plu and p.price_fen == 9900 for p in till.products)
    )

    till.people_button.click()
    assert isinstance(till.active_dialog, PeopleDialog)
    till.active_dialog.close_button.click()
    qtbot.waitUntil(lambda: till.active_dialog is None)
    till.audit_button.click()
    assert isinstance(till.active_dialog, AuditDialog)
    assert len(asked) == 3
    idle(qtbot, runner)
