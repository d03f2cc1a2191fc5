"""Logging in at the till, and a coordinator's PIN for a sensitive action."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from booth_pos.domain.errors import BadInput
from booth_pos.services.auth import OperatorView
from booth_pos.services.ledger import Ledger
from booth_pos.ui import i18n
from booth_pos.ui.people import TOUCH_HEIGHT, CoordinatorPinDialog, LoginDialog
from booth_pos.ui.runner import OperationRunner
from tests.conftest import COORDINATOR_PIN, OPERATOR_PIN

AskPin = Callable[[QWidget | None, OperationRunner, str], tuple[OperatorView, str] | None]


def said(error: str, /, **params: object) -> str:
    """What the operator is told for this error, in the screen's language."""
    return BadInput(error, **params).message(i18n.current_language())


def pin_typist(qtbot: QtBot, pin: str, refusals: list[str] | None = None) -> AskPin:
    """A stand-in for `people.ask_coordinator_pin` that drives the real dialog without exec():
    taps `pin` on its keypad and Allow. A refused PIN is noted in `refusals`, then the
    coordinator gives up (Cancel), as a person would."""

    def ask(parent, runner, purpose):
        dialog = CoordinatorPinDialog(runner, purpose, parent)
        dialog.show()
        for digit in pin:
            dialog.pin_entry.digit_buttons[digit].click()
        dialog.confirm_button.click()
        qtbot.waitUntil(
            lambda: (
                dialog.result() == QDialog.DialogCode.Accepted
                or dialog.pin_entry.message.isVisible()
            )
        )
        if dialog.result() == QDialog.DialogCode.Accepted:
            return dialog.coordinator, dialog.pin
        if refusals is not None:
            refusals.append(dialog.pin_entry.message.text())
        dialog.cancel_button.click()
        return None

    return ask


@pytest.fixture
def runner(ledger: Ledger) -> Iterator[OperationRunner]:
    runner = OperationRunner(ledger)
    yield runner
    runner.shutdown()


def open_login(qtbot: QtBot, runner: OperationRunner) -> LoginDialog:
    dialog = LoginDialog(runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: len(dialog.operator_buttons) == 3)
    return dialog


def test_login_shows_each_person_as_a_big_button(qtbot: QtBot, runner: OperationRunner) -> None:
    dialog = open_login(qtbot, runner)
    assert list(dialog.operator_buttons) == ["张敏", "李娜", "赵磊"]
    assert "coordinator" in dialog.operator_buttons["张敏"].text()
    assert "coordinator" not in dialog.operator_buttons["李娜"].text()
    assert all(b.minimumHeight() >= TOUCH_HEIGHT for b in dialog.operator_buttons.values())
    assert "Enter" in dialog.login_button.text()
    assert "Esc" in dialog.cancel_button.text()
    assert dialog.pin_edit.echoMode() == dialog.pin_edit.EchoMode.Password


def test_a_wrong_pin_is_refused_and_the_right_one_logs_in(
    qtbot: QtBot, runner: OperationRunner
) -> None:
    dialog = open_login(qtbot, runner)
    QTest.mouseClick(dialog.operator_buttons["李娜"], Qt.MouseButton.LeftButton)
    QTest.keyClicks(dialog.pin_edit, "9999")
    dialog.login_button.click()
    qtbot.waitUntil(dialog.pin_entry.message.isVisible)
    assert dialog.pin_entry.message.text() == said("wrong_pin")
    assert dialog.pin_edit.text() == ""  # cleared for the next try
    assert dialog.isVisible()
    assert dialog.operator is None

    for digit in OPERATOR_PIN:  # the on-screen keypad, then Enter on the keyboard
        dialog.pin_entry.digit_buttons[digit].click()
    assert dialog.pin_edit.text() == OPERATOR_PIN
    QTest.keyClick(dialog.pin_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.operator is not None)
    assert dialog.operator is not None
    assert dialog.operator.name == "李娜"
    assert dialog.operator.role == "operator"
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_someone_elses_pin_does_not_log_you_in(qtbot: QtBot, runner: OperationRunner) -> None:
    dialog = open_login(qtbot, runner)
    QTest.mouseClick(dialog.operator_buttons["赵磊"], Qt.MouseButton.LeftButton)
    QTest.keyClicks(dialog.pin_edit, OPERATOR_PIN)  # 李娜's PIN, not 赵磊's
    dialog.login_button.click()
    qtbot.waitUntil(dialog.pin_entry.message.isVisible)
    assert dialog.pin_entry.message.text() == said("wrong_pin")
    assert dialog.operator is None


def test_login_asks_for_a_name_first(qtbot: QtBot, runner: OperationRunner) -> None:
    dialog = open_login(qtbot, runner)
    QTest.keyClicks(dialog.pin_edit, OPERATOR_PIN)
    dialog.login_button.click()
    assert dialog.pin_entry.message.isVisible()
    assert dialog.pin_entry.message.text() == "Tap your name first."
    assert dialog.operator is None


def test_keypad_back_and_clear_edit_the_pin(qtbot: QtBot, runner: OperationRunner) -> None:
    dialog = open_login(qtbot, runner)
    for digit in "1234":
        dialog.pin_entry.digit_buttons[digit].click()
    dialog.pin_entry.back_button.click()
    assert dialog.pin_edit.text() == "123"
    dialog.pin_entry.clear_button.click()
    assert dialog.pin_edit.text() == ""


def test_an_operators_pin_cannot_stand_in_for_a_coordinator(
    qtbot: QtBot, runner: OperationRunner
) -> None:
    dialog = CoordinatorPinDialog(runner, "Void receipt LX01-000001")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.purpose_label.text() == "Void receipt LX01-000001"
    QTest.keyClicks(dialog.pin_edit, OPERATOR_PIN)
    dialog.confirm_button.click()
    qtbot.waitUntil(dialog.pin_entry.message.isVisible)
    assert dialog.pin_entry.message.text() == said("not_coordinator")
    assert dialog.isVisible()
    assert dialog.coordinator is None
    assert dialog.pin == ""

    QTest.keyClicks(dialog.pin_edit, COORDINATOR_PIN)
    QTest.keyClick(dialog.pin_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.coordinator is not None)
    assert dialog.coordinator is not None
    assert dialog.coordinator.name == "张敏"
    assert dialog.pin == COORDINATOR_PIN
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_coordinator_pin_dialog_can_be_cancelled(qtbot: QtBot, runner: OperationRunner) -> None:
    dialog = CoordinatorPinDialog(runner, "Save the settings")
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.keyClick(dialog.pin_edit, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not dialog.isVisible()
    assert dialog.coordinator is None
