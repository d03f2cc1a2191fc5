"""The till with a real (loopback) network printer: receipts print, the till never waits."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from booth_pos.services import auth, booth, printing, settings
from booth_pos.services.ledger import Ledger
from booth_pos.ui.history import HistoryDialog
from booth_pos.ui.runner import OperationRunner
from booth_pos.ui.till import TillWindow
from booth_pos.ui.workers import PrintBridge
from tests.booth_pos.printing.escpos_decoder import decode
from tests.booth_pos.printing.fake_printer import FakePrinter
from tests.conftest import COORDINATOR_PIN


@pytest.fixture
def fake_printer() -> Iterator[FakePrinter]:
    fake = FakePrinter()
    yield fake
    fake.close()


@pytest.fixture
def runner(ledger: Ledger) -> Iterator[OperationRunner]:
    runner = OperationRunner(ledger)
    yield runner
    runner.shutdown()


def use_printer(ledger: Ledger, uri: str) -> settings.BoothSettings:
    chosen = replace(ledger.read(settings.load_settings), printer_uri=uri, printer_mode="raster")
    return ledger.write(settings.save_settings, chosen, COORDINATOR_PIN)


@pytest.fixture
def bridge(ledger: Ledger) -> Iterator[PrintBridge]:
    bridge = PrintBridge(ledger, poll_interval=0.2, backoff_base=0.2, backoff_max=0.5)
    bridge.start()
    yield bridge
    bridge.close()


def open_till(
    qtbot: QtBot,
    ledger: Ledger,
    runner: OperationRunner,
    bridge: PrintBridge,
    chosen: settings.BoothSettings,
) -> TillWindow:
    operator = ledger.read(auth.log_in, "李娜", "1111")
    till = TillWindow(runner, operator, ledger.read(booth.booth_info), chosen, printer=bridge)
    qtbot.addWidget(till)
    till.show()
    qtbot.waitUntil(lambda: "301" in till.product_buttons)
    return till


def test_a_sale_prints_its_receipt_and_shows_it(
    qtbot: QtBot,
    ledger: Ledger,
    runner: OperationRunner,
    bridge: PrintBridge,
    fake_printer: FakePrinter,
) -> None:
    till = open_till(qtbot, ledger, runner, bridge, use_printer(ledger, fake_printer.uri))
    till.tap_goods(till.by_code["301"])
    till.quick_cash(5000)
    qtbot.waitUntil(lambda: till.cart_stack.currentIndex() == 1, timeout=5000)
    assert not till.receipt_preview.pixmap().isNull()
    qtbot.waitUntil(lambda: len(fake_printer.received()) > 1000, timeout=10_000)
    qtbot.waitUntil(
        lambda: "就绪" in till.printer_status.text() or "ready" in till.printer_status.text(),
        timeout=10_000,
    )
    decoded = decode(fake_printer.received())
    assert decoded.rasters, "a raster receipt arrives as images"


def test_a_dead_printer_never_holds_up_the_next_sale(
    qtbot: QtBot,
    ledger: Ledger,
    runner: OperationRunner,
    bridge: PrintBridge,
) -> None:
    dead = FakePrinter()
    uri = dead.uri
    dead.close()  # nothing listens there any more
    till = open_till(qtbot, ledger, runner, bridge, use_printer(ledger, uri))
    sold = set()
    for _ in range(2):
        till.tap_goods(till.by_code["301"])
        till.quick_cash(None)
        qtbot.waitUntil(lambda: not runner.busy and not till.paying)
        assert till.last_sale is not None
        sold.add(till.last_sale.receipt_no)
    qtbot.waitUntil(
        lambda: "offline" in till.printer_status.text() or "离线" in till.printer_status.text(),
        timeout=10_000,
    )
    jobs = ledger.read(printing.list_jobs)
    assert {job.receipt_no for job in jobs} == sold


def test_history_reprints_a_receipt_marked_as_a_reprint(
    qtbot: QtBot,
    ledger: Ledger,
    runner: OperationRunner,
    bridge: PrintBridge,
    fake_printer: FakePrinter,
) -> None:
    till = open_till(qtbot, ledger, runner, bridge, use_printer(ledger, fake_printer.uri))
    till.tap_goods(till.by_code["301"])
    till.quick_cash(None)
    qtbot.waitUntil(
        lambda: len(fake_printer.connections) >= 1 and len(fake_printer.received()) > 1000,
        timeout=10_000,
    )
    assert till.last_sale is not None
    receipt = till.last_sale.receipt_no
    history = HistoryDialog(runner, till, printer=bridge)
    qtbot.addWidget(history)
    history.show()
    qtbot.waitUntil(lambda: history.select_receipt(receipt), timeout=5000)
    qtbot.waitUntil(lambda: history.reprint_button.isEnabled(), timeout=5000)
    qtbot.mouseClick(history.reprint_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(
            j.reprint and j.state == "done" for j in ledger.read(printing.jobs_for_receipt, receipt)
        ),
        timeout=10_000,
    )
    assert not history.preview_label.pixmap().isNull()
