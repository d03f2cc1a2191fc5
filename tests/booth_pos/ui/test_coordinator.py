"""The coordinator's day-end screen driven like a coordinator would, against a real ledger."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from booth_pos.domain.cart import CartLine
from booth_pos.domain.errors import BadInput
from booth_pos.domain.pricing import TenderIn, TenderMethod
from booth_pos.services import auth, booth, dayend, sales, settings, shifts
from booth_pos.services.ledger import Ledger
from booth_pos.ui import coordinator, people
from booth_pos.ui.coordinator import BarChart, CoordinatorDialog
from booth_pos.ui.runner import OperationRunner
from booth_pos.ui.till import TillWindow
from tests.conftest import COORDINATOR_PIN, OPERATOR_PIN


def sell(ledger: Ledger, *items: tuple[str, str], cash_fen: int = 10_000) -> sales.SaleView:
    cart = [CartLine.parse(code, qty) for code, qty in items]
    return ledger.write(sales.ring_up, cart, [TenderIn(TenderMethod.CASH, cash_fen)], "李娜")


@pytest.fixture
def runner(ledger: Ledger) -> Iterator[OperationRunner]:
    runner = OperationRunner(ledger)
    yield runner
    runner.shutdown()


@pytest.fixture
def coordinator_pin(monkeypatch: pytest.MonkeyPatch, ledger: Ledger) -> list[str]:
    """The coordinator types their PIN whenever asked; records what for."""
    asked: list[str] = []
    who = ledger.read(auth.log_in, "张敏", COORDINATOR_PIN)

    def ask(_parent, _runner, purpose):
        asked.append(purpose)
        return who, COORDINATOR_PIN

    monkeypatch.setattr(people, "ask_coordinator_pin", ask)
    return asked


def open_dialog(qtbot: QtBot, runner: OperationRunner) -> CoordinatorDialog:
    dialog = CoordinatorDialog(runner, operator="张敏")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.report is not None and bool(dialog.levels))
    qtbot.waitUntil(lambda: not runner.busy)
    return dialog


def text_at(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return "" if item is None else item.text()


def idle(qtbot: QtBot, runner: OperationRunner) -> None:
    qtbot.waitUntil(lambda: not runner.busy)


def test_a_shift_opens_with_a_float_and_closes_with_a_count_and_its_variance(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner
) -> None:
    dialog = open_dialog(qtbot, runner)
    assert "No shift is open" in dialog.shift_status.text()
    dialog.float_edit.setText("200")
    dialog.open_shift_button.click()
    qtbot.waitUntil(lambda: dialog.shift is not None)
    assert "¥200.00" in dialog.shift_status.text()

    sell(ledger, ("301", "1"))  # ¥38 cash
    dialog.move_amount.setText("10")
    dialog.move_reason.setText("Bought bags")
    dialog.pay_out_button.click()
    idle(qtbot, runner)
    qtbot.waitUntil(lambda: dialog.shift is not None and dialog.shift.pay_outs_fen == 1000)
    assert dialog.shift is not None
    assert dialog.shift.expected_fen == 20_000 + 3_800 - 1_000

    dialog.set_count({10_000: 2, 1_000: 2, 500: 1, 100: 2})  # ¥227, ¥1 short
    assert "variance ¥-1.00" in dialog.count_label.text()
    dialog.close_shift_button.click()
    idle(qtbot, runner)
    qtbot.waitUntil(lambda: dialog.shift is None)
    assert "counted ¥227.00, variance ¥-1.00" in dialog.info.text()
    assert ledger.read(shifts.current_shift) is None


def test_received_stock_shows_on_the_till_button(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner
) -> None:
    operator = ledger.read(auth.log_in, "李娜", OPERATOR_PIN)
    till = TillWindow(
        runner, operator, ledger.read(booth.booth_info), ledger.read(settings.load_settings)
    )
    qtbot.addWidget(till)
    till.show()
    qtbot.waitUntil(lambda: "301" in till.product_buttons)
    idle(qtbot, runner)
    assert "left" not in till.product_buttons["301"].text()  # not tracked yet

    dialog = open_dialog(qtbot, runner)
    dialog.stock_changed.connect(till.refresh_stock)
    dialog.select_product("301")
    dialog.stock_qty.setText("12")
    dialog.receive_button.click()
    qtbot.waitUntil(lambda: "left 12 pcs" in till.product_buttons["301"].text())
    assert till.product_buttons["301"].property("low_stock") is False
    row = [level.plu for level in dialog.levels].index("301")
    qtbot.waitUntil(lambda: text_at(dialog.stock_table, row, 2) == "12 pcs")

    # Waste and a sale bring it down to the low-stock level: the button turns red.
    dialog.select_product("301")
    dialog.stock_qty.setText("2")
    dialog.waste_reason.setCurrentIndex(dialog.waste_reason.findData("spoiled"))
    dialog.waste_button.click()
    idle(qtbot, runner)
    sell(ledger, ("301", "5"), cash_fen=20_000)
    till.refresh_stock()
    qtbot.waitUntil(lambda: "left 5 pcs" in till.product_buttons["301"].text())
    assert till.product_buttons["301"].property("low_stock") is True

    # A count with a difference needs a reason.
    dialog.refresh_stock()
    idle(qtbot, runner)
    dialog.set_counted("301", "4")
    dialog.save_counts_button.click()
    idle(qtbot, runner)
    assert dialog.message.isVisible()
    dialog.count_reason.setText("Eaten by the cat")
    dialog.save_counts_button.click()
    idle(qtbot, runner)
    qtbot.waitUntil(lambda: "left 4 pcs" in till.product_buttons["301"].text())


def test_the_x_report_shows_the_sales_and_the_qr_variance_live(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner
) -> None:
    sell(ledger, ("301", "2"))
    sell(ledger, ("101", "1.5kg"))
    gross = sum(s.subtotal_fen for s in ledger.read(sales.list_sales))
    dialog = open_dialog(qtbot, runner)
    assert dialog.report is not None and dialog.report.gross_fen == gross
    assert f"Gross ¥{gross / 100:.2f}" in dialog.report_text.toPlainText()
    assert "X report" in dialog.report_text.toPlainText()
    assert dialog.product_chart.values and dialog.hour_chart.values == [gross]
    dialog.product_chart.grab()  # paints without error
    dialog.mobile_edit.setText("12.5")
    qtbot.waitUntil(lambda: "variance ¥12.50" in dialog.mobile_label.text())


def test_closing_the_day_makes_a_z_report_and_locks_the_day(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner, coordinator_pin: list[str]
) -> None:
    sell(ledger, ("301", "1"))  # ¥38 cash, no shift: the day's count is needed
    dialog = open_dialog(qtbot, runner)
    dialog.set_count({1_000: 3, 500: 1, 100: 3})
    dialog.close_day_button.click()
    qtbot.waitUntil(lambda: dialog.last_close is not None)
    assert coordinator_pin and "Close the day" in coordinator_pin[0]
    result = dialog.last_close
    assert result is not None and result.report.z_no == 1
    assert result.backup_path is not None and result.backup_path.exists()
    assert "Z report no. 1" in dialog.info.text()
    qtbot.waitUntil(lambda: "Z report no. 1" in dialog.report_text.toPlainText())
    assert not dialog.close_day_button.isEnabled()
    assert [c.z_no for c in ledger.read(dayend.list_closes)] == [1]
    with pytest.raises(BadInput):
        sell(ledger, ("301", "1"))


def test_an_operators_pin_cannot_close_the_day(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    operator = ledger.read(auth.log_in, "李娜", OPERATOR_PIN)
    monkeypatch.setattr(people, "ask_coordinator_pin", lambda *_a: (operator, OPERATOR_PIN))
    dialog = open_dialog(qtbot, runner)
    dialog.close_day_button.click()
    idle(qtbot, runner)
    qtbot.waitUntil(lambda: dialog.message.isVisible())
    assert dialog.last_close is None
    assert dialog.close_day_button.isEnabled()
    assert ledger.read(dayend.list_closes) == []


def test_exporting_csv_writes_a_bom(
    qtbot: QtBot,
    ledger: Ledger,
    runner: OperationRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sell(ledger, ("301", "1"))
    target = tmp_path / "x-report.csv"
    monkeypatch.setattr(coordinator, "ask_save_path", lambda *_a: str(target))
    dialog = open_dialog(qtbot, runner)
    dialog.csv_button.click()
    qtbot.waitUntil(lambda: dialog.exported is not None)
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "烧鸡" in data.decode("utf-8-sig")


def test_the_coordinator_sets_a_commission_rate(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner, coordinator_pin: list[str]
) -> None:
    dialog = open_dialog(qtbot, runner)
    dialog.select_household("H001")
    dialog.rate_edit.setText("7.5")
    dialog.set_rate_button.click()
    idle(qtbot, runner)
    rates = {r.household_code: r.rate_bp for r in ledger.read(dayend.list_commissions)}
    assert rates["H001"] == 750
    qtbot.waitUntil(lambda: "7.5" in text_at(dialog.rate_table, 0, 2))


def test_the_till_opens_day_end_behind_the_coordinator_pin(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    operator = ledger.read(auth.log_in, "李娜", OPERATOR_PIN)
    till = TillWindow(
        runner, operator, ledger.read(booth.booth_info), ledger.read(settings.load_settings)
    )
    qtbot.addWidget(till)
    till.show()
    monkeypatch.setattr(people, "ask_coordinator_pin", lambda *_a: None)
    till.day_end_button.click()
    assert till.active_dialog is None  # cancelled: nothing opens
    who = ledger.read(auth.log_in, "张敏", COORDINATOR_PIN)
    monkeypatch.setattr(people, "ask_coordinator_pin", lambda *_a: (who, COORDINATOR_PIN))
    till.day_end_button.click()
    assert isinstance(till.active_dialog, CoordinatorDialog)
    assert till.active_dialog.pin == COORDINATOR_PIN
    till.active_dialog.accept()
    idle(qtbot, runner)


def test_a_bar_chart_with_no_data_paints(qtbot: QtBot) -> None:
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.set_data("t", [], [])
    chart.grab()


def test_household_slips_and_the_report_print_from_day_end(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner
) -> None:
    from dataclasses import replace

    from booth_pos.services import printing
    from booth_pos.ui.workers import PrintBridge
    from tests.booth_pos.printing.escpos_decoder import decode
    from tests.booth_pos.printing.fake_printer import FakePrinter

    fake = FakePrinter()
    chosen = replace(
        ledger.read(settings.load_settings),
        printer_uri=fake.uri,
        printer_mode="gbk",
        printer_profile="xprinter-58",
    )
    ledger.write(settings.save_settings, chosen, COORDINATOR_PIN)
    bridge = PrintBridge(ledger, poll_interval=0.2)
    bridge.start()
    try:
        sell(ledger, ("101", "1kg"))
        sell(ledger, ("201", "1"))
        dialog = CoordinatorDialog(runner, operator="张敏", printer=bridge)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.report is not None)
        dialog.print_statements_button.click()
        dialog.print_report_button.click()
        # The clicks only ask the ledger lane to queue the slips: wait until they are queued
        # (else "nothing pending" holds before anything was queued), then until printed.
        idle(qtbot, runner)
        assert ledger.read(printing.list_jobs, ["pending", "printing", "done"])
        qtbot.waitUntil(
            lambda: not ledger.read(printing.list_jobs, ["pending", "printing"]), timeout=15_000
        )
        printed = "\n".join(decode(bytes(c)).text for c in fake.connections)
        assert "李桂兰" in printed and "王建国家庭农场" in printed  # one slip per household
        assert "￥" in printed
    finally:
        bridge.close()
        fake.close()
