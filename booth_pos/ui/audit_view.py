"""The audit trail, read-only: who did which sensitive thing, when, with what details."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from booth_pos.services import audit
from booth_pos.services import people as people_service
from booth_pos.ui import people
from booth_pos.ui.runner import OperationRunner

LIMIT = 500


def local_time(at: dt.datetime, utc_offset_min: int) -> str:
    """The booth's wall-clock time when it happened: naive UTC plus the offset it had then."""
    return (at + dt.timedelta(minutes=utc_offset_min)).strftime("%Y-%m-%d %H:%M:%S")


def summary(details: dict[str, Any]) -> str:
    """`key: value` pairs on one line, in the order the service gave them."""
    parts = []
    for key, value in details.items():
        text = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        parts.append(f"{key}: {text}")
    return "; ".join(parts)


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class AuditDialog(QDialog):
    """The newest entries first, filtered by action and by operator."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.entries: list[audit.AuditView] = []
        self.loaded = False
        self.setWindowTitle(self.tr("Audit trail"))
        layout = QVBoxLayout(self)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Action")))
        self.action_combo = QComboBox()
        self.action_combo.addItem(self.tr("All actions"), None)
        for action in audit.AUDIT_ACTIONS:
            self.action_combo.addItem(self.action_label(action), action)
        self.action_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        filters.addWidget(self.action_combo, 1)
        filters.addWidget(QLabel(self.tr("Operator")))
        self.operator_combo = QComboBox()
        self.operator_combo.addItem(self.tr("Everyone"), None)
        self.operator_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        filters.addWidget(self.operator_combo, 1)
        self.refresh_button = people.touch_button(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        filters.addWidget(self.refresh_button)
        layout.addLayout(filters)

        self.table = QTableWidget(0, 4)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("Action"), self.tr("Operator"), self.tr("Details")]
        )
        layout.addWidget(self.table, 1)
        self.count_label = QLabel()
        layout.addWidget(self.count_label)
        self.message = people.message_label()
        layout.addWidget(self.message)
        self.close_button = people.touch_button(self.tr("Close (Esc)"))
        self.close_button.clicked.connect(self.accept)
        layout.addWidget(self.close_button)
        self.resize(980, 640)
        self.runner.read(self, people_service.list_people).done(self._show_people).failed(self.fail)
        self.refresh()

    def action_label(self, action: str) -> str:
        labels = {
            "void": self.tr("Void"),
            "refund": self.tr("Refund"),
            "price_change": self.tr("Price change"),
            "price_override": self.tr("Price override"),
            "round_down": self.tr("Round-down"),
            "drawer_open": self.tr("Drawer opened"),
            "product_change": self.tr("Product change"),
            "household_change": self.tr("Household change"),
            "people_change": self.tr("People change"),
            "day_close": self.tr("Day close"),
            "pin_failed": self.tr("Wrong PIN"),
            "settings_change": self.tr("Settings change"),
            "catalog_import": self.tr("Catalogue import"),
        }
        return labels.get(action, action)

    def fail(self, message: str) -> None:
        if people.alive(self):
            people.show_message(self.message, message)

    def set_action(self, action: str | None) -> None:
        self.action_combo.setCurrentIndex(max(self.action_combo.findData(action), 0))

    def set_operator(self, operator: str | None) -> None:
        self.operator_combo.setCurrentIndex(max(self.operator_combo.findData(operator), 0))

    def refresh(self) -> None:
        action = self.action_combo.currentData()
        operator = self.operator_combo.currentData()
        self.runner.read(self, audit.list_audit, action, operator, None, LIMIT).done(
            self._show
        ).failed(self.fail)

    def _show_people(self, persons: list[people_service.PersonView]) -> None:
        if not people.alive(self):
            return
        current = self.operator_combo.currentData()
        self.operator_combo.blockSignals(True)
        for person in persons:
            if self.operator_combo.findData(person.name) < 0:
                self.operator_combo.addItem(person.name, person.name)
        self.operator_combo.setCurrentIndex(max(self.operator_combo.findData(current), 0))
        self.operator_combo.blockSignals(False)

    def _show(self, entries: list[audit.AuditView]) -> None:
        if not people.alive(self):
            return
        self.entries = list(entries)
        self.loaded = True
        people.show_message(self.message, "")
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            cells = (
                local_time(entry.at, entry.utc_offset_min),
                self.action_label(entry.action),
                entry.operator or "",
                summary(entry.details),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, _item(text))
        text = self.tr("{0} entries, newest first.").format(len(self.entries))
        if len(self.entries) >= LIMIT:
            text += " " + self.tr("Only the newest {0} are shown.").format(LIMIT)
        self.count_label.setText(text)
