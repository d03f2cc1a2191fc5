"""The pay screen: cash keypad and notes, the booth's collection QR, split tender, round-down.

All the rules live in `domain.payment.PaymentDraft`; this dialog only shows its state and
feeds it taps and keys. A cash sale takes two taps (a note, then Confirm) or, from the
keyboard, the amount handed over and Enter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import qrcode
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QKeyEvent, QPainter, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from booth_pos.domain.errors import BadInput
from booth_pos.domain.money import format_yuan
from booth_pos.domain.payment import PaymentDraft
from booth_pos.domain.pricing import RoundDown, TenderIn, TenderMethod
from booth_pos.ui import i18n
from booth_pos.ui.widgets import BUTTON_HEIGHT, keypad_button, sized

NOTES_YUAN = (10, 20, 50, 100)
KEY_HEIGHT = 64
QR_SIZE = 330
# Codes that only say "not paid yet": the remaining amount already shows that.
_QUIET_PROBLEMS = frozenset({"no_tender", "tender_below_total"})


def qr_pixmap(data: str, size: int = QR_SIZE) -> QPixmap:
    """The collection code drawn as a QR, black on white, at most `size` pixels square."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(data)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    modules = len(matrix)
    scale = max(1, size // modules)
    image = QImage(modules * scale, modules * scale, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    black = QColor("black")
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect(x * scale, y * scale, scale, scale, black)
    painter.end()
    return QPixmap.fromImage(image)


class PayDialog(QDialog):
    """Take payment for a cart; after `exec()` accepts, read `result_tenders()`."""

    def __init__(
        self,
        line_amounts: Sequence[int],
        allowed: tuple[RoundDown, ...],
        collection_qr: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.draft = PaymentDraft(line_amounts, allowed)
        self.collection_qr = collection_qr.strip()
        self._result: tuple[tuple[TenderIn, ...], RoundDown] | None = None
        self.setWindowTitle(self.tr("Payment"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._method_names = {
            TenderMethod.CASH: self.tr("Cash"),
            TenderMethod.MOBILE: self.tr("Mobile"),
            TenderMethod.OTHER: self.tr("Other"),
        }

        layout = QVBoxLayout(self)
        layout.addLayout(self._build_header())
        body = QHBoxLayout()
        self.stack = QStackedWidget()
        self.keypad_page = self._build_keypad_page()
        self.qr_page = self._build_qr_page()
        self.stack.addWidget(self.keypad_page)
        self.stack.addWidget(self.qr_page)
        body.addWidget(self.stack, 2)
        body.addLayout(self._build_tender_column(), 1)
        layout.addLayout(body)
        layout.addLayout(self._build_status())
        layout.addLayout(self._build_actions())

        self._keys: dict[int, QPushButton] = {
            Qt.Key.Key_F1: self.exact_button,
            Qt.Key.Key_F2: self.mobile_button,
            Qt.Key.Key_F3: self.received_button,
            Qt.Key.Key_F4: self.other_button,
            Qt.Key.Key_Backspace: self.backspace_button,
            Qt.Key.Key_Delete: self.remove_button,
            Qt.Key.Key_Plus: self.add_cash_button,
        }
        for rule, key in zip(
            (RoundDown.NONE, RoundDown.JIAO, RoundDown.YUAN),
            (Qt.Key.Key_F5, Qt.Key.Key_F6, Qt.Key.Key_F7),
            strict=True,
        ):
            if rule in self.round_down_buttons:
                self._keys[key] = self.round_down_buttons[rule]
        self._refresh()

    # -- building ------------------------------------------------------------------------

    def _build_header(self) -> QHBoxLayout:
        header = QHBoxLayout()
        totals = QVBoxLayout()
        self.total_label = QLabel()
        sized(self.total_label, 30, bold=True)
        self.subtotal_label = QLabel()
        totals.addWidget(self.total_label)
        totals.addWidget(self.subtotal_label)
        header.addLayout(totals, 1)

        labels = {
            RoundDown.NONE: self.tr("No round-down (F5)"),
            RoundDown.JIAO: self.tr("Round to ¥0.1 (F6)"),
            RoundDown.YUAN: self.tr("Round to ¥1 (F7)"),
        }
        self.round_down_group = QButtonGroup(self)
        self.round_down_group.setExclusive(True)
        self.round_down_buttons: dict[RoundDown, QPushButton] = {}
        for rule in (RoundDown.NONE, RoundDown.JIAO, RoundDown.YUAN):
            if rule not in self.draft.allowed:
                continue
            button = keypad_button(labels[rule])
            button.setCheckable(True)
            button.setChecked(rule is self.draft.round_down)
            button.setEnabled(self.draft.round_down_possible(rule))
            button.clicked.connect(self._round_down_handler(rule))
            self.round_down_group.addButton(button)
            self.round_down_buttons[rule] = button
            # With only "none" allowed there is nothing to choose.
            button.setVisible(len(self.draft.allowed) > 1)
            header.addWidget(button)
        return header

    def _build_keypad_page(self) -> QWidget:
        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)

        pad = QVBoxLayout()
        self.cash_display = QLabel()
        self.cash_display.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.cash_display.setMinimumHeight(BUTTON_HEIGHT)
        self.cash_display.setFrameShape(QLabel.Shape.StyledPanel)
        self.cash_display.setToolTip(self.tr("Cash received, typed on the keypad"))
        sized(self.cash_display, 22, bold=True)
        pad.addWidget(self.cash_display)
        grid = QGridLayout()
        self.key_buttons: dict[str, QPushButton] = {}
        layout_keys = (
            ("7", "8", "9"),
            ("4", "5", "6"),
            ("1", "2", "3"),
            ("0", "00", "."),
        )
        for r, keys in enumerate(layout_keys):
            for c, key in enumerate(keys):
                button = keypad_button(key, KEY_HEIGHT, 20)
                button.clicked.connect(self._key_handler(key))
                self.key_buttons[key] = button
                grid.addWidget(button, r, c)
        self.backspace_button = keypad_button("⌫", KEY_HEIGHT, 20)
        self.backspace_button.setToolTip(self.tr("Backspace"))
        self.backspace_button.clicked.connect(self._backspace)
        self.clear_cash_button = keypad_button("C", KEY_HEIGHT, 20)
        self.clear_cash_button.setToolTip(self.tr("Clear the typed cash"))
        self.clear_cash_button.clicked.connect(self._clear_cash)
        self.add_cash_button = keypad_button(self.tr("Add cash (+)"), KEY_HEIGHT * 2)
        self.add_cash_button.setSizePolicy(
            QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding
        )
        self.add_cash_button.clicked.connect(self._add_cash)
        grid.addWidget(self.backspace_button, 0, 3)
        grid.addWidget(self.clear_cash_button, 1, 3)
        grid.addWidget(self.add_cash_button, 2, 3, 2, 1)
        pad.addLayout(grid)
        row.addLayout(pad, 3)

        quick = QVBoxLayout()
        notes = QGridLayout()
        self.note_buttons: dict[int, QPushButton] = {}
        for i, yuan in enumerate(NOTES_YUAN):
            button = keypad_button(f"¥{yuan}", KEY_HEIGHT, 20)
            button.clicked.connect(self._note_handler(yuan))
            self.note_buttons[yuan] = button
            notes.addWidget(button, i // 2, i % 2)
        quick.addLayout(notes)
        self.exact_button = keypad_button(self.tr("Exact cash (F1)"), KEY_HEIGHT)
        self.exact_button.clicked.connect(self._exact_handler(TenderMethod.CASH))
        quick.addWidget(self.exact_button)
        qr_ready = bool(self.collection_qr)
        self.mobile_button = keypad_button(
            self.tr("Mobile QR (F2)") if qr_ready else self.tr("Mobile QR not set up"), KEY_HEIGHT
        )
        self.mobile_button.setEnabled(qr_ready)
        self.mobile_button.clicked.connect(self.show_qr)
        quick.addWidget(self.mobile_button)
        self.other_button = keypad_button(self.tr("Other (F4)"), KEY_HEIGHT)
        self.other_button.setToolTip(self.tr("Another payment for what remains"))
        self.other_button.clicked.connect(self._exact_handler(TenderMethod.OTHER))
        quick.addWidget(self.other_button)
        quick.addStretch(1)
        row.addLayout(quick, 2)
        return page

    def _build_qr_page(self) -> QWidget:
        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        self.qr_label = QLabel()
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if self.collection_qr:
            self.qr_label.setPixmap(qr_pixmap(self.collection_qr))
        else:
            self.qr_label.setText(self.tr("The collection QR is not set up."))
            self.qr_label.setWordWrap(True)
        row.addWidget(self.qr_label, 3)
        side = QVBoxLayout()
        self.qr_amount_label = QLabel()
        self.qr_amount_label.setWordWrap(True)
        sized(self.qr_amount_label, 20, bold=True)
        side.addWidget(self.qr_amount_label)
        side.addStretch(1)
        self.received_button = keypad_button(self.tr("Received (F3)"), KEY_HEIGHT * 2, 20)
        self.received_button.clicked.connect(self._received)
        side.addWidget(self.received_button)
        self.back_button = keypad_button(self.tr("Cash keypad (F2)"), KEY_HEIGHT)
        self.back_button.clicked.connect(self.show_keypad)
        side.addWidget(self.back_button)
        row.addLayout(side, 2)
        return page

    def _build_tender_column(self) -> QVBoxLayout:
        column = QVBoxLayout()
        title = QLabel(self.tr("Payments"))
        sized(title, 14, bold=True)
        column.addWidget(title)
        self.tender_list = QListWidget()
        self.tender_list.setMinimumWidth(180)
        self.tender_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        sized(self.tender_list, 16)
        column.addWidget(self.tender_list, 1)
        self.remove_button = keypad_button(self.tr("Remove (Del)"))
        self.remove_button.setToolTip(self.tr("Remove the selected payment, or the last one"))
        self.remove_button.clicked.connect(self._remove)
        column.addWidget(self.remove_button)
        return column

    def _build_status(self) -> QVBoxLayout:
        status = QVBoxLayout()
        row = QHBoxLayout()
        self.remaining_label = QLabel()
        sized(self.remaining_label, 24, bold=True)
        self.change_label = QLabel()
        self.change_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        sized(self.change_label, 40, bold=True)
        row.addWidget(self.remaining_label, 1)
        row.addWidget(self.change_label, 1)
        status.addLayout(row)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b00020;")
        sized(self.problem_label, 14)
        status.addWidget(self.problem_label)
        return status

    def _build_actions(self) -> QHBoxLayout:
        actions = QHBoxLayout()
        self.cancel_button = keypad_button(self.tr("Cancel (Esc)"), KEY_HEIGHT)
        self.cancel_button.clicked.connect(self.reject)
        self.confirm_button = keypad_button(self.tr("Confirm (Enter)"), KEY_HEIGHT, 20)
        self.confirm_button.clicked.connect(self.confirm)
        actions.addWidget(self.cancel_button, 1)
        actions.addWidget(self.confirm_button, 2)
        return actions

    # -- handlers ------------------------------------------------------------------------

    def _key_handler(self, key: str) -> Callable[[], None]:
        return lambda: self.type_cash(key)

    def _note_handler(self, yuan: int) -> Callable[[], None]:
        return lambda: self._apply(lambda: self.draft.add_tender(TenderMethod.CASH, yuan * 100))

    def _exact_handler(self, method: TenderMethod) -> Callable[[], None]:
        return lambda: self._apply(lambda: self.draft.add_exact(method))

    def _round_down_handler(self, rule: RoundDown) -> Callable[[], None]:
        return lambda: self._apply(lambda: self.draft.set_round_down(rule))

    def type_cash(self, key: str) -> None:
        """Type on the cash keypad (also what a digit key on the keyboard does)."""
        self.show_keypad()
        self.draft.type_cash(key)
        self._refresh()

    def _backspace(self) -> None:
        self.draft.backspace_cash()
        self._refresh()

    def _clear_cash(self) -> None:
        self.draft.clear_cash()
        self._refresh()

    def _add_cash(self) -> None:
        self.draft.commit_cash()
        self._refresh()

    def _received(self) -> None:
        self._apply(lambda: self.draft.add_exact(TenderMethod.MOBILE))
        self.show_keypad()

    def _remove(self) -> None:
        if not self.draft.tenders:
            return
        row = self.tender_list.currentRow()
        if not 0 <= row < len(self.draft.tenders):
            row = len(self.draft.tenders) - 1
        self.draft.remove_tender(row)
        self._refresh()

    def _apply(self, change: Callable[[], None]) -> None:
        """Run one change to the draft; a refusal is shown, never raised."""
        try:
            change()
        except BadInput as exc:
            self._refresh()
            self.problem_label.setText(exc.message(i18n.current_language()))
            return
        self._refresh()

    def show_qr(self) -> None:
        if self.collection_qr:
            self.stack.setCurrentWidget(self.qr_page)

    def show_keypad(self) -> None:
        self.stack.setCurrentWidget(self.keypad_page)

    def confirm(self) -> None:
        if not self.draft.can_confirm:
            return
        try:
            self._result = self.draft.finish()
        except BadInput as exc:  # pragma: no cover - can_confirm said it would settle
            self.problem_label.setText(exc.message(i18n.current_language()))
            return
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
        if key == Qt.Key.Key_F2 and self.stack.currentWidget() is self.qr_page:
            self.show_keypad()
            event.accept()
            return
        button = self._keys.get(key)
        if button is not None:
            button.click()
            event.accept()
            return
        text = event.text()
        if text and text in "0123456789.":
            self.type_cash(text)
            event.accept()
            return
        super().keyPressEvent(event)

    # -- showing -------------------------------------------------------------------------

    def _yuan(self, fen: int) -> str:
        return "¥" + format_yuan(fen)

    def _refresh(self) -> None:
        draft = self.draft
        self.total_label.setText(self.tr("Total {0}").format(self._yuan(draft.total_fen)))
        if draft.round_down_fen:
            self.subtotal_label.setText(
                self.tr("Subtotal {0}, round-down -{1}").format(
                    self._yuan(draft.subtotal_fen), self._yuan(draft.round_down_fen)
                )
            )
        else:
            self.subtotal_label.setText("")
        for rule, button in self.round_down_buttons.items():
            button.setChecked(rule is draft.round_down)
        self.cash_display.setText(self.tr("Cash {0}").format("¥" + (draft.cash_text or "0")))

        self.tender_list.clear()
        for tender in draft.tenders:
            self.tender_list.addItem(
                f"{self._method_names[tender.method]} {self._yuan(tender.amount_fen)}"
            )
        self.remove_button.setEnabled(bool(draft.tenders))

        remaining = draft.remaining_fen
        self.remaining_label.setText(self.tr("Remaining {0}").format(self._yuan(remaining)))
        self.change_label.setText(self.tr("Change {0}").format(self._yuan(draft.change_fen)))
        self.qr_amount_label.setText(self.tr("Scan and pay {0}").format(self._yuan(remaining)))
        owed = remaining > 0
        self.exact_button.setEnabled(owed)
        self.other_button.setEnabled(owed)
        self.received_button.setEnabled(owed and bool(self.collection_qr))

        problem = draft.problem
        if problem is None or problem.code in _QUIET_PROBLEMS:
            self.problem_label.setText("")
        else:
            self.problem_label.setText(problem.message(i18n.current_language()))
        self.confirm_button.setEnabled(problem is None)

    # -- results -------------------------------------------------------------------------

    def result_tenders(self) -> tuple[TenderIn, ...]:
        if self._result is None:
            raise RuntimeError("the payment was not confirmed")
        return self._result[0]

    def result_round_down(self) -> RoundDown:
        if self._result is None:
            raise RuntimeError("the payment was not confirmed")
        return self._result[1]
