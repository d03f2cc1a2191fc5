"""Engines for the county database, and its migrations (``sync/migrations``, its own Alembic).

SQLite (the default, a file in the server's data folder) runs in WAL mode with synchronous=FULL,
foreign keys on, a busy timeout, and write transactions that start with BEGIN IMMEDIATE, so
several worker processes queue instead of failing half-way. PostgreSQL runs READ COMMITTED;
concurrent batches meet on the unique keys (INSERT ... ON CONFLICT DO NOTHING), never on
application locks.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

ENV_DB = "COUNTY_SERVER_DB"
ENV_DATA_DIR = "COUNTY_SERVER_DATA_DIR"
# Request limits for `serve` (read by every worker process).
ENV_MAX_ITEMS = "COUNTY_SERVER_MAX_BATCH_ITEMS"
ENV_MAX_COMPRESSED = "COUNTY_SERVER_MAX_COMPRESSED_BYTES"
ENV_MAX_BODY = "COUNTY_SERVER_MAX_BODY_BYTES"
DB_FILENAME = "county.sqlite"
BUSY_TIMEOUT_MS = 30_000
_MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir wins, then $COUNTY_SERVER_DATA_DIR, then the platform's user data folder."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(ENV_DATA_DIR)
    if from_env:
        return Path(from_env).expanduser()
    return Path(user_data_dir("county-server", appauthor=False))


def database_url(db: str | None = None, folder: str | os.PathLike[str] | None = None) -> str:
    """--db wins, then $COUNTY_SERVER_DB, then SQLite in the data folder."""
    chosen = db or os.environ.get(ENV_DB)
    if chosen:
        return chosen
    path = data_dir(folder) / DB_FILENAME
    return f"sqlite:///{path}"


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)
    raise ValueError(
        f"unsupported database: {parsed.get_backend_name()} (use SQLite or PostgreSQL)"
    )


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the county schema to the newest revision (a no-op when it is there)."""
    cfg = alembic_config()
    head = ScriptDirectory.from_config(cfg).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return
    with engine.begin() as conn:
        if not is_sqlite(engine):
            # Two servers starting at once against one PostgreSQL migrate one after the other.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(4711001)")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def open_database(url: str) -> Engine:
    engine = make_engine(url)
    migrate(engine)
    return engine
