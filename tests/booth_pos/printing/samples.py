"""Receipts to print in tests: a five-line festival sale and a refund, built by hand."""

from __future__ import annotations

import datetime as dt
import uuid

from booth_pos.printing.qrcode_url import receipt_url
from booth_pos.printing.receipt import ReceiptLine, ReceiptTender, RefundReceipt, SaleReceipt

KEY = "00" * 31 + "2a"
SERVER = "https://county.example.cn"
SALE_ID = "0e9d0a97-4fad-4b18-acd9-56ddf72a34da"

FIVE_LINES = (
    ReceiptLine("莲藕", "jin", 1250, 350, 875),
    ReceiptLine("槐花蜜 500g", "item", 2, 4500, 9000, "罐"),
    ReceiptLine("鲜香菇", "jin", 750, 1200, 1800),
    ReceiptLine("黄酒 500ml", "item", 1, 2500, 2500, "瓶"),
    ReceiptLine("红薯粉条 1kg", "item", 3, 1800, 5400, "袋"),
)


def sale(
    *,
    lines: tuple[ReceiptLine, ...] = FIVE_LINES,
    sale_id: str = SALE_ID,
    reprint: bool = False,
    tenders: tuple[ReceiptTender, ...] = (ReceiptTender("cash", 20000, 500),),
    footer: str = "谢谢惠顾，欢迎再来！\n满¥50赠莲子一包",
    booth_name: str = "后湖莲藕摊",
    round_down_fen: int = 75,
    qr: bool = True,
) -> SaleReceipt:
    subtotal = sum(line.amount_fen for line in lines)
    total = subtotal - round_down_fen
    paid = sum(t.amount_fen for t in tenders)
    return SaleReceipt(
        booth_name=booth_name,
        town="莲花镇",
        receipt_no="LX01-000012",
        local_time=dt.datetime(2026, 2, 10, 14, 3, 5),
        operator="李娜",
        lines=lines,
        subtotal_fen=subtotal,
        round_down_fen=round_down_fen,
        total_fen=total,
        tenders=tenders,
        change_fen=paid - total,
        households=4,
        qr_url=receipt_url(SERVER, sale_id, KEY) if qr else "",
        footer=footer,
        reprint=reprint,
    )


def random_sale() -> SaleReceipt:
    """A sale with its own UUID (so its QR is not a cached one)."""
    return sale(sale_id=str(uuid.uuid4()))


def refund() -> RefundReceipt:
    return RefundReceipt(
        booth_name="后湖莲藕摊",
        town="莲花镇",
        refund_no="LX01-R000013",
        receipt_no="LX01-000012",
        local_time=dt.datetime(2026, 2, 10, 14, 20, 0),
        authorised_by="张敏",
        reason="顾客不要了",
        method="cash",
        lines=(ReceiptLine("槐花蜜 500g", "item", 1, 4500, 4500, "罐"),),
        amount_fen=4500,
        qr_url=receipt_url(SERVER, SALE_ID, KEY),
    )
