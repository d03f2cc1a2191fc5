"""The weight keypad as the operator uses it: digits, kg/jin/g, tare, live price."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QPushButton
from pytestqt.qtbot import QtBot

from booth_pos.domain.quantity import PricingUnit, Quantity, WeightUnit
from booth_pos.services.settings import TarePreset
from booth_pos.ui.weight_dialog import WeightDialog

PRESETS = (TarePreset("Basket", 200), TarePreset("Crate", 1500))


def open_dialog(
    qtbot: QtBot, unit: PricingUnit = PricingUnit.JIN, price: int = 350
) -> WeightDialog:
    dialog = WeightDialog("Lotus root", unit, price, PRESETS)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def tap(qtbot: QtBot, button: QPushButton) -> None:
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def tap_keys(qtbot: QtBot, dialog: WeightDialog, text: str) -> None:
    for key in text:
        tap(qtbot, dialog.key_buttons[key])


def accepted(dialog: QDialog) -> bool:
    return dialog.result() == QDialog.DialogCode.Accepted


def test_shows_the_product_and_its_price(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    assert dialog.name_label.text() == "Lotus root"
    assert "¥3.50" in dialog.price_label.text()
    assert dialog.unit_buttons[WeightUnit.JIN].isChecked()
    assert dialog.no_tare_button.isChecked()
    assert not dialog.ok_button.isEnabled()
    assert dialog.problem_label.text() == ""  # nothing typed is not an error yet


def test_typed_weight_is_priced_live_and_switching_unit_keeps_the_digits(
    qtbot: QtBot,
) -> None:
    dialog = open_dialog(qtbot, price=700)  # ¥7.00 per jin
    tap_keys(qtbot, dialog, "1.25")
    assert "1.25" in dialog.weight_label.text()
    assert "¥8.75" in dialog.amount_label.text()
    assert dialog.ok_button.isEnabled()
    tap(qtbot, dialog.unit_buttons[WeightUnit.KG])  # 1.25 kg = 2.5 jin
    assert "1.25" in dialog.weight_label.text()
    assert "¥17.50" in dialog.amount_label.text()
    assert dialog.unit_buttons[WeightUnit.KG].isChecked()
    tap(qtbot, dialog.ok_button)
    assert accepted(dialog)
    assert dialog.result_quantity() == Quantity.grams(1250)


def test_lotus_root_1_25_kg_at_3_50_per_jin(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    tap_keys(qtbot, dialog, "1.25")
    assert "¥4.38" in dialog.amount_label.text()  # 1.25 jin: ¥4.375 rounds half up
    QTest.keyClick(dialog, Qt.Key.Key_F1)
    assert "¥8.75" in dialog.amount_label.text()


def test_tare_reduces_the_amount(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    QTest.keyClick(dialog, Qt.Key.Key_F1)
    tap_keys(qtbot, dialog, "1.25")
    tap(qtbot, dialog.tare_buttons[0])  # basket 200 g: net 1.05 kg = 2.1 jin
    assert "¥7.35" in dialog.amount_label.text()
    assert "1.05" in dialog.net_label.text()
    assert dialog.tare_buttons[0].isChecked()
    tap(qtbot, dialog.no_tare_button)
    assert "¥8.75" in dialog.amount_label.text()
    QTest.keyClick(dialog, Qt.Key.Key_F5)
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    assert accepted(dialog)
    assert dialog.result_quantity() == Quantity.grams(1050)


def test_tare_heavier_than_the_goods_keeps_ok_disabled(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, PricingUnit.KG)
    tap_keys(qtbot, dialog, "1.2")
    tap(qtbot, dialog.tare_buttons[1])  # crate 1.5 kg
    assert not dialog.ok_button.isEnabled()
    assert "¥0.00" in dialog.amount_label.text()
    assert dialog.problem_label.text()


def test_zero_and_over_a_hundred_kg_keep_ok_disabled(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, PricingUnit.KG)
    tap_keys(qtbot, dialog, "0")
    assert not dialog.ok_button.isEnabled()
    assert dialog.problem_label.text()
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    assert not accepted(dialog)

    tap(qtbot, dialog.clear_button)
    tap_keys(qtbot, dialog, "101")
    assert not dialog.ok_button.isEnabled()
    assert "100kg" in dialog.problem_label.text()
    QTest.keyClick(dialog, Qt.Key.Key_Enter)
    assert dialog.isVisible()
    assert not accepted(dialog)

    tap(qtbot, dialog.backspace_button)
    tap(qtbot, dialog.backspace_button)
    assert dialog.ok_button.isEnabled()  # "1" kg
    assert dialog.problem_label.text() == ""


def test_physical_keyboard_typing_and_enter(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    QTest.keyClick(dialog, Qt.Key.Key_F3)  # grams
    QTest.keyClicks(dialog, "7500")
    QTest.keyClick(dialog, Qt.Key.Key_Backspace)
    assert "750" in dialog.weight_label.text()
    assert "¥5.25" in dialog.amount_label.text()  # 1.5 jin at ¥3.50
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    assert accepted(dialog)
    assert dialog.result_quantity() == Quantity.grams(750)


def test_half_a_gram_is_not_accepted(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    QTest.keyClicks(dialog, "0.001")  # 0.001 jin = 0.5 g
    assert not dialog.ok_button.isEnabled()
    assert dialog.problem_label.text()


def test_escape_cancels(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    QTest.keyClicks(dialog, "2")
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not accepted(dialog)


def test_fits_a_1024_by_768_screen_with_big_buttons(qtbot: QtBot) -> None:
    presets = [TarePreset(f"Box {n}", 100 * n) for n in range(1, 7)]
    dialog = WeightDialog("Lotus root", PricingUnit.KG, 680, presets)
    qtbot.addWidget(dialog)
    hint = dialog.sizeHint()
    assert hint.width() <= 1024 and hint.height() <= 768
    assert "(F8)" in dialog.tare_buttons[3].text()
    assert "(F" not in dialog.tare_buttons[4].text()
    buttons = [dialog.ok_button, dialog.no_tare_button, *dialog.key_buttons.values()]
    buttons += [*dialog.unit_buttons.values(), *dialog.tare_buttons]
    assert all(button.minimumHeight() >= 56 for button in buttons)
    assert "(Enter)" in dialog.ok_button.text()
