"""Quantities: weighed goods in integer grams, counted goods in integer units."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from booth_pos.domain.errors import BadInput

GRAMS_PER_KG = 1000
GRAMS_PER_JIN = 500  # 市斤, the unit every festival buyer thinks in

# Per-line limits that catch a slip of the finger (an extra zero) without blocking trade.
MAX_LINE_GRAMS = 100_000
MAX_LINE_UNITS = 999


class PricingUnit(enum.StrEnum):
    """How a product is priced: per kilogram, per jin (500 g) or per item."""

    KG = "kg"
    JIN = "jin"
    ITEM = "item"

    @property
    def weighed(self) -> bool:
        return self is not PricingUnit.ITEM

    @property
    def grams_per_unit(self) -> int:
        if self is PricingUnit.KG:
            return GRAMS_PER_KG
        if self is PricingUnit.JIN:
            return GRAMS_PER_JIN
        raise ValueError("an item has no weight")


class WeightUnit(enum.StrEnum):
    KG = "kg"
    JIN = "jin"
    G = "g"

    @property
    def grams(self) -> int:
        return {"kg": GRAMS_PER_KG, "jin": GRAMS_PER_JIN, "g": 1}[self.value]


@dataclass(frozen=True)
class Quantity:
    """Either a weight in grams or a count of items, never both."""

    amount: int
    weighed: bool

    @classmethod
    def grams(cls, grams: int) -> Quantity:
        return cls(grams, True)

    @classmethod
    def units(cls, units: int) -> Quantity:
        return cls(units, False)

    def __str__(self) -> str:
        if not self.weighed:
            return str(self.amount)
        return f"{format_kg(self.amount)}kg"


_WEIGHT_SUFFIXES = {
    "kg": WeightUnit.KG,
    "公斤": WeightUnit.KG,
    "千克": WeightUnit.KG,
    "jin": WeightUnit.JIN,
    "斤": WeightUnit.JIN,
    "g": WeightUnit.G,
    "克": WeightUnit.G,
}
_QTY = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*([a-zA-Z公千斤克]*)\s*$")


def weight_to_grams(value: Decimal, unit: WeightUnit, text: str) -> int:
    grams = value * unit.grams
    if grams != grams.to_integral_value():
        raise BadInput("quantity_fraction_of_gram", text=text)
    return int(grams)


def parse_quantity(text: str) -> Quantity:
    """Read '3', '1.25kg', '2.5jin', '2斤', '750g'. Bounds are checked by `check_quantity`."""
    match = _QTY.match(text)
    if match is None:
        raise BadInput("bad_quantity", text=text)
    number, suffix = match.group(1), match.group(2).lower()
    try:
        value = Decimal(number)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
        raise BadInput("bad_quantity", text=text) from exc
    if not suffix:
        if value != value.to_integral_value():
            raise BadInput("bad_quantity", text=text)
        return Quantity.units(int(value))
    unit = _WEIGHT_SUFFIXES.get(suffix)
    if unit is None:
        raise BadInput("bad_quantity", text=text)
    return Quantity.grams(weight_to_grams(value, unit, text))


def check_quantity(quantity: Quantity, text: str) -> None:
    if quantity.amount <= 0:
        raise BadInput("quantity_not_positive", text=text)
    if quantity.weighed and quantity.amount > MAX_LINE_GRAMS:
        raise BadInput("quantity_too_large", text=text, limit=f"{MAX_LINE_GRAMS // 1000}kg")
    if not quantity.weighed and quantity.amount > MAX_LINE_UNITS:
        raise BadInput("quantity_too_large", text=text, limit=str(MAX_LINE_UNITS))


def format_kg(grams: int) -> str:
    """1250 -> '1.25', 1000 -> '1', 5 -> '0.005'."""
    whole, rest = divmod(grams, 1000)
    if rest == 0:
        return str(whole)
    return f"{whole}.{rest:03d}".rstrip("0")
