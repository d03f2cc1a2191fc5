"""Small helpers shared by tests."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

LEDGER_TABLES = (
    "sales",
    "sale_lines",
    "tenders",
    "stock_movements",
    "print_jobs",
    "outbox",
    "voids",
    "refunds",
    "refund_lines",
    "products",
    "households",
    "operators",
    "devices",
)


def row_counts(db_path: Path) -> dict[str, int]:
    """Rows per ledger table, read with plain sqlite3 so the app's own code is not the judge."""
    with closing(sqlite3.connect(db_path)) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in LEDGER_TABLES}


def copy_database(source: Path, target: Path) -> None:
    """A complete copy of the SQLite database `source` (committed work in its WAL included),
    written through SQLite's backup API; `target` must not exist yet."""
    if target.exists():
        raise FileExistsError(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(source)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


def set_till_identity(
    db_path: Path, device_id: str, receipt_key: str, created_at: dt.datetime
) -> None:
    """Give the (only) till in a copied ledger a new device id and receipt key, and stamp it
    and its booth with `created_at`, as booth.init_booth does for a new till."""
    stamp = created_at.strftime("%Y-%m-%d %H:%M:%S.%f")  # as SQLAlchemy stores a DateTime
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("PRAGMA foreign_keys = ON")  # a document of the old id would refuse
        conn.execute(
            "UPDATE devices SET id = ?, receipt_key = ?, created_at = ?",
            (device_id, receipt_key, stamp),
        )
        conn.execute("UPDATE booths SET created_at = ?", (stamp,))
