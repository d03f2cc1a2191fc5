"""Shared fixtures: every test gets its own real SQLite ledger file in a temporary folder.

Migrating a ledger and loading the demo take a good part of a second, so both are done once
per session (`ledger_templates`); each test gets its own copy of the database file, made with
SQLite's backup API, and opens it with `Ledger.open` (a current schema skips Alembic). The
copy gets a till identity (device id, receipt key) of its own, as `init_booth` would give it.

Every test must also end the threads it started (`no_thread_left_behind`), and leaves the
process's logging as it found it (`logging_as_found`).
"""

from __future__ import annotations

import logging
import os
import secrets
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy.orm import Session

from booth_pos import logs
from booth_pos.services import booth, demo
from booth_pos.services.ledger import Ledger
from booth_pos.store.engine import DB_FILENAME
from tests.helpers import copy_database, set_till_identity

COORDINATOR_PIN = "8888"  # demo coordinator 张敏
OPERATOR_PIN = "1111"  # demo operator 李娜

THREAD_GRACE_S = 2.0


def _setup_demo(session: Session) -> None:
    booth.init_booth(session, "LX01", "后湖莲藕摊", "莲花镇")
    demo.load_demo(session)


@dataclass(frozen=True)
class LedgerTemplates:
    """Database files made once per session; tests only ever read them (to copy)."""

    empty: Path  # migrated, no booth
    demo: Path  # migrated, the demo booth LX01 with its catalogue and people


@pytest.fixture(scope="session")
def ledger_templates(tmp_path_factory: pytest.TempPathFactory) -> LedgerTemplates:
    folder = tmp_path_factory.mktemp("ledger-templates")
    empty = Ledger.open(folder / "empty")
    empty.close()
    demo_ledger = Ledger.open(folder / "demo")
    try:
        demo_ledger.write(_setup_demo)
    finally:
        demo_ledger.close()
    return LedgerTemplates(empty.db_path, demo_ledger.db_path)


def _open_copy(template: Path, data_dir: Path) -> Ledger:
    copy_database(template, data_dir / DB_FILENAME)
    return Ledger.open(data_dir)


@pytest.fixture
def empty_ledger(ledger_templates: LedgerTemplates, tmp_path: Path) -> Iterator[Ledger]:
    """A migrated ledger with no booth set up yet."""
    ledger = _open_copy(ledger_templates.empty, tmp_path / "data")
    yield ledger
    ledger.close()


@pytest.fixture
def ledger(ledger_templates: LedgerTemplates, tmp_path: Path) -> Iterator[Ledger]:
    """The demo booth LX01 with the demo catalogue and people."""
    folder = tmp_path / "data"
    copy_database(ledger_templates.demo, folder / DB_FILENAME)
    # This till's own identity, stamped by the clock now in force (a test's clock fixture, if
    # set up first), as init_booth does: two tests' booths are never the same till.
    created, _ = booth.now_utc()
    set_till_identity(folder / DB_FILENAME, str(uuid.uuid4()), secrets.token_hex(32), created)
    ledger = Ledger.open(folder)
    yield ledger
    ledger.close()


# --- process-wide state ------------------------------------------------------------------


@pytest.fixture(autouse=True)
def logging_as_found() -> Iterator[None]:
    """After each test: the booth's log closed (booth_pos.logs), the root logger's level and
    the exception hooks as before. `main()` sets these up and shuts them down itself; this
    covers a test that stops half-way, or sets up logging without shutting it down, so the
    next test neither writes into this one's folder nor inherits its hooks."""
    root = logging.getLogger()
    level = root.level
    hooks = sys.excepthook, threading.excepthook
    yield
    logs.shutdown_logging()
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks


# --- threads --------------------------------------------------------------------------------


def _unjoinable(thread: threading.Thread) -> bool:
    # A thread Python did not start (a Qt thread that ran Python code) stays in
    # threading.enumerate() as "alive" for ever and cannot be joined.
    return isinstance(thread, threading._DummyThread)


@pytest.fixture(autouse=True)
def no_thread_left_behind() -> Iterator[None]:
    """Fail the test if a thread it started is still alive after its fixtures are torn down.

    A thread left running (a print or sync worker, a server) goes on touching a ledger or a
    port of a finished test, and one still alive at interpreter exit can crash it. Autouse,
    so it is set up first and torn down last: the test's own fixtures have stopped theirs.
    """
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + THREAD_GRACE_S
    while True:
        left = [
            t
            for t in threading.enumerate()
            if t not in before and t.is_alive() and not _unjoinable(t)
        ]
        remaining = deadline - time.monotonic()
        if not left or remaining <= 0:
            break
        left[0].join(min(remaining, 0.1))
    if left:
        names = ", ".join(sorted(f"{t.name}{' (daemon)' if t.daemon else ''}" for t in left))
        pytest.fail(f"threads left running by this test: {names}", pytrace=False)
