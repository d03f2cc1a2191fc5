"""CSV and PDF exports of a real closed day: a BOM, the same numbers read back, and the
Chinese names present in the PDF's text (pdftotext), with the CJK font embedded."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from booth_pos.domain.money import parse_yuan
from booth_pos.domain.reports import CashCount, DayReport, parse_rate, parse_report_quantity
from booth_pos.reports import csv_export, pdf_export
from booth_pos.services import dayend
from booth_pos.services.ledger import Ledger
from tests.booth_pos.services.test_dayend import DAY1, Clock, busy_day, install_clock
from tests.conftest import COORDINATOR_PIN


def fen(text: str) -> int | None:
    """Signed yuan text back to fen ('' for a figure not taken)."""
    if text == "":
        return None
    return -parse_yuan(text[1:]) if text.startswith("-") else parse_yuan(text)


@pytest.fixture
def closed_day(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> DayReport:
    clock = install_clock(monkeypatch, Clock(dt.datetime.combine(DAY1, dt.time(8, 0))))
    busy_day(ledger, clock)
    report: DayReport = ledger.write(
        dayend.close_day, COORDINATOR_PIN, None, CashCount.parse("100x2,50x1,20x1,1x3"), 5_600
    )
    return report


def test_the_csv_has_a_bom_and_reads_back_to_the_same_numbers(
    closed_day: DayReport, tmp_path: Path
) -> None:
    path = csv_export.write_csv(tmp_path / "z.csv", csv_export.day_report_csv(closed_day))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    tables = csv_export.read_tables(raw.decode("utf-8"))
    summary = {row["field"]: row["value"] for row in tables["summary"]}
    r = closed_day
    assert summary["report"] == "Z1" and summary["day"] == DAY1.isoformat()
    assert (summary["first_receipt"], summary["last_receipt"]) == (r.first_receipt, r.last_receipt)
    assert [int(summary[k]) for k in ("sales_count", "voids_count", "refunds_count")] == [
        r.sales_count,
        r.voids_count,
        r.refunds_count,
    ]
    for key, value in {
        "gross": r.gross_fen,
        "round_downs": r.round_down_fen,
        "voids": r.voids_fen,
        "refunds": r.refunds_fen,
        "net": r.net_fen,
        "goods": r.goods_fen,
        "commission": r.commission_fen,
        "owed": r.owed_fen,
        "cash_expected": r.cash.expected_fen,
        "cash_counted": r.cash.counted_fen,
        "cash_variance": r.cash.variance_fen,
        "mobile_recorded": r.mobile.recorded_fen,
        "mobile_statement": r.mobile.statement_fen,
        "mobile_variance": r.mobile.variance_fen,
    }.items():
        assert fen(summary[key]) == value, key
    assert {
        row["method"]: (fen(row["sales"]), fen(row["voids"]), fen(row["refunds"]), fen(row["net"]))
        for row in tables["tender"]
    } == {t.method: (t.sales_fen, t.voids_fen, t.refunds_fen, t.net_fen) for t in r.tenders}
    assert [
        (
            row["plu"],
            row["name_zh"],
            row["household_name"],
            parse_report_quantity(row["unit"], row["net_qty"]),
            fen(row["sold"]),
            fen(row["net"]),
        )
        for row in tables["product"]
    ] == [
        (p.plu, p.name_zh, p.household_name, p.net_qty, p.sold_fen, p.net_fen) for p in r.products
    ]
    assert [
        (
            row["code"],
            row["name"],
            fen(row["goods"]),
            parse_rate(row["rate"]),
            fen(row["commission"]),
            fen(row["owed"]),
        )
        for row in tables["household"]
    ] == [
        (h.code, h.name, h.goods_fen, h.rate_bp, h.commission_fen, h.owed_fen) for h in r.households
    ]
    assert [
        (row["plu"], parse_report_quantity(row["unit"], row["closing"]), row["reasons"])
        for row in tables["stock"]
    ] == [(s.plu, s.closing, "; ".join(s.reasons)) for s in r.stock]
    assert [
        (int(row["hour"][:2]), int(row["sales"]), fen(row["gross"])) for row in tables["hour"]
    ] == [(h.hour, h.sales, h.gross_fen) for h in r.hours]
    assert sum(Decimal(row["gross"]) for row in tables["hour"]) * 100 == r.gross_fen


def test_statements_csv_lists_every_line_and_total(
    ledger: Ledger, closed_day: DayReport, tmp_path: Path
) -> None:
    found = ledger.read(dayend.statements, DAY1, None, "https://county.example")
    path = csv_export.write_csv(tmp_path / "s.csv", csv_export.statements_csv(found))
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    tables = csv_export.read_tables(path.read_text(encoding="utf-8-sig"))
    assert [(row["household_code"], fen(row["owed"]), row["url"]) for row in tables["total"]] == [
        (s.household_code, s.owed_fen, s.url) for s in found
    ]
    assert len(tables["line"]) == sum(len(s.lines) for s in found)


def pdf_text(path: Path) -> str:
    tool = shutil.which("pdftotext")
    assert tool is not None, "pdftotext (poppler-utils) is needed: .ci/run installs it"
    return subprocess.run(
        [tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_the_pdf_carries_the_chinese_names_with_the_font_embedded(
    ledger: Ledger, closed_day: DayReport, tmp_path: Path
) -> None:
    path = pdf_export.day_report_pdf(closed_day, tmp_path / "z.pdf")
    text = pdf_text(path)
    for name in ("后湖莲藕摊", "Z 报表", *(p.name_zh for p in closed_day.products)):
        assert name in text
    for household in closed_day.households:
        assert household.name in text
    assert "按小时销售额" in text and "按商品净销售额" in text  # the two charts
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, check=True, text=True
    ).stdout
    assert "WenQuanYi" in fonts
    embedded = [line.split()[-5] for line in fonts.splitlines() if "WenQuanYi" in line]
    assert embedded == ["yes"]


def test_the_statements_pdf_has_one_page_per_household(
    ledger: Ledger, closed_day: DayReport, tmp_path: Path
) -> None:
    found = ledger.read(dayend.statements, DAY1, None, "https://county.example")
    path = pdf_export.statements_pdf(found, tmp_path / "s.pdf")
    text = pdf_text(path)
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) == len(found)
    for statement, page in zip(found, pages, strict=False):
        assert statement.household_name in page
        assert "农户签字" in page
        for line in statement.lines:
            assert line.name_zh in page
