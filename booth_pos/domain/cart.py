"""What the operator has rung up but not yet paid for."""

from __future__ import annotations

from dataclasses import dataclass, field

from booth_pos.domain.pricing import check_price, line_amount
from booth_pos.domain.quantity import PricingUnit, Quantity, check_quantity, parse_quantity


@dataclass(frozen=True)
class CartLine:
    """A PLU or barcode and how much of it; `entered` keeps the operator's own text."""

    code: str
    quantity: Quantity
    entered: str = ""
    # A coordinator's price for this line instead of the catalogue's (fen per pricing unit).
    price_fen: int | None = None

    @classmethod
    def parse(cls, code: str, text: str) -> CartLine:
        quantity = parse_quantity(text)
        check_quantity(quantity, text)
        return cls(code.strip(), quantity, text.strip())


@dataclass(frozen=True)
class Goods:
    """What the till knows about a product when it is tapped or scanned."""

    plu: str
    name_zh: str
    name_en: str
    unit: PricingUnit
    unit_price_fen: int
    item_label_zh: str = ""
    item_label_en: str = ""
    category: str = ""


@dataclass(frozen=True)
class TillLine:
    goods: Goods
    quantity: Quantity
    price_override_fen: int | None = None

    @property
    def unit_price_fen(self) -> int:
        if self.price_override_fen is not None:
            return self.price_override_fen
        return self.goods.unit_price_fen

    @property
    def amount_fen(self) -> int:
        return line_amount(self.goods.unit, self.unit_price_fen, self.quantity)


@dataclass
class TillCart:
    """The cart on the till screen: lines priced live with the ledger's own rule.

    The ledger prices again from the catalogue when the sale commits, so what is
    shown here can never be what is charged unless both agree.
    """

    lines: list[TillLine] = field(default_factory=list)

    def add(self, goods: Goods, quantity: Quantity) -> int:
        """Add goods; a counted product already in the cart gets its count raised.
        Returns the index of the line that changed."""
        check_quantity(quantity, str(quantity))
        if not goods.unit.weighed:
            for index, line in enumerate(self.lines):
                if line.goods.plu == goods.plu:
                    return self.set_quantity(
                        index, Quantity.units(line.quantity.amount + quantity.amount)
                    )
        self.lines.append(TillLine(goods, quantity))
        return len(self.lines) - 1

    def set_quantity(self, index: int, quantity: Quantity) -> int:
        check_quantity(quantity, str(quantity))
        old = self.lines[index]
        self.lines[index] = TillLine(old.goods, quantity, old.price_override_fen)
        return index

    def override_price(self, index: int, price_fen: int) -> None:
        """A coordinator's price for one line (checked again by the ledger at payment)."""
        check_price(price_fen)
        old = self.lines[index]
        self.lines[index] = TillLine(old.goods, old.quantity, price_fen)

    @property
    def has_overrides(self) -> bool:
        return any(line.price_override_fen is not None for line in self.lines)

    def remove(self, index: int) -> None:
        del self.lines[index]

    def clear(self) -> None:
        self.lines.clear()

    @property
    def line_amounts(self) -> list[int]:
        return [line.amount_fen for line in self.lines]

    @property
    def subtotal_fen(self) -> int:
        return sum(self.line_amounts)

    def cart_lines(self) -> list[CartLine]:
        """What `services.sales.ring_up` takes."""
        return [
            CartLine(line.goods.plu, line.quantity, price_fen=line.price_override_fen)
            for line in self.lines
        ]
