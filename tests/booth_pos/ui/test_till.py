"""The till driven like an operator would: taps, scans and keys on real widgets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from pytestqt.qtbot import QtBot

from booth_pos.domain.quantity import Quantity
from booth_pos.services import auth, catalog, sales, settings
from booth_pos.services.ledger import Ledger
from booth_pos.ui import i18n
from booth_pos.ui.runner import OperationRunner
from booth_pos.ui.till import LineDialog, TillWindow
from tests.helpers import row_counts


@pytest.fixture
def runner(ledger: Ledger) -> Iterator[OperationRunner]:
    runner = OperationRunner(ledger)
    yield runner
    runner.shutdown()


@pytest.fixture
def till(qtbot: QtBot, ledger: Ledger, runner: OperationRunner) -> TillWindow:
    i18n.set_language("zh")
    operator = ledger.read(auth.log_in, "李娜", "1111")
    from booth_pos.services import booth

    window = TillWindow(
        runner, operator, ledger.read(booth.booth_info), ledger.read(settings.load_settings)
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "201" in window.product_buttons)
    return window


def wait_idle(qtbot: QtBot, runner: OperationRunner) -> None:
    qtbot.waitUntil(lambda: not runner.busy)


def test_tapping_goods_and_a_cash_note_rings_up_the_sale(
    qtbot: QtBot, till: TillWindow, ledger: Ledger, runner: OperationRunner
) -> None:
    qtbot.mouseClick(till.product_buttons["201"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(till.product_buttons["201"], Qt.MouseButton.LeftButton)
    assert till.cart_table.rowCount() == 1
    assert "90.00" in till.total_label.text()
    assert not till.quick_cash_buttons[50].isEnabled()  # ¥50 does not cover ¥90
    qtbot.mouseClick(till.quick_cash_buttons[100], Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)
    assert till.cart_table.rowCount() == 0
    assert "10.00" in till.banner.text() and "LX01-000001" in till.banner.text()
    saved = ledger.read(sales.show_sale, "LX01-000001")
    assert saved.total_fen == 9000 and saved.change_fen == 1000
    assert saved.operator_name == "李娜"


def test_a_scanned_barcode_adds_the_product(qtbot: QtBot, till: TillWindow) -> None:
    qtbot.keyClicks(till.code_edit, "6975123400010")
    qtbot.keyClick(till.code_edit, Qt.Key.Key_Return)
    assert till.cart.lines[0].goods.plu == "201"
    qtbot.keyClicks(till.code_edit, "3*301")
    qtbot.keyClick(till.code_edit, Qt.Key.Key_Return)
    assert till.cart.lines[1].quantity.amount == 3


def test_an_unknown_code_says_so_and_adds_nothing(qtbot: QtBot, till: TillWindow) -> None:
    qtbot.keyClicks(till.code_edit, "99999")
    qtbot.keyClick(till.code_edit, Qt.Key.Key_Return)
    assert till.cart.lines == []
    assert "99999" in till.banner.text() and "未知" in till.banner.text()


def test_a_double_tap_on_pay_records_one_sale(
    qtbot: QtBot, till: TillWindow, ledger: Ledger, runner: OperationRunner
) -> None:
    till.tap_goods(till.by_code["301"])
    till.quick_cash(None)
    till.quick_cash(None)  # second tap while the first is being written
    wait_idle(qtbot, runner)
    assert row_counts(ledger.db_path)["sales"] == 1


def test_a_database_error_during_pay_shows_a_message_and_keeps_the_cart(
    qtbot: QtBot,
    till: TillWindow,
    ledger: Ledger,
    runner: OperationRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    till.tap_goods(till.by_code["301"])

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError("database or disk is full")

    monkeypatch.setattr(sales, "ring_up", disk_full)
    till.quick_cash(5000)
    wait_idle(qtbot, runner)
    assert len(till.cart.lines) == 1
    assert "OSError" in till.banner.text()
    assert "Traceback" not in till.banner.text()
    assert till.pay_button.isEnabled()
    assert row_counts(ledger.db_path)["sales"] == 0


def test_tapping_a_cart_line_changes_or_removes_it(qtbot: QtBot, till: TillWindow) -> None:
    till.tap_goods(till.by_code["401"])
    till.edit_line(0)
    dialog = till.active_dialog
    assert isinstance(dialog, LineDialog)
    qtbot.mouseClick(dialog.plus_button, Qt.MouseButton.LeftButton)
    assert till.cart.lines[0].quantity.amount == 2
    till.edit_line(0)
    dialog = till.active_dialog
    assert isinstance(dialog, LineDialog)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert till.cart.lines == []


def test_search_and_category_tabs_narrow_the_grid(qtbot: QtBot, till: TillWindow) -> None:
    till.search_edit.setText("蜜")
    assert set(till.product_buttons) == {"201", "202"}
    till.search_edit.clear()
    tabs = [till.category_tabs.tabText(i) for i in range(till.category_tabs.count())]
    till.category_tabs.setCurrentIndex(tabs.index("菌菇"))
    assert set(till.product_buttons) == {"601", "602"}


def test_the_english_switch_shows_english(qtbot: QtBot, till: TillWindow) -> None:
    assert "合计" in till.total_label.text()
    i18n.set_language("en")
    try:
        till.retranslate()
        assert till.total_label.text().startswith("Total")
        assert "Lotus root" in till.product_buttons["101"].text()
        assert till.pay_button.text() == "Pay… (F12)"
    finally:
        i18n.set_language("zh")
        till.retranslate()
    assert "付款" in till.pay_button.text()


def test_the_bundled_font_draws_every_demo_product_name(qtbot: QtBot, ledger: Ledger) -> None:
    family = i18n.register_fonts()
    assert family is not None
    metrics = QFontMetrics(QFont(family))
    names = [p.name_zh for p in ledger.read(catalog.list_products)]
    missing = [ch for name in names for ch in name if not metrics.inFontUcs4(ord(ch))]
    assert missing == []


def test_status_bar_tells_the_truth(
    qtbot: QtBot, till: TillWindow, runner: OperationRunner
) -> None:
    till.tap_goods(till.by_code["301"])
    till.quick_cash(None)
    wait_idle(qtbot, runner)
    wait_idle(qtbot, runner)
    qtbot.waitUntil(lambda: "1" in till.sync_status.text())
    assert "未配置" in till.printer_status.text()
    assert "李娜" in till.operator_status.text()


def test_a_whole_sale_by_taps_and_keys(
    qtbot: QtBot, till: TillWindow, ledger: Ledger, runner: OperationRunner
) -> None:
    """Lotus root weighed in jin, a jar of honey, cash with change: the everyday sale."""
    from booth_pos.domain.quantity import WeightUnit
    from booth_pos.ui.pay_dialog import PayDialog
    from booth_pos.ui.weight_dialog import WeightDialog

    qtbot.mouseClick(till.product_buttons["101"], Qt.MouseButton.LeftButton)
    weigh = till.active_dialog
    assert isinstance(weigh, WeightDialog)
    qtbot.mouseClick(weigh.unit_buttons[WeightUnit.JIN], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(weigh, "2.5")
    assert "8.75" in weigh.amount_label.text()
    qtbot.keyClick(weigh, Qt.Key.Key_Return)
    assert till.active_dialog is None
    qtbot.mouseClick(till.product_buttons["201"], Qt.MouseButton.LeftButton)
    assert "53.75" in till.total_label.text()

    qtbot.keyClick(till, Qt.Key.Key_F12)
    pay = till.active_dialog
    assert isinstance(pay, PayDialog)
    qtbot.keyClicks(pay, "100")
    assert "46.25" in pay.change_label.text()
    qtbot.keyClick(pay, Qt.Key.Key_Return)
    wait_idle(qtbot, runner)

    assert till.cart.lines == []
    assert "46.25" in till.banner.text()
    sale = ledger.read(sales.show_sale, "LX01-000001")
    assert [(line.plu, line.quantity) for line in sale.lines] == [("101", 1250), ("201", 1)]
    assert (sale.total_fen, sale.change_fen) == (5375, 4625)


def test_a_weighed_item_and_a_cash_note_take_three_taps(
    qtbot: QtBot, till: TillWindow, ledger: Ledger, runner: OperationRunner
) -> None:
    from booth_pos.ui.weight_dialog import WeightDialog

    taps = 0

    def tap(button: object) -> None:
        nonlocal taps
        taps += 1
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    tap(till.product_buttons["601"])  # fresh shiitake, per jin
    weigh = till.active_dialog
    assert isinstance(weigh, WeightDialog)
    qtbot.keyClicks(weigh, "2")  # digits do not count as taps
    tap(weigh.ok_button)
    tap(till.quick_cash_buttons[50])
    wait_idle(qtbot, runner)
    assert taps <= 4
    assert ledger.read(sales.show_sale, "LX01-000001").total_fen == 2400
    assert "26.00" in till.banner.text()


def test_a_tender_below_the_total_cannot_be_confirmed(
    qtbot: QtBot, till: TillWindow, ledger: Ledger
) -> None:
    from booth_pos.ui.pay_dialog import PayDialog

    till.tap_goods(till.by_code["202"])
    assert not till.quick_cash_buttons[50].isEnabled()
    till.open_pay()
    pay = till.active_dialog
    assert isinstance(pay, PayDialog)
    qtbot.keyClicks(pay, "50")
    assert not pay.confirm_button.isEnabled()
    qtbot.keyClick(pay, Qt.Key.Key_Return)
    assert row_counts(ledger.db_path)["sales"] == 0
    assert len(till.cart.lines) == 1


def test_a_coordinator_changes_a_line_price_and_an_operator_cannot(
    qtbot: QtBot,
    till: TillWindow,
    ledger: Ledger,
    runner: OperationRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from booth_pos.services.auth import OperatorView
    from booth_pos.ui import people

    till.add_goods(till.by_code["101"], Quantity.grams(1000))
    monkeypatch.setattr(people, "ask_coordinator_pin", lambda *_a: None)  # wrong PIN, gave up
    till.edit_line(0)
    dialog = till.active_dialog
    assert isinstance(dialog, LineDialog)
    qtbot.mouseClick(dialog.price_button, Qt.MouseButton.LeftButton)
    assert not dialog.price_host.isVisibleTo(dialog)
    dialog.accept()

    coordinator = OperatorView(1, "张敏", "coordinator")
    monkeypatch.setattr(people, "ask_coordinator_pin", lambda *_a: (coordinator, "8888"))
    till.edit_line(0)
    dialog = till.active_dialog
    assert isinstance(dialog, LineDialog)
    qtbot.mouseClick(dialog.price_button, Qt.MouseButton.LeftButton)
    dialog.price_edit.setText("3.00")
    qtbot.mouseClick(dialog.apply_price_button, Qt.MouseButton.LeftButton)
    assert "6.00" in till.total_label.text()
    till.quick_cash(None)
    wait_idle(qtbot, runner)
    sale = ledger.read(sales.show_sale, "LX01-000001")
    assert (sale.total_fen, sale.lines[0].override_by) == (600, "张敏")
