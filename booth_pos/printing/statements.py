"""Day-end slips for the receipt printer: a household's statement and the X / Z report.

Pure layout, like `receipt.layout()`: a `HouseholdStatement` or a `DayReport` becomes the same
`Receipt` of rows on the printer's grid, so every renderer (ESC/POS gbk or raster, PNG, text)
prints it, and the on-screen preview is the paper slip. Labels are Chinese first.
"""

from __future__ import annotations

import datetime as dt

from booth_pos.domain.money import format_yuan
from booth_pos.domain.reports import (
    DayReport,
    HouseholdStatement,
    format_quantity,
    format_rate,
    unit_label,
)
from booth_pos.printing.receipt import (
    REPRINT_MARK,
    TENDER_NAMES,
    Align,
    QrRow,
    Receipt,
    TextRow,
    _Builder,
)
from booth_pos.printing.text import YEN_FULL

STATEMENT_TITLE = "农户结算单"
STATEMENT_QR_CAPTION = "扫码查看结算单"
Z_TITLE = "日结报表 Z"
X_TITLE = "营业快报 X"
NOT_CLOSED = "未日结（截至打印时）"
COORDINATOR_SIGNATURE = "负责人签字"


def _yen(fen: int) -> str:
    return f"{YEN_FULL}{format_yuan(fen)}"


def _optional(fen: int | None) -> str:
    return "-" if fen is None else format_yuan(fen)


def _signature(b: _Builder, label: str) -> None:
    b.blank()
    b.text(f"{label}：")
    b.blank()
    b.rows.append(TextRow("_" * b.columns))
    b.pair("日期：", "____年____月____日")


def _title(b: _Builder, booth_name: str, town: str, title: str, reprint: bool) -> None:
    if reprint:
        b.big_or_wrapped(f"** {REPRINT_MARK} **" if b.columns >= 40 else REPRINT_MARK)
        b.blank()
    b.big_or_wrapped(booth_name)
    if town.strip():
        b.text(town, Align.CENTER)
    b.blank()
    b.big_or_wrapped(title)


def _finish(b: _Builder, doc_no: str) -> Receipt:
    urls = tuple(row.data for row in b.rows if isinstance(row, QrRow))
    return Receipt(b.columns, tuple(b.rows), doc_no, False, urls)


def statement_doc_no(statement: HouseholdStatement) -> str:
    return f"{statement.household_code} {statement.day.isoformat()}"


def statement_slip(statement: HouseholdStatement, columns: int, reprint: bool = False) -> Receipt:
    """One household's slip: its goods, quantities and amounts, the commission, the amount
    owed, the QR of its page on the county server (when enrolled) and a line to sign."""
    b = _Builder(columns)
    _title(b, statement.booth_name, statement.town, STATEMENT_TITLE, reprint)
    b.pair("日期", statement.day.isoformat())
    b.pair("日结号", f"Z{statement.z_no}" if statement.z_no is not None else NOT_CLOSED)
    b.pair("农户编号", statement.household_code)
    b.pair("农户", statement.household_name)
    b.rule()
    if not statement.lines:
        b.text("当日无销售", Align.CENTER)
    for line in statement.lines:
        b.text(line.name_zh)
        b.pair(f"  {_quantity(line.unit, line.quantity)}", format_yuan(line.amount_fen))
    b.rule()
    b.pair("货款合计", _yen(statement.goods_fen))
    b.pair(f"佣金 {statement.rate_text}", f"-{_yen(statement.commission_fen)}")
    b.pair("应付农户", _yen(statement.owed_fen), scale=2, bold=True)
    b.rule()
    if statement.url:
        b.qr(statement.url, STATEMENT_QR_CAPTION)
    _signature(b, f"{statement.signature_label_zh} {statement.signature_label_en}")
    return _finish(b, statement_doc_no(statement))


def report_doc_no(report: DayReport) -> str:
    number = f"Z{report.z_no}" if report.z_no is not None else "X"
    return f"{number} {report.day.isoformat()}"


def _local(moment: dt.datetime, offset_min: int) -> str:
    return f"{moment + dt.timedelta(minutes=offset_min):%Y-%m-%d %H:%M}"


def day_report_slip(report: DayReport, columns: int, reprint: bool = False) -> Receipt:
    """The X or Z report as a slip: sales, tenders, cash and QR reconciliation, what each
    household is owed, stock variances, and a line for the coordinator to sign."""
    b = _Builder(columns)
    closed = report.z_no is not None
    _title(b, report.booth_name, report.town, Z_TITLE if closed else X_TITLE, reprint)
    b.pair("日期", report.day.isoformat())
    b.pair("日结号", f"Z{report.z_no}" if closed else NOT_CLOSED)
    b.pair("摊位", report.booth_code)
    when = _local(report.generated_at, report.utc_offset_min)
    b.pair("日结时间" if closed else "打印时间", when)
    if report.closed_by:
        b.pair("日结人", report.closed_by)
    b.pair("小票", f"{report.first_receipt or '-'} ~ {report.last_receipt or '-'}")
    b.pair("笔数", f"销售{report.sales_count} 作废{report.voids_count} 退款{report.refunds_count}")
    b.rule()
    b.pair("销售总额", format_yuan(report.gross_fen))
    b.pair("抹零", f"-{format_yuan(report.round_down_fen)}")
    b.pair("作废", f"-{format_yuan(report.voids_fen)}")
    b.pair("退款", f"-{format_yuan(report.refunds_fen)}")
    b.pair("净额", _yen(report.net_fen), scale=2, bold=True)
    for tender in report.tenders:
        b.pair(f"  {TENDER_NAMES.get(tender.method, tender.method)}", format_yuan(tender.net_fen))
    b.rule()
    cash = report.cash
    b.text("现金核对")
    b.pair("  备用金", format_yuan(cash.floats_fen))
    b.pair("  存入 / 取出", f"{format_yuan(cash.pay_ins_fen)} / {format_yuan(cash.pay_outs_fen)}")
    b.pair("  应有现金", format_yuan(cash.expected_fen))
    b.pair("  实点现金", _optional(cash.counted_fen))
    b.pair("  差额", _optional(cash.variance_fen), bold=bool(cash.variance_fen))
    mobile = report.mobile
    b.text("扫码核对")
    b.pair("  系统记录", format_yuan(mobile.recorded_fen))
    b.pair("  平台对账单", _optional(mobile.statement_fen))
    b.pair("  差额", _optional(mobile.variance_fen), bold=bool(mobile.variance_fen))
    b.rule()
    b.text(f"农户结算（{len(report.households)}户）")
    for h in report.households:
        b.text(f"{h.code} {h.name}")
        commission = f"佣金{format_rate(h.rate_bp)} {format_yuan(h.commission_fen)}"
        b.pair(f"  货款 {format_yuan(h.goods_fen)}", commission)
        b.pair("  应付", format_yuan(h.owed_fen))
    b.pair("货款合计", format_yuan(report.goods_fen))
    b.pair("佣金合计", format_yuan(report.commission_fen))
    b.pair("应付农户合计", _yen(report.owed_fen), bold=True)
    variances = report.stock_variance_lines
    if variances:
        b.rule()
        b.text("库存差异")
        for s in variances:
            b.pair(f"  {s.plu} {s.name_zh}", _quantity(s.unit, s.variance))
            if s.reasons:
                b.text(f"    {'; '.join(s.reasons)}")
    b.rule()
    _signature(b, COORDINATOR_SIGNATURE)
    return _finish(b, report_doc_no(report))


def _quantity(unit: str, quantity: int) -> str:
    return f"{format_quantity(unit, quantity)}{unit_label(unit)}"
