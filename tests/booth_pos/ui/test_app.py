"""Start-up: a new booth gets the wizard, a set-up booth asks who is at the till, lock works."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
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
        if app.dialog is not None:
            app.dialog.close()
        if app.till is not None:
            app.till.allow_close = True
            app.till.close()
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
