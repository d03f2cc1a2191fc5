"""The integrity check finds damage; the backup is a faithful copy even mid-write."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from booth_pos.domain.cart import CartLine
from booth_pos.domain.pricing import TenderIn, TenderMethod
from booth_pos.services import maintenance, sales
from booth_pos.services.ledger import Ledger


def _sell(ledger: Ledger) -> None:
    ledger.write(sales.ring_up, [CartLine.parse("301", "2")], [TenderIn(TenderMethod.CASH, 8000)])


def test_a_healthy_ledger_checks_ok(ledger: Ledger) -> None:
    for _ in range(3):
        _sell(ledger)
    report = ledger.read(maintenance.check_ledger)
    assert report.ok, report.problems
    assert (report.integrity, report.sales, report.last_seq) == ("ok", 3, 3)


def test_the_check_notices_a_sale_tampered_with_outside_the_app(ledger: Ledger) -> None:
    _sell(ledger)
    _sell(ledger)
    with sqlite3.connect(ledger.db_path) as conn:
        conn.execute("UPDATE sale_lines SET amount_fen = amount_fen + 100 WHERE id = 1")
        conn.execute("DELETE FROM print_jobs WHERE id = 2")
    report = ledger.read(maintenance.check_ledger)
    assert not report.ok
    assert any("LX01-000001: lines do not add up" in p for p in report.problems)
    assert any("LX01-000002: print job missing" in p for p in report.problems)


def test_backup_while_another_writer_holds_the_database(ledger: Ledger, tmp_path: Path) -> None:
    _sell(ledger)
    writer = sqlite3.connect(ledger.db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE devices SET next_seq = next_seq")  # holds the write lock
    try:
        copy = maintenance.backup(ledger.db_path, tmp_path / "usb", "LX01")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT receipt_no FROM sales").fetchall() == [("LX01-000001",)]
    assert copy.name.startswith("LX01-")
    assert not list((tmp_path / "usb").glob("*.partial"))


def test_backups_started_at_the_same_moment_each_give_a_whole_copy(
    ledger: Ledger, tmp_path: Path
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    target = tmp_path / "stick"
    with ThreadPoolExecutor(4) as pool:
        paths = list(
            pool.map(lambda _i: maintenance.backup(ledger.db_path, target, "LX01"), range(4))
        )
    assert len(set(paths)) == 4
    assert sorted(p.name for p in target.iterdir()) == sorted(p.name for p in paths)
