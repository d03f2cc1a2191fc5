"""PDF exports of the day report and the household statements, with the CJK font embedded.

Drawn with fpdf2: the bundled WenQuanYi Micro Hei (a TrueType collection, face 0) is embedded
as a subset, so the PDF shows its Chinese on any machine and its text can be copied and
searched. The charts (sales by hour, by product) are plain PDF rectangles and lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from booth_pos.domain.reports import (
    DayReport,
    HouseholdStatement,
    format_quantity,
    format_rate,
    unit_label,
    yuan,
)
from booth_pos.resources import cjk_font_path

FONT = "wqy"
MARGIN = 12.0
ROW_H = 5.5
BAR_RGB = (52, 120, 190)
GRID_RGB = (200, 200, 200)
HEAD_RGB = (230, 236, 244)
A4_MM = (210.0, 297.0)
A5_MM = (148.0, 210.0)


class _Doc(FPDF):
    def __init__(self, footer_text: str, page_mm: tuple[float, float] = A4_MM) -> None:
        super().__init__(orientation="portrait", unit="mm", format=page_mm)
        self.footer_text = footer_text
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 4)
        self.add_font(FONT, fname=str(cjk_font_path()), collection_font_number=0)
        self.set_font(FONT, size=9)
        self.set_creator("booth-pos")

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.set_font(FONT, size=7)
        self.set_text_color(110, 110, 110)
        self.cell(0, 4, f"{self.footer_text}   {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)

    # -- building blocks ------------------------------------------------------------------

    def heading(self, text: str, size: float = 12) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(2)
        self.set_font(FONT, size=size)
        self.cell(0, size * 0.55, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, size=9)
        self.ln(1)

    def grid(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        right: Sequence[bool] | None = None,
    ) -> None:
        right = right or [False] * len(header)

        def row(cells: Sequence[str], fill: bool) -> None:
            if self.get_y() + ROW_H > self.page_break_trigger:
                self.add_page()
            for text, width, is_right in zip(cells, widths, right, strict=True):
                self.cell(width, ROW_H, text, border="B", align="R" if is_right else "L", fill=fill)
            self.ln(ROW_H)

        self.set_fill_color(*HEAD_RGB)
        self.set_font(FONT, size=8)
        row(header, True)
        self.set_font(FONT, size=8.5)
        for cells in rows:
            row([str(c) for c in cells], False)
        self.ln(1)

    def pairs(self, items: Sequence[tuple[str, str]], columns: int = 2) -> None:
        width = (self.w - 2 * MARGIN) / columns
        for start in range(0, len(items), columns):
            for label, value in items[start : start + columns]:
                self.set_text_color(90, 90, 90)
                self.cell(width * 0.55, ROW_H, label)
                self.set_text_color(0, 0, 0)
                self.cell(width * 0.45 - 4, ROW_H, value, align="R")
                self.cell(4, ROW_H, "")
            self.ln(ROW_H)
        self.ln(1)

    def bar_chart(
        self, title: str, labels: Sequence[str], values: Sequence[int], height: float = 45
    ) -> None:
        """Vertical bars (sales by hour); values in fen, shown in yuan."""
        if self.get_y() + height + 22 > self.page_break_trigger:
            self.add_page()
        self.heading(title, 10)
        left, top = MARGIN + 14, self.get_y()
        width = self.w - MARGIN - left
        top_value = max([*values, 1])
        self.set_draw_color(*GRID_RGB)
        self.set_font(FONT, size=6.5)
        for step in range(5):
            value = top_value * step / 4
            y = top + height - height * step / 4
            self.line(left, y, left + width, y)
            self.set_xy(MARGIN, y - 2)
            self.cell(13, 4, f"{value / 100:,.0f}", align="R")
        slot = width / max(len(values), 1)
        self.set_fill_color(*BAR_RGB)
        for index, (label, value) in enumerate(zip(labels, values, strict=True)):
            bar = height * value / top_value
            x = left + index * slot + slot * 0.15
            if bar > 0:
                self.rect(x, top + height - bar, slot * 0.7, bar, style="F")
            self.set_xy(left + index * slot, top + height + 0.5)
            self.cell(slot, 3.5, label, align="C")
        self.set_draw_color(0, 0, 0)
        self.set_font(FONT, size=9)
        self.set_xy(MARGIN, top + height + 6)

    def hbar_chart(self, title: str, labels: Sequence[str], values: Sequence[int]) -> None:
        """Horizontal bars (sales by product), largest first; values in fen."""
        self.heading(title, 10)
        left = MARGIN + 38
        width = self.w - MARGIN - left - 22
        top_value = max([*values, 1])
        self.set_fill_color(*BAR_RGB)
        self.set_font(FONT, size=7.5)
        for label, value in zip(labels, values, strict=True):
            if self.get_y() + 5 > self.page_break_trigger:
                self.add_page()
            y = self.get_y()
            self.set_x(MARGIN)
            self.cell(36, 4.5, label[:16], align="R")
            bar = width * max(value, 0) / top_value
            if bar > 0:
                self.rect(left, y + 0.6, bar, 3.3, style="F")
            self.set_xy(left + bar + 1, y)
            self.cell(20, 4.5, yuan(value))
            self.ln(4.8)
        self.set_font(FONT, size=9)
        self.ln(2)


def _local(moment: dt.datetime, offset_min: int) -> str:
    return (moment + dt.timedelta(minutes=offset_min)).strftime("%Y-%m-%d %H:%M")


def day_report_pdf(report: DayReport, path: Path) -> Path:
    title = (
        f"Z 报表 No. {report.z_no}（日结） Z report"
        if report.z_no is not None
        else "X 报表（当前快照） X report (snapshot)"
    )
    doc = _Doc(f"{report.booth_code} {report.booth_name}  {report.day.isoformat()}  {title}")
    doc.set_title(f"{report.booth_code} {report.day.isoformat()} {title}")
    doc.add_page()
    doc.set_font(FONT, size=15)
    doc.cell(0, 8, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_font(FONT, size=9.5)
    doc.cell(
        0,
        5,
        f"{report.booth_name}（{report.booth_code}）  {report.town}  "
        f"营业日 {report.day.isoformat()}",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    made = _local(report.generated_at, report.utc_offset_min)
    who = f"  日结人 {report.closed_by}" if report.closed_by else ""
    doc.cell(0, 5, f"生成于 {made}{who}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    doc.heading("汇总 Summary")
    doc.pairs(
        [
            ("首张小票 first receipt", report.first_receipt or "-"),
            ("末张小票 last receipt", report.last_receipt or "-"),
            ("销售笔数 sales", str(report.sales_count)),
            ("作废笔数 voids", str(report.voids_count)),
            ("退款笔数 refunds", str(report.refunds_count)),
            ("毛销售额 gross", yuan(report.gross_fen)),
            ("抹零 round-downs", yuan(report.round_down_fen)),
            ("作废金额 voided", yuan(report.voids_fen)),
            ("退款金额 refunded", yuan(report.refunds_fen)),
            ("净收入 net", yuan(report.net_fen)),
            ("农户货款 households' goods", yuan(report.goods_fen)),
            ("佣金 commission", yuan(report.commission_fen)),
            ("应付农户 owed to households", yuan(report.owed_fen)),
        ]
    )

    doc.heading("按付款方式 By tender")
    doc.grid(
        ["方式 method", "收款 taken", "作废 voided", "退款 refunded", "净额 net"],
        [
            (t.method, yuan(t.sales_fen), yuan(t.voids_fen), yuan(t.refunds_fen), yuan(t.net_fen))
            for t in report.tenders
        ],
        [40, 36, 36, 36, 38],
        [False, True, True, True, True],
    )

    doc.heading("对账 Reconciliation")
    cash, mobile = report.cash, report.mobile
    doc.pairs(
        [
            ("备用金 floats", yuan(cash.floats_fen)),
            ("存入 / 取出 pay-ins / outs", f"{yuan(cash.pay_ins_fen)} / {yuan(cash.pay_outs_fen)}"),
            ("现金收款 cash taken", yuan(cash.sales_fen)),
            ("作废退现 / 现金退款", f"{yuan(cash.voids_fen)} / {yuan(cash.refunds_fen)}"),
            ("现金应有 cash expected", yuan(cash.expected_fen)),
            ("现金实点 cash counted", yuan(cash.counted_fen) or "-"),
            ("现金差异 cash variance", yuan(cash.variance_fen) or "-"),
            ("收款码记录 QR recorded", yuan(mobile.recorded_fen)),
            ("收款码账单 QR statement", yuan(mobile.statement_fen) or "-"),
            ("收款码差异 QR variance", yuan(mobile.variance_fen) or "-"),
        ]
    )
    if cash.shifts:
        doc.grid(
            ["班次 shift", "备用金 float", "应有 expected", "实点 counted", "差异 variance"],
            [
                (
                    f"{s.opened_by} {_local(s.opened_at, report.utc_offset_min)[11:]}"
                    + (f"-{s.closed_by}" if s.closed_by else ""),
                    yuan(s.float_fen),
                    yuan(s.expected_fen),
                    yuan(s.counted_fen) or "-",
                    yuan(s.variance_fen) or "-",
                )
                for s in cash.shifts
            ],
            [62, 30, 32, 31, 31],
            [False, True, True, True, True],
        )

    doc.heading("按商品 By product")
    doc.grid(
        [
            "编码",
            "品名 product",
            "农户 household",
            "数量 qty",
            "售出 sold",
            "退/废 back",
            "净额 net",
        ],
        [
            (
                p.plu,
                p.name_zh,
                p.household_name,
                f"{format_quantity(p.unit, p.net_qty)}{unit_label(p.unit)}",
                yuan(p.sold_fen),
                yuan(p.voided_fen + p.refunded_fen),
                yuan(p.net_fen),
            )
            for p in report.products
        ],
        [13, 36, 40, 24, 24, 23, 26],
        [False, False, False, True, True, True, True],
    )

    doc.heading("按农户 By household")
    doc.grid(
        ["编码", "农户 household", "货款 goods", "比例 rate", "佣金 commission", "应付 owed"],
        [
            (
                h.code,
                h.name,
                yuan(h.goods_fen),
                format_rate(h.rate_bp),
                yuan(h.commission_fen),
                yuan(h.owed_fen),
            )
            for h in report.households
        ],
        [14, 62, 30, 20, 30, 30],
        [False, False, True, True, True, True],
    )

    if report.stock:
        doc.heading("库存 Stock (期初+进货-售出+退回-报损=应有)")
        doc.grid(
            [
                "品名",
                "单位",
                "期初",
                "进货",
                "售出",
                "退回",
                "报损",
                "应有",
                "盘点",
                "差异",
                "原因",
            ],
            [
                (
                    s.name_zh,
                    unit_label(s.unit),
                    *(
                        format_quantity(s.unit, q)
                        for q in (
                            s.opening,
                            s.received,
                            s.sold,
                            s.refunded + s.voided,
                            s.wasted,
                            s.expected,
                        )
                    ),
                    "-" if s.counted is None else format_quantity(s.unit, s.counted),
                    format_quantity(s.unit, s.variance),
                    "; ".join(s.reasons)[:14],
                )
                for s in report.stock
            ],
            [27, 10, 15, 15, 15, 14, 14, 15, 15, 14, 32],
            [False, False, True, True, True, True, True, True, True, True, False],
        )

    hours = {h.hour: h.gross_fen for h in report.hours}
    if hours:
        # At least the festival's usual hours, so one busy hour is not one wide block.
        span = range(min(*hours, 8), max(*hours, 20) + 1)
        doc.bar_chart(
            "按小时销售额（元） Sales by hour (yuan)",
            [f"{h:02d}" for h in span],
            [hours.get(h, 0) for h in span],
        )
    ranked = sorted(report.products, key=lambda p: -p.net_fen)[:20]
    if ranked:
        doc.hbar_chart(
            "按商品净销售额（元） Sales by product (yuan)",
            [p.name_zh for p in ranked],
            [p.net_fen for p in ranked],
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.output(str(path))
    return path


def _qr_image(url: str) -> Any:
    import qrcode

    qr = qrcode.QRCode(border=1, box_size=6)
    qr.add_data(url)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image()


def statements_pdf(statements: Sequence[HouseholdStatement], path: Path) -> Path:
    """One A5 page per household: goods, amounts, commission, owed, a line to sign, the QR."""
    first = statements[0] if statements else None
    footer = f"{first.booth_code} {first.day.isoformat()}" if first else ""
    doc = _Doc(footer, page_mm=A5_MM)
    doc.set_title(f"农户结算单 {footer}")
    if not statements:
        doc.add_page()
        doc.cell(0, 6, "没有农户结算 No household statements")
    for s in statements:
        doc.add_page()
        doc.set_font(FONT, size=13)
        doc.cell(0, 7, "农户结算单 Household statement", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        doc.set_font(FONT, size=9)
        z = f"  Z{s.z_no}" if s.z_no is not None else "  (未日结 not closed)"
        doc.cell(
            0,
            5,
            f"{s.booth_name}（{s.booth_code}） {s.town}  {s.day.isoformat()}{z}",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        doc.set_font(FONT, size=11)
        doc.cell(
            0, 7, f"{s.household_name}（{s.household_code}）", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        doc.set_font(FONT, size=9)
        doc.grid(
            ["编码", "品名 goods", "数量 qty", "金额 amount"],
            [
                (
                    line.plu,
                    line.name_zh,
                    f"{line.quantity_text}{unit_label(line.unit)}",
                    yuan(line.amount_fen),
                )
                for line in s.lines
            ],
            [14, 56, 28, 26],
            [False, False, True, True],
        )
        doc.pairs(
            [
                ("货款 goods", yuan(s.goods_fen)),
                (f"佣金 commission {s.rate_text}", yuan(s.commission_fen)),
                ("应付 amount owed", yuan(s.owed_fen)),
            ],
            columns=1,
        )
        doc.ln(6)
        doc.cell(0, 6, f"{s.signature_label_zh} {s.signature_label_en}：", new_x=XPos.LMARGIN)
        y = doc.get_y() + 6
        doc.line(MARGIN + 45, y, MARGIN + 110, y)
        doc.ln(10)
        if s.url:
            doc.image(_qr_image(s.url), x=MARGIN, y=doc.get_y(), w=28)
            doc.set_xy(MARGIN + 31, doc.get_y() + 10)
            doc.set_font(FONT, size=7)
            doc.multi_cell(0, 3.5, f"扫码查看 scan to view:\n{s.url}")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.output(str(path))
    return path
