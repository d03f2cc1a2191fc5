"""Crash safety: SIGKILL a till that is ringing up sales, again and again, and audit the ledger.

A child process (this very file, run as a script) rings up varied sales in a loop and
prints each receipt number only after `Ledger.write` has returned, i.e. after the commit.
The test kills it with SIGKILL at a random moment, at least 50 times, reusing the same
data folder so every round also proves that a till restarted after a crash carries on.

After every kill the ledger is audited twice: with plain sqlite3 (so the app's own code is
not the judge) and with the app's `check_ledger`. Every reported receipt must be there and
complete, no sale may be partial, and the document numbers must have no gaps.

The seed is printed (shown by pytest on failure); set BOOTH_POS_CRASH_SEED to replay one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from booth_pos.domain.cart import CartLine
from booth_pos.domain.pricing import RoundDown, TenderIn, TenderMethod, cart_totals, line_amount
from booth_pos.domain.quantity import PricingUnit, format_kg
from booth_pos.services.booth import booth_info
from booth_pos.services.demo import DEMO_PRODUCTS
from booth_pos.services.ledger import Ledger
from booth_pos.services.maintenance import check_ledger
from booth_pos.services.sales import ring_up

ROUNDS = 52  # the issue asks for at least 50 kills
MIN_ROUNDS = 50
DEFAULT_SEED = 20240210
MAX_KILL_DELAY_S = 0.05  # after the first receipt; a child rings up a sale every few ms
CHILD_START_DEADLINE_S = 30.0  # imports and migrations on a slow CI runner
CHILD_EXIT_DEADLINE_S = 30.0

# Demo goods the child sells: weighed lotus root and mushrooms, counted honey jars.
SOLD_PLUS = ("101", "201", "601")
PRICES = {row.plu: (PricingUnit(row.unit), row.price_fen) for row in DEMO_PRODUCTS}


# --------------------------------------------------------------------------------------------
# The child: a till ringing up sales as fast as it can until it is killed.
# --------------------------------------------------------------------------------------------


def _random_line(rng: random.Random, plu: str) -> CartLine:
    unit, _ = PRICES[plu]
    if not unit.weighed:
        return CartLine.parse(plu, str(rng.randint(1, 3)))
    grams = rng.randrange(200, 2500, 5)
    text = rng.choice((f"{grams}g", f"{format_kg(grams)}kg", f"{grams / 500:g}jin"))
    return CartLine.parse(plu, text)


def _random_tenders(rng: random.Random, total_fen: int) -> list[TenderIn]:
    cash_note = 10_000  # pay cash with ¥100 notes, so there is change to give
    way = rng.choice(("cash", "mobile", "split"))
    if way == "cash":
        return [TenderIn(TenderMethod.CASH, (total_fen // cash_note + 1) * cash_note)]
    if way == "mobile":
        return [TenderIn(TenderMethod.MOBILE, total_fen)]
    mobile = total_fen // 2
    rest = total_fen - mobile
    return [TenderIn(TenderMethod.MOBILE, mobile), TenderIn(TenderMethod.CASH, rest + 50)]


def random_sale(
    rng: random.Random,
) -> tuple[list[CartLine], list[TenderIn], RoundDown, str | None]:
    """1-3 lines mixing weighed and counted goods, paid in cash, by phone or both."""
    cart = [_random_line(rng, rng.choice(SOLD_PLUS)) for _ in range(rng.randint(1, 3))]
    amounts = []
    for line in cart:
        unit, price_fen = PRICES[line.code]
        amounts.append(line_amount(unit, price_fen, line.quantity))
    round_down = rng.choice((RoundDown.NONE, RoundDown.NONE, RoundDown.JIAO, RoundDown.YUAN))
    total_fen = cart_totals(amounts, round_down).total_fen
    operator = rng.choice((None, "赵磊"))
    return cart, _random_tenders(rng, total_fen), round_down, operator


def child_main(data_dir: Path, seed: int) -> None:
    """Ring up sales forever; report each receipt number once its commit has returned."""
    rng = random.Random(seed)
    ledger = Ledger.open(data_dir)
    while True:
        cart, tenders, round_down, operator = random_sale(rng)
        view = ledger.write(ring_up, cart, tenders, operator=operator, round_down=round_down)
        sys.stdout.write(view.receipt_no + "\n")
        sys.stdout.flush()


# --------------------------------------------------------------------------------------------
# Running and killing the child.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Round:
    receipts: list[str]  # reported by the child, in order


def _child_command(data_dir: Path, seed: int) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), str(data_dir), str(seed)]


@contextlib.contextmanager
def _child(data_dir: Path, seed: int, stderr_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    with stderr_path.open("wb") as stderr:
        proc = subprocess.Popen(
            _child_command(data_dir, seed),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
            bufsize=0,
            cwd=data_dir.parent,
        )
    with proc:
        try:
            yield proc
        finally:
            if proc.poll() is None:  # only when the test itself failed half-way
                proc.kill()
            proc.wait(timeout=CHILD_EXIT_DEADLINE_S)


def _read_chunk(fd: int, deadline: float) -> bytes | None:
    """The next bytes from the pipe, b"" at end of file, None when the deadline passed."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return None
    ready, _, _ = select.select([fd], [], [], remaining)
    if not ready:
        return None
    return os.read(fd, 65536)


def run_and_kill(data_dir: Path, seed: int, kill_delay_s: float, stderr_path: Path) -> Round:
    """Start a till, let it report a first receipt, SIGKILL it a moment later."""
    with _child(data_dir, seed, stderr_path) as proc:
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        output = b""
        deadline = time.monotonic() + CHILD_START_DEADLINE_S
        while b"\n" not in output:
            chunk = _read_chunk(fd, deadline)
            if not chunk:
                proc.kill()
                proc.wait()
                why = "timed out" if chunk is None else f"exited with {proc.returncode}"
                raise AssertionError(
                    f"child {why} before its first receipt:\n{stderr_path.read_text()}"
                )
            output += chunk
        time.sleep(kill_delay_s)
        os.kill(proc.pid, signal.SIGKILL)
        returncode = proc.wait(timeout=CHILD_EXIT_DEADLINE_S)
        # Everything flushed before the kill is still in the pipe: those commits are reported too.
        deadline = time.monotonic() + CHILD_EXIT_DEADLINE_S
        while (chunk := _read_chunk(fd, deadline)) != b"":
            assert chunk is not None, "the dead child's pipe never reached end of file"
            output += chunk
    stderr = stderr_path.read_text()
    assert returncode == -signal.SIGKILL, f"child exited with {returncode} by itself:\n{stderr}"
    text = output.decode()
    # A line is reported only once its newline is out (a write this short is atomic anyway).
    complete, _, _unfinished = text.rpartition("\n")
    return Round(complete.split("\n") if complete else [])


# --------------------------------------------------------------------------------------------
# Auditing the ledger with plain sqlite3.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Audit:
    next_seq: int
    receipts_by_seq: dict[int, str]


def _rows(conn: sqlite3.Connection, sql: str) -> list[tuple[object, ...]]:
    return [tuple(row) for row in conn.execute(sql).fetchall()]


def _int(value: object) -> int:
    assert isinstance(value, int), value
    return value


def _group_count(conn: sqlite3.Connection, sql: str) -> dict[str, int]:
    return {str(key): _int(count) for key, count in _rows(conn, sql)}


def audit_with_sqlite(db_path: Path, booth_code: str) -> Audit:
    """Check the whole ledger with plain sqlite3; returns what the round checks need."""
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        assert _rows(conn, "PRAGMA integrity_check") == [("ok",)]
        assert _rows(conn, "PRAGMA foreign_key_check") == []

        devices = _rows(conn, "SELECT id, next_seq FROM devices")
        assert len(devices) == 1, devices
        device_id, next_seq_raw = devices[0]
        next_seq = _int(next_seq_raw)

        outbox = _rows(
            conn,
            "SELECT seq, doc_kind, doc_id, payload, sha256, device_id FROM outbox ORDER BY seq",
        )
        assert [r[0] for r in outbox] == list(range(1, next_seq)), "outbox seqs have a gap"
        # Sales, and the audit entry a round-down leaves (it takes its own document number).
        assert {r[1] for r in outbox} <= {"sale", "audit"}, "only sales were made"
        assert {r[5] for r in outbox} <= {device_id}
        outbox_by_doc = {str(r[2]): r for r in outbox}
        assert len(outbox_by_doc) == len(outbox), "one outbox entry per document"

        sales = _rows(
            conn,
            "SELECT id, seq, receipt_no, subtotal_fen, round_down_fen, total_fen, paid_fen,"
            " change_fen, device_id FROM sales ORDER BY seq",
        )
        audit_seqs = [_int(r[0]) for r in outbox if r[1] == "audit"]
        numbered = sorted([_int(r[1]) for r in sales] + audit_seqs)
        assert numbered == list(range(1, next_seq)), "document numbers have a gap"
        rounded = [r for r in sales if _int(r[4]) > 0]
        assert len(audit_seqs) == len(rounded), "one audit entry per round-down, no other"
        audit_docs = {str(r[0]) for r in _rows(conn, "SELECT doc_id FROM audit_log")}
        assert audit_docs == {str(r[2]) for r in outbox if r[1] == "audit"}
        sale_ids = {str(r[0]) for r in sales}

        line_sums = _group_count(
            conn, "SELECT sale_id, sum(amount_fen) FROM sale_lines GROUP BY sale_id"
        )
        line_counts = _group_count(
            conn, "SELECT sale_id, count(*) FROM sale_lines GROUP BY sale_id"
        )
        tender_counts = _group_count(conn, "SELECT sale_id, count(*) FROM tenders GROUP BY sale_id")
        tender_paid = _group_count(
            conn, "SELECT sale_id, sum(amount_fen) FROM tenders GROUP BY sale_id"
        )
        tender_change = _group_count(
            conn, "SELECT sale_id, sum(change_fen) FROM tenders GROUP BY sale_id"
        )
        sold = Counter(
            (str(sale_id), _int(product), _int(qty))
            for sale_id, product, qty in _rows(
                conn, "SELECT sale_id, product_id, quantity FROM sale_lines"
            )
        )
        moved = Counter(
            (str(sale_id), _int(product), -_int(qty))
            for sale_id, product, qty in _rows(
                conn, "SELECT sale_id, product_id, quantity FROM stock_movements WHERE kind='sale'"
            )
        )
        assert moved == sold, "one 'sale' stock movement per sale line, for its goods"
        print_jobs = Counter(
            str(doc_id)
            for (doc_id,) in _rows(conn, "SELECT doc_id FROM print_jobs WHERE doc_kind = 'sale'")
        )
        other_jobs = _rows(conn, "SELECT count(*) FROM print_jobs WHERE doc_kind != 'sale'")
        assert other_jobs == [(0,)], "only sales were made, so only sale receipts are printed"

        # Nothing hangs off a sale that is not there (a partial sale seen from its children).
        for table in ("sale_lines", "tenders", "stock_movements"):
            orphans = _rows(
                conn, f"SELECT count(*) FROM {table} WHERE sale_id NOT IN (SELECT id FROM sales)"
            )
            assert orphans == [(0,)], f"{table} rows without their sale"
        assert set(print_jobs) <= sale_ids, "print jobs without their sale"
        assert set(outbox_by_doc) <= sale_ids | audit_docs, "outbox entries without their sale"

        receipts_by_seq: dict[int, str] = {}
        next_receipt = _int(_rows(conn, "SELECT next_receipt FROM devices")[0][0])
        assert next_receipt == len(sales) + 1, "receipt numbers count the sales, no gaps"
        for number, row in enumerate(sales, start=1):
            sid, seq, receipt, subtotal, round_down, total, paid, change, dev = row
            sale_id, seq_no, receipt_no = str(sid), _int(seq), str(receipt)
            where = f"{receipt_no} ({sale_id})"
            assert dev == device_id, where
            assert receipt_no == f"{booth_code}-{number:06d}", f"{where}: receipt numbers skip"
            assert line_counts.get(sale_id, 0) >= 1, f"{where}: no lines"
            assert tender_counts.get(sale_id, 0) >= 1, f"{where}: no tenders"
            assert line_sums[sale_id] == subtotal, f"{where}: lines do not add up"
            assert total == _int(subtotal) - _int(round_down), where
            assert tender_paid[sale_id] == paid, f"{where}: tenders do not add up"
            assert tender_change[sale_id] == change, f"{where}: change does not add up"
            assert print_jobs[sale_id] == 1, f"{where}: {print_jobs[sale_id]} print jobs"
            entry = outbox_by_doc.get(sale_id)
            assert entry is not None, f"{where}: no outbox entry"
            entry_seq, kind, _, payload, sha256, _ = entry
            assert (entry_seq, kind) == (seq_no, "sale"), where
            assert hashlib.sha256(str(payload).encode()).hexdigest() == sha256, where
            body = json.loads(str(payload))
            assert (body["receipt_no"], body["seq"], body["sale_id"]) == (receipt, seq, sid)
            assert body["total_fen"] == total, where
            assert len(body["lines"]) == line_counts[sale_id], where
            receipts_by_seq[seq_no] = receipt_no
    return Audit(next_seq, receipts_by_seq)


def audit_with_app(data_dir: Path, audit: Audit) -> None:
    """The app opens the ledger again and its own check agrees."""
    ledger = Ledger.open(data_dir)
    try:
        report = ledger.read(check_ledger)
    finally:
        ledger.close()
    assert report.integrity == "ok"
    assert report.problems == []
    assert report.ok
    assert report.last_seq == audit.next_seq - 1
    assert report.sales == len(audit.receipts_by_seq)


# --------------------------------------------------------------------------------------------
# The test.
# --------------------------------------------------------------------------------------------


def test_sigkill_while_selling_loses_no_reported_sale_and_leaves_no_partial_one(
    ledger: Ledger, tmp_path: Path
) -> None:
    seed = int(os.environ.get("BOOTH_POS_CRASH_SEED", DEFAULT_SEED))
    print(f"crash-safety seed: {seed} (replay with BOOTH_POS_CRASH_SEED={seed})")
    rng = random.Random(seed)
    data_dir = ledger.data_dir
    booth_code = ledger.read(booth_info).code
    ledger.close()  # only the children touch the ledger while they run
    stderr_path = tmp_path / "child-stderr.txt"

    reported: list[str] = []
    unreported = 0
    last_seq = 0
    sales = 0
    rounds = 0
    for round_no in range(1, ROUNDS + 1):
        kill_delay_s = rng.uniform(0, MAX_KILL_DELAY_S)
        result = run_and_kill(data_dir, rng.getrandbits(32), kill_delay_s, stderr_path)
        context = f"seed {seed}, round {round_no}, kill after {kill_delay_s:.4f}s"
        rounds += 1
        assert result.receipts, context

        try:
            audit = audit_with_sqlite(ledger.db_path, booth_code)
            audit_with_app(data_dir, audit)
        except AssertionError as exc:
            exc.add_note(context)
            raise

        # Every receipt the child reported is there, in order, continuing the sequence.
        new_receipts = [
            audit.receipts_by_seq[seq]
            for seq in range(last_seq + 1, audit.next_seq)
            if seq in audit.receipts_by_seq  # the others are round-downs' audit entries
        ]
        assert result.receipts == new_receipts[: len(result.receipts)], context
        assert set(reported).isdisjoint(result.receipts), context
        # At most the sale in flight at the kill was committed without being reported.
        missed = len(new_receipts) - len(result.receipts)
        assert missed in (0, 1), f"{context}: {missed} sales committed but not reported"
        assert set(reported + result.receipts) <= set(audit.receipts_by_seq.values()), context

        reported += result.receipts
        unreported += missed
        last_seq = audit.next_seq - 1
        sales = len(audit.receipts_by_seq)

    print(f"{rounds} kills, {len(reported)} receipts reported, {unreported} sales unreported")
    assert rounds >= MIN_ROUNDS
    assert sales >= len(reported)
    assert sales == len(reported) + unreported
    assert last_seq >= sales  # round-downs' audit entries take numbers too


if __name__ == "__main__":  # the child till, started by the test above
    child_main(Path(sys.argv[1]), int(sys.argv[2]))
