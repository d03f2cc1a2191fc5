"""CSV exports of the day report and the household statements, and their reader.

Files are UTF-8 with a BOM, so a spreadsheet opens the Chinese correctly. One file holds
several tables: a row whose first cell starts with ``#`` is a table's header (``#product``),
its cells are "key 中文" labels; the rows after it, up to a blank row, are that table's data,
each starting with the table's name. Amounts are yuan with two decimals (signed); quantities
are in the product's unit (kg, jin or items) with up to three decimals, so every figure is
exact and `read_tables` gives back the same numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from booth_pos.domain.reports import (
    DayReport,
    HouseholdStatement,
    denomination_label,
    format_quantity,
    format_rate,
    yuan,
)

BOM = "\ufeff"
Table = tuple[str, Sequence[str], Iterable[Sequence[object]]]


def _tables_text(tables: Iterable[Table]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    first = True
    for name, header, rows in tables:
        if not first:
            writer.writerow([])
        first = False
        writer.writerow([f"#{name}", *header])
        for row in rows:
            writer.writerow([name, *("" if v is None else v for v in row)])
    return out.getvalue()


def _kv(pairs: Iterable[tuple[str, str, object]]) -> list[tuple[str, str, object]]:
    return [(key, label, value) for key, label, value in pairs]


def day_report_tables(report: DayReport) -> list[Table]:
    title = f"Z{report.z_no}" if report.z_no is not None else "X"
    summary = _kv(
        [
            ("report", "报表", title),
            ("booth_code", "摊位编码", report.booth_code),
            ("booth_name", "摊位", report.booth_name),
            ("town", "乡镇", report.town),
            ("day", "日期", report.day.isoformat()),
            ("closed_by", "日结人", report.closed_by or ""),
            ("first_receipt", "首张小票", report.first_receipt or ""),
            ("last_receipt", "末张小票", report.last_receipt or ""),
            ("sales_count", "销售笔数", report.sales_count),
            ("voids_count", "作废笔数", report.voids_count),
            ("refunds_count", "退款笔数", report.refunds_count),
            ("gross", "毛销售额", yuan(report.gross_fen)),
            ("round_downs", "抹零", yuan(report.round_down_fen)),
            ("voids", "作废", yuan(report.voids_fen)),
            ("refunds", "退款", yuan(report.refunds_fen)),
            ("net", "净收入", yuan(report.net_fen)),
            ("goods", "农户货款", yuan(report.goods_fen)),
            ("commission", "佣金", yuan(report.commission_fen)),
            ("owed", "应付农户", yuan(report.owed_fen)),
            ("cash_expected", "现金应有", yuan(report.cash.expected_fen)),
            ("cash_counted", "现金实点", yuan(report.cash.counted_fen)),
            ("cash_variance", "现金差异", yuan(report.cash.variance_fen)),
            ("mobile_recorded", "收款码记录", yuan(report.mobile.recorded_fen)),
            ("mobile_statement", "收款码账单", yuan(report.mobile.statement_fen)),
            ("mobile_variance", "收款码差异", yuan(report.mobile.variance_fen)),
        ]
    )
    tables: list[Table] = [
        ("summary", ["field 项目", "label 名称", "value 数值"], summary),
        (
            "tender",
            ["method 方式", "sales 收款", "voids 作废", "refunds 退款", "net 净额"],
            [
                (
                    t.method,
                    yuan(t.sales_fen),
                    yuan(t.voids_fen),
                    yuan(t.refunds_fen),
                    yuan(t.net_fen),
                )
                for t in report.tenders
            ],
        ),
        (
            "product",
            [
                "plu 编码",
                "name_zh 品名",
                "name_en name",
                "unit 单位",
                "household_code 农户编码",
                "household_name 农户",
                "sold_qty 售出数量",
                "sold 售出金额",
                "voided_qty 作废数量",
                "voided 作废金额",
                "refunded_qty 退货数量",
                "refunded 退款金额",
                "net_qty 净数量",
                "net 净额",
            ],
            [
                (
                    p.plu,
                    p.name_zh,
                    p.name_en,
                    p.unit,
                    p.household_code,
                    p.household_name,
                    format_quantity(p.unit, p.sold_qty),
                    yuan(p.sold_fen),
                    format_quantity(p.unit, p.voided_qty),
                    yuan(p.voided_fen),
                    format_quantity(p.unit, p.refunded_qty),
                    yuan(p.refunded_fen),
                    format_quantity(p.unit, p.net_qty),
                    yuan(p.net_fen),
                )
                for p in report.products
            ],
        ),
        (
            "household",
            [
                "code 编码",
                "name 农户",
                "sold 售出",
                "voided 作废",
                "refunded 退款",
                "goods 货款",
                "weighed_kg 称重(公斤)",
                "items 件数",
                "rate 佣金比例",
                "commission 佣金",
                "owed 应付",
            ],
            [
                (
                    h.code,
                    h.name,
                    yuan(h.sold_fen),
                    yuan(h.voided_fen),
                    yuan(h.refunded_fen),
                    yuan(h.goods_fen),
                    format_quantity("kg", h.net_grams),
                    h.net_units,
                    format_rate(h.rate_bp),
                    yuan(h.commission_fen),
                    yuan(h.owed_fen),
                )
                for h in report.households
            ],
        ),
        (
            "stock",
            [
                "plu 编码",
                "name_zh 品名",
                "unit 单位",
                "opening 期初",
                "received 进货",
                "sold 售出",
                "refunded 退回",
                "voided 作废退回",
                "wasted 报损",
                "expected 应有",
                "counted 盘点",
                "variance 差异",
                "closing 期末",
                "reasons 原因",
            ],
            [
                (
                    s.plu,
                    s.name_zh,
                    s.unit,
                    *(
                        format_quantity(s.unit, q)
                        for q in (
                            s.opening,
                            s.received,
                            s.sold,
                            s.refunded,
                            s.voided,
                            s.wasted,
                            s.expected,
                        )
                    ),
                    "" if s.counted is None else format_quantity(s.unit, s.counted),
                    format_quantity(s.unit, s.variance),
                    format_quantity(s.unit, s.closing),
                    "; ".join(s.reasons),
                )
                for s in report.stock
            ],
        ),
        (
            "cash",
            [
                "floats 备用金",
                "pay_ins 存入",
                "pay_outs 取出",
                "sales 现金收款",
                "voids 作废退现",
                "refunds 现金退款",
                "expected 应有",
                "counted 实点",
                "variance 差异",
            ],
            [
                (
                    yuan(report.cash.floats_fen),
                    yuan(report.cash.pay_ins_fen),
                    yuan(report.cash.pay_outs_fen),
                    yuan(report.cash.sales_fen),
                    yuan(report.cash.voids_fen),
                    yuan(report.cash.refunds_fen),
                    yuan(report.cash.expected_fen),
                    yuan(report.cash.counted_fen),
                    yuan(report.cash.variance_fen),
                )
            ],
        ),
        (
            "shift",
            [
                "opened_by 开班",
                "closed_by 结班",
                "float 备用金",
                "pay_ins 存入",
                "pay_outs 取出",
                "cash_taken 现金净收",
                "expected 应有",
                "counted 实点",
                "variance 差异",
                "count 点钞",
            ],
            [
                (
                    s.opened_by,
                    s.closed_by or "",
                    yuan(s.float_fen),
                    yuan(s.pay_ins_fen),
                    yuan(s.pay_outs_fen),
                    yuan(s.cash_taken_fen),
                    yuan(s.expected_fen),
                    yuan(s.counted_fen),
                    yuan(s.variance_fen),
                    " ".join(
                        f"{denomination_label(int(d))}x{n}"
                        for d, n in sorted(s.count.items(), key=lambda kv: -int(kv[0]))
                    ),
                )
                for s in report.cash.shifts
            ],
        ),
        (
            "mobile",
            [
                "sales 收款",
                "voids 作废",
                "refunds 退款",
                "recorded 记录",
                "statement 账单",
                "variance 差异",
            ],
            [
                (
                    yuan(report.mobile.sales_fen),
                    yuan(report.mobile.voids_fen),
                    yuan(report.mobile.refunds_fen),
                    yuan(report.mobile.recorded_fen),
                    yuan(report.mobile.statement_fen),
                    yuan(report.mobile.variance_fen),
                )
            ],
        ),
        (
            "hour",
            ["hour 时段", "sales 笔数", "gross 金额"],
            [(f"{h.hour:02d}:00", h.sales, yuan(h.gross_fen)) for h in report.hours],
        ),
    ]
    return tables


def day_report_csv(report: DayReport) -> str:
    """The report as CSV text (without the BOM; `write_csv` adds it)."""
    return _tables_text(day_report_tables(report))


def statements_csv(statements: Sequence[HouseholdStatement]) -> str:
    lines: list[Sequence[object]] = []
    totals: list[Sequence[object]] = []
    for s in statements:
        for line in s.lines:
            lines.append(
                (
                    s.day.isoformat(),
                    s.household_code,
                    s.household_name,
                    line.plu,
                    line.name_zh,
                    line.unit,
                    line.quantity_text,
                    yuan(line.amount_fen),
                )
            )
        totals.append(
            (
                s.day.isoformat(),
                s.household_code,
                s.household_name,
                yuan(s.goods_fen),
                s.rate_text,
                yuan(s.commission_fen),
                yuan(s.owed_fen),
                s.url or "",
            )
        )
    return _tables_text(
        [
            (
                "line",
                [
                    "day 日期",
                    "household_code 农户编码",
                    "household_name 农户",
                    "plu 编码",
                    "name_zh 品名",
                    "unit 单位",
                    "quantity 数量",
                    "amount 金额",
                ],
                lines,
            ),
            (
                "total",
                [
                    "day 日期",
                    "household_code 农户编码",
                    "household_name 农户",
                    "goods 货款",
                    "rate 佣金比例",
                    "commission 佣金",
                    "owed 应付",
                    "url 网址",
                ],
                totals,
            ),
        ]
    )


def write_csv(path: Path, text: str) -> Path:
    """Write CSV text as UTF-8 with a BOM."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        out.write(text)
    return path


def read_tables(text: str) -> dict[str, list[dict[str, str]]]:
    """The tables of an export: {name: [{key: cell, ...}, ...]} (a BOM is skipped)."""
    text = text.removeprefix(BOM)
    tables: dict[str, list[dict[str, str]]] = {}
    keys: dict[str, list[str]] = {}
    for row in csv.reader(io.StringIO(text)):
        if not row or not any(row):
            continue
        head = row[0]
        if head.startswith("#"):
            name = head[1:]
            keys[name] = [cell.split(" ", 1)[0] for cell in row[1:]]
            tables.setdefault(name, [])
            continue
        tables.setdefault(head, []).append(dict(zip(keys.get(head, []), row[1:], strict=False)))
    return tables
