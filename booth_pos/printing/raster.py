"""The receipt drawn as a 1-bit image with the bundled WenQuanYi Micro Hei font.

Text sits on the printer's grid: a cell is 12 dots wide, an ASCII character takes one cell and
any other character two, as in a Chinese printer font. Each glyph is drawn once (per size and
weight) and then pasted, which is what makes a whole receipt take about a millisecond: drawing
each line with FreeType would take ten times longer.

The same image is the PNG preview and, in raster mode, what the printer gets (GS v 0).
"""

from __future__ import annotations

import threading
from functools import cache, lru_cache

import qrcode
from PIL import Image, ImageDraw, ImageFont

from booth_pos.printing.profiles import CELL_DOTS
from booth_pos.printing.receipt import Align, QrRow, Receipt, TextRow
from booth_pos.printing.text import cells, width
from booth_pos.resources import cjk_font_path

MONO_FACE = 1  # "WenQuanYi Micro Hei Mono": ASCII advance 0.6 em, so 20 px gives 12 dots
LINE_DOTS = 28  # one text line: 24-dot glyphs and a little air
BASELINE = 23
QR_MARGIN_MODULES = 2
QR_MASK = 2  # see qr_matrix
WHITE, BLACK = 1, 0


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(
        str(cjk_font_path()), size, index=MONO_FACE, layout_engine=ImageFont.Layout.BASIC
    )


_glyphs: dict[tuple[str, int, bool], Image.Image] = {}
_glyph_lock = threading.Lock()


def _glyph(ch: str, scale: int, bold: bool) -> Image.Image:
    key = (ch, scale, bold)
    found = _glyphs.get(key)
    if found is not None:
        return found
    with _glyph_lock:  # a FreeType face must not draw on two threads at once
        found = _glyphs.get(key)
        if found is None:
            found = _glyphs[key] = _draw_glyph(ch, scale, bold)
        return found


def _draw_glyph(ch: str, scale: int, bold: bool) -> Image.Image:
    wide = cells(ch) == 2
    cell = CELL_DOTS * scale * (2 if wide else 1)
    font = _font((24 if wide else 20) * scale)
    image = Image.new("1", (cell, LINE_DOTS * scale), WHITE)
    draw = ImageDraw.Draw(image)
    x = max(0.0, (cell - font.getlength(ch)) / 2)
    for dx in (0, 1) if bold else (0,):
        draw.text((x + dx * scale, BASELINE * scale), ch, font=font, fill=BLACK, anchor="ls")
    return image


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR modules for `data` (error correction M, no quiet zone).

    The mask is fixed to pattern 2 rather than chosen by scoring all eight: scoring costs
    about 5 ms per receipt in pure Python, more than the whole gbk receipt may take. Every
    mask gives a standard QR code; over 100 receipt URLs pattern 2 was the scorer's own choice
    most often (48 of 100) and had the lowest mean penalty.
    """
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=QR_MASK
    )
    code.add_data(data)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    return matrix


def qr_module_dots(modules: int, dots: int) -> int:
    """Module size for a QR about half the paper wide: 5 dots on 58 mm, 7-8 on 80 mm."""
    return max(3, min(8, (dots * 55 // 100) // (modules + 2 * QR_MARGIN_MODULES)))


@lru_cache(maxsize=64)
def qr_image(data: str, dots: int) -> Image.Image:
    """The QR as a 1-bit image with a two-module white margin (callers must not change it)."""
    matrix = qr_matrix(data)
    n = len(matrix)
    module = qr_module_dots(n, dots)
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    small = Image.frombytes("L", (n, n), pixels)
    side = (n + 2 * QR_MARGIN_MODULES) * module
    image = Image.new("1", (side, side), WHITE)
    big = small.resize((n * module, n * module), Image.Resampling.NEAREST).convert("1")
    image.paste(big, (QR_MARGIN_MODULES * module, QR_MARGIN_MODULES * module))
    return image


def _row_height(row: TextRow | QrRow, dots: int) -> int:
    if isinstance(row, QrRow):
        return qr_image(row.data, dots).height
    return LINE_DOTS * row.scale


def text_x(row: TextRow, columns: int) -> int:
    """Cells from the left edge where `row` starts."""
    limit = columns // row.scale
    if row.align is Align.CENTER:
        return (limit - width(row.text)) // 2 * row.scale
    if row.align is Align.RIGHT:
        return (limit - width(row.text)) * row.scale
    return 0


def draw_receipt(receipt: Receipt, dots: int) -> Image.Image:
    """The whole receipt as one 1-bit image `dots` wide (white 1, black 0)."""
    columns = receipt.columns
    if columns * CELL_DOTS > dots:
        raise ValueError(f"{columns} columns do not fit {dots} dots")
    left = (dots - columns * CELL_DOTS) // 2
    height = sum(_row_height(row, dots) for row in receipt.rows)
    image = Image.new("1", (dots, max(height, 1)), WHITE)
    y = 0
    for row in receipt.rows:
        if isinstance(row, QrRow):
            qr = qr_image(row.data, dots)
            image.paste(qr, ((dots - qr.width) // 2, y))
            y += qr.height
            continue
        x = left + text_x(row, columns) * CELL_DOTS
        for ch in row.text:
            step = CELL_DOTS * row.scale * cells(ch)
            if ch != " ":
                image.paste(_glyph(ch, row.scale, row.bold), (x, y))
            x += step
        y += LINE_DOTS * row.scale
    return image
