"""Cart pricing and settlement, exact in integer fen.

Rounding rule (the only one): a weighed line costs
``round_half_up(grams * unit_price_fen / grams_per_pricing_unit)`` fen, so 1.25 kg
at ¥6.80/jin is 1250 * 680 / 500 = 1700 fen exactly, and 333 g at ¥6.80/jin is
452.88 -> 453 fen. A counted line costs ``units * unit_price_fen``. Each line is
rounded once and stored; the sale total is the sum of stored lines less the
round-down (抹零), so totals never drift from what the receipt shows.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from booth_pos.domain.errors import BadInput
from booth_pos.domain.money import format_yuan, round_half_up_div
from booth_pos.domain.quantity import PricingUnit, Quantity

MAX_LINES_PER_SALE = 200


class RoundDown(enum.StrEnum):
    """抹零: drop the small change below a jiao (0.1 yuan) or a yuan."""

    NONE = "none"
    JIAO = "jiao"
    YUAN = "yuan"

    @classmethod
    def parse(cls, text: str) -> RoundDown:
        try:
            return cls(text.strip().lower())
        except ValueError as exc:
            raise BadInput("round_down_not_allowed", text=text) from exc

    @property
    def step_fen(self) -> int:
        return {"none": 1, "jiao": 10, "yuan": 100}[self.value]


class TenderMethod(enum.StrEnum):
    CASH = "cash"
    MOBILE = "mobile"  # the booth's static WeChat / Alipay collection QR
    OTHER = "other"

    @classmethod
    def parse(cls, text: str) -> TenderMethod:
        try:
            return cls(text.strip().lower())
        except ValueError as exc:
            raise BadInput("bad_tender_method", text=text) from exc


MAX_UNIT_PRICE_FEN = 1_000_000  # ¥10,000 per kg, jin or item: above that it is a typing slip


def check_price(price_fen: int) -> None:
    if price_fen <= 0:
        raise BadInput("amount_not_positive", text=format_yuan(price_fen))
    if price_fen > MAX_UNIT_PRICE_FEN:
        raise BadInput("amount_too_large", text=format_yuan(price_fen))


def line_amount(unit: PricingUnit, unit_price_fen: int, quantity: Quantity) -> int:
    """The amount of one line in fen, by the module's rounding rule."""
    if unit_price_fen < 0 or quantity.amount < 0:
        raise ValueError("prices and quantities are never negative")
    if unit.weighed:
        if not quantity.weighed:
            raise ValueError("a weighed product needs a weight")
        return round_half_up_div(quantity.amount * unit_price_fen, unit.grams_per_unit)
    if quantity.weighed:
        raise ValueError("an item product needs a count")
    return quantity.amount * unit_price_fen


@dataclass(frozen=True)
class CartTotals:
    subtotal_fen: int
    round_down_fen: int
    total_fen: int


def cart_totals(line_amounts: Sequence[int], round_down: RoundDown) -> CartTotals:
    if not line_amounts:
        raise BadInput("empty_cart")
    if len(line_amounts) > MAX_LINES_PER_SALE:
        raise BadInput("too_many_lines", limit=MAX_LINES_PER_SALE)
    subtotal = sum(line_amounts)
    dropped = subtotal % round_down.step_fen
    total = subtotal - dropped
    if total <= 0 and dropped > 0:
        raise BadInput("round_down_to_zero")
    return CartTotals(subtotal, dropped, total)


@dataclass(frozen=True)
class TenderIn:
    method: TenderMethod
    amount_fen: int


@dataclass(frozen=True)
class TenderOut:
    method: TenderMethod
    amount_fen: int
    change_fen: int


@dataclass(frozen=True)
class Settlement:
    tenders: tuple[TenderOut, ...]
    paid_fen: int
    change_fen: int


def settle(total_fen: int, tenders: Sequence[TenderIn]) -> Settlement:
    """Check the tenders cover the total and give change from cash only."""
    if not tenders:
        raise BadInput("no_tender")
    for tender in tenders:
        if tender.amount_fen <= 0:
            raise BadInput("amount_not_positive", text=format_yuan(tender.amount_fen))
    paid = sum(t.amount_fen for t in tenders)
    if paid < total_fen:
        raise BadInput("tender_below_total", total=format_yuan(total_fen), paid=format_yuan(paid))
    non_cash = sum(t.amount_fen for t in tenders if t.method is not TenderMethod.CASH)
    if non_cash > total_fen:
        raise BadInput(
            "change_on_non_cash", non_cash=format_yuan(non_cash), total=format_yuan(total_fen)
        )
    change = paid - total_fen
    out: list[TenderOut] = []
    remaining_change = change
    # Change comes out of the last cash tender(s), so each tender's net stays >= 0.
    for tender in reversed(tenders):
        given = 0
        if tender.method is TenderMethod.CASH and remaining_change:
            given = min(remaining_change, tender.amount_fen)
            remaining_change -= given
        out.append(TenderOut(tender.method, tender.amount_fen, given))
    out.reverse()
    return Settlement(tuple(out), paid, change)
