"""First run: which booth this is, who its coordinator is, and what it sells.

Nothing is written until Finish, and then all of it in one transaction: a mistake anywhere
(a bad booth code, a bad CSV row) is shown and the ledger stays empty, ready to try again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from booth_pos.services import setup
from booth_pos.services.booth import BoothView
from booth_pos.services.demo import DEMO_PEOPLE
from booth_pos.ui.people import TOUCH_HEIGHT, alive, message_label, show_message, touch_button
from booth_pos.ui.runner import OperationRunner

PIN_MIN, PIN_MAX = 4, 8


def _line_edit(max_length: int, pattern: str | None = None) -> QLineEdit:
    edit = QLineEdit()
    edit.setMinimumHeight(TOUCH_HEIGHT)
    edit.setMaxLength(max_length)
    if pattern is not None:
        edit.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), edit))
    return edit


def _pin_edit() -> QLineEdit:
    edit = _line_edit(PIN_MAX, rf"\d{{0,{PIN_MAX}}}")
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class BoothPage(QWizardPage):
    """Page 1: the booth's code (it starts every receipt number), name and town."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Which booth is this?"))
        self.setSubTitle(
            self.tr(
                "The booth code starts every receipt number (LX01-000001), "
                "so keep it short: 2 to 12 letters or digits."
            )
        )
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.code_edit = _line_edit(12, r"[A-Za-z0-9]{0,12}")
        self.code_edit.setPlaceholderText(self.tr("e.g. {0}").format("LX01"))
        self.name_edit = _line_edit(100)
        self.name_edit.setPlaceholderText(self.tr("e.g. {0}").format("后湖莲藕摊"))
        self.town_edit = _line_edit(100)
        self.town_edit.setPlaceholderText(self.tr("e.g. {0}").format("莲花镇"))
        form.addRow(self.tr("Booth code"), self.code_edit)
        form.addRow(self.tr("Booth name"), self.name_edit)
        form.addRow(self.tr("Town"), self.town_edit)
        layout.addLayout(form)
        self.message = message_label()
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.code_edit.textEdited.connect(lambda _text: show_message(self.message, ""))
        # Mandatory fields: Next stays off until each has something in it.
        self.registerField("booth_code*", self.code_edit)
        self.registerField("booth_name*", self.name_edit)
        self.registerField("booth_town*", self.town_edit)

    def isComplete(self) -> bool:
        return all(edit.text().strip() for edit in (self.code_edit, self.name_edit, self.town_edit))

    def validatePage(self) -> bool:
        # The ledger checks the code too (on Finish); this just says so before page 2.
        code = self.code_edit.text().strip()
        ok = 2 <= len(code) <= 12 and code.isascii() and code.isalnum()
        problem = "" if ok else self.tr("The booth code must be 2 to 12 letters or digits.")
        show_message(self.message, problem)
        return ok


class CoordinatorPage(QWizardPage):
    """Page 2: the coordinator, whose PIN allows voids, refunds and settings changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Who is the coordinator?"))
        self.setSubTitle(
            self.tr(
                "The coordinator's PIN allows voids, refunds and changes to the settings. "
                "Choose 4 to 8 digits and enter them twice."
            )
        )
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name_edit = _line_edit(50)
        self.pin_edit = _pin_edit()
        self.pin_again_edit = _pin_edit()
        form.addRow(self.tr("Coordinator's name"), self.name_edit)
        form.addRow(self.tr("PIN"), self.pin_edit)
        form.addRow(self.tr("PIN again"), self.pin_again_edit)
        layout.addLayout(form)
        self.message = message_label()
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.registerField("coordinator_name*", self.name_edit)
        self.registerField("coordinator_pin*", self.pin_edit)
        self.registerField("coordinator_pin_again*", self.pin_again_edit)
        for edit in (self.pin_edit, self.pin_again_edit):
            edit.textEdited.connect(lambda _text: show_message(self.message, ""))

    def isComplete(self) -> bool:
        return bool(
            self.name_edit.text().strip() and self.pin_edit.text() and self.pin_again_edit.text()
        )

    def problem(self) -> str:
        """What is wrong with the PINs as entered, in words; empty if nothing."""
        pin = self.pin_edit.text()
        if not PIN_MIN <= len(pin) <= PIN_MAX or not pin.isdigit():
            return self.tr("The PIN must be {0} to {1} digits.").format(PIN_MIN, PIN_MAX)
        if pin != self.pin_again_edit.text():
            return self.tr("The two PINs are not the same. Enter them again.")
        return ""

    def validatePage(self) -> bool:
        problem = self.problem()
        show_message(self.message, problem)
        if problem:
            self.pin_edit.clear()
            self.pin_again_edit.clear()
            self.pin_edit.setFocus()
        return not problem


class GoodsPage(QWizardPage):
    """Page 3: start from the demo goods, a catalogue CSV file, or nothing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("What does the booth sell?"))
        self.setSubTitle(self.tr("You can import or change the catalogue later too."))
        layout = QVBoxLayout(self)
        # Big checkable buttons rather than radio buttons: the whole button takes the tap.
        self.demo_choice = touch_button(self.tr("Load the demo goods (to try the till out)"))
        self.csv_choice = touch_button(self.tr("Import a catalogue CSV file"))
        self.empty_choice = touch_button(self.tr("Start with no goods"))
        self.choice = QButtonGroup(self)
        self.choice.setExclusive(True)
        for button in (self.demo_choice, self.csv_choice, self.empty_choice):
            button.setCheckable(True)
            self.choice.addButton(button)
        self.demo_choice.setChecked(True)

        layout.addWidget(self.demo_choice)
        people = ", ".join(
            self.tr("{0} (PIN {1})").format(name, pin) for name, _role, pin in DEMO_PEOPLE
        )
        self.demo_note = QLabel(
            self.tr(
                "The demo also adds sample people who can log in: {0}. "
                "{1} is a coordinator too. Use the demo for practice, not for real trade."
            ).format(people, DEMO_PEOPLE[0][0])
        )
        self.demo_note.setWordWrap(True)
        self.demo_note.setIndent(24)
        layout.addWidget(self.demo_note)

        layout.addWidget(self.csv_choice)
        row = QHBoxLayout()
        self.csv_path_edit = _line_edit(1000)
        self.csv_path_edit.setPlaceholderText(self.tr("No file chosen"))
        self.csv_path_edit.setReadOnly(True)
        self.choose_button = touch_button(self.tr("Choose file…"))
        self.choose_button.clicked.connect(self.choose_csv)
        row.addWidget(self.csv_path_edit, 1)
        row.addWidget(self.choose_button)
        layout.addLayout(row)
        layout.addWidget(self.empty_choice)

        self.message = message_label()
        layout.addWidget(self.message)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addStretch(1)

        self.choice.buttonToggled.connect(lambda _button, _on: self._changed())
        self.csv_path_edit.textChanged.connect(lambda _text: self._changed())
        self._changed()

    def _changed(self) -> None:
        csv = self.csv_choice.isChecked()
        self.csv_path_edit.setEnabled(csv)
        self.choose_button.setEnabled(csv)
        show_message(self.message, "")
        self.completeChanged.emit()

    def choose_csv(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a catalogue CSV file"),
            "",
            self.tr("CSV files (*.csv);;All files (*)"),
        )
        if path:
            self.set_csv_path(path)

    def set_csv_path(self, path: str) -> None:
        self.csv_choice.setChecked(True)
        self.csv_path_edit.setText(path)

    def csv_path(self) -> Path | None:
        if not self.csv_choice.isChecked():
            return None
        text = self.csv_path_edit.text().strip()
        return Path(text) if text else None

    def isComplete(self) -> bool:
        return not self.csv_choice.isChecked() or bool(self.csv_path_edit.text().strip())


class FirstRunWizard(QWizard):
    """Sets up the booth on an empty ledger. On success `booth` is the new booth."""

    booth_ready = Signal(object)  # BoothView

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.booth: BoothView | None = None
        self._busy = False
        self._done = False
        self.setWindowTitle(self.tr("Set up this booth"))
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.resize(820, 620)
        self.booth_page = BoothPage()
        self.coordinator_page = CoordinatorPage()
        self.goods_page = GoodsPage()
        for page in (self.booth_page, self.coordinator_page, self.goods_page):
            self.addPage(page)
        texts = {
            QWizard.WizardButton.BackButton: self.tr("Back"),
            QWizard.WizardButton.NextButton: self.tr("Next (Enter)"),
            QWizard.WizardButton.FinishButton: self.tr("Set up the booth (Enter)"),
            QWizard.WizardButton.CancelButton: self.tr("Cancel (Esc)"),
        }
        for which, text in texts.items():
            self.setButtonText(which, text)
            self.button(which).setMinimumHeight(TOUCH_HEIGHT)

    def accept(self) -> None:
        """Finish: write everything in one go; close only once it is written."""
        if self._done:
            super().accept()
            return
        if self._busy:
            return
        problem = self.coordinator_page.problem()
        if problem:
            show_message(self.goods_page.message, problem)
            show_message(self.coordinator_page.message, problem)
            return
        if not self.goods_page.isComplete():
            show_message(self.goods_page.message, self.tr("Choose a CSV file first."))
            return
        self._set_busy(True)
        show_message(self.goods_page.message, "")
        self.goods_page.status.setText(self.tr("Setting up the booth…"))
        self.runner.write(
            self,
            setup.setup_booth,
            self.booth_page.code_edit.text().strip(),
            self.booth_page.name_edit.text(),
            self.booth_page.town_edit.text(),
            self.coordinator_page.name_edit.text().strip(),
            self.coordinator_page.pin_edit.text(),
            self.goods_page.demo_choice.isChecked(),
            self.goods_page.csv_path(),
        ).done(self._set_up).failed(self._failed)

    def reject(self) -> None:
        if self._busy:  # the write is under way; let it finish and report
            return
        super().reject()

    def _set_up(self, view: BoothView) -> None:
        if not alive(self):
            return
        self._set_busy(False)
        self.booth = view
        self._done = True
        self.goods_page.status.setText("")
        self.booth_ready.emit(view)
        self.accept()

    def _failed(self, message: str) -> None:
        if not alive(self):
            return
        self._set_busy(False)
        self.goods_page.status.setText("")
        show_message(self.goods_page.message, message)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for which in (
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CancelButton,
        ):
            self.button(which).setEnabled(not busy)
