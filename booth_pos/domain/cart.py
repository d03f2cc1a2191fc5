"""What the operator has rung up but not yet paid for."""

from __future__ import annotations

from dataclasses import dataclass, field

from booth_pos.domain.quantity import Quantity, check_quantity, parse_quantity


@dataclass(frozen=True)
class CartLine:
    """A PLU or barcode and how much of it; `entered` keeps the operator's own text."""

    code: str
    quantity: Quantity
    entered: str = ""

    @classmethod
    def parse(cls, code: str, text: str) -> CartLine:
        quantity = parse_quantity(text)
        check_quantity(quantity, text)
        return cls(code.strip(), quantity, text.strip())


@dataclass
class Cart:
    lines: list[CartLine] = field(default_factory=list)

    def add(self, line: CartLine) -> None:
        self.lines.append(line)
