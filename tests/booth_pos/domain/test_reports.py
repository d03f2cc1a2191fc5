"""Report arithmetic in plain Python: cash counts, rates, commission, quantities, JSON."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booth_pos.domain.errors import BadInput
from booth_pos.domain.reports import (
    DENOMINATIONS_FEN,
    CashCount,
    DayReport,
    commission_fen,
    format_quantity,
    format_rate,
    household_total,
    parse_rate,
    parse_report_quantity,
    reconcile_cash,
    reconcile_mobile,
    statement_url,
    stock_line,
    tender_total,
)


def test_a_cash_count_reads_every_denomination() -> None:
    count = CashCount.parse("100x3, 50×1，20*2 10x1 5x1 1x4 0.5x3 0.1x7 ¥100x1")
    assert count.total_fen == 40_000 + 5_000 + 4_000 + 1_000 + 500 + 400 + 150 + 70
    assert count.to_text() == "100x4,50x1,20x2,10x1,5x1,1x4,0.5x3,0.1x7"
    assert CashCount.parse(count.to_text()) == count
    assert CashCount.from_json(count.to_json()) == count
    assert CashCount.parse("") == CashCount.parse("0") == CashCount()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("100x-1", "negative_count"),
        ("2x3", "bad_denomination"),
        ("0.05x3", "bad_denomination"),
        ("100", "bad_cash_count"),
        ("100x", "bad_cash_count"),
        ("100x1.5", "bad_cash_count"),
        ("100x100000", "bad_cash_count"),
    ],
)
def test_a_bad_cash_count_is_refused(text: str, code: str) -> None:
    with pytest.raises(BadInput) as info:
        CashCount.parse(text)
    assert info.value.code == code


@given(st.dictionaries(st.sampled_from(DENOMINATIONS_FEN), st.integers(0, 500)))
def test_a_count_total_is_pieces_times_faces(pieces: dict[int, int]) -> None:
    count = CashCount.of(pieces)
    assert count.total_fen == sum(d * n for d, n in pieces.items())
    assert CashCount.parse(count.to_text()) == count


def test_rates_are_percent_with_two_decimals() -> None:
    assert [parse_rate(t) for t in ("5", "5%", "5.25%", "0", "100", "12.5")] == [
        500,
        500,
        525,
        0,
        10_000,
        1_250,
    ]
    assert [format_rate(bp) for bp in (500, 525, 1_250, 0)] == ["5%", "5.25%", "12.5%", "0%"]
    for bad in ("101", "5.255", "-1", "abc", ""):
        with pytest.raises(BadInput):
            parse_rate(bad)


def test_commission_rounds_half_away_from_zero_once_per_household() -> None:
    assert commission_fen(875, 500) == 44  # 43.75
    assert commission_fen(870, 500) == 44  # 43.5 -> up
    assert commission_fen(869, 500) == 43  # 43.45
    assert commission_fen(-870, 500) == -44  # a day of refunds gives the commission back
    assert commission_fen(12_345, 0) == 0
    assert commission_fen(12_345, 10_000) == 12_345


@given(
    st.lists(
        st.tuples(st.integers(-(10**7), 10**8), st.integers(0, 10_000)), min_size=1, max_size=20
    )
)
def test_households_owed_add_up_to_goods_less_commission(rows: list[tuple[int, int]]) -> None:
    totals = [household_total(f"H{i}", "x", goods, 0, 0, 0, 0, bp) for i, (goods, bp) in
              enumerate(rows)]  # fmt: skip
    assert sum(h.owed_fen for h in totals) == sum(g for g, _ in rows) - sum(
        h.commission_fen for h in totals
    )
    for h, (goods, bp) in zip(totals, rows, strict=True):
        assert abs(h.commission_fen * 10_000 - goods * bp) <= 5_000  # within half a fen


@given(st.sampled_from(["kg", "jin", "item"]), st.integers(-(10**7), 10**7))
def test_quantities_print_exactly_and_read_back(unit: str, quantity: int) -> None:
    assert parse_report_quantity(unit, format_quantity(unit, quantity)) == quantity


def test_quantities_print_in_the_products_unit() -> None:
    assert format_quantity("jin", 1_250) == "2.5"
    assert format_quantity("kg", 1_250) == "1.25"
    assert format_quantity("kg", 5) == "0.005"
    assert format_quantity("item", 3) == "3"
    assert format_quantity("jin", -250) == "-0.5"


def test_reconciliations_and_stock_lines_follow_their_formulas() -> None:
    cash = reconcile_cash(20_000, 1_000, 5_000, 30_000, 2_000, 1_500, 42_000)
    assert (cash.expected_fen, cash.variance_fen) == (42_500, -500)
    assert reconcile_cash(0, 0, 0, 100, 0, 0, None).variance_fen is None
    mobile = reconcile_mobile(10_000, 1_000, 500, 8_400)
    assert (mobile.recorded_fen, mobile.variance_fen) == (8_500, -100)
    line = stock_line("101", "莲藕", "jin", 5_000, 20_000, 7_000, 500, 250, 300, 18_000, -450)
    assert line.expected == 5_000 + 20_000 - 7_000 + 500 + 250 - 300
    assert line.closing == line.expected - 450
    assert tender_total("cash", 100, 20, 30).net_fen == 50


def test_statement_url_names_the_household_and_day() -> None:
    day = dt.date(2026, 2, 10)
    assert statement_url("https://county.example/", "H001", day) == (
        "https://county.example/h/H001?day=2026-02-10"
    )
    assert statement_url("http://x", "A B/1", day) == "http://x/h/A%20B%2F1?day=2026-02-10"


def test_a_report_survives_its_json() -> None:
    report = DayReport(
        kind="Z",
        z_no=3,
        booth_code="LX01",
        booth_name="后湖莲藕摊",
        town="莲花镇",
        day=dt.date(2026, 2, 10),
        generated_at=dt.datetime(2026, 2, 10, 10, 0, 0, 123),
        utc_offset_min=480,
        closed_by="张敏",
        first_receipt="LX01-000001",
        last_receipt=None,
        sales_count=1,
        voids_count=0,
        refunds_count=0,
        gross_fen=100,
        round_down_fen=0,
        voids_fen=0,
        refunds_fen=0,
        net_fen=100,
        goods_fen=100,
        commission_fen=5,
        owed_fen=95,
        tenders=(tender_total("cash", 100, 0, 0),),
        products=(),
        households=(household_total("H001", "李桂兰", 100, 0, 0, 0, 1, 500),),
        hours=(),
        cash=reconcile_cash(0, 0, 0, 100, 0, 0, 100),
        mobile=reconcile_mobile(0, 0, 0, None),
        stock=(stock_line("101", "莲藕", "jin", 0, 1, 0, 0, 0, 0, None, 0, ("x",)),),
    )
    assert DayReport.from_json(report.to_json()) == report
