"""The weight keypad's state, UI-free: typed digits, the unit they are in, the tare taken off.

The operator types what the scale shows (digits and one decimal point) in kg, jin or g.
Switching the unit keeps the digits, so "1.25" typed in kg becomes 1.25 jin: the unit
button says what the digits mean, it does not convert them. The net weight (gross less the
chosen tare) is priced live with `pricing.line_amount`, the ledger's own rule, and checked
with `quantity.check_quantity`, the ledger's own limits.
"""

from __future__ import annotations

from decimal import Decimal

from booth_pos.domain.errors import BadInput
from booth_pos.domain.pricing import line_amount
from booth_pos.domain.quantity import (
    MAX_LINE_GRAMS,
    PricingUnit,
    Quantity,
    WeightUnit,
    check_quantity,
    format_kg,
)

WEIGHT_KEYS = frozenset({"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "."})
_MAX_WHOLE_DIGITS = 6  # 999999 g is already far over the line limit
_MAX_DECIMALS = 3  # a gram in kg; finer than that is never a whole gram in any unit


def default_entry_unit(unit: PricingUnit) -> WeightUnit:
    """Weights are typed in the unit the product is priced in, unless the operator switches."""
    if unit is PricingUnit.KG:
        return WeightUnit.KG
    if unit is PricingUnit.JIN:
        return WeightUnit.JIN
    raise ValueError("an item product is not weighed")


class WeightDraft:
    """A weight being typed for one weighed product, and what it costs."""

    def __init__(
        self,
        pricing_unit: PricingUnit,
        unit_price_fen: int,
        entry_unit: WeightUnit | None = None,
        tare_grams: int = 0,
    ) -> None:
        if not pricing_unit.weighed:
            raise ValueError("an item product is not weighed")
        if unit_price_fen < 0:
            raise ValueError("prices are never negative")
        self.pricing_unit = pricing_unit
        self.unit_price_fen = unit_price_fen
        self.entry_unit: WeightUnit = entry_unit or default_entry_unit(pricing_unit)
        self.text: str = ""
        self.tare_grams: int = 0
        self.set_tare(tare_grams)

    # -- editing ---------------------------------------------------------------------------

    def type_key(self, key: str) -> bool:
        """Press "0"-"9" or "."; False if refused (a second point, too many digits)."""
        if key not in WEIGHT_KEYS:
            return False
        whole, dot, frac = self.text.partition(".")
        if key == ".":
            if dot:
                return False
            self.text = (self.text or "0") + "."
            return True
        if dot:
            if len(frac) >= _MAX_DECIMALS:
                return False
            self.text += key
            return True
        whole = (whole + key).lstrip("0") or "0"
        if len(whole) > _MAX_WHOLE_DIGITS:
            return False
        self.text = whole
        return True

    def type_text(self, text: str) -> None:
        """Press each character of `text` in turn (refused keys are skipped)."""
        for key in text:
            self.type_key(key)

    def backspace(self) -> None:
        self.text = self.text[:-1]

    def clear(self) -> None:
        self.text = ""

    def set_unit(self, unit: WeightUnit) -> None:
        """Say which unit the typed digits are in; the digits stay as typed."""
        self.entry_unit = unit

    def set_tare(self, grams: int) -> None:
        """Take a container's weight off the reading (0 for none)."""
        if not 0 <= grams < MAX_LINE_GRAMS:
            raise ValueError(f"a tare must be 0 to {MAX_LINE_GRAMS} g")
        self.tare_grams = grams

    # -- reading ---------------------------------------------------------------------------

    @property
    def entered(self) -> str:
        """The typed weight as the operator would write it, e.g. "1.25jin"."""
        return f"{self.text or '0'}{self.entry_unit.value}"

    def _gross_exact(self) -> Decimal:
        if self.text in ("", "."):
            return Decimal(0)
        return Decimal(self.text) * self.entry_unit.grams

    @property
    def gross_grams(self) -> int | None:
        """The typed weight in grams; None if it is not a whole number of grams."""
        exact = self._gross_exact()
        if exact != exact.to_integral_value():
            return None
        return int(exact)

    @property
    def net_grams(self) -> int | None:
        gross = self.gross_grams
        return None if gross is None else gross - self.tare_grams

    @property
    def problem(self) -> BadInput | None:
        """Why this weight cannot go on the sale yet, or None."""
        exact = self._gross_exact()
        if exact <= 0:
            return BadInput("quantity_not_positive", text=self.entered)
        gross = self.gross_grams
        if gross is None:
            return BadInput("quantity_fraction_of_gram", text=self.entered)
        net = gross - self.tare_grams
        text = self.entered
        if self.tare_grams:
            text = f"{self.entered} - {format_kg(self.tare_grams)}kg"
        try:
            check_quantity(Quantity.grams(net), text)
        except BadInput as exc:
            return exc
        return None

    @property
    def amount_fen(self) -> int:
        """The line amount of the net weight, live; 0 while the weight is not valid."""
        if self.problem is not None:
            return 0
        return line_amount(self.pricing_unit, self.unit_price_fen, self.quantity())

    def quantity(self) -> Quantity:
        """The net weight to put on the sale, or the BadInput saying what is wrong."""
        problem = self.problem
        if problem is not None:
            raise problem
        net = self.net_grams
        assert net is not None  # no problem means a whole number of grams
        return Quantity.grams(net)
