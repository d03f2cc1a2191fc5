"""Randomised days (hypothesis): sales, voids, refunds, receipts, waste, counts, shifts, pay-ins
and -outs, day closes. Afterwards every figure of every day's report (the frozen Z of a closed
day, the X of an open one) must equal an independent sum over the database, written here in
plain SQL with SQLite's own date arithmetic. Every refused action must have changed nothing.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import tempfile
from collections import defaultdict
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from booth_pos.domain.cart import CartLine
from booth_pos.domain.errors import BadInput
from booth_pos.domain.money import round_half_up_div
from booth_pos.domain.pricing import RoundDown, TenderIn, TenderMethod, cart_totals, line_amount
from booth_pos.domain.quantity import PricingUnit, Quantity
from booth_pos.domain.reports import CashCount, DayReport
from booth_pos.services import booth, dayend, demo, sales, shifts, stock
from booth_pos.services.ledger import Ledger
from booth_pos.store.engine import DB_FILENAME
from tests.booth_pos.services.test_dayend import DAY1, Clock, all_counts, install_clock
from tests.conftest import COORDINATOR_PIN

PRODUCTS = {  # plu: (unit, price_fen), as in the demo catalogue
    "101": ("jin", 350),
    "102": ("jin", 480),
    "201": ("item", 4500),
    "202": ("item", 7800),
    "301": ("item", 3800),
    "401": ("item", 2500),
    "501": ("item", 1800),
    "601": ("jin", 1200),
    "602": ("jin", 4800),
}
PLUS = sorted(PRODUCTS)
RATES = {"H001": 500, "H002": 1250, "H003": 333, "H004": 0, "H005": 1000, "H006": 750}
DAY_SQL = "date({t}.occurred_at, printf('%+d minutes', {t}.utc_offset_min))"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo ledger with commission rates, made once; each example works on a copy."""
    folder = tmp_path_factory.mktemp("dayend-template")
    ledger = Ledger.open(folder)

    def setup(session: Any) -> None:
        booth.init_booth(session, "LX01", "后湖莲藕摊", "莲花镇")
        demo.load_demo(session)

    ledger.write(setup)
    ledger.close()
    with closing(sqlite3.connect(folder / DB_FILENAME)) as conn, conn:
        for code, bp in RATES.items():
            conn.execute(
                "INSERT INTO commission_rates (household_id, rate_bp, updated_at, updated_by) "
                "SELECT id, ?, '2026-02-01 00:00:00.000000', 'test' FROM households "
                "WHERE code = ?",
                (bp, code),
            )
    return folder / DB_FILENAME


# ------------------------------------------------------------------------------ the actions

quantities = {
    "jin": st.integers(50, 4_000),
    "item": st.integers(1, 4),
}
line = st.sampled_from(PLUS).flatmap(
    lambda plu: st.tuples(st.just(plu), quantities[PRODUCTS[plu][0]])
)
actions = st.one_of(
    st.tuples(
        st.just("sell"),
        st.lists(line, min_size=1, max_size=4),
        st.sampled_from(["cash", "cash", "mobile", "split", "other"]),
        st.sampled_from(list(RoundDown)),
        st.integers(0, 5_000),
    ),
    st.tuples(st.just("void"), st.integers(0, 50)),
    st.tuples(st.just("refund"), st.integers(0, 50), st.booleans(), st.integers(1, 4)),
    st.tuples(st.just("receive"), line),
    st.tuples(st.just("waste"), line, st.sampled_from(["spoiled", "damaged", "tasting"])),
    st.tuples(st.just("count"), line),
    st.tuples(st.just("shift_open"), st.integers(0, 50_000)),
    st.tuples(st.just("shift_close"), st.integers(0, 40), st.integers(0, 40)),
    st.tuples(st.just("pay"), st.booleans(), st.integers(-100, 20_000)),
    st.tuples(st.just("tick"), st.integers(1, 600)),
    st.tuples(st.just("next_day"), st.integers(7, 10)),
    st.tuples(st.just("close"), st.integers(0, 1), st.integers(0, 30_000), st.integers(0, 20)),
    st.tuples(st.just("offset"), st.sampled_from([480, 480, 420, 540])),
)


def _quantity(plu: str, amount: int) -> str:
    return f"{amount}g" if PRODUCTS[plu][0] == "jin" else str(amount)


def _tenders(total: int, how: str, change: int) -> list[TenderIn]:
    if how == "mobile":
        return [TenderIn(TenderMethod.MOBILE, total)]
    if how == "other":
        return [TenderIn(TenderMethod.OTHER, total)]
    if how == "split" and total >= 2:
        return [
            TenderIn(TenderMethod.MOBILE, total // 2),
            TenderIn(TenderMethod.CASH, total - total // 2 + change),
        ]
    return [TenderIn(TenderMethod.CASH, total + change)]


def run(ledger: Ledger, clock: Clock, steps: list[tuple[Any, ...]]) -> set[dt.date]:
    """Play the actions; returns the days touched. Refusals must leave the ledger unchanged."""
    sold: list[str] = []
    touched = {clock.day}
    for step in steps:
        kind = step[0]
        clock.advance(minutes=7)
        before = all_counts(ledger.db_path)
        try:
            if kind == "sell":
                _, lines, how, rule, change = step
                amounts = [
                    line_amount(
                        PricingUnit(PRODUCTS[plu][0]),
                        PRODUCTS[plu][1],
                        Quantity(qty, PRODUCTS[plu][0] != "item"),
                    )
                    for plu, qty in lines
                ]
                total = cart_totals(amounts, rule).total_fen
                cart = [CartLine.parse(plu, _quantity(plu, qty)) for plu, qty in lines]
                view = ledger.write(sales.ring_up, cart, _tenders(total, how, change), None, rule)
                sold.append(view.receipt_no)
            elif kind == "void" and sold:
                receipt = sold[step[1] % len(sold)]
                ledger.write(sales.void, receipt, "test void", COORDINATOR_PIN)
            elif kind == "refund" and sold:
                receipt = sold[step[1] % len(sold)]
                chosen = None if step[2] else {step[3]: None}
                ledger.write(sales.refund, receipt, "test refund", COORDINATOR_PIN, chosen)
            elif kind == "receive":
                plu, qty = step[1]
                ledger.write(stock.receive, plu, _quantity(plu, qty))
            elif kind == "waste":
                plu, qty = step[1]
                ledger.write(stock.waste, plu, _quantity(plu, qty), step[2])
            elif kind == "count":
                plu, qty = step[1]
                ledger.write(stock.count, {plu: _quantity(plu, qty)}, "recount")
            elif kind == "shift_open":
                ledger.write(shifts.open_shift, step[1])
            elif kind == "shift_close":
                count = CashCount.of({10_000: step[1], 10: step[2]})
                ledger.write(shifts.close_shift, count)
            elif kind == "pay":
                move = shifts.pay_in if step[1] else shifts.pay_out
                ledger.write(move, step[2], "float top-up" if step[1] else "to the safe")
            elif kind == "tick":
                clock.advance(minutes=step[1])
            elif kind == "next_day":
                clock.set_local(dt.datetime.combine(clock.day + dt.timedelta(days=1), dt.time()))
                clock.advance(hours=step[1])
            elif kind == "close":
                day = clock.day - dt.timedelta(days=step[1])
                count = CashCount.of({5_000: step[3], 10: step[2] % 100})
                try:
                    ledger.write(dayend.close_day, COORDINATOR_PIN, day, count, step[2])
                except BadInput as exc:
                    if exc.code != "count_not_needed":
                        raise
                    ledger.write(dayend.close_day, COORDINATOR_PIN, day, None, step[2])
            elif kind == "offset":
                clock.offset = step[1]
            event(f"{kind}: done")
        except BadInput as exc:
            event(f"{kind}: refused ({exc.code})")
            assert all_counts(ledger.db_path) == before, f"{step} refused but changed rows"
        touched.add(clock.day)
    return touched


# ------------------------------------------------------------------------ the independent sums


def _commission(goods: int, bp: int) -> int:
    magnitude = round_half_up_div(abs(goods) * bp, 10_000)
    return magnitude if goods >= 0 else -magnitude


def check_day(conn: sqlite3.Connection, report: DayReport) -> None:
    day = report.day.isoformat()
    s_day, v_day, r_day = (DAY_SQL.format(t=t) for t in ("s", "v", "r"))

    count, gross, round_down, first, last = conn.execute(
        f"SELECT count(*), coalesce(sum(subtotal_fen), 0), coalesce(sum(round_down_fen), 0), "
        f"min(seq), max(seq) FROM sales s WHERE {s_day} = ?",
        (day,),
    ).fetchone()
    voids, voids_fen = conn.execute(
        f"SELECT count(*), coalesce(sum(amount_fen), 0) FROM voids v WHERE {v_day} = ?", (day,)
    ).fetchone()
    refunds, refunds_fen = conn.execute(
        f"SELECT count(*), coalesce(sum(amount_fen), 0) FROM refunds r WHERE {r_day} = ?", (day,)
    ).fetchone()
    assert (report.sales_count, report.gross_fen, report.round_down_fen) == (
        count,
        gross,
        round_down,
    )
    assert (report.voids_count, report.voids_fen) == (voids, voids_fen)
    assert (report.refunds_count, report.refunds_fen) == (refunds, refunds_fen)
    assert report.net_fen == gross - round_down - voids_fen - refunds_fen
    receipt = "SELECT receipt_no FROM sales WHERE seq = ?"
    assert report.first_receipt == (
        conn.execute(receipt, (first,)).fetchone()[0] if first else None
    )
    assert report.last_receipt == (conn.execute(receipt, (last,)).fetchone()[0] if last else None)

    # Tenders.
    flows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for method, amount in conn.execute(
        f"SELECT t.method, sum(t.amount_fen - t.change_fen) FROM tenders t "
        f"JOIN sales s ON s.id = t.sale_id WHERE {s_day} = ? GROUP BY t.method",
        (day,),
    ):
        flows[method][0] = amount
    for method, amount in conn.execute(
        f"SELECT t.method, sum(t.amount_fen - t.change_fen) FROM voids v "
        f"JOIN tenders t ON t.sale_id = v.sale_id WHERE {v_day} = ? GROUP BY t.method",
        (day,),
    ):
        flows[method][1] = amount
    for method, amount in conn.execute(
        f"SELECT method, sum(amount_fen) FROM refunds r WHERE {r_day} = ? GROUP BY method", (day,)
    ):
        flows[method][2] = amount
    got = {t.method: [t.sales_fen, t.voids_fen, t.refunds_fen] for t in report.tenders}
    for method in ("cash", "mobile", "other"):
        assert got[method] == flows[method], method
        tender = next(t for t in report.tenders if t.method == method)
        assert tender.net_fen == flows[method][0] - flows[method][1] - flows[method][2]
    assert sum(t.net_fen for t in report.tenders) == report.net_fen

    # Products and households.
    goods: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * 6)
    base = (
        "SELECT l.plu, h.code, sum({q}), sum({a}) FROM {src} "
        "JOIN households h ON h.id = l.household_id WHERE {when} = ? GROUP BY l.plu, h.code"
    )
    queries = [
        (0, "l.quantity", "l.amount_fen", "sales s JOIN sale_lines l ON l.sale_id = s.id", s_day),
        (
            2,
            "l.quantity",
            "l.amount_fen",
            "voids v JOIN sale_lines l ON l.sale_id = v.sale_id",
            v_day,
        ),
        (
            4,
            "rl.quantity",
            "rl.amount_fen",
            "refunds r JOIN refund_lines rl ON rl.refund_id = r.id "
            "JOIN sale_lines l ON l.id = rl.sale_line_id",
            r_day,
        ),
    ]
    for slot, q, a, src, when in queries:
        for plu, code, qty, amount in conn.execute(
            base.format(q=q, a=a, src=src, when=when), (day,)
        ):
            goods[(plu, code)][slot : slot + 2] = [qty, amount]
    got_products = {
        (p.plu, p.household_code): [
            p.sold_qty,
            p.sold_fen,
            p.voided_qty,
            p.voided_fen,
            p.refunded_qty,
            p.refunded_fen,
        ]
        for p in report.products
    }
    assert got_products == dict(goods)
    for p in report.products:
        assert p.net_qty == p.sold_qty - p.voided_qty - p.refunded_qty
        assert p.net_fen == p.sold_fen - p.voided_fen - p.refunded_fen
    per_household: dict[str, int] = defaultdict(int)
    for (_, code), (_, sold, _, voided, _, refunded) in goods.items():
        per_household[code] += sold - voided - refunded
    assert {h.code: h.goods_fen for h in report.households} == dict(per_household)
    for h in report.households:
        assert h.rate_bp == RATES[h.code]
        assert h.commission_fen == _commission(h.goods_fen, h.rate_bp)
        assert h.owed_fen == h.goods_fen - h.commission_fen
    assert sum(h.owed_fen for h in report.households) == report.goods_fen - report.commission_fen
    assert report.owed_fen == sum(h.owed_fen for h in report.households)

    # Sales by hour.
    hours = {
        int(hour): (n, fen)
        for hour, n, fen in conn.execute(
            f"SELECT strftime('%H', s.occurred_at, printf('%+d minutes', s.utc_offset_min)), "
            f"count(*), sum(subtotal_fen) FROM sales s WHERE {s_day} = ? GROUP BY 1",
            (day,),
        )
    }
    assert {h.hour: (h.sales, h.gross_fen) for h in report.hours} == hours

    # Cash and QR.
    floats = conn.execute(
        "SELECT coalesce(sum(float_fen), 0) FROM shifts WHERE day = ?", (day,)
    ).fetchone()[0]
    moves = dict(
        conn.execute(
            "SELECT kind, sum(amount_fen) FROM cash_movements WHERE day = ? GROUP BY kind", (day,)
        ).fetchall()
    )
    cash = flows["cash"]
    expected = floats + moves.get("pay_in", 0) - moves.get("pay_out", 0) + cash[0] - cash[1]
    expected -= cash[2]
    assert report.cash.expected_fen == expected
    counted = conn.execute(
        "SELECT count(counted_fen), coalesce(sum(counted_fen), 0) FROM shifts WHERE day = ?",
        (day,),
    ).fetchone()
    closed = conn.execute(
        "SELECT count_json, cash_variance_fen FROM day_closes WHERE day = ?", (day,)
    ).fetchone()
    if closed is not None:
        day_count = CashCount.from_json(eval_json(closed[0])).total_fen if closed[0] else 0
        assert report.cash.counted_fen == counted[1] + day_count
        assert report.cash.variance_fen == closed[1] == report.cash.counted_fen - expected
    elif counted[0]:
        assert report.cash.counted_fen == counted[1]
    else:
        assert report.cash.counted_fen is None
    mobile = flows["mobile"]
    assert report.mobile.recorded_fen == mobile[0] - mobile[1] - mobile[2]

    # Stock: every movement dated by its own document.
    movements = conn.execute(
        f"""SELECT p.plu, m.kind, m.quantity,
               CASE m.kind WHEN 'sale' THEN {s_day} WHEN 'refund' THEN {r_day}
                           WHEN 'void' THEN {v_day} ELSE e.day END
            FROM stock_movements m JOIN products p ON p.id = m.product_id
            LEFT JOIN sales s ON s.id = m.sale_id AND m.kind = 'sale'
            LEFT JOIN refunds r ON r.id = m.refund_id
            LEFT JOIN voids v ON v.id = m.void_id
            LEFT JOIN stock_entries e ON e.movement_id = m.id"""
    ).fetchall()
    book: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    tracked: set[str] = set()
    for plu, kind, qty, when in movements:
        assert when is not None
        if when < day:
            book[plu]["opening"] += qty
        elif when == day:
            book[plu][kind] += qty
        if when <= day and kind in ("receive", "count"):
            tracked.add(plu)
    assert {s.plu for s in report.stock} == tracked
    for line in report.stock:
        sums = book[line.plu]
        assert line.opening == sums["opening"], line
        assert (line.received, line.sold, line.refunded, line.voided, line.wasted) == (
            sums["receive"],
            -sums["sale"],
            sums["refund"],
            sums["void"],
            -sums["waste"],
        ), line
        assert line.variance == sums["count"], line
        assert line.closing == sum(sums.values()), line
        assert line.expected == line.closing - line.variance


def eval_json(text: str) -> dict[str, int]:
    import json

    data: dict[str, int] = json.loads(text)
    return data


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(steps=st.lists(actions, min_size=15, max_size=50))
def test_every_figure_of_every_day_equals_an_independent_sql_sum(
    template: Path, steps: list[tuple[Any, ...]]
) -> None:
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as mp:
        shutil.copy(template, Path(folder) / DB_FILENAME)
        ledger = Ledger.open(Path(folder))
        try:
            clock = install_clock(mp, Clock(dt.datetime.combine(DAY1, dt.time(8, 0))))
            touched = run(ledger, clock, steps)
            with closing(sqlite3.connect(ledger.db_path)) as conn:
                closed_days = {
                    dt.date.fromisoformat(d) for (d,) in conn.execute("SELECT day FROM day_closes")
                }
                for day in sorted(touched | closed_days):
                    report = ledger.read(dayend.x_report, day)
                    assert report.kind == ("Z" if day in closed_days else "X")
                    check_day(conn, report)
                seqs = [s for (s,) in conn.execute("SELECT seq FROM outbox ORDER BY seq")]
                (next_seq,) = conn.execute("SELECT next_seq FROM devices").fetchone()
                assert seqs == list(range(1, next_seq))
        finally:
            ledger.close()
