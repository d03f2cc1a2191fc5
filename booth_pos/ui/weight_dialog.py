"""The weight keypad: type what the scale shows in kg, jin or g, take off the basket, see the price.

All the rules live in `domain.weighing.WeightDraft`; this dialog shows its state and feeds it
taps and keys. Digits typed on a physical keyboard work as well as the on-screen keypad.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from booth_pos.domain.money import format_yuan
from booth_pos.domain.quantity import PricingUnit, Quantity, WeightUnit, format_kg
from booth_pos.domain.weighing import WeightDraft
from booth_pos.services.settings import TarePreset
from booth_pos.ui import i18n
from booth_pos.ui.widgets import keypad_button, sized

KEY_HEIGHT = 64
UNIT_KEYS = (
    (WeightUnit.KG, Qt.Key.Key_F1),
    (WeightUnit.JIN, Qt.Key.Key_F2),
    (WeightUnit.G, Qt.Key.Key_F3),
)
PRESET_KEYS = (Qt.Key.Key_F5, Qt.Key.Key_F6, Qt.Key.Key_F7, Qt.Key.Key_F8)


class WeightDialog(QDialog):
    """Ask for the weight of one weighed product; after `exec()` accepts, `result_quantity()`."""

    def __init__(
        self,
        name: str,
        unit: PricingUnit,
        unit_price_fen: int,
        tare_presets: Sequence[TarePreset],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.draft = WeightDraft(unit, unit_price_fen)
        self.tare_presets = tuple(tare_presets)
        self._result: Quantity | None = None
        self.setWindowTitle(self.tr("Weight"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._unit_names = {
            WeightUnit.KG: self.tr("kg"),
            WeightUnit.JIN: self.tr("jin"),
            WeightUnit.G: self.tr("g"),
        }

        layout = QVBoxLayout(self)
        self.name_label = QLabel(name)
        sized(self.name_label, 20, bold=True)
        price = "¥" + format_yuan(unit_price_fen)
        self.price_label = QLabel(
            self.tr("{0} per kg").format(price)
            if unit is PricingUnit.KG
            else self.tr("{0} per jin").format(price)
        )
        sized(self.price_label, 16)
        header = QHBoxLayout()
        header.addWidget(self.name_label, 1)
        header.addWidget(self.price_label)
        layout.addLayout(header)

        body = QHBoxLayout()
        body.addLayout(self._build_readout(), 3)
        body.addLayout(self._build_keypad(), 3)
        body.addLayout(self._build_units_and_tare(), 2)
        layout.addLayout(body)

        actions = QHBoxLayout()
        self.cancel_button = keypad_button(self.tr("Cancel (Esc)"), KEY_HEIGHT)
        self.cancel_button.clicked.connect(self.reject)
        self.ok_button = keypad_button(self.tr("OK (Enter)"), KEY_HEIGHT, 20)
        self.ok_button.clicked.connect(self.confirm)
        actions.addWidget(self.cancel_button, 1)
        actions.addWidget(self.ok_button, 2)
        layout.addLayout(actions)

        self._keys: dict[int, QPushButton] = {
            Qt.Key.Key_Backspace: self.backspace_button,
            Qt.Key.Key_Delete: self.clear_button,
            Qt.Key.Key_F4: self.no_tare_button,
        }
        for weight_unit, key in UNIT_KEYS:
            self._keys[key] = self.unit_buttons[weight_unit]
        for button, key in zip(self.tare_buttons, PRESET_KEYS, strict=False):
            self._keys[key] = button
        self._refresh()

    # -- building ------------------------------------------------------------------------

    def _build_readout(self) -> QVBoxLayout:
        column = QVBoxLayout()
        self.weight_label = QLabel()
        self.weight_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.weight_label.setFrameShape(QLabel.Shape.StyledPanel)
        self.weight_label.setMinimumHeight(KEY_HEIGHT)
        sized(self.weight_label, 26, bold=True)
        column.addWidget(self.weight_label)
        self.net_label = QLabel()
        self.net_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.net_label.setWordWrap(True)
        sized(self.net_label, 14)
        column.addWidget(self.net_label)
        column.addStretch(1)
        self.amount_label = QLabel()
        self.amount_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        sized(self.amount_label, 32, bold=True)
        column.addWidget(self.amount_label)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b00020;")
        sized(self.problem_label, 13)
        column.addWidget(self.problem_label)
        column.addStretch(1)
        return column

    def _build_keypad(self) -> QGridLayout:
        grid = QGridLayout()
        self.key_buttons: dict[str, QPushButton] = {}
        rows = (("7", "8", "9"), ("4", "5", "6"), ("1", "2", "3"), (".", "0"))
        for r, keys in enumerate(rows):
            for c, key in enumerate(keys):
                button = keypad_button(key, KEY_HEIGHT, 20)
                button.clicked.connect(self._key_handler(key))
                self.key_buttons[key] = button
                grid.addWidget(button, r, c)
        self.backspace_button = keypad_button("⌫", KEY_HEIGHT, 20)
        self.backspace_button.setToolTip(self.tr("Backspace"))
        self.backspace_button.clicked.connect(self._backspace)
        grid.addWidget(self.backspace_button, 3, 2)
        self.clear_button = keypad_button(self.tr("Clear (Del)"), KEY_HEIGHT)
        self.clear_button.clicked.connect(self._clear)
        grid.addWidget(self.clear_button, 4, 0, 1, 3)
        return grid

    def _build_units_and_tare(self) -> QVBoxLayout:
        column = QVBoxLayout()
        unit_labels = {
            WeightUnit.KG: self.tr("kg (F1)"),
            WeightUnit.JIN: self.tr("jin (F2)"),
            WeightUnit.G: self.tr("g (F3)"),
        }
        units = QHBoxLayout()
        self.unit_group = QButtonGroup(self)
        self.unit_buttons: dict[WeightUnit, QPushButton] = {}
        for weight_unit, _key in UNIT_KEYS:
            button = keypad_button(unit_labels[weight_unit])
            button.setCheckable(True)
            button.clicked.connect(self._unit_handler(weight_unit))
            self.unit_group.addButton(button)
            self.unit_buttons[weight_unit] = button
            units.addWidget(button)
        column.addLayout(units)

        title = QLabel(self.tr("Tare"))
        sized(title, 14, bold=True)
        column.addWidget(title)
        self.tare_group = QButtonGroup(self)
        self.no_tare_button = keypad_button(self.tr("No tare (F4)"))
        self.no_tare_button.setCheckable(True)
        self.no_tare_button.clicked.connect(self._tare_handler(0))
        self.tare_group.addButton(self.no_tare_button)
        column.addWidget(self.no_tare_button)
        self.tare_buttons: list[QPushButton] = []
        for index, preset in enumerate(self.tare_presets):
            if index < len(PRESET_KEYS):
                text = self.tr("{0} {1} g (F{2})").format(preset.name, preset.grams, index + 5)
            else:
                text = self.tr("{0} {1} g").format(preset.name, preset.grams)
            button = keypad_button(text)
            button.setCheckable(True)
            button.clicked.connect(self._tare_handler(preset.grams))
            self.tare_group.addButton(button)
            self.tare_buttons.append(button)
            column.addWidget(button)
        column.addStretch(1)
        return column

    # -- handlers ------------------------------------------------------------------------

    def _key_handler(self, key: str) -> Callable[[], None]:
        return lambda: self.type_key(key)

    def _unit_handler(self, unit: WeightUnit) -> Callable[[], None]:
        return lambda: self.set_unit(unit)

    def _tare_handler(self, grams: int) -> Callable[[], None]:
        return lambda: self.set_tare(grams)

    def type_key(self, key: str) -> None:
        self.draft.type_key(key)
        self._refresh()

    def set_unit(self, unit: WeightUnit) -> None:
        self.draft.set_unit(unit)
        self._refresh()

    def set_tare(self, grams: int) -> None:
        self.draft.set_tare(grams)
        self._refresh()

    def _backspace(self) -> None:
        self.draft.backspace()
        self._refresh()

    def _clear(self) -> None:
        self.draft.clear()
        self._refresh()

    def confirm(self) -> None:
        if self.draft.problem is not None:
            return
        self._result = self.draft.quantity()
        self.accept()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.setFocus()  # no child takes focus, so typed digits always reach the keypad

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.confirm()
            event.accept()
            return
        button = self._keys.get(key)
        if button is not None:
            button.click()
            event.accept()
            return
        text = event.text().replace(",", ".")
        if text and text in "0123456789.":
            self.type_key(text)
            event.accept()
            return
        super().keyPressEvent(event)

    # -- showing -------------------------------------------------------------------------

    def _refresh(self) -> None:
        draft = self.draft
        for weight_unit, button in self.unit_buttons.items():
            button.setChecked(weight_unit is draft.entry_unit)
        # The exclusive group keeps the tapped tare button checked (two presets may weigh the
        # same, so the draft's grams alone cannot say which one); "no tare" starts checked.
        if draft.tare_grams == 0:
            self.no_tare_button.setChecked(True)

        self.weight_label.setText(f"{draft.text or '0'} {self._unit_names[draft.entry_unit]}")
        problem = draft.problem
        net = draft.net_grams
        if draft.tare_grams and net is not None and net > 0:
            self.net_label.setText(
                self.tr("Less tare {0} g: net {1} kg").format(draft.tare_grams, format_kg(net))
            )
        elif draft.tare_grams:
            self.net_label.setText(self.tr("Less tare {0} g").format(draft.tare_grams))
        else:
            self.net_label.setText("")
        self.amount_label.setText(self.tr("Amount {0}").format("¥" + format_yuan(draft.amount_fen)))
        typed = draft.text not in ("", ".")
        if problem is not None and typed:
            self.problem_label.setText(problem.message(i18n.current_language()))
        else:
            self.problem_label.setText("")
        self.ok_button.setEnabled(problem is None)

    # -- result --------------------------------------------------------------------------

    def result_quantity(self) -> Quantity:
        if self._result is None:
            raise RuntimeError("no weight was confirmed")
        return self._result
