"""Small building blocks shared by the screens: fonts and finger-sized buttons."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QBoxLayout, QDialog, QLabel, QPushButton, QSizePolicy, QWidget

BUTTON_HEIGHT = 56  # a fingertip on a cheap touch screen


def sized(widget: QWidget, points: int, bold: bool = False) -> None:
    font = widget.font()
    font.setPointSize(points)
    font.setBold(bold)
    widget.setFont(font)


def keypad_button(text: str, height: int = BUTTON_HEIGHT, points: int = 14) -> QPushButton:
    """A touch button that never takes keyboard focus, so keys keep going to the dialog."""
    button = QPushButton(text)
    button.setMinimumHeight(height)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Enter never "clicks" a keypad key
    button.setAutoDefault(False)
    sized(button, points)
    return button


OK_STYLE = "color:#1b5e20;font-weight:bold;"


class ResultFooter:
    """The bottom of the coordinator's dialogs: an error line, a done line and Close (Esc).

    Mixed into a QDialog; `build_footer` adds the widgets, `fail` and `done_ok` fill them.
    """

    message: QLabel
    info: QLabel
    close_button: QPushButton

    def build_footer(self, layout: QBoxLayout) -> None:
        from booth_pos.ui import people  # people imports this module

        dialog = cast(QDialog, self)
        self.message = people.message_label()
        layout.addWidget(self.message)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setStyleSheet(OK_STYLE)
        layout.addWidget(self.info)
        self.close_button = people.touch_button(
            QCoreApplication.translate("ResultFooter", "Close (Esc)")
        )
        self.close_button.clicked.connect(dialog.accept)
        layout.addWidget(self.close_button)

    def fail(self, message: str) -> None:
        from booth_pos.ui import people

        if people.alive(cast(QDialog, self)):
            self.info.clear()
            people.show_message(self.message, message)

    def done_ok(self, text: str) -> None:
        from booth_pos.ui import people

        if people.alive(cast(QDialog, self)):
            people.show_message(self.message, "")
            self.info.setText(text)
