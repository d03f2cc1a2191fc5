"""Money is an integer number of fen (分); yuan only appear at the edges as text."""

from __future__ import annotations

import re

from booth_pos.domain.errors import BadInput

# One sale, one tender or one price above ¥1,000,000 is a typing slip, not trade.
MAX_AMOUNT_FEN = 100_000_000

_YUAN = re.compile(r"^\s*[¥￥]?\s*(\d{1,9})(?:\.(\d{1,2}))?\s*(?:元)?\s*$")


def parse_yuan(text: str) -> int:
    """Parse '18.75', '50', '¥3.5' into fen. At most two decimals; never via float."""
    match = _YUAN.match(text)
    if match is None:
        raise BadInput("bad_amount", text=text)
    whole, frac = match.group(1), match.group(2) or ""
    fen = int(whole) * 100 + int(frac.ljust(2, "0") or "0")
    if fen > MAX_AMOUNT_FEN:
        raise BadInput("amount_too_large", text=text)
    return fen


def format_yuan(fen: int) -> str:
    """'18.75' for 1875; negative amounts keep their sign."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), 100)
    return f"{sign}{whole}.{part:02d}"


def round_half_up_div(numerator: int, denominator: int) -> int:
    """Integer division rounding halves away from zero (numerator >= 0, denominator > 0)."""
    if numerator < 0 or denominator <= 0:
        raise ValueError("round_half_up_div expects numerator >= 0 and denominator > 0")
    quotient, remainder = divmod(numerator, denominator)
    return quotient + (1 if remainder * 2 >= denominator else 0)
