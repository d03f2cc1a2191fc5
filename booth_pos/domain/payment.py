"""Taking payment for one sale, before anything is written: the pay screen's state, UI-free.

The draft holds the round-down the operator chose, the tenders added so far and the cash
amount being typed on the keypad. The typed cash counts as a cash tender as soon as it is
typed, so "type 100, Enter" settles a sale without a separate "add" step; every other action
(adding a tender, "exact") first moves the typed cash into the tender list so the list always
shows what the customer handed over.

The rules come from `pricing.settle`, the same function the ledger uses: the tenders must
cover the total and only cash gives change.
"""

from __future__ import annotations

from collections.abc import Sequence

from booth_pos.domain.errors import BadInput
from booth_pos.domain.money import MAX_AMOUNT_FEN, format_yuan
from booth_pos.domain.pricing import (
    CartTotals,
    RoundDown,
    Settlement,
    TenderIn,
    TenderMethod,
    cart_totals,
    settle,
)

# Keys the cash keypad understands; "00" saves a tap on round notes.
CASH_KEYS = frozenset({"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "00", "."})
_MAX_CASH_DIGITS = 7  # ¥9,999,999 is far above any festival sale; more is a slip


class PaymentDraft:
    """What the customer is paying with, checked live against the sale total."""

    def __init__(
        self,
        line_amounts: Sequence[int],
        allowed: Sequence[RoundDown] = (RoundDown.NONE,),
    ) -> None:
        if RoundDown.NONE not in allowed:
            raise ValueError("the allowed round-downs always include NONE")
        self.line_amounts: tuple[int, ...] = tuple(line_amounts)
        self.allowed: tuple[RoundDown, ...] = tuple(allowed)
        cart_totals(self.line_amounts, RoundDown.NONE)  # empty or oversized carts fail here
        self.round_down: RoundDown = RoundDown.NONE
        self.tenders: list[TenderIn] = []
        self.cash_text: str = ""

    # -- totals --------------------------------------------------------------------------

    @property
    def totals(self) -> CartTotals:
        return cart_totals(self.line_amounts, self.round_down)

    @property
    def subtotal_fen(self) -> int:
        return self.totals.subtotal_fen

    @property
    def round_down_fen(self) -> int:
        return self.totals.round_down_fen

    @property
    def total_fen(self) -> int:
        return self.totals.total_fen

    def round_down_possible(self, rule: RoundDown) -> bool:
        """True if `rule` is allowed and would not make the sale free."""
        if rule not in self.allowed:
            return False
        try:
            cart_totals(self.line_amounts, rule)
        except BadInput:
            return False
        return True

    def set_round_down(self, rule: RoundDown) -> None:
        """Choose a round-down; a rule not allowed at this booth is refused, state unchanged."""
        if rule not in self.allowed:
            raise BadInput("round_down_not_allowed", text=rule.value)
        cart_totals(self.line_amounts, rule)  # raises round_down_to_zero before changing
        self.round_down = rule

    # -- the cash being typed ------------------------------------------------------------

    @property
    def typed_cash_fen(self) -> int:
        """The typed cash in fen; 0 while nothing (or only ".") is typed."""
        text = self.cash_text
        if text in ("", "."):
            return 0
        whole, _, frac = text.partition(".")
        return int(whole or "0") * 100 + int(frac.ljust(2, "0"))

    def type_cash(self, key: str) -> bool:
        """Press a keypad key ("0"-"9", "00", "."); False if the key was refused.

        Refused: a second decimal point, a third decimal, or more digits than any sale needs.
        """
        if key not in CASH_KEYS:
            return False
        text = self.cash_text
        if key == ".":
            if "." in text:
                return False
            self.cash_text = (text or "0") + "."
            return True
        whole, dot, frac = text.partition(".")
        if dot:
            if len(frac) + len(key) > 2:
                return False
            self.cash_text = text + key
            return True
        whole = (whole + key).lstrip("0")
        if len(whole) > _MAX_CASH_DIGITS:
            return False
        self.cash_text = whole
        return True

    def backspace_cash(self) -> None:
        self.cash_text = self.cash_text[:-1]
        if self.cash_text == "0":
            self.cash_text = ""

    def clear_cash(self) -> None:
        self.cash_text = ""

    def commit_cash(self) -> None:
        """Move the typed cash into the tender list (nothing is added for a zero amount)."""
        fen = self.typed_cash_fen
        self.cash_text = ""
        if fen > 0:
            self.tenders.append(TenderIn(TenderMethod.CASH, fen))

    # -- tenders -------------------------------------------------------------------------

    def effective_tenders(self) -> tuple[TenderIn, ...]:
        """The added tenders plus the typed cash, as `finish` would hand them to the ledger."""
        typed = self.typed_cash_fen
        if typed > 0:
            return (*self.tenders, TenderIn(TenderMethod.CASH, typed))
        return tuple(self.tenders)

    def add_tender(self, method: TenderMethod, amount_fen: int) -> None:
        if amount_fen <= 0:
            raise BadInput("amount_not_positive", text=format_yuan(amount_fen))
        if amount_fen > MAX_AMOUNT_FEN:
            raise BadInput("amount_too_large", text=format_yuan(amount_fen))
        self.commit_cash()
        self.tenders.append(TenderIn(method, amount_fen))

    def add_exact(self, method: TenderMethod) -> None:
        """Add a tender of `method` for exactly what is still owed (typed cash counted)."""
        self.commit_cash()
        self.add_tender(method, self.remaining_fen)

    def remove_tender(self, index: int) -> TenderIn:
        """Take back an added tender (IndexError if there is no such tender)."""
        return self.tenders.pop(index)

    def clear(self) -> None:
        """Forget every tender and the typed cash; the chosen round-down stays."""
        self.tenders.clear()
        self.cash_text = ""

    # -- where the payment stands ----------------------------------------------------------

    @property
    def paid_fen(self) -> int:
        return sum(t.amount_fen for t in self.effective_tenders())

    @property
    def remaining_fen(self) -> int:
        return max(0, self.total_fen - self.paid_fen)

    def _settle(self) -> Settlement:
        return settle(self.total_fen, self.effective_tenders())

    @property
    def change_fen(self) -> int:
        """Change to hand back, from cash only; 0 while the payment cannot be settled."""
        try:
            return self._settle().change_fen
        except BadInput:
            return 0

    @property
    def problem(self) -> BadInput | None:
        """Why the sale cannot be confirmed yet, or None if it can."""
        try:
            self._settle()
        except BadInput as exc:
            return exc
        return None

    @property
    def can_confirm(self) -> bool:
        return self.problem is None

    def finish(self) -> tuple[tuple[TenderIn, ...], RoundDown]:
        """The tenders and round-down to record, or the BadInput saying what is wrong."""
        self._settle()
        return self.effective_tenders(), self.round_down
