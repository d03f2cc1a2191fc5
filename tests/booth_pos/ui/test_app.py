"""Start-up: a new booth gets the wizard, a set-up booth asks who is at the till, lock works."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from booth_pos.services.ledger import Ledger
from booth_pos.ui.app import TillApp
from booth_pos.ui.people import LoginDialog
from booth_pos.ui.wizard import FirstRunWizard


@pytest.fixture
def make_app() -> Iterator[list[TillApp]]:
    apps: list[TillApp] = []
    yield apps
    for app in apps:
        app.close()


def log_in(qtbot: QtBot, app: TillApp, name: str, pin: str) -> None:
    dialog = app.dialog
    assert isinstance(dialog, LoginDialog)
    qtbot.waitUntil(lambda: name in dialog.operator_buttons)
    dialog.select_operator(name)
    dialog.pin_edit.setText(pin)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not app.runner.busy)


def test_a_new_booth_starts_with_the_wizard(
    qtbot: QtBot, empty_ledger: Ledger, make_app: list[TillApp]
) -> None:
    app = TillApp(empty_ledger)
    make_app.append(app)
    app.start()
    assert isinstance(app.dialog, FirstRunWizard)
    assert app.till is None


def test_login_opens_the_till_and_lock_hides_it(
    qtbot: QtBot, ledger: Ledger, make_app: list[TillApp]
) -> None:
    app = TillApp(ledger)
    make_app.append(app)
    app.start()
    log_in(qtbot, app, "赵磊", "0000")
    assert app.till is None  # wrong PIN: still at the login
    log_in(qtbot, app, "赵磊", "2222")
    qtbot.waitUntil(lambda: app.till is not None)
    assert app.till is not None
    till = app.till
    assert "赵磊" in till.operator_status.text()
    till.lock_requested.emit()
    assert not till.body.isVisible()
    log_in(qtbot, app, "李娜", "1111")
    qtbot.waitUntil(lambda: till.body.isVisible())
    assert "李娜" in till.operator_status.text()


# `run_app` as `booth-pos` runs it, in a child process (its event loop ends the process): an
# operator logs in, locks the till, and presses Quit on the lock screen.
LOCK_AND_QUIT = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from booth_pos.ui import app as ui_app
from booth_pos.ui.people import LoginDialog

launch = ui_app.launch
steps = []

def drive(till_app):
    dialog = till_app.dialog
    if not steps and isinstance(dialog, LoginDialog) and "李娜" in dialog.operator_buttons:
        dialog.select_operator("李娜")
        dialog.pin_edit.setText("1111")
        dialog.login_button.click()
        steps.append("login")
    elif steps == ["login"] and till_app.till is not None and till_app.dialog is None:
        till_app.till.lock_button.click()
        steps.append("lock")
    elif steps == ["login", "lock"] and isinstance(till_app.dialog, LoginDialog):
        print("locked", flush=True)
        till_app.dialog.quit_button.click()
        steps.append("quit")

def launch_and_drive(data_dir, **args):
    till_app = launch(data_dir, **args)
    timer = QTimer(till_app)
    timer.timeout.connect(lambda: drive(till_app))
    timer.start(50)
    return till_app

ui_app.launch = launch_and_drive
code = ui_app.run_app(Path(sys.argv[1]))
print("exited", code, flush=True)
sys.exit(code)
"""


def test_a_locked_till_quits_from_its_login_screen(ledger: Ledger) -> None:
    data_dir = ledger.data_dir
    ledger.close()
    done = subprocess.run(
        [sys.executable, "-c", LOCK_AND_QUIT, str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.stdout.split() == ["locked", "exited", "0"], done.stderr[-2000:]
    assert done.returncode == 0


def test_closing_the_till_with_an_unpaid_cart_asks_first(
    qtbot: QtBot, ledger: Ledger, make_app: list[TillApp]
) -> None:
    app = TillApp(ledger)
    make_app.append(app)
    quits: list[bool] = []
    app.quitting.connect(lambda: quits.append(True))
    app.start()
    log_in(qtbot, app, "李娜", "1111")
    qtbot.waitUntil(lambda: app.till is not None)
    till = app.till
    assert till is not None
    qtbot.waitUntil(lambda: "201" in till.by_code)
    till.tap_goods(till.by_code["201"])
    till.close()
    assert till.isVisible() and quits == []  # not yet: the operator is asked
    box = till.quit_question
    assert box is not None and "¥" in box.text()
    box.button(QMessageBox.StandardButton.No).click()
    assert till.isVisible() and quits == [] and len(till.cart.lines) == 1
    till.close()
    box = till.quit_question
    assert box is not None
    box.button(QMessageBox.StandardButton.Yes).click()
    assert quits == [True] and not till.isVisible()


def test_closing_the_app_closes_its_screens_and_stops_its_workers(
    qtbot: QtBot, ledger: Ledger
) -> None:
    app = TillApp(ledger)
    app.start()
    log_in(qtbot, app, "李娜", "1111")
    qtbot.waitUntil(lambda: app.till is not None)
    till = app.till
    assert till is not None and app.sync.running
    app.close()
    assert not till.isVisible() and app.dialog is None
    assert not app.sync.running and not app.printer.worker.running
