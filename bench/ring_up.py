"""Time `ring_up` of a three-line sale against plain sqlite3 writing the same rows.

Usage::

    python bench/ring_up.py [--sales N] [--warmup W] [--dir DIR]

Two fresh ledgers are made with the app's own migration and the demo booth (LX01,
demo catalogue and people). One is driven through ``Ledger.write(sales.ring_up, ...)``;
the other is written with the standard-library ``sqlite3`` module, the same pragmas
(WAL, synchronous=FULL, foreign_keys=ON, busy_timeout) and one BEGIN IMMEDIATE ...
COMMIT per sale holding the statements ring_up sends, with the same columns and in its order:

* SELECT the device (with its booth), the till operator (all its columns), the three
  products (with their households), and ``max(day) FROM day_closes`` (ring_up refuses a
  sale into a closed business day);
* UPDATE devices.next_seq and UPDATE devices.next_receipt (the document number and the
  sale's own receipt number, each ``... RETURNING``);
* INSERT 1 sales, 3 sale_lines, 1 tenders, 3 stock_movements, 1 print_jobs and
  1 outbox row whose payload is the same canonical JSON with the same keys (and its sha256).

After the run both files are compared: rows per table, mean outbox payload size, the keys of
the payload, both counters and every receipt number. Exit 1 if anything differs.

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

# The statements ring_up sends, as SQLAlchemy renders them (same columns, joins and order).
_SQL_DEVICE = (
    "SELECT devices.id, devices.booth_id, devices.next_seq, devices.next_receipt, "
    "devices.created_at, devices.receipt_key, booths_1.id AS id_1, booths_1.code, "
    "booths_1.name, booths_1.town, booths_1.created_at AS created_at_1 "
    "FROM devices LEFT OUTER JOIN booths AS booths_1 ON booths_1.id = devices.booth_id "
    "LIMIT ? OFFSET ?"
)
_SQL_OPERATOR_COLUMNS = (
    "SELECT operators.id, operators.name, operators.role, operators.pin_hash, operators.active "
    "FROM operators WHERE operators.active IS 1"
)
_SQL_FIRST_OPERATOR = _SQL_OPERATOR_COLUMNS + " ORDER BY operators.role = ? ASC, operators.id"
_SQL_NAMED_OPERATOR = _SQL_OPERATOR_COLUMNS + " AND operators.name = ?"
_SQL_PRODUCTS = (
    "SELECT products.id, products.plu, products.barcode, products.name_zh, products.name_en, "
    "products.category, products.unit, products.item_label_zh, products.item_label_en, "
    "products.price_fen, products.household_id, products.active, products.colour, "
    "products.price_source, products.local_override_on, households_1.id AS id_1, "
    "households_1.code, households_1.name, households_1.village, households_1.town, "
    "households_1.kind FROM products LEFT OUTER JOIN households AS households_1 "
    "ON households_1.id = products.household_id "
    "WHERE products.plu IN ({marks}) OR products.barcode IN ({marks})"
)
_SQL_LAST_CLOSED = "SELECT max(day) FROM day_closes"  # booth_pos.services.days.check_open
_SQL_TAKE_SEQ = (
    "UPDATE devices SET next_seq=(devices.next_seq + ?) WHERE devices.id = ? RETURNING next_seq"
)
_SQL_TAKE_RECEIPT = (
    "UPDATE devices SET next_receipt=(devices.next_receipt + ?) WHERE devices.id = ? "
    "RETURNING next_receipt"
)
_SQL_SALE = (
    "INSERT INTO sales (id, device_id, seq, receipt_no, occurred_at, utc_offset_min, "
    "operator_id, operator_name, subtotal_fen, round_down, round_down_fen, total_fen, "
    "paid_fen, change_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SQL_LINE = (
    "INSERT INTO sale_lines (sale_id, line_no, product_id, plu, name_zh, name_en, unit, "
    "item_label_zh, unit_price_fen, quantity, amount_fen, household_id, household_name, "
    "list_price_fen, override_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SQL_TENDER = "INSERT INTO tenders (sale_id, method, amount_fen, change_fen) VALUES (?, ?, ?, ?)"
_SQL_MOVEMENT = (
    "INSERT INTO stock_movements (product_id, household_id, kind, quantity, occurred_at, "
    "sale_id, refund_id, void_id, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SQL_PRINT = (
    "INSERT INTO print_jobs (doc_kind, doc_id, reprint, state, attempts, last_error, "
    "created_at, payload, error_code, printer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SQL_OUTBOX = (
    "INSERT INTO outbox (device_id, seq, doc_kind, doc_id, payload, sha256, state, batch_id, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _stamp(moment: dt.datetime) -> str:
    """How SQLAlchemy's DateTime stores a naive datetime in SQLite."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


class PlainTill:
    """The floor: what one sale costs in SQLite with no ORM, same pragmas and transaction.

    Per sale, in one BEGIN IMMEDIATE ... COMMIT, the statements ring_up sends, in its order:
    the device with its booth, the operator (by name, or the first till operator), the cart's
    products with their households, the last closed day (a sale into a closed day is refused),
    the document number and the receipt number (two counters, each UPDATE ... RETURNING),
    then the rows: 1 sales, n sale_lines, 1 tenders, n stock_movements, 1 print_jobs and 1
    outbox whose payload is the same canonical JSON with the same keys (and its sha256).
    """

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute("PRAGMA foreign_keys = ON")

    def close(self) -> None:
        self.conn.close()

    def sell(
        self, cart: Sequence[tuple[str, int, bool]], cash_fen: int, operator: str | None = None
    ) -> None:
        """One cash sale of (code, amount, weighed) lines, all in one write transaction."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            self._sell(conn, cart, cash_fen, operator)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @staticmethod
    def _sell(
        conn: sqlite3.Connection,
        cart: Sequence[tuple[str, int, bool]],
        cash: int,
        operator: str | None,
    ) -> None:
        device = conn.execute(_SQL_DEVICE, (1, 0)).fetchone()
        device_id, booth_code = device[0], device[7]
        if operator is None:
            cashier = conn.execute(_SQL_FIRST_OPERATOR, ("coordinator",)).fetchone()
        else:
            cashier = conn.execute(_SQL_NAMED_OPERATOR, (operator.strip(),)).fetchone()
        if cashier is None:
            raise ValueError(f"unknown operator {operator}")
        operator_id, operator_name = cashier[0], cashier[1]
        codes = list(dict.fromkeys(code for code, _, _ in cart))
        marks = ", ".join("?" * len(codes))
        rows = conn.execute(_SQL_PRODUCTS.format(marks=marks), codes + codes).fetchall()
        by_code: dict[str, tuple[Any, ...]] = {}
        for row in rows:
            by_code[row[1]] = row
            if row[2]:
                by_code[row[2]] = row
        lines: list[tuple[int, tuple[Any, ...], int, int]] = []
        for line_no, (code, amount, weighed) in enumerate(cart, start=1):
            product = by_code[code]
            unit = PricingUnit(product[6])
            if not product[11] or unit.weighed != weighed:
                raise ValueError(f"bad line {code}")
            fen = line_amount(unit, product[9], Quantity(amount, weighed))
            lines.append((line_no, product, amount, fen))
        total = sum(fen for *_, fen in lines)
        change = cash - total
        if change < 0:
            raise ValueError("cash below total")

        local = dt.datetime.now().astimezone()
        offset = int((local.utcoffset() or dt.timedelta()).total_seconds() // 60)
        at = local.astimezone(dt.UTC).replace(tzinfo=None)
        last_closed = conn.execute(_SQL_LAST_CLOSED).fetchone()[0]
        day = (at + dt.timedelta(minutes=offset)).date()
        if last_closed is not None and day.isoformat() <= str(last_closed):
            raise ValueError(f"day {day} is closed")
        seq = int(conn.execute(_SQL_TAKE_SEQ, (1, device_id)).fetchone()[0]) - 1
        receipt = int(conn.execute(_SQL_TAKE_RECEIPT, (1, device_id)).fetchone()[0]) - 1
        stamp = _stamp(at)
        sale_id = str(uuid.uuid4())
        receipt_no = f"{booth_code}-{receipt:06d}"
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
                (
                    sale_id,
                    n,
                    p[0],
                    p[1],
                    p[3],
                    p[4],
                    p[6],
                    p[7],
                    p[9],
                    qty,
                    fen,
                    p[15],
                    p[17],
                    None,
                    None,
                )  # list_price_fen, override_by: no price override
                for n, p, qty, fen in lines
            ],
        )
        conn.execute(_SQL_TENDER, (sale_id, "cash", cash, change))
        conn.executemany(
            _SQL_MOVEMENT,
            [(p[0], p[15], "sale", -qty, stamp, sale_id, None, None, "") for _, p, qty, _ in lines],
        )
        conn.execute(_SQL_PRINT, ("sale", sale_id, 0, "pending", 0, "", stamp, None, "", ""))
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
                    "unit": p[6],
                    "item_label_zh": p[7],
                    "quantity": qty,
                    "unit_price_fen": p[9],
                    "amount_fen": fen,
                    "household_name": p[17],
                    "list_price_fen": None,
                    "override_by": None,
                }
                for n, p, qty, fen in lines
            ],
            "tenders": [{"method": "cash", "amount_fen": cash, "change_fen": change}],
            "booth_code": booth_code,
        }
        payload = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        digest = hashlib.sha256(payload.encode()).hexdigest()
        conn.execute(
            _SQL_OUTBOX,
            (device_id, seq, "sale", sale_id, payload, digest, "pending", None, stamp),
        )


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


@dataclass(frozen=True)
class Written:
    """What one side left in its ledger file, to show that both sides did the same work."""

    rows: dict[str, int]  # per sale table
    mean_payload: float  # the sales' outbox payloads, bytes (UTF-8)
    counters: tuple[int, int]  # devices.next_seq, devices.next_receipt
    receipt_nos: tuple[str, ...]
    payload_shape: Any  # the keys of the last outbox payload, nested, with the value types


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return type(value).__name__


def written(path: Path) -> Written:
    conn = sqlite3.connect(path)
    try:
        rows = {
            t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in SALE_TABLES
        }
        mean = conn.execute(
            "SELECT avg(length(CAST(payload AS BLOB))) FROM outbox WHERE doc_kind = 'sale'"
        ).fetchone()[0]
        counters = conn.execute("SELECT next_seq, next_receipt FROM devices").fetchone()
        receipts = tuple(r for (r,) in conn.execute("SELECT receipt_no FROM sales ORDER BY seq"))
        last = conn.execute(
            "SELECT payload FROM outbox WHERE doc_kind = 'sale' ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        shape = _shape(json.loads(last[0])) if last else None
        return Written(
            rows, float(mean or 0.0), (int(counters[0]), int(counters[1])), receipts, shape
        )
    finally:
        conn.close()


def compare_written(sides: Sequence[tuple[str, Written]], sales_each: int) -> bool:
    """Print rows, payload size and counters of each side; False if any side differs."""
    names = [name for name, _ in sides]
    width = max(len(n) for n in names)
    print(f"rows written ({sales_each} sales each)")
    for table in SALE_TABLES:
        cells = "   ".join(f"{name:>{width}} {w.rows[table]:>7}" for name, w in sides)
        print(f"  {table:<16} {cells}")
    cells = "   ".join(f"{name:>{width}} {w.mean_payload:>7.1f}" for name, w in sides)
    print(f"  {'payload bytes':<16} {cells}   (sales' outbox payloads, mean)")
    cells = "   ".join(
        f"{name:>{width}} {w.counters[0]:>3}/{w.counters[1]:<3}" for name, w in sides
    )
    print(f"  {'next seq/receipt':<16} {cells}")
    first = sides[0][1]
    problems = []
    for name, w in sides[1:]:
        if w.rows != first.rows:
            problems.append(f"{name} wrote other row counts than {names[0]}")
        if abs(w.mean_payload - first.mean_payload) > 0.5:
            problems.append(f"{name}'s outbox payloads differ in size from {names[0]}'s")
        if w.payload_shape != first.payload_shape:
            problems.append(f"{name}'s outbox payload has other keys than {names[0]}'s")
        if w.counters != first.counters:
            problems.append(f"{name} advanced its counters differently from {names[0]}")
        if w.receipt_nos != first.receipt_nos:
            problems.append(f"{name} issued other receipt numbers than {names[0]}")
    for problem in problems:
        print(f"  MISMATCH: {problem}; the comparison is off")
    if not problems:
        print("  same rows, payload size and keys, counters and receipt numbers on every side")
    return not problems


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

    load = [("load avg", f"{load_before} before, {load_average()} after (1/5/15 min)")]
    report(n_sales, warmup, Stats.of(app_ns), Stats.of(plain_ns), load)
    print()
    sides = [
        ("ring_up", written(app_dir / DB_FILENAME)),
        ("sqlite3", written(plain_dir / DB_FILENAME)),
    ]
    if not compare_written(sides, n_sales + warmup):
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
