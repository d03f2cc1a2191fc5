"""Sales history: today's receipts, their details, and voids / refunds with a coordinator."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from booth_pos.domain.cart import CartLine
from booth_pos.domain.pricing import TenderIn, TenderMethod
from booth_pos.services import sales
from booth_pos.services.ledger import Ledger
from booth_pos.store.models import Sale
from booth_pos.ui import history, i18n, people
from booth_pos.ui.history import HistoryDialog, local_midnight_utc
from booth_pos.ui.runner import OperationRunner
from tests.booth_pos.ui.test_people import pin_typist, said
from tests.conftest import COORDINATOR_PIN, OPERATOR_PIN

RECEIPT, TIME, TOTAL, OPERATOR, STATUS = range(5)


def item(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    found = table.item(row, column)
    assert found is not None, (row, column)
    return found


def sell(ledger: Ledger, *items: tuple[str, str], operator: str = "李娜") -> sales.SaleView:
    cart = [CartLine.parse(code, qty) for code, qty in items]
    return ledger.write(sales.ring_up, cart, [TenderIn(TenderMethod.CASH, 100_000)], operator)


@pytest.fixture
def runner(ledger: Ledger) -> Iterator[OperationRunner]:
    runner = OperationRunner(ledger)
    yield runner
    runner.shutdown()


@pytest.fixture
def reason(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answers the reason prompt as the operator would; records what it was asked."""
    asked: list[str] = []

    def answer(_parent, purpose):
        asked.append(purpose)
        return "Rung up by mistake"

    monkeypatch.setattr(history, "ask_reason", answer)
    return asked


def open_history(qtbot: QtBot, runner: OperationRunner, rows: int) -> HistoryDialog:
    dialog = HistoryDialog(runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == rows)
    return dialog


def cell(dialog: HistoryDialog, row: int, column: int) -> str:
    return item(dialog.table, row, column).text()


def column(dialog: HistoryDialog, col: int) -> list[str]:
    return [cell(dialog, row, col) for row in range(dialog.table.rowCount())]


def select(qtbot: QtBot, dialog: HistoryDialog, receipt_no: str) -> None:
    row = [s.receipt_no for s in dialog.sales].index(receipt_no)
    rect = dialog.table.visualItemRect(item(dialog.table, row, RECEIPT))
    QTest.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(
        lambda: dialog.selected is not None and dialog.selected.receipt_no == receipt_no
    )


def test_history_lists_todays_sales_newest_first(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner
) -> None:
    old = sell(ledger, ("301", "1"))
    sell(ledger, ("301", "1"), operator="赵磊")
    sell(ledger, ("201", "2"), ("101", "1kg"))
    two_days_ago = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=2)
    ledger.write(
        lambda s: s.execute(
            update(Sale).where(Sale.id == old.sale_id).values(occurred_at=two_days_ago)
        )
    )
    dialog = open_history(qtbot, runner, rows=2)
    assert column(dialog, RECEIPT) == ["LX01-000003", "LX01-000002"]
    assert column(dialog, TOTAL) == ["¥97.00", "¥38.00"]  # 2 x 45.00 + 2 jin x 3.50
    assert column(dialog, OPERATOR) == ["李娜", "赵磊"]
    assert all(re.fullmatch(r"\d\d:\d\d:\d\d", t) for t in column(dialog, TIME))
    assert column(dialog, STATUS) == ["", ""]
    assert not dialog.reprint_button.isEnabled()
    assert dialog.reprint_button.toolTip() == "Printing is not configured yet"

    dialog.today_button.click()  # earlier days too
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3)
    assert cell(dialog, 2, RECEIPT) == "LX01-000001"


def test_search_finds_a_receipt_by_its_number(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner
) -> None:
    for _ in range(3):
        sell(ledger, ("301", "1"))
    dialog = open_history(qtbot, runner, rows=3)
    QTest.keyClicks(dialog.search_edit, "000002")
    qtbot.waitUntil(lambda: column(dialog, RECEIPT) == ["LX01-000002"])
    dialog.search_edit.clear()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3)


def test_selecting_a_sale_shows_its_lines_and_payment(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner
) -> None:
    i18n.set_language("zh")  # receipts keep the Chinese names and measure words
    sell(ledger, ("201", "2"), ("101", "1kg"))
    dialog = open_history(qtbot, runner, rows=1)
    select(qtbot, dialog, "LX01-000001")
    lines = dialog.lines_table
    assert lines.rowCount() == 2
    assert [item(lines, r, 1).text() for r in range(2)] == ["槐花蜜 500g", "莲藕"]
    assert item(lines, 0, 2).text() == "2 罐"
    assert item(lines, 1, 2).text() == "1 公斤"
    assert [item(lines, r, 4).text() for r in range(2)] == ["¥90.00", "¥7.00"]
    assert "LX01-000001" in dialog.details_label.text()
    assert "¥97.00" in dialog.tenders_label.text()
    assert "¥1000.00" in dialog.tenders_label.text()  # paid in cash
    assert "¥903.00" in dialog.tenders_label.text()  # change given
    assert dialog.void_button.isEnabled()
    assert dialog.refund_button.isEnabled()


def test_a_coordinator_voids_a_sale_from_history(
    qtbot: QtBot,
    ledger: Ledger,
    runner: OperationRunner,
    monkeypatch: pytest.MonkeyPatch,
    reason: list[str],
) -> None:
    sell(ledger, ("301", "1"))
    sale = sell(ledger, ("201", "1"))
    monkeypatch.setattr(people, "ask_coordinator_pin", pin_typist(qtbot, COORDINATOR_PIN))
    dialog = open_history(qtbot, runner, rows=2)
    select(qtbot, dialog, sale.receipt_no)
    dialog.void_button.click()
    qtbot.waitUntil(lambda: cell(dialog, 0, STATUS) == "Voided")
    assert cell(dialog, 1, STATUS) == ""  # the other sale is untouched
    assert "LX01-000002" in reason[0] and "¥45.00" in reason[0]
    assert ledger.read(sales.show_sale, sale.receipt_no).voided
    assert "张敏" in dialog.status.text()
    qtbot.waitUntil(lambda: dialog.selected is not None and dialog.selected.voided)
    assert not dialog.void_button.isEnabled()
    assert not dialog.refund_button.isEnabled()


def test_an_operators_pin_cannot_authorise_a_void(
    qtbot: QtBot,
    ledger: Ledger,
    runner: OperationRunner,
    monkeypatch: pytest.MonkeyPatch,
    reason: list[str],
) -> None:
    sale = sell(ledger, ("301", "1"))
    refusals: list[str] = []
    monkeypatch.setattr(people, "ask_coordinator_pin", pin_typist(qtbot, OPERATOR_PIN, refusals))
    dialog = open_history(qtbot, runner, rows=1)
    select(qtbot, dialog, sale.receipt_no)
    dialog.void_button.click()
    assert refusals == [said("not_coordinator")]  # the PIN dialog said no
    assert not ledger.read(sales.show_sale, sale.receipt_no).voided

    # Even if an operator's PIN got past the dialog, the ledger refuses the void.
    monkeypatch.setattr(
        people, "ask_coordinator_pin", lambda _parent, _runner, _purpose: (None, OPERATOR_PIN)
    )
    dialog.void_button.click()
    qtbot.waitUntil(dialog.message.isVisible)
    assert dialog.message.text() == said("not_coordinator")
    assert not ledger.read(sales.show_sale, sale.receipt_no).voided
    assert cell(dialog, 0, STATUS) == ""
    assert dialog.void_button.isEnabled()


def test_a_coordinator_refunds_the_ticked_line(
    qtbot: QtBot,
    ledger: Ledger,
    runner: OperationRunner,
    monkeypatch: pytest.MonkeyPatch,
    reason: list[str],
) -> None:
    sale = sell(ledger, ("301", "1"), ("201", "2"))
    monkeypatch.setattr(people, "ask_coordinator_pin", pin_typist(qtbot, COORDINATOR_PIN))
    dialog = open_history(qtbot, runner, rows=1)
    select(qtbot, dialog, sale.receipt_no)
    lines = dialog.lines_table
    rect = lines.visualItemRect(item(lines, 0, 1))  # a tap on the roast chicken line
    QTest.mouseClick(lines.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.checked_lines() == [1]
    assert "1" in dialog.refund_button.text()
    dialog.refund_button.click()
    qtbot.waitUntil(lambda: cell(dialog, 0, STATUS) == "Refunded ¥38.00")
    assert "¥38.00" in dialog.status.text()  # what to give back
    after = ledger.read(sales.show_sale, sale.receipt_no)
    assert after.refunded_fen == 3800
    assert [line.refunded_quantity for line in after.lines] == [1, 0]
    qtbot.waitUntil(lambda: dialog.selected is not None and dialog.selected.refunded_fen > 0)
    assert not dialog.void_button.isEnabled()  # refunded sales cannot be voided

    dialog.refund_button.click()  # nothing ticked: the rest of the sale
    qtbot.waitUntil(lambda: cell(dialog, 0, STATUS) == "Refunded")
    assert ledger.read(sales.show_sale, sale.receipt_no).refunded_fen == sale.total_fen


def test_today_starts_at_local_midnight() -> None:
    now = dt.datetime(2025, 1, 29, 15, 30).astimezone()
    midnight = local_midnight_utc(now)
    back_to_local = midnight.replace(tzinfo=dt.UTC).astimezone()
    assert back_to_local.date() == now.date()
    assert (back_to_local.hour, back_to_local.minute) == (0, 0)
