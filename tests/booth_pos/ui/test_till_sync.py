"""The till with a real county server on loopback: sales go up, the status bar says so."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from booth_pos.services import auth, booth, settings, sync_client
from booth_pos.services.ledger import Ledger
from booth_pos.ui.runner import OperationRunner
from booth_pos.ui.till import TillWindow
from booth_pos.ui.workers import SyncBridge
from tests.sync.fixtures import FAST, county_logs, sqlite_county  # noqa: F401
from tests.sync.support import County


@pytest.fixture
def runner(ledger: Ledger) -> Iterator[OperationRunner]:
    runner = OperationRunner(ledger)
    yield runner
    runner.shutdown()


def test_sales_reach_the_county_and_the_status_bar_shows_it(
    qtbot: QtBot,
    ledger: Ledger,
    runner: OperationRunner,
    sqlite_county: County,  # noqa: F811
) -> None:
    till_only = SyncBridge(ledger, options=FAST, idle_s=0.5)
    operator = ledger.read(auth.log_in, "李娜", "1111")
    till = TillWindow(
        runner,
        operator,
        ledger.read(booth.booth_info),
        ledger.read(settings.load_settings),
        sync=till_only,
    )
    qtbot.addWidget(till)
    till.show()
    qtbot.waitUntil(lambda: "301" in till.product_buttons)
    try:
        qtbot.waitUntil(lambda: "not configured" in till.sync_status.text())
        device_id, token = sqlite_county.add_device()
        sync_client.enroll(ledger, sqlite_county.url, device_id, token, options=FAST)
        till_only.start()
        for _ in range(3):
            till.tap_goods(till.by_code["301"])
            till.quick_cash(None)
            qtbot.waitUntil(lambda: not till.paying)
        qtbot.waitUntil(lambda: ledger.read(sync_client.sync_status).unsynced == 0, timeout=20_000)
        till.refresh_status()  # a pass that began before the last sale may report late
        qtbot.waitUntil(lambda: "online · 0 unsynced" in till.sync_status.text(), timeout=5_000)
    finally:
        till_only.close()
