"""The ledger file is set up for durability before any sale touches it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from booth_pos.services.ledger import Ledger
from booth_pos.store.models import Base


def test_pragmas_give_wal_full_sync_foreign_keys_and_a_busy_timeout(
    empty_ledger: Ledger,
) -> None:
    with empty_ledger.engine.connect() as conn:
        values = {
            name: conn.execute(text(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert values == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 10_000,
    }


def test_migrations_run_at_start_and_match_the_models(empty_ledger: Ledger) -> None:
    with empty_ledger.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_reopening_an_existing_ledger_keeps_its_data(tmp_path: Path) -> None:
    first = Ledger.open(tmp_path)
    with first.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO households (code, name, village, town, kind) "
                "VALUES ('H1', '李桂兰', '', '', 'family_farm')"
            )
        )
    first.close()
    second = Ledger.open(tmp_path)
    second.close()
    with sqlite3.connect(tmp_path / "booth.sqlite") as conn:
        assert conn.execute("SELECT name FROM households").fetchall() == [("李桂兰",)]
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)


def test_the_database_refuses_a_sale_line_for_a_missing_sale(empty_ledger: Ledger) -> None:
    with sqlite3.connect(empty_ledger.db_path) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        try:
            conn.execute(
                "INSERT INTO tenders (sale_id, method, amount_fen, change_fen) "
                "VALUES ('nope', 'cash', 100, 0)"
            )
        except sqlite3.IntegrityError as exc:
            assert "FOREIGN KEY" in str(exc)
        else:  # pragma: no cover - the assertion below explains the failure
            raise AssertionError("a tender without its sale was accepted")


def test_the_quick_head_check_agrees_with_alembic() -> None:
    from alembic.script import ScriptDirectory

    from booth_pos.store.engine import alembic_config, head_revision

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()
