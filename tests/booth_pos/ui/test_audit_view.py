"""The audit screen lists what the services recorded, newest first, and filters it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from booth_pos.domain.cart import CartLine
from booth_pos.domain.pricing import TenderIn, TenderMethod
from booth_pos.services import audit, sales
from booth_pos.services.ledger import Ledger
from booth_pos.ui.audit_view import AuditDialog, summary
from booth_pos.ui.runner import OperationRunner
from tests.conftest import COORDINATOR_PIN


def text_at(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return "" if item is None else item.text()


@pytest.fixture
def runner(ledger: Ledger) -> Iterator[OperationRunner]:
    runner = OperationRunner(ledger)
    yield runner
    runner.shutdown()


def test_a_void_is_listed_and_the_filter_keeps_only_its_action(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner
) -> None:
    cart = [CartLine.parse("301", "1")]
    sale = ledger.write(sales.ring_up, cart, [TenderIn(TenderMethod.CASH, 10_000)], "李娜")
    ledger.write(sales.void, sale.receipt_no, "Wrong goods", COORDINATOR_PIN)
    assert ledger.read(audit.list_audit, "void")

    dialog = AuditDialog(runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded)
    qtbot.waitUntil(lambda: not runner.busy)
    actions = [text_at(dialog.table, r, 1) for r in range(dialog.table.rowCount())]
    assert "Void" in actions
    ids = [entry.id for entry in dialog.entries]
    assert ids == sorted(ids, reverse=True)

    dialog.set_action("void")
    qtbot.waitUntil(lambda: all(e.action == "void" for e in dialog.entries))
    qtbot.waitUntil(lambda: not runner.busy)
    assert len(dialog.entries) == 1
    assert dialog.table.rowCount() == 1
    assert text_at(dialog.table, 0, 1) == "Void"
    assert sale.receipt_no in text_at(dialog.table, 0, 3)

    dialog.set_action(None)
    qtbot.waitUntil(lambda: dialog.operator_combo.findData("李娜") >= 0)
    dialog.set_operator("李娜")
    qtbot.waitUntil(lambda: not runner.busy)
    qtbot.waitUntil(lambda: all(e.operator == "李娜" for e in dialog.entries))
    assert "void" not in [e.action for e in dialog.entries]
    dialog.set_operator("张敏")
    qtbot.waitUntil(lambda: not runner.busy)
    qtbot.waitUntil(lambda: "void" in [e.action for e in dialog.entries])
    assert all(e.operator == "张敏" for e in dialog.entries)

    dialog.set_operator(None)
    dialog.set_action("catalog_import")
    qtbot.waitUntil(lambda: not runner.busy)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0)


def test_details_read_as_one_line() -> None:
    assert summary({"plu": "301", "reasons": ["a", "b"]}) == "plu: 301; reasons: a, b"
