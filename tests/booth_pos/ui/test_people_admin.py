"""The people screen: add, deactivate, reset a PIN, change a role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from booth_pos.domain.errors import BadInput
from booth_pos.services import auth
from booth_pos.services.ledger import Ledger
from booth_pos.ui.people_admin import PeopleDialog
from booth_pos.ui.runner import OperationRunner
from tests.conftest import COORDINATOR_PIN


@pytest.fixture
def runner(ledger: Ledger) -> Iterator[OperationRunner]:
    runner = OperationRunner(ledger)
    yield runner
    runner.shutdown()


def idle(qtbot: QtBot, runner: OperationRunner) -> None:
    qtbot.waitUntil(lambda: not runner.busy)


def open_dialog(qtbot: QtBot, runner: OperationRunner) -> PeopleDialog:
    dialog = PeopleDialog(runner, pin=COORDINATOR_PIN)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded)
    idle(qtbot, runner)
    return dialog


def test_an_added_person_can_log_in(qtbot: QtBot, ledger: Ledger, runner: OperationRunner) -> None:
    dialog = open_dialog(qtbot, runner)
    assert {"张敏", "李娜"} <= {p.name for p in dialog.people}
    dialog.name_edit.setText("王芳")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(auth.ROLE_OPERATOR))
    dialog.pin_edit.setText("4321")
    dialog.add_button.click()
    qtbot.waitUntil(lambda: any(p.name == "王芳" for p in dialog.people))
    idle(qtbot, runner)
    assert not dialog.message.isVisible()
    assert ledger.read(auth.log_in, "王芳", "4321").name == "王芳"
    idle(qtbot, runner)


def test_a_pin_reset_and_a_deactivation(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner
) -> None:
    dialog = open_dialog(qtbot, runner)
    dialog.select("李娜")
    dialog.pin_edit.setText("5555")
    dialog.reset_pin_button.click()
    qtbot.waitUntil(lambda: "new PIN" in dialog.info.text())
    idle(qtbot, runner)
    assert ledger.read(auth.log_in, "李娜", "5555").name == "李娜"

    dialog.select("李娜")
    assert dialog.active_button.text() == "Deactivate"
    dialog.active_button.click()
    qtbot.waitUntil(lambda: any(p.name == "李娜" and not p.active for p in dialog.people))
    idle(qtbot, runner)
    with pytest.raises(BadInput):
        ledger.read(auth.log_in, "李娜", "5555")
    dialog.select("李娜")
    assert dialog.active_button.text() == "Reactivate"
    idle(qtbot, runner)


def test_deactivating_the_last_coordinator_shows_why_not(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner
) -> None:
    dialog = open_dialog(qtbot, runner)
    dialog.select("张敏")
    dialog.active_button.click()
    idle(qtbot, runner)
    qtbot.waitUntil(dialog.message.isVisible)
    assert dialog.message.text()
    idle(qtbot, runner)
    assert any(p.name == "张敏" and p.active for p in dialog.people)
    assert ledger.read(auth.check_coordinator, COORDINATOR_PIN).name == "张敏"
