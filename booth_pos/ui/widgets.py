"""Small building blocks shared by the screens: fonts and finger-sized buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

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
