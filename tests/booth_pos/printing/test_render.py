"""ESC/POS bytes, PNG preview and plain text, read back the way a printer or a phone would."""

from __future__ import annotations

import io
from typing import Any

import pytest
import zxingcpp
from PIL import Image

from booth_pos.domain.errors import BadInput
from booth_pos.printing.profiles import Mode, Target, make_target
from booth_pos.printing.receipt import REPRINT_MARK, ReceiptLine, ReceiptTender, SaleReceipt, layout
from booth_pos.printing.render import Rendered, escpos_bytes, png_bytes
from tests.booth_pos.printing import samples
from tests.booth_pos.printing.escpos_decoder import DecodeError, decode

GB18030_YEN = b"\x81\x30\x84\x36"  # what python-escpos' MagicEncode makes of ¥
GBK_YEN = b"\xa3\xa4"  # ￥


def qr_texts(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def render(
    profile: str, mode: str, width_mm: int = 58, drawer: bool = False, **kw: Any
) -> tuple[Target, SaleReceipt, Rendered]:
    target = make_target(profile, mode, width_mm, drawer)
    document = samples.sale(**kw)
    return target, document, escpos_bytes(layout(document, target.columns), target)


def test_gbk_mode_prints_chinese_text_in_chinese_mode_with_total_and_qr() -> None:
    _, sale, rendered = render("xprinter-58", "gbk")
    assert rendered.mode is Mode.GBK
    out = decode(rendered.data)
    assert out.problems == []
    text = out.text
    for expected in (
        "后湖莲藕摊",
        "LX01-000012",
        "槐花蜜 500g",
        "红薯粉条 1kg",
        "￥195.00",
        "找零",
    ):
        assert expected in text
    chinese_lines = [line for line in out.lines if any(ord(ch) > 0x7F for ch in line.text)]
    assert chinese_lines and all(line.chinese_mode for line in chinese_lines)
    assert out.inits == 1  # one ESC @ at the start: no smuggled commands
    # The QR is an image (no native GS ( k for this class of printer) a phone can read.
    assert out.native_qr == []
    assert [qr_texts(p) for p in out.pictures()] == [[sale.qr_url]]


def test_gbk_mode_never_sends_the_four_byte_yen_and_leaves_chinese_mode_before_images() -> None:
    _, _, rendered = render("xprinter-58", "gbk", footer="满¥50赠莲子")
    assert GB18030_YEN not in rendered.data
    assert GBK_YEN in rendered.data
    out = decode(rendered.data)
    assert "满￥50赠莲子" in out.text
    assert out.problems == []
    # FS & ... FS . brackets every Chinese stretch: every image comes after an FS .
    states = [value for kind, value in out.events if kind == "chinese"]
    raster_positions = [i for i, (kind, _) in enumerate(out.events) if kind == "raster"]
    assert raster_positions
    for position in raster_positions:
        last = [value for kind, value in out.events[:position] if kind == "chinese"]
        assert last and last[-1] is False
    assert states[0] is True and states[-1] is False


def test_a_name_outside_gbk_falls_back_to_raster_so_the_receipt_stays_readable() -> None:
    rare = (ReceiptLine("𠀀家土鸡蛋", "item", 1, 1500, 1500, "盒"),)
    target, _, rendered = render(
        "xprinter-58",
        "gbk",
        lines=rare,
        round_down_fen=0,
        tenders=(ReceiptTender("cash", 1500),),
    )
    assert rendered.mode is Mode.RASTER and "U+20000" in rendered.note
    out = decode(rendered.data)
    assert out.lines == []  # nothing sent as printer-font text
    assert [p.width for p in out.pictures()] == [target.dots]


@pytest.mark.parametrize(
    ("profile", "width_mm", "dots"),
    [("generic", 58, 384), ("generic", 80, 576), ("epson-tm-t88v", 80, 512)],
)
def test_raster_mode_sends_one_receipt_image_of_the_paper_width(
    profile: str, width_mm: int, dots: int
) -> None:
    _, sale, rendered = render(profile, "raster", width_mm)
    out = decode(rendered.data)
    assert out.lines == [] and out.problems == []
    assert {band.width for band in out.rasters} == {dots}
    assert all(band.height <= 256 for band in out.rasters)  # small bands for small buffers
    pictures = out.pictures()
    assert len(pictures) == 1
    assert qr_texts(pictures[0]) == [sale.qr_url]


def test_unknown_printers_print_raster_and_chinese_printers_print_gbk_by_default() -> None:
    assert make_target("generic", "auto", 58).mode is Mode.RASTER
    assert make_target("epson-tm-t88v", "auto", 80).mode is Mode.RASTER
    assert make_target("POS-5890", "auto", 58).mode is Mode.RASTER  # a bundled escpos profile
    assert make_target("xprinter-58", "auto", 58).mode is Mode.GBK
    with pytest.raises(BadInput):
        make_target("no-such-printer", "auto", 58)
    with pytest.raises(BadInput):
        make_target("generic", "auto", 76)


def test_native_qr_only_where_the_profile_has_it() -> None:
    _, sale, rendered = render("epson-tm-t88v", "gbk", 80)
    out = decode(rendered.data)
    assert out.native_qr == [sale.qr_url]
    assert out.rasters == []
    # GS ( k is sent outside Chinese mode (Chinese just before it can blank it)
    position = next(i for i, (kind, _) in enumerate(out.events) if kind == "qr")
    modes = [value for kind, value in out.events[:position] if kind == "chinese"]
    assert modes[-1] is False


def test_a_cutter_cuts_and_a_printer_without_one_only_feeds() -> None:
    cut = decode(render("xprinter-80", "gbk", 80)[2].data)
    assert cut.cuts == [0] and cut.feeds  # feed past the tear bar, then cut
    assert cut.events[-1][0] == "cut"
    no_cutter = decode(render("xprinter-58", "gbk")[2].data)
    assert no_cutter.cuts == [] and no_cutter.feeds == [6]


def test_the_drawer_opens_for_a_first_cash_receipt_only_when_set_up() -> None:
    kicks = decode(render("xprinter-58", "gbk", drawer=True)[2].data).drawer_kicks
    assert kicks == [(0, 50, 50)]
    assert decode(render("xprinter-58", "gbk", drawer=False)[2].data).drawer_kicks == []
    again = decode(render("xprinter-58", "gbk", drawer=True, reprint=True)[2].data)
    assert again.drawer_kicks == []
    assert REPRINT_MARK in again.text


@pytest.mark.parametrize(("width_mm", "dots"), [(58, 384), (80, 576)])
def test_the_png_preview_is_the_receipt_at_printer_resolution_with_a_readable_qr(
    width_mm: int, dots: int
) -> None:
    target = make_target("generic", "raster", width_mm)
    sale = samples.sale()
    data = png_bytes(layout(sale, target.columns), target.dots)
    assert data.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(data))
    assert image.width == dots and image.height > 600
    assert qr_texts(image.convert("L")) == [sale.qr_url]
    # The top rows carry ink (the booth name), the paper is otherwise white
    grey = image.convert("L")
    assert grey.getextrema() == (0, 255)


def test_the_decoder_refuses_bytes_it_does_not_know() -> None:
    with pytest.raises(DecodeError):
        decode(b"\x1b@\x1b\x99")
    with pytest.raises(DecodeError):
        decode(b"\x1dv0\x00\x30\x00")  # cut off inside a raster header
    flagged = decode(b"\x1c&\xc1\xab\x81\x30\x84\x36\n\x1c.")
    assert flagged.problems and "four-byte" in flagged.problems[0]
