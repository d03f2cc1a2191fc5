"""The page a receipt's QR opens: ``/r/<sale UUID>?k=<code>``.

A small HTML page for a customer's phone: what was bought, from which households, and whether
the sale was later voided or refunded. The code is checked with the till's receipt key (sent
at enrollment); a sale the county has not received yet says so.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from html import escape

from sqlalchemy import Connection, Table, select

from booth_pos.domain.money import format_yuan
from booth_pos.domain.quantity import format_kg
from booth_pos.printing.qrcode_url import verify_receipt_code
from sync.protocol import SaleDoc, is_uuid
from sync.server.ingest import DOCUMENTS
from sync.server.models import Device

DEVICES: Table = Device.__table__  # type: ignore[assignment]


def check_receipt_code(key: str, sale_id: str, code: str) -> bool:
    """The one place the receipt code is checked (the booth's printing module makes it)."""
    return verify_receipt_code(key, sale_id, code)


@dataclass(frozen=True)
class ReceiptPage:
    status: int
    html: str


_STYLE = """
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0;
padding:16px;max-width:34em;color:#222}
h1{font-size:1.3em;margin:.2em 0}.sub{color:#666;font-size:.9em}
table{width:100%;border-collapse:collapse;margin:12px 0}td,th{padding:6px 4px;
border-bottom:1px solid #ddd;text-align:left;vertical-align:top}.num{text-align:right;
white-space:nowrap}.total td{font-weight:bold;border-bottom:none}.ok{color:#17692a}
.bad{color:#a11}.note{background:#fff6d6;padding:8px;border-radius:4px}
"""


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>{body}</body></html>"
    )


def _message(title_zh: str, title_en: str, text_zh: str, text_en: str) -> str:
    return _page(
        f"{title_zh} / {title_en}",
        f"<h1>{escape(title_zh)}</h1><p class=sub>{escape(title_en)}</p>"
        f"<p>{escape(text_zh)}</p><p class=sub>{escape(text_en)}</p>",
    )


NOT_RECEIVED = ReceiptPage(
    404,
    _message(
        "尚未收到这张小票",
        "Not yet received",
        "摊位的数据还没有同步到县里，请稍后再扫一次。",
        "The booth has not sent this sale to the county yet; please scan again later.",
    ),
)
BAD_CODE = ReceiptPage(
    403,
    _message(
        "小票验证未通过",
        "This receipt could not be verified",
        "二维码中的校验码与该摊位不符，这张小票可能不是真的。",
        "The code in the QR does not match the booth's; the receipt may not be genuine.",
    ),
)
CANNOT_CHECK = ReceiptPage(
    409,
    _message(
        "暂时无法验证",
        "Cannot be verified yet",
        "县里已收到这笔销售，但还没有该摊位的校验密钥。",
        "The county has this sale but not yet the booth's receipt key.",
    ),
)


def _quantity(unit: str, quantity: int, label: str) -> str:
    if unit == "item":
        return f"{quantity}{label or '件'}"
    return f"{format_kg(quantity)} 公斤"


def receipt_page(conn: Connection, sale_id: str, code: str) -> ReceiptPage:
    if not is_uuid(sale_id):
        return NOT_RECEIVED
    sale_id = sale_id.lower()
    row = conn.execute(
        select(DOCUMENTS.c.payload, DEVICES.c.receipt_key, DEVICES.c.town, DEVICES.c.name)
        .join(DEVICES, DEVICES.c.id == DOCUMENTS.c.device_id)
        .where(DOCUMENTS.c.doc_id == sale_id, DOCUMENTS.c.kind == "sale")
    ).first()
    if row is None:
        return NOT_RECEIVED
    if not row.receipt_key:
        return CANNOT_CHECK
    if not check_receipt_code(row.receipt_key, sale_id, code):
        return BAD_CODE
    sale = SaleDoc.model_validate(json.loads(row.payload))
    after = [
        (str(kind), int(amount), str(number or ""))
        for kind, amount, number in conn.execute(
            select(DOCUMENTS.c.kind, DOCUMENTS.c.amount_fen, DOCUMENTS.c.receipt_no)
            .where(DOCUMENTS.c.ref_doc_id == sale_id)
            .order_by(DOCUMENTS.c.seq)
        )
    ]
    return ReceiptPage(200, sale_html(sale, row.town, row.name, after))


def sale_html(sale: SaleDoc, town: str, booth_name: str, after: list[tuple[str, int, str]]) -> str:
    households: list[str] = []
    rows = []
    for line in sale.lines:
        if line.household_name not in households:
            households.append(line.household_name)
        name = escape(line.name_zh)
        if line.name_en:
            name += f"<br><span class=sub>{escape(line.name_en)}</span>"
        quantity = _quantity(line.unit, line.quantity, line.item_label_zh)
        rows.append(
            f"<tr><td>{name}<br><span class=sub>{escape(line.household_name)}</span></td>"
            f"<td class=num>{escape(quantity)}</td>"
            f"<td class=num>￥{format_yuan(line.amount_fen)}</td></tr>"
        )
    offset = dt.timezone(dt.timedelta(minutes=sale.utc_offset_min))
    when = sale.occurred_at.astimezone(offset).strftime("%Y-%m-%d %H:%M")
    notes = []
    for kind, amount, number in after:
        if kind == "void":
            notes.append(f"<p class='note bad'>此单已作废 / voided (￥{format_yuan(amount)})</p>")
        elif kind == "refund":
            notes.append(
                f"<p class=note>已退款 / refunded ￥{format_yuan(amount)} ({escape(number)})</p>"
            )
    booth = booth_name or sale.booth_code
    count = len(households)
    body = (
        f"<h1>{escape(booth)}</h1>"
        f"<p class=sub>{escape(town)} · 小票 {escape(sale.receipt_no)} · {escape(when)}</p>"
        "<p class=ok>✓ 县里已收到这张小票，校验通过 / received by the county, code verified</p>"
        "<table><tr><th>商品 / item</th><th class=num>数量</th><th class=num>金额</th></tr>"
        + "".join(rows)
        + "<tr class=total><td>合计 / total</td><td></td>"
        f"<td class=num>￥{format_yuan(sale.total_fen)}</td></tr></table>"
        + "".join(notes)
        + f"<p>本单帮扶 {count} 户农户 / this purchase supported {count} "
        f"household{'s' if count != 1 else ''}: {escape('、'.join(households))}</p>"
    )
    return _page(f"{booth} {sale.receipt_no}", body)
