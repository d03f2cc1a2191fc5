"""Who is at the till: the login screen, and a coordinator's PIN for a sensitive action."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from booth_pos.services import auth, sync_client
from booth_pos.services.auth import OperatorView
from booth_pos.ui.county_status import county_text
from booth_pos.ui.runner import OperationRunner

TOUCH_HEIGHT = 56  # the smallest thing a finger should have to hit
TOUCH_WIDTH = 120
PIN_MAX_LENGTH = 8
MESSAGE_STYLE = "color: #b00020; font-weight: bold;"


def alive(widget: QWidget) -> bool:
    """False once Qt has deleted the widget (a reply may arrive after its dialog is gone)."""
    return shiboken6.isValid(widget)


def touch_button(text: str, parent: QWidget | None = None) -> QPushButton:
    """A push button big enough for a finger that never grabs Enter from the default button."""
    button = QPushButton(text, parent)
    button.setMinimumHeight(TOUCH_HEIGHT)
    button.setMinimumWidth(TOUCH_WIDTH)
    button.setAutoDefault(False)
    return button


def message_label(parent: QWidget | None = None) -> QLabel:
    """Where an operator-facing error sentence is shown; empty (and hidden) when all is well."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet(MESSAGE_STYLE)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setVisible(False)
    return label


def show_message(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class PinEntry(QWidget):
    """A PIN field (shown as dots) with an on-screen digit keypad and a message line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setMaxLength(PIN_MAX_LENGTH)
        self.pin_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\d{0,8}"), self.pin_edit)
        )
        self.pin_edit.setPlaceholderText(self.tr("PIN"))
        self.pin_edit.setMinimumHeight(TOUCH_HEIGHT)
        self.pin_edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.pin_edit.font()
        font.setPointSize(max(font.pointSize(), 10) * 2)
        self.pin_edit.setFont(font)
        layout.addWidget(self.pin_edit)

        pad = QGridLayout()
        self.digit_buttons: dict[str, QPushButton] = {}
        for index, digit in enumerate("123456789"):
            button = self._key(digit)
            button.clicked.connect(lambda _=False, d=digit: self.pin_edit.insert(d))
            pad.addWidget(button, index // 3, index % 3)
            self.digit_buttons[digit] = button
        self.clear_button = self._key(self.tr("Clear"))
        self.clear_button.clicked.connect(self.pin_edit.clear)
        zero = self._key("0")
        zero.clicked.connect(lambda: self.pin_edit.insert("0"))
        self.digit_buttons["0"] = zero
        self.back_button = self._key(self.tr("⌫ Back"))
        self.back_button.clicked.connect(self.pin_edit.backspace)
        pad.addWidget(self.clear_button, 3, 0)
        pad.addWidget(zero, 3, 1)
        pad.addWidget(self.back_button, 3, 2)
        layout.addLayout(pad)

        self.message = message_label()
        layout.addWidget(self.message)

    def _key(self, text: str) -> QPushButton:
        button = touch_button(text, self)
        button.setMinimumWidth(88)
        # The keypad never takes the focus, so typed digits and Enter keep working.
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    def text(self) -> str:
        return self.pin_edit.text()

    def clear(self) -> None:
        self.pin_edit.clear()
        self.pin_edit.setFocus()

    def show_message(self, text: str) -> None:
        show_message(self.message, text)


class LoginDialog(QDialog):
    """Pick your name, enter your PIN. On success `operator` is who is at the till."""

    logged_in = Signal(object)  # OperatorView
    quit_requested = Signal()

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.operator: OperatorView | None = None
        self.operators: list[OperatorView] = []
        self.operator_buttons: dict[str, QPushButton] = {}
        self._busy = False
        self.setWindowTitle(self.tr("Log in"))
        self.setMinimumSize(720, 560)

        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("Who is at the till? Tap your name, then enter your PIN."))
        heading.setWordWrap(True)
        layout.addWidget(heading)

        body = QHBoxLayout()
        self._names = QWidget()
        self._names_layout = QGridLayout(self._names)
        self._names_layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.status = QLabel(self.tr("Loading the people at this booth…"))
        self.status.setWordWrap(True)
        self._names_layout.addWidget(self.status, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._names)
        body.addWidget(scroll, 3)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)

        self.pin_entry = PinEntry()
        self.pin_edit = self.pin_entry.pin_edit
        self.group.buttonClicked.connect(lambda _button: self.pin_entry.clear())
        body.addWidget(self.pin_entry, 2)
        layout.addLayout(body, 1)

        buttons = QHBoxLayout()
        # Uploads go on while the till waits here; this line says how they are doing.
        self.county_label = QLabel()
        self.county_label.setWordWrap(True)
        buttons.addWidget(self.county_label, 1)
        self.quit_button = touch_button(self.tr("Quit"))
        self.quit_button.clicked.connect(self.quit_requested.emit)
        buttons.addWidget(self.quit_button)
        self.cancel_button = touch_button(self.tr("Cancel (Esc)"))
        self.cancel_button.clicked.connect(self.reject)
        self.login_button = touch_button(self.tr("Log in (Enter)"))
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self.log_in)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.login_button)
        layout.addLayout(buttons)

        self.runner.read(self, auth.list_operators).done(self._show_operators).failed(
            self._show_load_error
        )

    def show_county(self, state: sync_client.SyncStatus) -> None:
        if alive(self):
            self.county_label.setText(county_text(state))

    # -- operators ---------------------------------------------------------------------------

    def _show_operators(self, operators: list[OperatorView]) -> None:
        if not alive(self):
            return
        self.operators = list(operators)
        self.status.setVisible(not operators)
        if not operators:
            self.status.setText(self.tr("Nobody can log in yet: set up the booth first."))
            return
        for index, person in enumerate(operators):
            text = person.name
            if person.role == auth.ROLE_COORDINATOR:
                text = self.tr("{0}\n(coordinator)").format(person.name)
            button = touch_button(text)
            button.setCheckable(True)
            button.setMinimumHeight(TOUCH_HEIGHT + 16)
            button.setProperty("operator_name", person.name)
            self.group.addButton(button)
            self._names_layout.addWidget(button, 1 + index // 2, index % 2)
            self.operator_buttons[person.name] = button
        if len(operators) == 1:
            self.select_operator(operators[0].name)
        self.pin_edit.setFocus()

    def _show_load_error(self, message: str) -> None:
        if alive(self):
            self.status.setText(message)
            self.status.setVisible(True)

    def select_operator(self, name: str) -> None:
        self.operator_buttons[name].setChecked(True)
        self.pin_entry.clear()

    def selected_name(self) -> str | None:
        button = self.group.checkedButton()
        return None if button is None else str(button.property("operator_name"))

    # -- logging in --------------------------------------------------------------------------

    def log_in(self) -> None:
        if self._busy:
            return
        name = self.selected_name()
        if name is None:
            self.pin_entry.show_message(self.tr("Tap your name first."))
            return
        pin = self.pin_entry.text()
        if not pin:
            self.pin_entry.show_message(self.tr("Enter your PIN."))
            return
        self._set_busy(True)
        self.runner.read(self, auth.log_in, name, pin).done(self._logged_in).failed(self._refused)

    def _logged_in(self, operator: OperatorView) -> None:
        if not alive(self):
            return
        self._set_busy(False)
        self.operator = operator
        self.pin_entry.show_message("")
        self.logged_in.emit(operator)
        self.accept()

    def _refused(self, message: str) -> None:
        if not alive(self):
            return
        self._set_busy(False)
        self.pin_entry.show_message(message)
        self.pin_entry.clear()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.login_button.setEnabled(not busy)


class CoordinatorPinDialog(QDialog):
    """A coordinator steps up and enters their PIN to allow one sensitive action.

    On accept, `coordinator` is who allowed it and `pin` is the PIN they entered (services
    check it again inside the same transaction as the action)."""

    def __init__(
        self, runner: OperationRunner, purpose: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.coordinator: OperatorView | None = None
        self.pin = ""
        self._busy = False
        self.setWindowTitle(self.tr("Coordinator PIN"))
        self.setMinimumWidth(440)

        layout = QVBoxLayout(self)
        self.purpose_label = QLabel(purpose)
        self.purpose_label.setWordWrap(True)
        font = self.purpose_label.font()
        font.setBold(True)
        font.setPointSize(max(font.pointSize(), 10) + 4)
        self.purpose_label.setFont(font)
        layout.addWidget(self.purpose_label)
        hint = QLabel(self.tr("A coordinator enters their PIN to allow this."))
        hint.setWordWrap(True)
        layout.addWidget(hint)

        self.pin_entry = PinEntry()
        self.pin_edit = self.pin_entry.pin_edit
        layout.addWidget(self.pin_entry)

        buttons = QHBoxLayout()
        self.cancel_button = touch_button(self.tr("Cancel (Esc)"))
        self.cancel_button.clicked.connect(self.reject)
        self.confirm_button = touch_button(self.tr("Allow (Enter)"))
        self.confirm_button.setDefault(True)
        self.confirm_button.clicked.connect(self.confirm)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button)
        layout.addLayout(buttons)
        self.pin_edit.setFocus()

    def confirm(self) -> None:
        if self._busy:
            return
        pin = self.pin_entry.text()
        if not pin:
            self.pin_entry.show_message(self.tr("Enter a coordinator's PIN."))
            return
        self._set_busy(True)
        self.runner.read(self, auth.check_coordinator, pin).done(
            lambda coordinator: self._allowed(coordinator, pin)
        ).failed(self._refused)

    def _allowed(self, coordinator: OperatorView, pin: str) -> None:
        if not alive(self):
            return
        self._set_busy(False)
        self.coordinator = coordinator
        self.pin = pin
        self.pin_entry.show_message("")
        self.accept()

    def _refused(self, message: str) -> None:
        if not alive(self):
            return
        self._set_busy(False)
        self.pin_entry.show_message(message)
        self.pin_entry.clear()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.confirm_button.setEnabled(not busy)


def ask_coordinator_pin(
    parent: QWidget | None, runner: OperationRunner, purpose: str
) -> tuple[OperatorView, str] | None:
    """Ask for a coordinator's PIN on the spot: (coordinator, pin), or None if cancelled.

    Screens call this through the module (`people.ask_coordinator_pin(...)`) so tests can
    replace it instead of driving a modal dialog."""
    dialog = CoordinatorPinDialog(runner, purpose, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.coordinator is not None:
            return dialog.coordinator, dialog.pin
        return None
    finally:
        dialog.deleteLater()
