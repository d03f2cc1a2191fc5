"""Time the day-end reports: one day of 5,000 sales, and a day in a million-sale ledger.

Usage::

    python bench/day_report.py [--sales 1000000] [--days 30] [--small 5000] [--repeat 7]
                               [--dir DIR] [--skip-big]

A generator fills ledgers made by the app itself (`Ledger.open` runs the migrations; the demo
booth LX01 with its catalogue and people) with sales written straight through ``sqlite3``:
1 to 4 lines of the demo goods, weights for goods sold by the jin, about 1 in 5 sales with a
jiao round-down, 60 % cash (with change), 35 % mobile, 5 % split; 0.5 % of sales voided and
0.5 % refunded (all lines) later the same day; every product received each morning through a
stock entry. Each sale writes the rows `ring_up` writes that the reports read (sales,
sale_lines, tenders, stock_movements); print jobs and outbox payloads are left out (the
reports never read them, and they would make a million sales take an hour to generate).

Timed, each through the app's own `Ledger`:

* ``x_report``: `Ledger.read(dayend.x_report, day)`, every figure of the Z report (totals,
  tenders, products, households, hours, cash, QR, stock with its opening) without writing.
* ``stock_levels``: the till buttons' stock on hand after the last day's sales, before it closes.
* ``close_day``: `Ledger.write(dayend.close_day, ...)`, the whole close in one transaction:
  the coordinator's PIN (scrypt, timed separately), the report, the stock closings, the
  frozen Z and its outbox entry, COMMIT. The backup after it is timed separately.

In the big ledger days 1..N-1 are closed in order first (as booths do every evening; each of
those closes is timed too), then the last day is timed. The X report of the last day with
*no* earlier day closed is timed as well: its opening stock then has to be summed over every
earlier day.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from booth_pos.domain.pricing import RoundDown, cart_totals, line_amount
from booth_pos.domain.quantity import PricingUnit, Quantity
from booth_pos.domain.reports import CashCount
from booth_pos.services import auth, booth, dayend, demo, maintenance, stock
from booth_pos.services.ledger import Ledger
from booth_pos.store.engine import DB_FILENAME

AIM_SMALL_MS = 50.0
AIM_BIG_MS = 500.0
OFFSET = 480  # the booth is in China: UTC+8
FIRST_DAY = dt.date(2026, 1, 20)
PIN = "8888"


def _stamp(moment: dt.datetime) -> str:
    """How SQLAlchemy's DateTime stores a naive datetime in SQLite."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def setup_demo(session: Session) -> None:
    booth.init_booth(session, "LX01", "后湖莲藕摊", "莲花镇")
    demo.load_demo(session)


def generate(folder: Path, days: int, per_day: int, seed: int = 7) -> None:
    """A ledger of `days` x `per_day` sales, written directly (see the module doc)."""
    ledger = Ledger.open(folder)
    ledger.write(setup_demo)
    ledger.close()
    rng = random.Random(seed)
    conn = sqlite3.connect(folder / DB_FILENAME, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    device_id, code = conn.execute(
        "SELECT d.id, b.code FROM devices d JOIN booths b ON b.id = d.booth_id"
    ).fetchone()
    operator_id, operator = conn.execute(
        "SELECT id, name FROM operators WHERE role = 'operator' ORDER BY id LIMIT 1"
    ).fetchone()
    coordinator_id, coordinator = conn.execute(
        "SELECT id, name FROM operators WHERE role = 'coordinator' LIMIT 1"
    ).fetchone()
    products = conn.execute(
        "SELECT p.id, p.plu, p.name_zh, p.name_en, p.unit, p.item_label_zh, p.price_fen, "
        "h.id, h.name FROM products p JOIN households h ON h.id = p.household_id ORDER BY p.plu"
    ).fetchall()
    seq = 0
    line_id = int(conn.execute("SELECT coalesce(max(id), 0) FROM sale_lines").fetchone()[0])
    for d in range(days):
        day = FIRST_DAY + dt.timedelta(days=d)
        opening = dt.datetime.combine(day, dt.time(8, 0)) - dt.timedelta(minutes=OFFSET)
        conn.execute("BEGIN")
        for p in products:  # the morning's goods, as `stock.receive` writes them
            qty = 200_000 if p[4] != "item" else 2_000
            received = _stamp(opening - dt.timedelta(minutes=20))
            cur = conn.execute(
                "INSERT INTO stock_movements (product_id, household_id, kind, quantity, "
                "occurred_at, sale_id, refund_id, void_id, reason) "
                "VALUES (?, ?, 'receive', ?, ?, NULL, NULL, NULL, '')",
                (p[0], p[7], qty, received),
            )
            conn.execute(
                "INSERT INTO stock_entries (movement_id, day, occurred_at, utc_offset_min, kind, "
                "product_id, household_id, quantity, counted, expected, reason, by_name) "
                "VALUES (?, ?, ?, ?, 'receive', ?, ?, ?, NULL, NULL, '', ?)",
                (cur.lastrowid, day.isoformat(), received, OFFSET, p[0], p[7], qty, operator),
            )
        sales_rows: list[tuple[Any, ...]] = []
        line_rows: list[tuple[Any, ...]] = []
        tender_rows: list[tuple[Any, ...]] = []
        move_rows: list[tuple[Any, ...]] = []
        later: list[tuple[str, str, list[tuple[int, Any, int, int]], int, str]] = []
        step = dt.timedelta(hours=12) / per_day
        for i in range(per_day):
            seq += 1
            at = opening + step * i
            stamp = _stamp(at)
            sale_id = str(uuid.uuid4())
            chosen = rng.sample(products, rng.randint(1, 4))
            lines: list[tuple[int, Any, int, int]] = []
            for p in chosen:
                weighed = p[4] != "item"
                qty = rng.randint(200, 3_000) if weighed else rng.randint(1, 3)
                amount = line_amount(PricingUnit(p[4]), p[6], Quantity(qty, weighed))
                line_id += 1
                lines.append((line_id, p, qty, amount))
            rule = RoundDown.JIAO if rng.random() < 0.2 else RoundDown.NONE
            totals = cart_totals([a for *_, a in lines], rule)
            total = totals.total_fen
            r = rng.random()
            if r < 0.60:
                paid = total + rng.choice((0, 0, 10, 50, 100, 500, 1_000))
                tenders = [("cash", paid, paid - total)]
            elif r < 0.95:
                paid = total
                tenders = [("mobile", total, 0)]
            else:
                paid = total + 100
                tenders = [("mobile", total // 2, 0), ("cash", total - total // 2 + 100, 100)]
            sales_rows.append(
                (
                    sale_id,
                    device_id,
                    seq,
                    f"{code}-{seq:06d}",
                    stamp,
                    OFFSET,
                    operator_id,
                    operator,
                    totals.subtotal_fen,
                    rule.value,
                    totals.round_down_fen,
                    total,
                    paid,
                    paid - total,
                )
            )
            for n, (lid, p, qty, amount) in enumerate(lines, start=1):
                line_rows.append((lid, sale_id, n, *p[:7], qty, amount, p[7], p[8]))
                move_rows.append((p[0], p[7], "sale", -qty, stamp, sale_id, None, None, ""))
            tender_rows += [(sale_id, m, a, c) for m, a, c in tenders]
            if rng.random() < 0.01:
                later.append((sale_id, "void" if rng.random() < 0.5 else "refund", lines, total,
                              tenders[-1][0]))  # fmt: skip
        conn.executemany("INSERT INTO sales VALUES (" + ",".join("?" * 14) + ")", sales_rows)
        conn.executemany(
            "INSERT INTO sale_lines (id, sale_id, line_no, product_id, plu, name_zh, name_en, "
            "unit, item_label_zh, unit_price_fen, quantity, amount_fen, household_id, "
            "household_name) VALUES (" + ",".join("?" * 14) + ")",
            line_rows,
        )
        conn.executemany(
            "INSERT INTO tenders (sale_id, method, amount_fen, change_fen) VALUES (?, ?, ?, ?)",
            tender_rows,
        )
        conn.executemany(
            "INSERT INTO stock_movements (product_id, household_id, kind, quantity, occurred_at, "
            "sale_id, refund_id, void_id, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            move_rows,
        )
        corrections_at = opening + dt.timedelta(hours=12, minutes=5)
        for k, (sale_id, kind, lines, total, method) in enumerate(later):
            seq += 1
            done = _stamp(corrections_at + dt.timedelta(seconds=k))
            doc_id = str(uuid.uuid4())
            if kind == "void":
                conn.execute(
                    "INSERT INTO voids VALUES (?, ?, ?, ?, ?, ?, 'bench', ?, ?, ?)",
                    (
                        doc_id,
                        sale_id,
                        device_id,
                        seq,
                        done,
                        OFFSET,
                        coordinator_id,
                        coordinator,
                        total,
                    ),
                )
                for _, p, qty, _ in lines:
                    conn.execute(
                        "INSERT INTO stock_movements (product_id, household_id, kind, quantity, "
                        "occurred_at, sale_id, refund_id, void_id, reason) "
                        "VALUES (?, ?, 'void', ?, ?, ?, NULL, ?, 'bench')",
                        (p[0], p[7], qty, done, sale_id, doc_id),
                    )
                continue
            amounts = [a for *_, a in lines]
            amounts[-1] -= sum(amounts) - total  # the round-down stays with the booth
            refund_method = "cash" if method == "cash" else "mobile"
            conn.execute(
                "INSERT INTO refunds VALUES (?, ?, ?, ?, ?, ?, ?, 'bench', ?, ?, ?, ?)",
                (
                    doc_id,
                    sale_id,
                    device_id,
                    seq,
                    f"{code}-R{seq:06d}",
                    done,
                    OFFSET,
                    coordinator_id,
                    coordinator,
                    refund_method,
                    total,
                ),
            )
            for (lid, p, qty, _), amount in zip(lines, amounts, strict=True):
                conn.execute(
                    "INSERT INTO refund_lines (refund_id, sale_line_id, quantity, amount_fen) "
                    "VALUES (?, ?, ?, ?)",
                    (doc_id, lid, qty, amount),
                )
                conn.execute(
                    "INSERT INTO stock_movements (product_id, household_id, kind, quantity, "
                    "occurred_at, sale_id, refund_id, void_id, reason) "
                    "VALUES (?, ?, 'refund', ?, ?, ?, ?, NULL, 'bench')",
                    (p[0], p[7], qty, done, sale_id, doc_id),
                )
        conn.execute("COMMIT")
    conn.execute("UPDATE devices SET next_seq = ?", (seq + 1,))
    conn.execute("PRAGMA optimize")
    conn.close()


# ---------------------------------------------------------------------------------- timing


class FixedClock:
    """`booth.now_utc` for the bench: the evening of the day being closed."""

    def __init__(self) -> None:
        self.local = dt.datetime.combine(FIRST_DAY, dt.time(21, 0))

    def __call__(self) -> tuple[dt.datetime, int]:
        return self.local - dt.timedelta(minutes=OFFSET), OFFSET


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


def stats(samples: list[float]) -> str:
    return (
        f"min {min(samples):.1f}  median {statistics.median(samples):.1f}  "
        f"max {max(samples):.1f} ms (n={len(samples)})"
    )


def cash_count(expected_fen: int) -> CashCount:
    """Notes and coins adding up to the expected cash, to the jiao."""
    pieces: dict[int, int] = {}
    left = max(expected_fen, 0)
    for face in (10_000, 1_000, 100, 10):
        pieces[face], left = divmod(left, face)
    return CashCount.of(pieces)


def close(ledger: Ledger, day: dt.date) -> tuple[float, Any]:
    x = ledger.read(dayend.x_report, day)
    return timed(
        lambda: ledger.write(
            dayend.close_day,
            PIN,
            day,
            cash_count(x.cash.expected_fen),
            x.mobile.recorded_fen,
        )
    )


def bench_day(ledger: Ledger, day: dt.date, repeat: int) -> list[float]:
    ledger.read(dayend.x_report, day)  # warm the page cache once
    return [timed(lambda: ledger.read(dayend.x_report, day))[0] for _ in range(repeat)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sales", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--small", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--dir", help="keep the ledgers here (default: a temporary folder)")
    parser.add_argument("--skip-big", action="store_true")
    args = parser.parse_args(argv)

    clock = FixedClock()
    booth.now_utc = clock  # every service reads the clock through booth.now_utc
    root = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="day-report-"))
    machine = f"{platform.machine()}, {os.cpu_count()} cpus, load {os.getloadavg()[0]:.2f}"
    print(f"python {platform.python_version()}, sqlite {sqlite3.sqlite_version}, {machine}")
    pin_ms = [timed(lambda: auth.pin_matches(PIN, auth.hash_pin(PIN)))[0] / 2 for _ in range(3)]
    print(f"one scrypt PIN check: {stats(pin_ms)}")
    failed = False
    try:
        small = root / "small"
        start = time.perf_counter()
        generate(small, 1, args.small)
        print(f"\n== one day of {args.small:,} sales (generated in "
              f"{time.perf_counter() - start:.1f} s)")  # fmt: skip
        ledger = Ledger.open(small)
        samples = bench_day(ledger, FIRST_DAY, args.repeat * 3)
        print(f"x_report (the Z figures): {stats(samples)}")
        close_ms, z = close(ledger, FIRST_DAY)
        print(f"close_day (PIN + report + writes + commit): {close_ms:.1f} ms; "
              f"{z.sales_count} sales, net {z.net_fen / 100:,.2f}")  # fmt: skip
        backup_ms, _ = timed(lambda: maintenance.backup(ledger.db_path, small / "backups", "LX01"))
        print(f"backup after the close: {backup_ms:.1f} ms")
        ledger.close()
        failed |= statistics.median(samples) > AIM_SMALL_MS

        if not args.skip_big:
            big = root / "big"
            per_day = args.sales // args.days
            start = time.perf_counter()
            generate(big, args.days, per_day)
            size = (big / DB_FILENAME).stat().st_size / 2**20
            took = time.perf_counter() - start
            print(f"\n== {per_day * args.days:,} sales over {args.days} days "
                  f"(generated in {took:.0f} s, {size:,.0f} MiB)")  # fmt: skip
            ledger = Ledger.open(big)
            last = FIRST_DAY + dt.timedelta(days=args.days - 1)
            cold = bench_day(ledger, last, max(args.repeat // 2, 2))
            print(f"x_report of day {args.days}, no earlier day closed: {stats(cold)}")
            closes: list[float] = []
            for d in range(args.days - 1):
                day = FIRST_DAY + dt.timedelta(days=d)
                clock.local = dt.datetime.combine(day, dt.time(21, 0))
                closes.append(close(ledger, day)[0])
            print(f"close_day of days 1..{args.days - 1} in turn: {stats(closes)}")
            clock.local = dt.datetime.combine(last, dt.time(21, 0))
            samples = bench_day(ledger, last, args.repeat)
            print(f"x_report of day {args.days} (days before it closed): {stats(samples)}")
            levels = [timed(lambda: ledger.read(stock.stock_levels))[0] for _ in range(5)]
            print(f"stock_levels (the till's buttons) during day {args.days}: {stats(levels)}")
            close_ms, z = close(ledger, last)
            print(f"close_day of day {args.days}: {close_ms:.1f} ms; {z.sales_count:,} sales, "
                  f"net {z.net_fen / 100:,.2f}")  # fmt: skip
            ledger.close()
            failed |= statistics.median(samples) > AIM_BIG_MS
    finally:
        if not args.dir:
            shutil.rmtree(root, ignore_errors=True)
    print(f"\nload {os.getloadavg()[0]:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
