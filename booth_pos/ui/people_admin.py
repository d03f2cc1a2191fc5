"""The coordinator's people screen: who may use the till, their roles, PINs and lock-outs.

Writes go through booth_pos/services/people.py with the coordinator's PIN (the till's, or
asked for once and kept while the dialog is open).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from booth_pos.services import auth
from booth_pos.services import people as people_service
from booth_pos.ui import people
from booth_pos.ui.runner import OperationRunner
from booth_pos.ui.widgets import ResultFooter

ROLES = (auth.ROLE_OPERATOR, auth.ROLE_COORDINATOR)


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def _locked(until: dt.datetime | None, now: dt.datetime | None = None) -> str | None:
    """Local HH:MM until which a naive-UTC lock-out lasts, or None when not locked now."""
    if until is None:
        return None
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    if until <= now:
        return None
    return until.replace(tzinfo=dt.UTC).astimezone().strftime("%H:%M")


class PeopleDialog(ResultFooter, QDialog):
    """A table of the booth's people and what a coordinator can change about them."""

    def __init__(
        self, runner: OperationRunner, parent: QWidget | None = None, pin: str | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.pin = pin
        self.people: list[people_service.PersonView] = []
        self.loaded = False
        self.setWindowTitle(self.tr("People (coordinator)"))
        layout = QVBoxLayout(self)

        self.table = QTableWidget(0, 4)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selected)
        layout.addWidget(self.table, 1)

        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("Name, as on the login screen"))
        self.role_combo = QComboBox()
        for role in ROLES:
            self.role_combo.addItem(self._role_label(role), role)
        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setMaxLength(people.PIN_MAX_LENGTH)
        self.pin_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\d{0,8}"), self.pin_edit)
        )
        self.pin_edit.setPlaceholderText(self.tr("New PIN, 4 to 8 digits"))
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Role"), self.role_combo)
        form.addRow(self.tr("PIN"), self.pin_edit)
        layout.addLayout(form)

        buttons = QGridLayout()
        self.add_button = people.touch_button(self.tr("Add person"))
        self.add_button.clicked.connect(self.add_person)
        self.active_button = people.touch_button(self.tr("Deactivate"))
        self.active_button.clicked.connect(self.toggle_active)
        self.reset_pin_button = people.touch_button(self.tr("Reset PIN"))
        self.reset_pin_button.clicked.connect(self.reset_pin)
        self.role_button = people.touch_button(self.tr("Change role"))
        self.role_button.clicked.connect(self.change_role)
        for index, button in enumerate(
            (self.add_button, self.active_button, self.reset_pin_button, self.role_button)
        ):
            buttons.addWidget(button, 0, index)
        layout.addLayout(buttons)

        self.build_footer(layout)
        self.resize(760, 600)
        self._update_buttons()
        self.refresh()

    def _role_label(self, role: str) -> str:
        if role == auth.ROLE_COORDINATOR:
            return self.tr("Coordinator")
        if role == auth.ROLE_OPERATOR:
            return self.tr("Operator")
        return role

    # ---- shared ---------------------------------------------------------------------------
    def refresh(self) -> None:
        self.runner.read(self, people_service.list_people).done(self._show).failed(self.fail)

    def done_ok(self, text: str) -> None:
        super().done_ok(text)
        if people.alive(self):
            self.pin_edit.clear()
            self.refresh()

    def with_pin(self, action: Callable[[str], object]) -> None:
        """Run `action(pin)` with the coordinator's PIN, asking for it once if not given."""
        if self.pin is None:
            allowed = people.ask_coordinator_pin(
                self, self.runner, self.tr("Change who may use the till.")
            )
            if allowed is None:
                return
            self.pin = allowed[1]
        action(self.pin)

    # ---- the list -------------------------------------------------------------------------
    def _show(self, persons: list[people_service.PersonView]) -> None:
        if not people.alive(self):
            return
        selected = self.selected_name()
        self.people = list(persons)
        self.loaded = True
        table = self.table
        table.blockSignals(True)
        table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Role"), self.tr("Active"), self.tr("Locked out")]
        )
        table.setRowCount(len(self.people))
        for row, person in enumerate(self.people):
            until = _locked(person.locked_until)
            cells = (
                person.name,
                self._role_label(person.role),
                self.tr("yes") if person.active else self.tr("no"),
                "" if until is None else self.tr("until {0}").format(until),
            )
            for column, text in enumerate(cells):
                table.setItem(row, column, _item(text))
        table.blockSignals(False)
        if selected is not None:
            self.select(selected)
        self._update_buttons()

    def selected_name(self) -> str | None:
        person = self.selected()
        return None if person is None else person.name

    def selected(self) -> people_service.PersonView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.people):
            return None
        return self.people[rows[0].row()]

    def select(self, name: str) -> None:
        for row, person in enumerate(self.people):
            if person.name == name:
                self.table.selectRow(row)
                self._selected()
                return

    def _selected(self) -> None:
        person = self.selected()
        if person is not None:
            self.name_edit.setText(person.name)
            self.role_combo.setCurrentIndex(max(self.role_combo.findData(person.role), 0))
        self._update_buttons()

    def _update_buttons(self) -> None:
        person = self.selected()
        chosen = person is not None
        self.active_button.setEnabled(chosen)
        self.reset_pin_button.setEnabled(chosen)
        self.role_button.setEnabled(chosen)
        if person is not None and not person.active:
            self.active_button.setText(self.tr("Reactivate"))
        else:
            self.active_button.setText(self.tr("Deactivate"))

    # ---- changes --------------------------------------------------------------------------
    def add_person(self) -> None:
        name = self.name_edit.text().strip()
        role = str(self.role_combo.currentData())
        new_pin = self.pin_edit.text()
        if not name:
            self.fail(self.tr("Enter the new person's name."))
            return
        if not new_pin:
            self.fail(self.tr("Enter a PIN for the new person."))
            return
        text = self.tr("{0} can now log in.").format(name)
        self.with_pin(
            lambda pin: (
                self.runner.write(self, people_service.add_person, pin, name, role, new_pin)
                .done(lambda _r: self.done_ok(text))
                .failed(self.fail)
            )
        )

    def toggle_active(self) -> None:
        person = self.selected()
        if person is None:
            return
        name, active = person.name, not person.active
        text = (
            self.tr("{0} can log in again.").format(name)
            if active
            else self.tr("{0} can no longer log in.").format(name)
        )
        self.with_pin(
            lambda pin: (
                self.runner.write(self, people_service.set_active, pin, name, active)
                .done(lambda _r: self.done_ok(text))
                .failed(self.fail)
            )
        )

    def reset_pin(self) -> None:
        person = self.selected()
        if person is None:
            return
        new_pin = self.pin_edit.text()
        if not new_pin:
            self.fail(self.tr("Enter the new PIN first."))
            return
        name = person.name
        text = self.tr("{0} has a new PIN.").format(name)
        self.with_pin(
            lambda pin: (
                self.runner.write(self, people_service.reset_pin, pin, name, new_pin)
                .done(lambda _r: self.done_ok(text))
                .failed(self.fail)
            )
        )

    def change_role(self) -> None:
        person = self.selected()
        if person is None:
            return
        name = person.name
        role = str(self.role_combo.currentData())
        text = self.tr("{0} is now: {1}.").format(name, self._role_label(role))
        self.with_pin(
            lambda pin: (
                self.runner.write(self, people_service.set_role, pin, name, role)
                .done(lambda _r: self.done_ok(text))
                .failed(self.fail)
            )
        )
