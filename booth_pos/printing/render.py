"""Receipt rows to ESC/POS bytes (python-escpos' Dummy), a PNG preview, or plain text.

Two Chinese modes:

- `gbk`: the printer's own font. Text goes between FS & (enter Chinese mode) and FS . (leave
  it) as GBK bytes, every string checked first (`text.gbk_bytes`); ￥ (a3 a4), never the
  half-width ¥ that GB18030 makes four bytes. MagicEncode is not used: for Chinese it sends
  GB18030 without FS &. Images and native QR codes go outside Chinese mode.
- `raster`: the receipt drawn with the bundled font and sent as GS v 0 bands.

The QR is an image (GS v 0) unless the profile has a native QR command and the mode is gbk.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from PIL import Image

from booth_pos.printing import escpos_setup
from booth_pos.printing.profiles import Mode, Target
from booth_pos.printing.raster import draw_receipt, qr_image, qr_matrix, qr_module_dots
from booth_pos.printing.receipt import Align, QrRow, Receipt, TextRow, to_text
from booth_pos.printing.text import NotGbk, gbk_bytes, width

if TYPE_CHECKING:
    from escpos.printer import Dummy

escpos_setup.prepare()  # before python-escpos is first imported (below, when first used)

FS_CHINESE_ON = b"\x1c&"
FS_CHINESE_OFF = b"\x1c."
GS_SIZE = b"\x1d!"
ESC_BOLD = b"\x1bE"
LF = b"\n"
RASTER_BAND_ROWS = 256  # GS v 0 band height: small bands keep cheap printers' buffers happy
DRAWER_PIN = 2


@dataclass(frozen=True)
class Rendered:
    data: bytes
    mode: Mode  # the mode actually used (gbk falls back to raster for non-GBK text)
    note: str = ""  # why it fell back, if it did


@cache
def _profile(base: str, dots: int, native_qr: bool, cutter: bool) -> Any:
    """A python-escpos profile object with our width and features (never the shared class)."""
    from escpos.capabilities import get_profile_class

    data = copy.deepcopy(get_profile_class(base).profile_data)
    media = dict(data.get("media") or {})
    media["width"] = {"mm": media.get("width", {}).get("mm", "Unknown"), "pixels": dots}
    data["media"] = media
    features = dict(data.get("features") or {})
    features.update(
        qrCode=native_qr,
        paperFullCut=cutter,
        paperPartCut=cutter,
        bitImageRaster=True,
    )
    data["features"] = features
    cls = type("BoothPosProfile", (get_profile_class("default"),), {"profile_data": data})
    return cls()


def _printer(target: Target) -> Dummy:
    from escpos.printer import Dummy

    printer = Dummy()
    printer.profile = _profile(
        target.profile.escpos_profile, target.dots, target.native_qr, target.profile.cutter
    )
    return printer


def check_gbk(receipt: Receipt) -> None:
    """NotGbk for the first receipt string the printer's Chinese font cannot print."""
    for text in receipt.strings():
        gbk_bytes(text)


def _gbk_body(printer: Dummy, receipt: Receipt, target: Target) -> None:
    chinese = False
    scale, bold = 1, False
    for row in receipt.rows:
        if isinstance(row, QrRow):
            if chinese:
                printer._raw(FS_CHINESE_OFF)
                chinese = False
            if scale != 1:
                printer._raw(GS_SIZE + b"\x00")
                scale = 1
            _qr(printer, row, target)
            continue
        if not chinese:
            printer._raw(FS_CHINESE_ON)
            chinese = True
        if row.scale != scale:
            printer._raw(GS_SIZE + (b"\x11" if row.scale == 2 else b"\x00"))
            scale = row.scale
        if row.bold != bold:
            printer._raw(ESC_BOLD + (b"\x01" if row.bold else b"\x00"))
            bold = row.bold
        printer._raw(_padded(row, receipt.columns) + LF)
    if chinese:
        printer._raw(FS_CHINESE_OFF)
    if scale != 1:
        printer._raw(GS_SIZE + b"\x00")
    if bold:
        printer._raw(ESC_BOLD + b"\x00")


def _padded(row: TextRow, columns: int) -> bytes:
    limit = columns // row.scale
    if row.align is Align.CENTER:
        pad = (limit - width(row.text)) // 2
    elif row.align is Align.RIGHT:
        pad = limit - width(row.text)
    else:
        pad = 0
    return b" " * max(0, pad) + gbk_bytes(row.text.rstrip())


def _qr(printer: Dummy, row: QrRow, target: Target) -> None:
    if target.native_qr:
        from escpos.constants import QR_ECLEVEL_M

        size = qr_module_dots(len(qr_matrix(row.data)), target.dots)
        printer.set(align="center")
        printer.qr(row.data, ec=QR_ECLEVEL_M, size=size, native=True)
        printer._raw(LF)
        printer.set(align="left")
        return
    printer.image(
        qr_image(row.data, target.dots),
        impl="bitImageRaster",
        center=True,
        fragment_height=RASTER_BAND_ROWS,
    )


def _raster_bands(printer: Dummy, image: Image.Image) -> None:
    """GS v 0 band by band. (python-escpos splits a tall image itself, but converts the whole
    image and then every band again: cutting it here first halves the work.)"""
    for top in range(0, image.height, RASTER_BAND_ROWS):
        band = image.crop((0, top, image.width, min(image.height, top + RASTER_BAND_ROWS)))
        printer.image(band, impl="bitImageRaster", fragment_height=RASTER_BAND_ROWS)


def escpos_bytes(receipt: Receipt, target: Target) -> Rendered:
    """The print job: ESC @, drawer kick (cash sale, setting on), body, feed and cut.

    In gbk mode a receipt holding text outside GBK (a rare character in a product name, say)
    is printed in raster mode instead, so the customer still gets a readable receipt.
    """
    mode, note = target.mode, ""
    if mode is Mode.GBK:
        try:
            check_gbk(receipt)
        except NotGbk as exc:
            mode, note = Mode.RASTER, str(exc)
    printer = _printer(target)
    printer.hw("INIT")
    if target.kick_drawer and receipt.kick_drawer:
        printer.cashdraw(DRAWER_PIN)
    if mode is Mode.GBK:
        _gbk_body(printer, receipt, target)
    else:
        _raster_bands(printer, draw_receipt(receipt, target.dots))
    printer.cut()
    return Rendered(printer.output, mode, note)


def preview_image(receipt: Receipt, dots: int) -> Image.Image:
    return draw_receipt(receipt, dots)


def png_bytes(receipt: Receipt, dots: int) -> bytes:
    """The PNG preview: exactly what raster mode prints, one pixel per printer dot."""
    buffer = io.BytesIO()
    draw_receipt(receipt, dots).save(buffer, format="PNG")
    return buffer.getvalue()


def text(receipt: Receipt) -> str:
    return to_text(receipt)
