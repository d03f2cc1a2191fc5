"""Time `ring_up` of a three-line sale against plain sqlite3 writing the same rows.

Usage::

    python bench/ring_up.py [--sales N] [--warmup W] [--dir DIR]

Two fresh ledgers are made with the app's own migration and the demo booth (LX01,
demo catalogue and people). One is driven through ``Ledger.write(sales.ring_up, ...)``;
the other is written with the standard-library ``sqlite3`` module, the same pragmas
(WAL, synchronous=FULL, foreign_keys=ON, busy_timeout) and one BEGIN IMMEDIATE ...
COMMIT per sale holding the same reads and the same rows ring_up writes:

* SELECT the device (with its booth code), the till operator, the three products
  (with their households);
* UPDATE devices.next_seq;
* INSERT 1 sales, 3 sale_lines, 3 stock_movements, 1 tenders, 1 print_jobs and
  1 outbox row whose payload is the same canonical JSON (with its sha256).

The two are timed alternately (ABBA order) so drift on the machine hits both alike.
Each sale is timed end to end with ``time.perf_counter_ns``; garbage collection stays on,
as it is at the till. The warm-up sales are not counted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import json
import math
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy.orm import Session

from booth_pos.domain.cart import CartLine
from booth_pos.domain.pricing import TenderIn, TenderMethod, line_amount
from booth_pos.domain.quantity import PricingUnit, Quantity
from booth_pos.services import booth, demo, sales
from booth_pos.services.ledger import Ledger
from booth_pos.store.engine import BUSY_TIMEOUT_MS, DB_FILENAME

AIM_P99_MS = 5.0
AIM_RATIO = 3.0

# 1.25 kg lotus root priced per jin, 2 jars of acacia honey, 750 g fresh shiitake.
CART_SPEC: tuple[tuple[str, str], ...] = (("101", "1.25kg"), ("201", "2"), ("601", "750g"))
CASH_FEN = 20_000  # ¥200 covers the ¥116.75 total with change.

SALE_TABLES = ("sales", "sale_lines", "tenders", "stock_movements", "print_jobs", "outbox")


def setup_demo(session: Session) -> None:
    """The same demo booth as the tests' `ledger` fixture."""
    booth.init_booth(session, "LX01", "后湖莲藕摊", "莲花镇")
    demo.load_demo(session)


def make_demo_ledger(data_dir: Path) -> Ledger:
    ledger = Ledger.open(data_dir)
    ledger.write(setup_demo)
    return ledger


# --- plain sqlite3 -----------------------------------------------------------------------------

_SQL_DEVICE = (
    "SELECT devices.id, devices.next_seq, booths.code FROM devices "
    "JOIN booths ON booths.id = devices.booth_id LIMIT 1"
)
_SQL_OPERATOR = (
    "SELECT id, name FROM operators WHERE active = 1 ORDER BY role = 'coordinator', id LIMIT 1"
)
_SQL_PRODUCTS = (
    "SELECT p.id, p.plu, p.barcode, p.name_zh, p.name_en, p.unit, p.item_label_zh, "
    "p.price_fen, p.active, h.id, h.name FROM products AS p "
    "JOIN households AS h ON h.id = p.household_id "
    "WHERE p.plu IN ({marks}) OR p.barcode IN ({marks})"
)
_SQL_TAKE_SEQ = "UPDATE devices SET next_seq = ? WHERE id = ?"
_SQL_SALE = (
    "INSERT INTO sales (id, device_id, seq, receipt_no, occurred_at, utc_offset_min, "
    "operator_id, operator_name, subtotal_fen, round_down, round_down_fen, total_fen, "
    "paid_fen, change_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SQL_LINE = (
    "INSERT INTO sale_lines (sale_id, line_no, product_id, plu, name_zh, name_en, unit, "
    "item_label_zh, unit_price_fen, quantity, amount_fen, household_id, household_name) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SQL_MOVEMENT = (
    "INSERT INTO stock_movements (product_id, household_id, kind, quantity, occurred_at, "
    "sale_id, refund_id, void_id, reason) VALUES (?, ?, 'sale', ?, ?, ?, NULL, NULL, '')"
)
_SQL_TENDER = "INSERT INTO tenders (sale_id, method, amount_fen, change_fen) VALUES (?, ?, ?, ?)"
_SQL_PRINT = (
    "INSERT INTO print_jobs (doc_kind, doc_id, reprint, state, attempts, last_error, "
    "created_at, payload) VALUES ('sale', ?, 0, 'pending', 0, '', ?, NULL)"
)
_SQL_OUTBOX = (
    "INSERT INTO outbox (device_id, seq, doc_kind, doc_id, payload, sha256, state, batch_id, "
    "created_at) VALUES (?, ?, 'sale', ?, ?, ?, 'pending', NULL, ?)"
)


def _stamp(moment: dt.datetime) -> str:
    """How SQLAlchemy's DateTime stores a naive datetime in SQLite."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


class PlainTill:
    """The floor: what one sale costs in SQLite with no ORM, same pragmas and transaction."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute("PRAGMA foreign_keys = ON")

    def close(self) -> None:
        self.conn.close()

    def sell(self, cart: Sequence[tuple[str, int, bool]], cash_fen: int) -> None:
        """One cash sale of (code, amount, weighed) lines, all in one write transaction."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            self._sell(conn, cart, cash_fen)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @staticmethod
    def _sell(conn: sqlite3.Connection, cart: Sequence[tuple[str, int, bool]], cash: int) -> None:
        device_id, seq, booth_code = conn.execute(_SQL_DEVICE).fetchone()
        operator_id, operator_name = conn.execute(_SQL_OPERATOR).fetchone()
        codes = [code for code, _, _ in cart]
        marks = ", ".join("?" * len(codes))
        rows = conn.execute(_SQL_PRODUCTS.format(marks=marks), codes + codes).fetchall()
        by_code: dict[str, tuple[Any, ...]] = {}
        for row in rows:
            by_code[row[1]] = row
            if row[2]:
                by_code[row[2]] = row
        lines: list[tuple[Any, ...]] = []
        for line_no, (code, amount, weighed) in enumerate(cart, start=1):
            product = by_code[code]
            unit = PricingUnit(product[5])
            if not product[8] or unit.weighed != weighed:
                raise ValueError(f"bad line {code}")
            fen = line_amount(unit, product[7], Quantity(amount, weighed))
            lines.append((line_no, product, amount, fen))
        total = sum(fen for *_, fen in lines)
        change = cash - total
        if change < 0:
            raise ValueError("cash below total")

        local = dt.datetime.now().astimezone()
        offset = int((local.utcoffset() or dt.timedelta()).total_seconds() // 60)
        at = local.astimezone(dt.UTC).replace(tzinfo=None)
        stamp = _stamp(at)
        sale_id = str(uuid.uuid4())
        receipt_no = f"{booth_code}-{seq:06d}"
        conn.execute(_SQL_TAKE_SEQ, (seq + 1, device_id))
        conn.execute(
            _SQL_SALE,
            (
                sale_id,
                device_id,
                seq,
                receipt_no,
                stamp,
                offset,
                operator_id,
                operator_name,
                total,
                "none",
                0,
                total,
                cash,
                change,
            ),
        )
        conn.executemany(
            _SQL_LINE,
            [
                (sale_id, n, p[0], p[1], p[3], p[4], p[5], p[6], p[7], qty, fen, p[9], p[10])
                for n, p, qty, fen in lines
            ],
        )
        conn.executemany(
            _SQL_MOVEMENT, [(p[0], p[9], -qty, stamp, sale_id) for _, p, qty, _ in lines]
        )
        conn.execute(_SQL_TENDER, (sale_id, "cash", cash, change))
        conn.execute(_SQL_PRINT, (sale_id, stamp))
        body = {
            "kind": "sale",
            "seq": seq,
            "device_id": device_id,
            "sale_id": sale_id,
            "receipt_no": receipt_no,
            "occurred_at": at.replace(tzinfo=dt.UTC).isoformat(),
            "utc_offset_min": offset,
            "operator_name": operator_name,
            "subtotal_fen": total,
            "round_down": "none",
            "round_down_fen": 0,
            "total_fen": total,
            "paid_fen": cash,
            "change_fen": change,
            "lines": [
                {
                    "line_no": n,
                    "plu": p[1],
                    "name_zh": p[3],
                    "name_en": p[4],
                    "unit": p[5],
                    "item_label_zh": p[6],
                    "quantity": qty,
                    "unit_price_fen": p[7],
                    "amount_fen": fen,
                    "household_name": p[10],
                }
                for n, p, qty, fen in lines
            ],
            "tenders": [{"method": "cash", "amount_fen": cash, "change_fen": change}],
            "booth_code": booth_code,
        }
        payload = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        digest = hashlib.sha256(payload.encode()).hexdigest()
        conn.execute(_SQL_OUTBOX, (device_id, seq, sale_id, payload, digest, stamp))


# --- measuring ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    p50: float
    p90: float
    p99: float
    max: float
    mean: float

    @classmethod
    def of(cls, samples_ns: Sequence[int]) -> Stats:
        ms = sorted(s / 1e6 for s in samples_ns)

        def pct(p: float) -> float:  # nearest rank
            return ms[max(0, math.ceil(p / 100 * len(ms)) - 1)]

        return cls(pct(50), pct(90), pct(99), ms[-1], statistics.fmean(ms))


def time_ns(action: Callable[[], object]) -> int:
    start = time.perf_counter_ns()
    action()
    return time.perf_counter_ns() - start


def table_counts(path: Path) -> tuple[dict[str, int], float]:
    """Rows per sale table and the mean outbox payload size in bytes."""
    conn = sqlite3.connect(path)
    try:
        counts = {
            t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in SALE_TABLES
        }
        mean_payload = conn.execute("SELECT avg(length(CAST(payload AS BLOB))) FROM outbox")
        return counts, float(mean_payload.fetchone()[0] or 0.0)
    finally:
        conn.close()


def machine_facts() -> list[tuple[str, str]]:
    return [
        ("platform", platform.platform()),
        ("machine", platform.machine()),
        ("cpus", str(os.cpu_count())),
        ("python", sys.version.split()[0] + f" ({platform.python_implementation()})"),
        ("sqlite", sqlite3.sqlite_version),
        ("sqlalchemy", sqlalchemy.__version__),
    ]


def load_average() -> str:
    """The 1/5/15-minute load average: other work on the machine skews the tail."""
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # not available on this platform
        return "n/a"


def run(root: Path, n_sales: int, warmup: int) -> int:
    app_dir, plain_dir = root / "ring_up", root / "sqlite3"
    for folder in (app_dir, plain_dir):
        if (folder / DB_FILENAME).exists():
            print(f"error: {folder / DB_FILENAME} already exists; use an empty --dir")
            return 2

    ledger = make_demo_ledger(app_dir)
    # The plain file gets the very same schema and demo rows from the app's own migration.
    make_demo_ledger(plain_dir).close()
    plain = PlainTill(plain_dir / DB_FILENAME)

    cart = [CartLine.parse(code, text) for code, text in CART_SPEC]
    tenders = [TenderIn(TenderMethod.CASH, CASH_FEN)]
    plain_cart = [(line.code, line.quantity.amount, line.quantity.weighed) for line in cart]

    def app_sale() -> object:
        return ledger.write(sales.ring_up, cart, tenders)

    def plain_sale() -> None:
        plain.sell(plain_cart, CASH_FEN)

    load_before = load_average()
    try:
        for _ in range(warmup):
            app_sale()
            plain_sale()
        gc.collect()
        app_ns: list[int] = []
        plain_ns: list[int] = []
        for i in range(n_sales):
            if i % 2 == 0:
                app_ns.append(time_ns(app_sale))
                plain_ns.append(time_ns(plain_sale))
            else:
                plain_ns.append(time_ns(plain_sale))
                app_ns.append(time_ns(app_sale))
    finally:
        ledger.close()
        plain.close()

    app_rows, app_payload = table_counts(app_dir / DB_FILENAME)
    plain_rows, plain_payload = table_counts(plain_dir / DB_FILENAME)
    load = [("load avg", f"{load_before} before, {load_average()} after (1/5/15 min)")]
    report(n_sales, warmup, Stats.of(app_ns), Stats.of(plain_ns), load)
    print()
    print(f"rows written ({n_sales + warmup} sales each)")
    for table in SALE_TABLES:
        print(f"  {table:<16} ring_up {app_rows[table]:>7}   sqlite3 {plain_rows[table]:>7}")
    print(
        f"  outbox payload   ring_up {app_payload:>7.0f} B sqlite3 {plain_payload:>7.0f} B (mean)"
    )
    if app_rows != plain_rows:
        print("warning: the two runs wrote different row counts; the comparison is off")
        return 1
    return 0


def report(
    n_sales: int, warmup: int, app: Stats, plain: Stats, extra: Sequence[tuple[str, str]] = ()
) -> None:
    print("machine")
    for key, value in [*machine_facts(), *extra]:
        print(f"  {key:<11} {value}")
    print()
    print(f"{n_sales} three-line sales each (+{warmup} warm-up, not counted), times in ms")
    print(f"  {'':<9} {'p50':>8} {'p90':>8} {'p99':>8} {'max':>8} {'mean':>8}")
    for name, s in (("ring_up", app), ("sqlite3", plain)):
        print(f"  {name:<9} {s.p50:>8.3f} {s.p90:>8.3f} {s.p99:>8.3f} {s.max:>8.3f} {s.mean:>8.3f}")
    r50, r99 = app.p50 / plain.p50, app.p99 / plain.p99
    print(
        f"  {'ratio':<9} {r50:>7.2f}x {'':>8} {r99:>7.2f}x {'':>8} {app.mean / plain.mean:>7.2f}x"
    )
    print()

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    print(
        f"aim ring_up p99 < {AIM_P99_MS:g} ms: {verdict(app.p99 < AIM_P99_MS)} ({app.p99:.3f} ms)"
    )
    print(
        f"aim ring_up within {AIM_RATIO:g}x of sqlite3: "
        f"p99 {verdict(r99 <= AIM_RATIO)} ({r99:.2f}x), "
        f"p50 {verdict(r50 <= AIM_RATIO)} ({r50:.2f}x)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sales", type=int, default=2000, help="timed sales each (default 2000)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed sales first (default 20)")
    parser.add_argument("--dir", type=Path, help="keep the two ledgers here (default: temp dir)")
    args = parser.parse_args(argv)
    if args.sales < 1 or args.warmup < 0:
        parser.error("--sales must be >= 1 and --warmup >= 0")
    if args.dir is not None:
        return run(args.dir, args.sales, args.warmup)
    with tempfile.TemporaryDirectory(prefix="booth-bench-") as tmp:
        return run(Path(tmp), args.sales, args.warmup)


if __name__ == "__main__":
    sys.exit(main())
