"""The till as the app assembles it, with a real county server on loopback.

Nothing here builds a sync worker by hand: the app starts its own at launch, whatever the
screen, and the till, the login screen and Settings are what the operator looks at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from booth_pos.services import settings, sync_client
from booth_pos.services.ledger import Ledger
from booth_pos.ui.app import TillApp
from booth_pos.ui.people import LoginDialog
from booth_pos.ui.settings_dialog import SettingsDialog
from tests.booth_pos.ui.test_app import log_in
from tests.sync.fixtures import FAST, county_logs, sqlite_county  # noqa: F401
from tests.sync.support import County, ServerProcess, till_id

# The app's own worker with short network timeouts; back-off and idle wait as shipped.
SYNC_ARGS = {"options": FAST}


@pytest.fixture
def app(ledger: Ledger) -> Iterator[TillApp]:
    ledger.write(settings.set_language, "en")  # the booth's choice, read at start-up
    till_app = TillApp(ledger, sync_args=SYNC_ARGS)
    yield till_app
    till_app.close()


def sell_exact(qtbot: QtBot, app: TillApp, plu: str) -> None:
    till = app.till
    assert till is not None
    till.tap_goods(till.by_code[plu])
    with qtbot.waitSignal(till.sale_completed, timeout=10_000):
        till.exact_cash_button.click()


def test_sales_reach_the_county_and_the_status_bar_shows_it(
    qtbot: QtBot,
    ledger: Ledger,
    app: TillApp,
    sqlite_county: County,  # noqa: F811
) -> None:
    device_id, token = sqlite_county.add_device()
    sync_client.enroll(ledger, sqlite_county.url, device_id, token, options=FAST)
    app.start()
    assert app.sync.running  # from start-up, before anyone logs in
    log_in(qtbot, app, "李娜", "1111")
    qtbot.waitUntil(lambda: app.till is not None)
    till = app.till
    assert till is not None
    qtbot.waitUntil(lambda: "301" in till.by_code)
    for _ in range(3):
        sell_exact(qtbot, app, "301")
    qtbot.waitUntil(lambda: ledger.read(sync_client.sync_status).unsynced == 0, timeout=20_000)
    qtbot.waitUntil(lambda: "online · 0 unsynced" in till.sync_status.text(), timeout=10_000)
    assert (
        sqlite_county.count("SELECT count(*) FROM documents WHERE device_id = :d", d=device_id) >= 3
    )


def test_offline_says_why_and_sync_now_uploads_when_the_county_is_back(
    qtbot: QtBot,
    ledger: Ledger,
    app: TillApp,
    tmp_path: Path,
) -> None:
    # A county of its own on a port that is closed at first: the booth is enrolled, offline.
    county = ServerProcess(f"sqlite:///{tmp_path / 'county.sqlite'}", tmp_path)
    county.start()
    try:
        device_id, token = _add_device(county)
        sync_client.enroll(ledger, county.url, device_id, token, options=FAST)
        county.stop()
        app.start()
        log_in(qtbot, app, "李娜", "1111")
        qtbot.waitUntil(lambda: app.till is not None)
        till = app.till
        assert till is not None
        qtbot.waitUntil(lambda: "301" in till.by_code)
        sell_exact(qtbot, app, "301")
        sell_exact(qtbot, app, "301")
        qtbot.waitUntil(lambda: "offline · 2 unsynced" in till.sync_status.text(), timeout=20_000)
        assert "·" in till.sync_status.text().split("unsynced", 1)[1]  # and why
        county.start()
        till.open_settings()
        dialog = till.active_dialog
        assert isinstance(dialog, SettingsDialog)
        dialog.sync_now_button.click()
        qtbot.waitUntil(lambda: "online · 0 unsynced" in till.sync_status.text(), timeout=20_000)
        dialog.reject()
    finally:
        county.stop()


def test_a_till_at_its_login_screen_uploads_what_waits(
    qtbot: QtBot,
    ledger: Ledger,
    app: TillApp,
    sqlite_county: County,  # noqa: F811
) -> None:
    from booth_pos.domain.cart import CartLine
    from booth_pos.domain.pricing import TenderIn, TenderMethod
    from booth_pos.services import sales

    for _ in range(4):
        ledger.write(
            sales.ring_up, [CartLine.parse("201", "1")], [TenderIn(TenderMethod.CASH, 10_000)]
        )
    device_id, token = sqlite_county.add_device()
    sync_client.enroll(ledger, sqlite_county.url, device_id, token, options=FAST)
    app.start()
    dialog = app.dialog
    assert isinstance(dialog, LoginDialog)  # nobody logs in
    qtbot.waitUntil(lambda: ledger.read(sync_client.sync_status).unsynced == 0, timeout=30_000)
    qtbot.waitUntil(lambda: "online · 0 unsynced" in dialog.county_label.text(), timeout=10_000)


def _add_device(server: ServerProcess) -> tuple[str, str]:
    from tests.sync.support import County, county_engine

    engine = county_engine(server.db_url)
    try:
        return County(server, engine, "sqlite").add_device()
    finally:
        engine.dispose()


def test_a_shift_opened_at_the_till_goes_up_at_once_not_at_the_next_idle_pass(
    qtbot: QtBot,
    ledger: Ledger,
    app: TillApp,
    sqlite_county: County,  # noqa: F811
) -> None:
    from booth_pos.services import shifts

    device_id, token = sqlite_county.add_device()
    sync_client.enroll(ledger, sqlite_county.url, device_id, token, options=FAST)
    app.start()
    log_in(qtbot, app, "李娜", "1111")
    qtbot.waitUntil(lambda: app.till is not None)
    till = app.till
    assert till is not None
    qtbot.waitUntil(lambda: "online · 0 unsynced" in till.sync_status.text(), timeout=20_000)
    # The coordinator screen's write, as it makes it; the worker idles 30 s between passes.
    opened: list[object] = []
    app.runner.write(till, shifts.open_shift, 20_000, "张敏").done(opened.append)
    qtbot.waitUntil(lambda: bool(opened))
    assert ledger.read(sync_client.sync_status).unsynced >= 1
    qtbot.waitUntil(lambda: ledger.read(sync_client.sync_status).unsynced == 0, timeout=10_000)
    assert (
        sqlite_county.count(
            "SELECT count(*) FROM documents WHERE till_id = :t AND kind = 'shift'",
            t=till_id(ledger),
        )
        == 1
    )
