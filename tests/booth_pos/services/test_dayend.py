"""Day end on a real ledger: shifts, stock, the day close and its lock, refusals that change
nothing. The clock is the test's: every service reads `booth.now_utc` (sales imports it too).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from booth_pos.domain.cart import CartLine
from booth_pos.domain.errors import BadInput
from booth_pos.domain.pricing import RoundDown, TenderIn, TenderMethod
from booth_pos.domain.reports import CashCount
from booth_pos.services import booth, dayend, sales, shifts, stock
from booth_pos.services.ledger import Ledger
from tests.conftest import COORDINATOR_PIN, OPERATOR_PIN
from tests.helpers import row_counts

CASH = TenderMethod.CASH
MOBILE = TenderMethod.MOBILE
CHINA = 480  # UTC+8, minutes
DAY1 = dt.date(2026, 2, 10)
DAYEND_TABLES = (
    "shifts",
    "cash_movements",
    "stock_entries",
    "stock_alerts",
    "commission_rates",
    "day_closes",
    "stock_closings",
    "settings",
)


class Clock:
    """The till's clock: naive UTC plus the local offset, moved on by the test."""

    def __init__(self, local: dt.datetime, offset: int = CHINA) -> None:
        self.offset = offset
        self.utc = local - dt.timedelta(minutes=offset)

    def __call__(self) -> tuple[dt.datetime, int]:
        self.utc += dt.timedelta(microseconds=1)  # two documents never share a stamp
        return self.utc, self.offset

    def advance(self, **delta: float) -> None:
        self.utc += dt.timedelta(**delta)

    def set_local(self, local: dt.datetime, offset: int | None = None) -> None:
        if offset is not None:
            self.offset = offset
        self.utc = local - dt.timedelta(minutes=self.offset)

    @property
    def day(self) -> dt.date:
        return (self.utc + dt.timedelta(minutes=self.offset)).date()


def install_clock(monkeypatch: pytest.MonkeyPatch, clock: Clock) -> Clock:
    monkeypatch.setattr(booth, "now_utc", clock)
    monkeypatch.setattr(sales, "now_utc", clock)
    return clock


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return install_clock(monkeypatch, Clock(dt.datetime.combine(DAY1, dt.time(8, 0))))


def all_counts(db_path: Path) -> dict[str, int]:
    counts = row_counts(db_path)
    with closing(sqlite3.connect(db_path)) as conn:
        for table in DAYEND_TABLES:
            counts[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        counts["next_seq"] = conn.execute("SELECT next_seq FROM devices").fetchone()[0]
    return counts


def cart(*items: str) -> list[CartLine]:
    return [CartLine.parse(*(item.split("=") if "=" in item else (item, "1"))) for item in items]


def sell(
    ledger: Ledger,
    *items: str,
    pay: list[TenderIn] | None = None,
    rule: RoundDown = RoundDown.NONE,
) -> sales.SaleView:
    return ledger.write(sales.ring_up, cart(*items), pay or [TenderIn(CASH, 100_000)], None, rule)


def refused(ledger: Ledger, code: str, action: Callable[[], Any]) -> BadInput:
    """`action` raises BadInput(code) and leaves every table as it was."""
    before = all_counts(ledger.db_path)
    with pytest.raises(BadInput) as info:
        action()
    assert info.value.code == code, info.value.message("en")
    assert all_counts(ledger.db_path) == before
    return info.value


def outbox(ledger: Ledger) -> list[tuple[int, str, dict[str, Any]]]:
    with closing(sqlite3.connect(ledger.db_path)) as conn:
        rows = conn.execute("SELECT seq, doc_kind, payload FROM outbox ORDER BY seq").fetchall()
    return [(seq, kind, json.loads(payload)) for seq, kind, payload in rows]


# ------------------------------------------------------------------------------------ shifts


def test_a_shift_counts_its_float_sales_refunds_and_pay_outs(ledger: Ledger, clock: Clock) -> None:
    ledger.write(shifts.open_shift, 20_000)
    sale = sell(ledger, "201", pay=[TenderIn(CASH, 5_000)])  # 45.00, 5.00 change
    sell(ledger, "301", pay=[TenderIn(MOBILE, 3_800)])
    ledger.write(sales.refund, sale.receipt_no, "cracked jar", COORDINATOR_PIN)
    ledger.write(shifts.pay_in, 1_000, "more coins")
    ledger.write(shifts.pay_out, 5_000, "to the safe")
    live = ledger.read(shifts.current_shift)
    assert live is not None
    assert live.expected_fen == 20_000 + 4_500 - 4_500 + 1_000 - 5_000
    closed = ledger.write(shifts.close_shift, CashCount.parse("100x1,50x1,1x4,0.5x2"))
    assert closed.counted_fen == 15_500
    assert closed.expected_fen == 16_000
    assert closed.variance_fen == -500
    assert ledger.read(shifts.current_shift) is None
    kinds = [(kind, doc.get("event")) for _, kind, doc in outbox(ledger)]
    assert kinds == [
        ("shift", "open"),
        ("sale", None),
        ("sale", None),
        ("refund", None),
        ("audit", None),  # the refund's audit entry
        ("shift", "close"),
    ]
    assert [seq for seq, _, _ in outbox(ledger)] == [1, 2, 3, 4, 5, 6]
    close_doc = outbox(ledger)[-1][2]
    assert close_doc["doc_id"] != close_doc["shift_id"]
    assert [m["kind"] for m in close_doc["cash_movements"]] == ["pay_in", "pay_out"]


def test_shift_bad_input_changes_nothing(ledger: Ledger, clock: Clock) -> None:
    refused(ledger, "no_open_shift", lambda: ledger.write(shifts.pay_out, 100, "x"))
    refused(ledger, "no_open_shift", lambda: ledger.write(shifts.close_shift, CashCount()))
    ledger.write(shifts.open_shift, 0)
    refused(ledger, "shift_already_open", lambda: ledger.write(shifts.open_shift, 100))
    refused(ledger, "empty_reason", lambda: ledger.write(shifts.pay_in, 100, "  "))
    refused(ledger, "amount_not_positive", lambda: ledger.write(shifts.pay_in, 0, "x"))
    with pytest.raises(BadInput) as info:
        CashCount.parse("100x-3")
    assert info.value.code == "negative_count"
    with pytest.raises(BadInput) as info:
        CashCount.parse("2x3")
    assert info.value.code == "bad_denomination"


# ------------------------------------------------------------------------------------- stock


def test_stock_expected_is_opening_received_sold_refunded_voided_waste(
    ledger: Ledger, clock: Clock
) -> None:
    ledger.write(stock.receive, "101", "20kg", "H001")
    ledger.write(stock.receive, "201", "10")
    first = sell(ledger, "101=1.25kg", "201=2")
    second = sell(ledger, "201")
    ledger.write(sales.refund, first.receipt_no, "one jar cracked", COORDINATOR_PIN, {2: 1})
    ledger.write(sales.void, second.receipt_no, "rung twice", COORDINATOR_PIN)
    ledger.write(stock.waste, "101", "500g", "spoiled", "soft ends")
    levels = {s.plu: s for s in ledger.read(stock.stock_levels)}
    assert levels["101"].on_hand == 20_000 - 1_250 - 500
    assert levels["201"].on_hand == 10 - 2 + 1 - 1 + 1
    assert levels["301"].on_hand is None  # never received: not tracked, never "low"
    assert not levels["301"].low
    counted = ledger.write(stock.count, {"101": "18kg", "201": "9"}, "scale drift")
    assert [(c.plu, c.expected, c.counted, c.quantity) for c in counted] == [
        ("101", 18_250, 18_000, -250),
        ("201", 9, 9, 0),
    ]
    report = ledger.read(dayend.x_report)
    lines = {s.plu: s for s in report.stock}
    lotus = lines["101"]
    assert (lotus.opening, lotus.received, lotus.sold, lotus.wasted) == (0, 20_000, 1_250, 500)
    assert lotus.expected == 18_250
    assert (lotus.counted, lotus.variance, lotus.closing) == (18_000, -250, 18_000)
    assert lotus.reasons == ("scale drift",)
    honey = lines["201"]
    assert (honey.sold, honey.refunded, honey.voided, honey.expected) == (3, 1, 1, 9)
    with closing(sqlite3.connect(ledger.db_path)) as conn:
        by_product = dict(
            conn.execute(
                "SELECT p.plu, sum(m.quantity) FROM stock_movements m "
                "JOIN products p ON p.id = m.product_id GROUP BY p.plu"
            ).fetchall()
        )
    assert by_product["101"] == 18_000 and by_product["201"] == 9


def test_stock_bad_input_changes_nothing(ledger: Ledger, clock: Clock) -> None:
    ledger.write(stock.receive, "101", "5kg")
    refused(ledger, "negative_count", lambda: ledger.write(stock.count, {"101": "-1kg"}))
    refused(ledger, "unknown_plu", lambda: ledger.write(stock.count, {"999": "1"}))
    refused(ledger, "unknown_plu", lambda: ledger.write(stock.receive, "999", "1"))
    refused(ledger, "count_for_weighed", lambda: ledger.write(stock.receive, "101", "3"))
    refused(ledger, "weight_for_item", lambda: ledger.write(stock.receive, "201", "3kg"))
    refused(ledger, "quantity_not_positive", lambda: ledger.write(stock.receive, "201", "0"))
    refused(ledger, "household_mismatch", lambda: ledger.write(stock.receive, "101", "1kg", "H002"))
    refused(ledger, "unknown_household", lambda: ledger.write(stock.receive, "101", "1kg", "H9"))
    refused(ledger, "bad_waste_reason", lambda: ledger.write(stock.waste, "101", "1kg", "stolen"))
    refused(ledger, "variance_reason_needed", lambda: ledger.write(stock.count, {"101": "4kg"}))
    # One bad line in a count writes none of it.
    refused(
        ledger,
        "unknown_plu",
        lambda: ledger.write(stock.count, {"101": "5kg", "nope": "1"}, "recount"),
    )
    # Zero is a count (sold out), not an error; a count equal to the book needs no reason.
    ledger.write(stock.count, {"101": "5kg", "201": "0"})


def test_low_stock_warning_uses_the_coordinators_level(ledger: Ledger, clock: Clock) -> None:
    ledger.write(stock.receive, "201", "6")
    levels = {s.plu: s for s in ledger.read(stock.stock_levels)}
    assert levels["201"].on_hand == 6 and not levels["201"].low  # default level: 5 items
    sell(ledger, "201")
    assert {s.plu: s for s in ledger.read(stock.stock_levels)}["201"].low
    refused(
        ledger,
        "not_coordinator",
        lambda: ledger.write(stock.set_low_level, "201", "2", OPERATOR_PIN),
    )
    level = ledger.write(stock.set_low_level, "201", "2", COORDINATOR_PIN)
    assert level.low_level == 2 and not level.low


# ------------------------------------------------------------------------------- day close


def busy_day(ledger: Ledger, clock: Clock) -> dict[str, sales.SaleView]:
    ledger.write(dayend.set_commission, "H001", 500, COORDINATOR_PIN)
    ledger.write(dayend.set_commission, "H002", 1_250, COORDINATOR_PIN)
    ledger.write(shifts.open_shift, 20_000)
    ledger.write(stock.receive, "101", "20kg", "H001")
    ledger.write(stock.receive, "201", "10", "H002")
    clock.advance(hours=2)
    a = sell(ledger, "101=1.25kg", "201=2", pay=[TenderIn(CASH, 10_000)], rule=RoundDown.JIAO)
    clock.advance(hours=1)
    b = sell(ledger, "301", "601=750g", pay=[TenderIn(MOBILE, 5_600)])
    c = sell(ledger, "202", pay=[TenderIn(CASH, 2_000), TenderIn(MOBILE, 5_800)])
    clock.advance(hours=3)
    ledger.write(sales.refund, a.receipt_no, "jar cracked", COORDINATOR_PIN, {2: 1})
    ledger.write(sales.void, c.receipt_no, "wrong honey", COORDINATOR_PIN)
    ledger.write(stock.waste, "101", "250g", "tasting")
    return {"a": a, "b": b, "c": c}


def test_close_day_freezes_a_numbered_z_report_and_locks_the_day(
    ledger: Ledger, clock: Clock, tmp_path: Path
) -> None:
    docs = busy_day(ledger, clock)
    x = ledger.read(dayend.x_report)
    assert x.kind == "X" and x.z_no is None
    assert x.gross_fen == 875 + 9_000 + 3_800 + 1_800 + 7_800
    assert x.round_down_fen == 5
    assert x.refunds_fen == 4_500
    assert x.voids_fen == 7_800
    assert x.net_fen == x.gross_fen - 5 - 4_500 - 7_800
    assert (x.first_receipt, x.last_receipt) == (docs["a"].receipt_no, docs["c"].receipt_no)
    owed = {h.code: (h.goods_fen, h.commission_fen, h.owed_fen) for h in x.households}
    assert owed["H001"] == (875, 44, 831)  # 5 % of 8.75 = 0.4375 -> 0.44
    assert owed["H002"] == (9_000 - 4_500, 563, 4_500 - 563)  # 12.5 % of 45.00 = 5.625
    refused(
        ledger,
        "not_coordinator",
        lambda: ledger.write(dayend.close_day, OPERATOR_PIN, None, CashCount.parse("100x2")),
    )
    refused(
        ledger,
        "shift_needs_count",
        lambda: ledger.write(dayend.close_day, COORDINATOR_PIN, None, None, 5_600),
    )
    refused(
        ledger,
        "mobile_total_needed",
        lambda: ledger.write(dayend.close_day, COORDINATOR_PIN, None, CashCount.parse("100x2")),
    )
    result = dayend.close_day_with_backup(
        ledger,
        COORDINATOR_PIN,
        count=CashCount.parse("100x2,50x1,20x1,10x1,1x2,0.5x1,0.1x5"),
        mobile_total_fen=5_500,
        backup_to=tmp_path / "usb",
    )
    z = result.report
    assert (z.kind, z.z_no, z.closed_by) == ("Z", 1, "张敏")
    # float + cash of sale a (9,870 after 抹零) + cash part of c - c voided - the refund
    assert z.cash.expected_fen == 20_000 + 9_870 + 2_000 - 2_000 - 4_500
    assert z.cash.counted_fen == 28_300
    assert z.cash.variance_fen == 28_300 - 25_370
    assert z.mobile.recorded_fen == 5_600 and z.mobile.variance_fen == -100
    assert result.backup_path is not None and result.backup_path.parent == tmp_path / "usb"
    with closing(sqlite3.connect(result.backup_path)) as conn:
        assert conn.execute("SELECT z_no FROM day_closes").fetchall() == [(1,)]
    assert ledger.read(dayend.z_report, DAY1) == z
    assert ledger.read(dayend.x_report, DAY1) == z
    day_doc, audit_doc = outbox(ledger)[-2:]  # the close, then its audit entry
    assert audit_doc[1] == "audit" and audit_doc[2]["action"] == "day_close"
    assert day_doc[1] == "day" and day_doc[2]["report"]["z_no"] == 1
    assert [seq for seq, _, _ in outbox(ledger)] == list(range(1, len(outbox(ledger)) + 1))

    # Closed: nothing more can be dated into the day, and it cannot be closed again.
    clock.advance(minutes=5)
    refused(ledger, "day_closed", lambda: sell(ledger, "301"))
    refused(ledger, "day_closed", lambda: ledger.write(stock.receive, "101", "1kg"))
    refused(ledger, "day_closed", lambda: ledger.write(stock.waste, "101", "1kg", "spoiled"))
    refused(ledger, "day_closed", lambda: ledger.write(stock.count, {"101": "1kg"}, "x"))
    refused(ledger, "day_closed", lambda: ledger.write(shifts.open_shift, 100))
    refused(
        ledger,
        "day_closed",
        lambda: ledger.write(sales.void, docs["b"].receipt_no, "late", COORDINATOR_PIN),
    )
    refused(
        ledger,
        "day_already_closed",
        lambda: ledger.write(dayend.close_day, COORDINATOR_PIN, DAY1, CashCount(), 0),
    )
    # A clock set back into the closed day is refused too.
    clock.set_local(dt.datetime.combine(DAY1, dt.time(7, 0)))
    refused(ledger, "day_closed", lambda: sell(ledger, "301"))

    # The next morning: corrections are new entries of the new day.
    clock.set_local(dt.datetime.combine(DAY1 + dt.timedelta(days=1), dt.time(8, 0)))
    ledger.write(sales.void, docs["b"].receipt_no, "found later", COORDINATOR_PIN)
    day2 = ledger.read(dayend.x_report)
    assert day2.day == DAY1 + dt.timedelta(days=1)
    assert (day2.sales_count, day2.voids_fen, day2.net_fen) == (0, 5_600, -5_600)
    opening = {s.plu: s.opening for s in day2.stock}
    assert opening == {s.plu: s.closing for s in z.stock}
    assert ledger.read(dayend.z_report, DAY1) == z  # the frozen Z never moves


def test_closing_needs_earlier_days_closed_first_and_never_a_future_day(
    ledger: Ledger, clock: Clock
) -> None:
    sell(ledger, "301")
    clock.set_local(dt.datetime.combine(DAY1 + dt.timedelta(days=1), dt.time(9, 0)))
    sell(ledger, "301")
    refused(
        ledger,
        "earlier_day_open",
        lambda: ledger.write(dayend.close_day, COORDINATOR_PIN, None, CashCount.parse("100x1"), 0),
    )
    refused(
        ledger,
        "day_in_future",
        lambda: ledger.write(
            dayend.close_day, COORDINATOR_PIN, DAY1 + dt.timedelta(days=2), CashCount(), 0
        ),
    )
    refused(
        ledger,
        "count_needed",
        lambda: ledger.write(dayend.close_day, COORDINATOR_PIN, DAY1, None, 0),
    )
    # Closing yesterday late (this morning) is fine; today's sale is not in it.
    z1 = ledger.write(dayend.close_day, COORDINATOR_PIN, DAY1, CashCount.parse("20x1,10x1,5x1,1x3"))
    assert (z1.day, z1.sales_count, z1.cash.variance_fen) == (DAY1, 1, 0)
    z2 = ledger.write(dayend.close_day, COORDINATOR_PIN, None, CashCount.parse("20x2"), 0)
    assert (z2.z_no, z2.sales_count, z2.cash.variance_fen) == (2, 1, 200)
    assert [c.z_no for c in ledger.read(dayend.list_closes)] == [2, 1]


def test_the_day_is_the_local_date_of_each_document(ledger: Ledger, clock: Clock) -> None:
    clock.set_local(dt.datetime.combine(DAY1, dt.time(23, 59)))
    sell(ledger, "301")  # 15:59 UTC on the 10th
    clock.set_local(dt.datetime.combine(DAY1 + dt.timedelta(days=1), dt.time(0, 1)))
    sell(ledger, "401")  # 16:01 UTC, still the 10th in UTC, but the 11th at the booth
    day1 = ledger.read(dayend.x_report, DAY1)
    day2 = ledger.read(dayend.x_report, DAY1 + dt.timedelta(days=1))
    assert [p.plu for p in day1.products] == ["301"]
    assert [p.plu for p in day2.products] == ["401"]
    assert [h.hour for h in day1.hours] == [23] and [h.hour for h in day2.hours] == [0]
    # A till whose offset changed keeps each document in its own local day.
    clock.set_local(dt.datetime.combine(DAY1 + dt.timedelta(days=1), dt.time(0, 30)), offset=420)
    sell(ledger, "501")
    assert [p.plu for p in ledger.read(dayend.x_report, DAY1 + dt.timedelta(days=1)).products] == [
        "401",
        "501",
    ]


def test_a_day_without_cash_or_shifts_closes_without_a_count(ledger: Ledger, clock: Clock) -> None:
    sell(ledger, "301", pay=[TenderIn(MOBILE, 3_800)])
    z = ledger.write(dayend.close_day, COORDINATOR_PIN, None, None, 3_800)
    assert (z.cash.expected_fen, z.cash.counted_fen, z.cash.variance_fen) == (0, 0, 0)
    assert z.mobile.variance_fen == 0


def test_a_day_whose_shifts_were_counted_takes_no_second_count(
    ledger: Ledger, clock: Clock
) -> None:
    ledger.write(shifts.open_shift, 10_000)
    sell(ledger, "301", pay=[TenderIn(CASH, 5_000)])
    ledger.write(shifts.close_shift, CashCount.parse("100x1,20x1,10x1,5x1,1x3"))
    refused(
        ledger,
        "count_not_needed",
        lambda: ledger.write(dayend.close_day, COORDINATOR_PIN, None, CashCount.parse("1x1")),
    )
    z = ledger.write(dayend.close_day, COORDINATOR_PIN)
    assert (z.cash.expected_fen, z.cash.counted_fen, z.cash.variance_fen) == (13_800, 13_800, 0)


def test_statements_carry_the_county_url_and_add_up(ledger: Ledger, clock: Clock) -> None:
    busy_day(ledger, clock)
    found = ledger.read(dayend.statements, None, None, "https://county.example/")
    assert [s.household_code for s in found] == ["H001", "H002", "H003", "H006"]
    h2 = found[1]
    assert h2.url == f"https://county.example/h/H002?day={DAY1.isoformat()}"
    assert sum(line.amount_fen for line in h2.lines) == h2.goods_fen
    assert h2.owed_fen == h2.goods_fen - h2.commission_fen
    assert [s.household_code for s in ledger.read(dayend.statements, None, "H003")] == ["H003"]
    assert all(s.url is None for s in ledger.read(dayend.statements))  # not enrolled
    with pytest.raises(BadInput):
        ledger.read(dayend.statements, None, "H404")


def test_commission_and_backup_folder_need_the_coordinator(
    ledger: Ledger, clock: Clock, tmp_path: Path
) -> None:
    refused(
        ledger,
        "not_coordinator",
        lambda: ledger.write(dayend.set_commission, "H001", 500, OPERATOR_PIN),
    )
    refused(
        ledger,
        "unknown_household",
        lambda: ledger.write(dayend.set_commission, "H9", 500, COORDINATOR_PIN),
    )
    ledger.write(dayend.set_commission, "H001", 500, COORDINATOR_PIN)
    ledger.write(dayend.set_commission, "H001", 800, COORDINATOR_PIN)
    rates = {r.household_code: r.rate_bp for r in ledger.read(dayend.list_commissions)}
    assert rates["H001"] == 800 and rates["H002"] == 0
    folder = tmp_path / "stick"
    ledger.write(dayend.set_backup_dir, str(folder), COORDINATOR_PIN)
    assert ledger.read(dayend.backup_dir) == str(folder)
    sell(ledger, "301", pay=[TenderIn(MOBILE, 3_800)])
    result = dayend.close_day_with_backup(ledger, COORDINATOR_PIN, mobile_total_fen=3_800)
    assert result.backup_path is not None and result.backup_path.parent == folder


def test_a_failed_backup_leaves_the_day_closed(
    ledger: Ledger, clock: Clock, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    result = dayend.close_day_with_backup(ledger, COORDINATOR_PIN, backup_to=blocker)
    assert result.backup_path is None and result.backup_error
    assert [c.z_no for c in ledger.read(dayend.list_closes)] == [1]
