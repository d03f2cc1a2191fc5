"""Small helpers shared by tests."""

from __future__ import annotations

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
