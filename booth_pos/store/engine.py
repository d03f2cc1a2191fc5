"""Engine set-up: SQLite in WAL mode, synchronous=FULL, foreign keys, busy timeout.

Write transactions start with BEGIN IMMEDIATE so two writers queue on the busy
timeout instead of failing half-way with "database is locked" on upgrade.
Read-only work can ask for a plain deferred BEGIN through `reader()`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError

if TYPE_CHECKING:
    from alembic.config import Config

BUSY_TIMEOUT_MS = 10_000
DB_FILENAME = "booth.sqlite"
_MIGRATIONS = Path(__file__).with_name("migrations")


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event decide how transactions start.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _on_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
    conn.exec_driver_sql(f"BEGIN {mode}")


def create_sqlite_engine(path: Path) -> Engine:
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def reader(engine: Engine) -> Engine:
    """The same pool, but transactions begin DEFERRED: readers never wait on a writer in WAL."""
    return engine.execution_options(sqlite_begin="DEFERRED")


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The newest migration, read from the file names (NNNN_what.py, a straight chain).

    Reading names instead of loading Alembic keeps a normal start-up fast; a test checks
    that this agrees with Alembic's own idea of the head.
    """
    return max(p.name.split("_", 1)[0] for p in (_MIGRATIONS / "versions").glob("[0-9]*_*.py"))


def current_revision(engine: Engine) -> str | None:
    try:
        with reader(engine).connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except OperationalError:  # a new file: no alembic_version table yet
        return None


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; a no-op when it is already there.

    The check reads without taking the write lock, so opening the ledger never waits
    for (or blocks) a till that is in the middle of a sale.
    """
    if current_revision(engine) == head_revision():
        return
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def open_database(path: Path) -> Engine:
    engine = create_sqlite_engine(path)
    migrate(engine)
    return engine
