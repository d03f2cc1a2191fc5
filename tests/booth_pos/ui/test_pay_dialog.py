"""The pay screen as the operator uses it: notes, keypad, QR, split tender, round-down."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QPushButton
from pytestqt.qtbot import QtBot

from booth_pos.domain.pricing import RoundDown, TenderIn, TenderMethod
from booth_pos.ui.pay_dialog import PayDialog

ALL_RULES = (RoundDown.NONE, RoundDown.JIAO, RoundDown.YUAN)
QR = "wxp://f2f0booth-LX01"
CASH, MOBILE, OTHER = TenderMethod.CASH, TenderMethod.MOBILE, TenderMethod.OTHER


def open_dialog(
    qtbot: QtBot,
    lines: list[int] | None = None,
    allowed: tuple[RoundDown, ...] = (RoundDown.NONE,),
    qr: str = QR,
) -> PayDialog:
    dialog = PayDialog(lines if lines is not None else [3000, 2375], allowed, qr)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def tap(qtbot: QtBot, button: QPushButton) -> None:
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def accepted(dialog: QDialog) -> bool:
    return dialog.result() == QDialog.DialogCode.Accepted


def test_hundred_yuan_note_shows_the_change_and_confirms(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    assert "¥53.75" in dialog.total_label.text()
    assert not dialog.confirm_button.isEnabled()
    tap(qtbot, dialog.note_buttons[100])
    assert "¥46.25" in dialog.change_label.text()
    assert "¥0.00" in dialog.remaining_label.text()
    assert dialog.confirm_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        tap(qtbot, dialog.confirm_button)
    assert dialog.result_tenders() == (TenderIn(CASH, 10000),)
    assert dialog.result_round_down() is RoundDown.NONE


def test_a_cash_sale_is_two_taps(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, [4500])
    tap(qtbot, dialog.note_buttons[50])
    tap(qtbot, dialog.confirm_button)
    assert accepted(dialog)
    assert dialog.result_tenders() == (TenderIn(CASH, 5000),)


def test_short_payment_keeps_confirm_disabled_and_enter_does_nothing(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    tap(qtbot, dialog.note_buttons[50])
    assert "¥3.75" in dialog.remaining_label.text()
    assert "¥0.00" in dialog.change_label.text()
    assert not dialog.confirm_button.isEnabled()
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    QTest.keyClick(dialog, Qt.Key.Key_Enter)
    assert dialog.isVisible()
    assert not accepted(dialog)
    with pytest.raises(RuntimeError):
        dialog.result_tenders()


def test_typing_the_cash_and_enter_settles(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    QTest.keyClicks(dialog, "60")
    assert "¥60" in dialog.cash_display.text()
    assert "¥6.25" in dialog.change_label.text()
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    assert accepted(dialog)
    assert dialog.result_tenders() == (TenderIn(CASH, 6000),)


def test_on_screen_keypad_with_backspace(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    for key in ("5", "4", "."):
        tap(qtbot, dialog.key_buttons[key])
    tap(qtbot, dialog.backspace_button)
    tap(qtbot, dialog.key_buttons["00"])
    assert "¥5400" in dialog.cash_display.text()
    tap(qtbot, dialog.clear_cash_button)
    tap(qtbot, dialog.key_buttons["5"])
    tap(qtbot, dialog.key_buttons["4"])
    tap(qtbot, dialog.add_cash_button)
    assert dialog.tender_list.count() == 1
    assert "¥54.00" in dialog.tender_list.item(0).text()
    assert "¥0.25" in dialog.change_label.text()


def test_exact_cash(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    QTest.keyClick(dialog, Qt.Key.Key_F1)
    assert "¥0.00" in dialog.change_label.text()
    assert not dialog.exact_button.isEnabled()  # nothing left to cover
    tap(qtbot, dialog.confirm_button)
    assert dialog.result_tenders() == (TenderIn(CASH, 5375),)


def test_mobile_qr_received_covers_exactly(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    tap(qtbot, dialog.mobile_button)
    assert dialog.qr_label.isVisible()
    pixmap = dialog.qr_label.pixmap()
    assert not pixmap.isNull()
    assert pixmap.width() >= 250
    assert "¥53.75" in dialog.qr_amount_label.text()
    tap(qtbot, dialog.received_button)
    assert "¥0.00" in dialog.change_label.text()
    assert dialog.confirm_button.isEnabled()
    assert not dialog.qr_label.isVisible()  # back to the keypad
    tap(qtbot, dialog.confirm_button)
    assert dialog.result_tenders() == (TenderIn(MOBILE, 5375),)


def test_split_tender_cash_twenty_and_mobile_for_the_rest(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    tap(qtbot, dialog.note_buttons[20])
    assert "¥33.75" in dialog.remaining_label.text()
    QTest.keyClick(dialog, Qt.Key.Key_F2)
    assert "¥33.75" in dialog.qr_amount_label.text()
    QTest.keyClick(dialog, Qt.Key.Key_F3)
    assert [dialog.tender_list.item(i).text() for i in range(2)] == [
        "Cash ¥20.00",
        "Mobile ¥33.75",
    ]
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    assert accepted(dialog)
    assert dialog.result_tenders() == (TenderIn(CASH, 2000), TenderIn(MOBILE, 3375))


def test_typed_cash_then_mobile_for_the_rest(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    QTest.keyClicks(dialog, "20")
    tap(qtbot, dialog.mobile_button)
    tap(qtbot, dialog.received_button)
    tap(qtbot, dialog.confirm_button)
    assert dialog.result_tenders() == (TenderIn(CASH, 2000), TenderIn(MOBILE, 3375))


def test_other_payment_for_what_remains(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    tap(qtbot, dialog.note_buttons[50])
    QTest.keyClick(dialog, Qt.Key.Key_F4)
    tap(qtbot, dialog.confirm_button)
    assert dialog.result_tenders() == (TenderIn(CASH, 5000), TenderIn(OTHER, 375))


def test_without_a_collection_qr_mobile_is_off(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, qr="")
    assert not dialog.mobile_button.isEnabled()
    assert "not set up" in dialog.mobile_button.text()
    assert not dialog.received_button.isEnabled()
    QTest.keyClick(dialog, Qt.Key.Key_F2)
    QTest.keyClick(dialog, Qt.Key.Key_F3)
    assert not dialog.qr_label.isVisible()
    assert dialog.tender_list.count() == 0


def test_remove_a_tender(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    tap(qtbot, dialog.note_buttons[20])
    tap(qtbot, dialog.note_buttons[100])
    assert "¥66.25" in dialog.change_label.text()
    dialog.tender_list.setCurrentRow(1)
    tap(qtbot, dialog.remove_button)
    assert dialog.tender_list.count() == 1
    assert "¥33.75" in dialog.remaining_label.text()
    assert not dialog.confirm_button.isEnabled()
    QTest.keyClick(dialog, Qt.Key.Key_Delete)  # no selection: the last one goes
    assert dialog.tender_list.count() == 0
    assert not dialog.remove_button.isEnabled()


def test_round_down_to_the_yuan_only_when_allowed(qtbot: QtBot) -> None:
    plain = open_dialog(qtbot)
    assert set(plain.round_down_buttons) == {RoundDown.NONE}
    assert not plain.round_down_buttons[RoundDown.NONE].isVisible()
    jiao = open_dialog(qtbot, allowed=(RoundDown.NONE, RoundDown.JIAO))
    assert set(jiao.round_down_buttons) == {RoundDown.NONE, RoundDown.JIAO}
    QTest.keyClick(jiao, Qt.Key.Key_F7)  # the yuan key does nothing here
    assert "¥53.75" in jiao.total_label.text()

    dialog = open_dialog(qtbot, allowed=ALL_RULES)
    tap(qtbot, dialog.round_down_buttons[RoundDown.YUAN])
    assert "¥53.00" in dialog.total_label.text()
    assert "¥0.75" in dialog.subtotal_label.text()
    assert dialog.round_down_buttons[RoundDown.YUAN].isChecked()
    QTest.keyClick(dialog, Qt.Key.Key_F6)
    assert "¥53.70" in dialog.total_label.text()
    tap(qtbot, dialog.note_buttons[100])
    assert "¥46.30" in dialog.change_label.text()
    tap(qtbot, dialog.confirm_button)
    assert dialog.result_round_down() is RoundDown.JIAO
    assert dialog.result_tenders() == (TenderIn(CASH, 10000),)


def test_round_down_that_would_make_the_sale_free_is_not_offered(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, [50], allowed=ALL_RULES)
    assert not dialog.round_down_buttons[RoundDown.YUAN].isEnabled()
    assert dialog.round_down_buttons[RoundDown.JIAO].isEnabled()


def test_mobile_paid_then_round_down_says_why_confirm_is_off(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, allowed=ALL_RULES)
    tap(qtbot, dialog.mobile_button)
    tap(qtbot, dialog.received_button)
    tap(qtbot, dialog.round_down_buttons[RoundDown.YUAN])
    assert not dialog.confirm_button.isEnabled()
    assert dialog.problem_label.text()
    assert "¥0.00" in dialog.change_label.text()  # no change out of a phone payment
    QTest.keyClick(dialog, Qt.Key.Key_Delete)
    tap(qtbot, dialog.received_button)
    assert dialog.problem_label.text() == ""
    tap(qtbot, dialog.confirm_button)
    assert dialog.result_tenders() == (TenderIn(MOBILE, 5300),)


def test_escape_cancels(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    tap(qtbot, dialog.note_buttons[100])
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not accepted(dialog)


def test_fits_a_1024_by_768_screen_with_big_buttons(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, allowed=ALL_RULES)
    hint = dialog.sizeHint()
    assert hint.width() <= 1024 and hint.height() <= 768
    buttons = [
        dialog.confirm_button,
        dialog.exact_button,
        dialog.mobile_button,
        dialog.other_button,
        dialog.received_button,
        *dialog.note_buttons.values(),
        *dialog.round_down_buttons.values(),
    ]
    assert all(button.minimumHeight() >= 56 for button in buttons)
    assert "(Enter)" in dialog.confirm_button.text()
    assert "(F3)" in dialog.received_button.text()
    assert dialog.change_label.font().pointSize() > dialog.font().pointSize() * 2
