"""Answer the coordinator's PIN dialog the way a person does, while its exec() runs."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from booth_pos.ui.people import CoordinatorPinDialog


def answer_pin(pin: str, within_ms: int = 10_000) -> list[str]:
    """Arm before the click that asks: the next PIN dialog gets `pin` typed and Allow tapped.

    Returns a list that receives the dialog's purpose once it was answered.
    """
    answered: list[str] = []
    timer = QTimer(QApplication.instance())  # lives until it has answered or given up
    timer.setInterval(20)
    waited = [0]

    def look() -> None:
        waited[0] += 20
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, CoordinatorPinDialog) and dialog.isVisible():
            timer.stop()
            for digit in pin:
                dialog.pin_entry.digit_buttons[digit].click()
            answered.append(dialog.purpose_label.text())
            dialog.confirm_button.click()
            timer.deleteLater()
        elif waited[0] > within_ms:
            timer.stop()
            timer.deleteLater()

    timer.timeout.connect(look)
    timer.start()
    return answered
