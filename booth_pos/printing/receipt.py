"""What a receipt says, and `layout()`: a pure function from a sale (or refund) to its rows.

The rows are fixed-width text on the printer's grid (`columns` cells of 12 dots; ASCII one
cell, Chinese two) and the QR. Every renderer (ESC/POS gbk, ESC/POS raster, PNG, plain text)
draws the same rows, so the preview on screen is the paper receipt.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from booth_pos.domain.money import format_yuan
from booth_pos.domain.quantity import format_kg
from booth_pos.printing.text import (
    YEN_FULL,
    align_center,
    align_right,
    clean,
    spread,
    width,
    wrap,
)

REPRINT_MARK = "补打 REPRINT"
QR_CAPTION = "扫码查验小票"
TENDER_NAMES = {"cash": "现金", "mobile": "扫码支付", "other": "其他"}
UNIT_NAMES = {"jin": "斤", "kg": "kg"}


class Align(enum.StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class ReceiptLine:
    """One sold (or refunded) line: a snapshot from the ledger."""

    name: str
    unit: str  # kg, jin or item
    quantity: int  # grams for kg / jin, units for item
    unit_price_fen: int
    amount_fen: int
    item_label: str = ""  # 罐, 只, 瓶... for counted goods


@dataclass(frozen=True)
class ReceiptTender:
    method: str
    amount_fen: int
    change_fen: int = 0


@dataclass(frozen=True)
class SaleReceipt:
    booth_name: str
    town: str
    receipt_no: str
    local_time: dt.datetime  # the booth's wall-clock time of the sale
    operator: str
    lines: tuple[ReceiptLine, ...]
    subtotal_fen: int
    round_down_fen: int
    total_fen: int
    tenders: tuple[ReceiptTender, ...]
    change_fen: int
    households: int  # how many farm households this sale supported
    qr_url: str = ""  # empty: no QR (no county server configured)
    footer: str = ""
    reprint: bool = False
    voided: bool = False
    refunded_fen: int = 0

    @property
    def doc_no(self) -> str:
        return self.receipt_no

    @property
    def paid_cash(self) -> bool:
        return any(t.method == "cash" for t in self.tenders)


@dataclass(frozen=True)
class RefundReceipt:
    booth_name: str
    town: str
    refund_no: str
    receipt_no: str  # the sale refunded
    local_time: dt.datetime
    authorised_by: str
    reason: str
    method: str
    lines: tuple[ReceiptLine, ...]  # quantity and amount given back
    amount_fen: int
    qr_url: str = ""  # the original sale's page
    footer: str = ""
    reprint: bool = False

    @property
    def doc_no(self) -> str:
        return self.refund_no

    @property
    def paid_cash(self) -> bool:
        return False  # a refund never kicks the drawer on its own


Document = SaleReceipt | RefundReceipt


@dataclass(frozen=True)
class TextRow:
    """One printed line. `text` is cleaned and fits `columns // scale` cells."""

    text: str
    align: Align = Align.LEFT
    scale: int = 1  # 1 normal, 2 double width and height
    bold: bool = False


@dataclass(frozen=True)
class QrRow:
    data: str


Row = TextRow | QrRow


@dataclass(frozen=True)
class Receipt:
    """The laid-out receipt: rows on a grid of `columns` cells."""

    columns: int
    rows: tuple[Row, ...]
    doc_no: str = ""
    kick_drawer: bool = False  # wanted by the document; the printer setting decides
    qr_urls: tuple[str, ...] = field(default=())

    def text_rows(self) -> Iterable[TextRow]:
        return (row for row in self.rows if isinstance(row, TextRow))

    def strings(self) -> list[str]:
        """Every piece of text on the receipt (for the GBK check)."""
        return [row.text for row in self.text_rows()]


def quantity_text(unit: str, quantity: int, item_label: str = "") -> str:
    """'2.5斤', '1.25kg', '2罐' (grams / 500 is exact to three decimals)."""
    if unit == "jin":
        return f"{format_kg(quantity * 2)}斤"
    if unit == "kg":
        return f"{format_kg(quantity)}kg"
    return f"{quantity}{item_label}" if item_label else f"{quantity}件"


def unit_price_text(unit: str, unit_price_fen: int, item_label: str = "") -> str:
    per = UNIT_NAMES.get(unit) or item_label
    return f"{format_yuan(unit_price_fen)}/{per}" if per else format_yuan(unit_price_fen)


class _Builder:
    def __init__(self, columns: int) -> None:
        if columns < 16:
            raise ValueError("a receipt needs at least 16 columns")
        self.columns = columns
        self.rows: list[Row] = []

    def text(
        self, text: str, align: Align = Align.LEFT, scale: int = 1, bold: bool = False
    ) -> None:
        limit = self.columns // scale
        for paragraph in text.splitlines() or [""]:
            for line in wrap(clean(paragraph), limit):
                self.rows.append(TextRow(line, align, scale, bold))

    def blank(self) -> None:
        self.rows.append(TextRow(""))

    def rule(self) -> None:
        self.rows.append(TextRow("-" * self.columns))

    def pair(self, left: str, right: str, scale: int = 1, bold: bool = False) -> None:
        """`left` and `right` on one line, or `left` wrapped then `right` right-aligned."""
        limit = self.columns // scale
        left, right = clean(left), clean(right)
        line = spread(left, right, limit)
        if line is not None:
            self.rows.append(TextRow(line, Align.LEFT, scale, bold))
            return
        self.text(left, scale=scale, bold=bold)
        for part in wrap(right, limit):
            self.rows.append(TextRow(align_right(part, limit), Align.LEFT, scale, bold))

    def big_or_wrapped(self, text: str, bold: bool = True) -> None:
        """Double size when it fits on one line, else normal size wrapped, centred."""
        cleaned = clean(text)
        if width(cleaned) <= self.columns // 2:
            self.rows.append(TextRow(cleaned, Align.CENTER, 2, bold))
        else:
            self.text(cleaned, Align.CENTER, 1, bold)

    def item(self, line: ReceiptLine, sign: str = "") -> None:
        self.text(line.name)
        detail = (
            f"  {quantity_text(line.unit, line.quantity, line.item_label)}"
            f" x {unit_price_text(line.unit, line.unit_price_fen, line.item_label)}"
        )
        self.pair(detail, f"{sign}{format_yuan(line.amount_fen)}")

    def qr(self, url: str, caption: str = QR_CAPTION) -> None:
        self.blank()
        self.rows.append(QrRow(url))
        self.text(caption, Align.CENTER)

    def footer(self, text: str) -> None:
        if text.strip():
            self.blank()
            self.text(text.strip(), Align.CENTER)


def _time_text(moment: dt.datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S}"


def _header(b: _Builder, doc: Document) -> None:
    if doc.reprint:
        b.big_or_wrapped(f"** {REPRINT_MARK} **" if b.columns >= 40 else REPRINT_MARK)
        b.blank()
    b.big_or_wrapped(doc.booth_name)
    if doc.town.strip():
        b.text(doc.town, Align.CENTER)
    b.blank()


def _layout_sale(b: _Builder, sale: SaleReceipt) -> None:
    _header(b, sale)
    b.pair("小票号", sale.receipt_no)
    b.pair("时间", _time_text(sale.local_time))
    b.pair("收银员", sale.operator)
    b.rule()
    for line in sale.lines:
        b.item(line)
    b.rule()
    if sale.round_down_fen:
        b.pair("小计", format_yuan(sale.subtotal_fen))
        b.pair("抹零", f"-{format_yuan(sale.round_down_fen)}")
    b.pair("合计", f"{YEN_FULL}{format_yuan(sale.total_fen)}", scale=2, bold=True)
    for tender in sale.tenders:
        b.pair(TENDER_NAMES.get(tender.method, tender.method), format_yuan(tender.amount_fen))
    if sale.change_fen or any(t.method == "cash" for t in sale.tenders):
        b.pair("找零", format_yuan(sale.change_fen))
    if sale.voided:
        b.big_or_wrapped("已作废 VOIDED")
    elif sale.refunded_fen:
        b.pair("已退款", f"{YEN_FULL}{format_yuan(sale.refunded_fen)}")
    b.rule()
    if sale.households:
        b.text(f"本单惠及 {sale.households} 户农户", Align.CENTER)
    if sale.qr_url:
        b.qr(sale.qr_url)
    b.footer(sale.footer)


def _layout_refund(b: _Builder, refund: RefundReceipt) -> None:
    _header(b, refund)
    b.big_or_wrapped("退货单")
    b.pair("退货单号", refund.refund_no)
    b.pair("原小票号", refund.receipt_no)
    b.pair("时间", _time_text(refund.local_time))
    b.pair("授权人", refund.authorised_by)
    if refund.reason.strip():
        b.pair("原因", refund.reason.strip())
    b.rule()
    for line in refund.lines:
        b.item(line)
    b.rule()
    b.pair("退款", f"{YEN_FULL}{format_yuan(refund.amount_fen)}", scale=2, bold=True)
    b.pair("退款方式", TENDER_NAMES.get(refund.method, refund.method))
    b.rule()
    if refund.qr_url:
        b.qr(refund.qr_url)
    b.footer(refund.footer)


def layout(doc: Document, columns: int) -> Receipt:
    """The receipt's rows for a printer `columns` cells wide (32 on 58 mm, 48 on 80 mm)."""
    b = _Builder(columns)
    if isinstance(doc, SaleReceipt):
        _layout_sale(b, doc)
    else:
        _layout_refund(b, doc)
    urls = tuple(row.data for row in b.rows if isinstance(row, QrRow))
    return Receipt(columns, tuple(b.rows), doc.doc_no, doc.paid_cash and not doc.reprint, urls)


@dataclass(frozen=True)
class SelfTestPage:
    """What the printer test page shows: the settings it was printed with."""

    booth_name: str
    printer: str  # the URI
    profile: str  # the profile's label
    mode: str  # gbk or raster, as printed
    dots: int
    local_time: dt.datetime
    qr_data: str


def self_test_page(page: SelfTestPage, columns: int) -> Receipt:
    """A page that shows at a glance whether width, Chinese text, ￥, QR and cut all work."""
    b = _Builder(columns)
    b.big_or_wrapped("打印测试 TEST")
    b.text(page.booth_name, Align.CENTER)
    b.blank()
    b.pair("打印机", page.printer)
    b.pair("型号", page.profile)
    b.pair("中文方式", page.mode)
    b.pair("宽度", f"{page.dots} dots / {columns} cols")
    b.pair("时间", _time_text(page.local_time))
    b.rule()
    b.rows.append(TextRow("".join(str(i % 10) for i in range(1, columns + 1))))
    b.text("中文：莲藕 槐花蜜 红薯粉条")
    b.pair("金额 Amount", f"{YEN_FULL}12.50")
    b.pair("合计", f"{YEN_FULL}88.00", scale=2, bold=True)
    b.rule()
    b.qr(page.qr_data, "二维码测试 QR test")
    b.text("若以上中文、金额与二维码均清晰，打印机设置正确", Align.CENTER)
    return Receipt(columns, tuple(b.rows), "TEST", False, (page.qr_data,))


def plain_lines(receipt: Receipt) -> list[str]:
    """The receipt as lines of text (double-size rows are centred like normal ones)."""
    out: list[str] = []
    for row in receipt.rows:
        if isinstance(row, QrRow):
            out.append(align_center(f"[QR] {row.data}", receipt.columns))
            continue
        limit = receipt.columns // row.scale
        if row.align is Align.CENTER:
            text = align_center(row.text, limit if row.scale == 1 else receipt.columns)
        elif row.align is Align.RIGHT:
            text = align_right(row.text, receipt.columns)
        else:
            text = row.text
        if row.scale == 2 and row.align is Align.LEFT:
            text = _stretch(row.text, receipt.columns)
        out.append(text.rstrip())
    return out


def _stretch(text: str, limit: int) -> str:
    """A double-width left-aligned pair ("合计   ￥8.75") spread over the full line."""
    parts = text.split()
    if len(parts) >= 2:
        joined = spread(" ".join(parts[:-1]), parts[-1], limit)
        if joined is not None:
            return joined
    return text


def to_text(receipt: Receipt) -> str:
    return "\n".join(plain_lines(receipt)) + "\n"
