"""A sale never waits behind the network: a hanging county server or enrolment, a backup.

The county end here is a loopback listener that accepts connections and never answers, the
way a county link behaves when the signal drops mid-request.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from booth_pos.services import maintenance, settings, sync_client
from booth_pos.services.ledger import Ledger
from booth_pos.ui.app import TillApp
from booth_pos.ui.settings_dialog import SettingsDialog
from tests.booth_pos.ui.modal import answer_pin
from tests.booth_pos.ui.test_app import log_in
from tests.conftest import COORDINATOR_PIN

DEVICE_ID = "6f1c3b2a-9d4e-4f6a-8b7c-1e2d3c4b5a69"
TOKEN = "t" * 43


class StalledServer:
    """Accepts every connection, reads what comes, and never says a word."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.1)
        self._clients: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="stalled-server")
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.getsockname()[1]}"

    @property
    def connections(self) -> int:
        return len(self._clients)

    def _accept(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                client, _ = self._server.accept()
                self._clients.append(client)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for client in self._clients:  # the hanging requests now fail at once
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_RDWR)
            client.close()
        self._server.close()


@pytest.fixture
def stalled() -> Iterator[StalledServer]:
    server = StalledServer()
    yield server
    server.close()


@pytest.fixture
def app(ledger: Ledger) -> Iterator[TillApp]:
    ledger.write(settings.set_language, "en")
    till_app = TillApp(ledger)  # the shipped timeouts: a 30 s read
    yield till_app
    till_app.close()


def open_till(qtbot: QtBot, app: TillApp) -> None:
    app.start()
    log_in(qtbot, app, "李娜", "1111")
    qtbot.waitUntil(lambda: app.till is not None and "201" in app.till.by_code)


def sell(qtbot: QtBot, app: TillApp) -> float:
    """Seconds from the pay tap to the sale on screen."""
    till = app.till
    assert till is not None
    till.tap_goods(till.by_code["201"])
    started = time.monotonic()
    with qtbot.waitSignal(till.sale_completed, timeout=10_000):
        till.exact_cash_button.click()
    return time.monotonic() - started


def test_sales_go_on_while_the_upload_hangs(
    qtbot: QtBot, ledger: Ledger, app: TillApp, stalled: StalledServer
) -> None:
    # Enrolled while the link hung: stored, to be confirmed at the next pass.
    quick = sync_client.SyncOptions(read_timeout_s=0.5, connect_retries=0)
    sync_client.enroll(ledger, stalled.url, DEVICE_ID, TOKEN, options=quick)
    open_till(qtbot, app)
    qtbot.waitUntil(lambda: stalled.connections > 0, timeout=10_000)  # the upload hangs
    for _ in range(5):
        assert sell(qtbot, app) < 5  # not the 30 s the upload waits
    assert ledger.read(sync_client.sync_status).unsynced >= 5


def test_a_sale_rings_up_while_an_enrolment_hangs(
    qtbot: QtBot, ledger: Ledger, app: TillApp, stalled: StalledServer
) -> None:
    open_till(qtbot, app)
    till = app.till
    assert till is not None
    till.open_settings()
    qtbot.waitUntil(lambda: isinstance(till.active_dialog, SettingsDialog), timeout=10_000)
    dialog = till.active_dialog
    assert isinstance(dialog, SettingsDialog)
    dialog.enroll_url_edit.setText(stalled.url)
    dialog.enroll_device_edit.setText(DEVICE_ID)
    dialog.enroll_token_edit.setText(TOKEN)
    answered = answer_pin(COORDINATOR_PIN)
    dialog.enroll_button.click()
    assert answered, "the coordinator PIN was asked for"
    qtbot.waitUntil(lambda: stalled.connections > 0, timeout=10_000)
    assert "Contacting" in dialog.server_label.text()
    dialog.reject()  # the coordinator gives up waiting and goes back to the queue
    assert sell(qtbot, app) < 5
    assert sell(qtbot, app) < 5
    assert app.runner.busy  # the enrolment is still hanging on its own lane


def test_a_sale_rings_up_while_a_backup_runs(qtbot: QtBot, ledger: Ledger, app: TillApp) -> None:
    open_till(qtbot, app)
    till = app.till
    assert till is not None
    backups: list[object] = []
    target = ledger.data_dir / "usb-stick"
    for _ in range(3):
        app.runner.io(till, maintenance.backup, ledger.db_path, target, "LX01").done(backups.append)
    assert sell(qtbot, app) < 5
    qtbot.waitUntil(lambda: len(backups) == 3, timeout=30_000)
