"""Receipt text: cleaning, display cells and the GBK check.

A thermal printer's Chinese font prints every two-byte GBK character two cells wide and every
ASCII character one cell wide, so a receipt line is measured the same way: ASCII 1 cell,
anything else 2 cells. The raster renderer draws with the same grid, so both modes wrap and
align identically.
"""

from __future__ import annotations

import unicodedata

YEN_HALF = "\u00a5"  # ¥: GB18030 makes it four bytes (81 30 84 36); GBK has no such character
YEN_FULL = "\uffe5"  # ￥: GBK a3 a4


class NotGbk(ValueError):
    """A receipt string that the printer's GBK font cannot print."""

    def __init__(self, char: str, text: str) -> None:
        self.char = char
        self.text = text
        super().__init__(f"U+{ord(char):04X} {char!r} is not a GBK character (in {text!r})")


def clean(text: str) -> str:
    """Text as it may go on a receipt: NFC, ￥ for ¥, no control or zero-width characters.

    Control characters are replaced by spaces: a product name must never smuggle an ESC/POS
    command (ESC, GS, DLE...) into the printer's byte stream.
    """
    text = unicodedata.normalize("NFC", text).replace(YEN_HALF, YEN_FULL)
    out: list[str] = []
    for ch in text:
        if ch.isascii():
            out.append(ch if " " <= ch <= "~" else " ")
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Zl", "Zp") or ch == "\u3000":
            out.append(" " if ch != "\u3000" else "  ")
        elif category in ("Cf", "Mn", "Me", "Cs", "Co", "Cn"):
            continue  # invisible, combining or unassigned: no cell of its own
        elif category == "Zs":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def cells(ch: str) -> int:
    """Printer cells of one character: ASCII 1, anything else 2."""
    return 1 if ch < "\x80" else 2


def width(text: str) -> int:
    """Printer cells of a cleaned string."""
    ascii_count = sum(1 for ch in text if ch < "\x80")
    return 2 * len(text) - ascii_count


def wrap(text: str, limit: int) -> list[str]:
    """Split `text` into lines of at most `limit` cells, preferring to break at a space
    inside runs of ASCII words; Chinese may break between any two characters."""
    if limit < 2:
        raise ValueError("a line needs room for at least one wide character")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        rest = paragraph.rstrip()
        if not rest:
            lines.append("")
            continue
        while rest:
            if width(rest) <= limit:
                lines.append(rest)
                break
            used, cut = 0, 0
            for index, ch in enumerate(rest):
                if used + cells(ch) > limit:
                    break
                used += cells(ch)
                cut = index + 1
            head = rest[:cut]
            nxt = rest[cut]
            if head[-1].isascii() and head[-1] != " " and nxt.isascii() and nxt != " ":
                space = head.rfind(" ")
                if space > len(head) // 2:
                    cut = space + 1
                    head = rest[:cut]
            lines.append(head.rstrip())
            rest = rest[cut:].lstrip(" ")
    return lines


def fit(text: str, limit: int) -> str:
    """`text` cut to at most `limit` cells (no wrap)."""
    used = 0
    for index, ch in enumerate(text):
        used += cells(ch)
        if used > limit:
            return text[:index]
    return text


def spread(left: str, right: str, limit: int) -> str | None:
    """`left` and `right` on one line of `limit` cells, or None when they do not fit."""
    gap = limit - width(left) - width(right)
    if gap < 1:
        return None
    return left + " " * gap + right


def align_center(text: str, limit: int) -> str:
    return " " * max(0, (limit - width(text)) // 2) + text


def align_right(text: str, limit: int) -> str:
    return " " * max(0, limit - width(text)) + text


def gbk_bytes(text: str) -> bytes:
    """`text` in GBK, every character checked: ASCII one byte, anything else exactly two.

    Raises NotGbk for a character outside GBK and for the few characters Python's GBK codec
    writes as a lone high byte (the euro sign as 0x80), which a printer in Chinese mode would
    read as half of a Chinese character.
    """
    try:
        data = text.encode("gbk")
    except UnicodeEncodeError as exc:
        raise NotGbk(text[exc.start], text) from None
    if len(data) != width(text):
        for ch in text:
            if not ch.isascii() and len(ch.encode("gbk")) != 2:
                raise NotGbk(ch, text)
    return data


def is_gbk(text: str) -> bool:
    try:
        gbk_bytes(text)
    except NotGbk:
        return False
    return True
