"""The unit-of-work runner: one session, one transaction, all or nothing, per user action."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from booth_pos.store.engine import DB_FILENAME, open_database, reader

P = ParamSpec("P")
T = TypeVar("T")


class Ledger:
    """Runs service functions. Services never open sessions or commit themselves."""

    def __init__(self, engine: Engine, data_dir: Path) -> None:
        self.engine = engine
        self.data_dir = data_dir
        self._reader = reader(engine)

    @classmethod
    def open(cls, data_dir: Path) -> Ledger:
        """Open (creating and migrating if needed) the ledger in `data_dir`."""
        return cls(open_database(data_dir / DB_FILENAME), data_dir)

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_FILENAME

    def write(
        self, action: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run `action` in one write transaction; any exception rolls everything back.

        If the exception has an `after_rollback` attribute (a callable taking a session; auth
        sets one on a wrong PIN), it runs in a fresh write transaction after the rollback, so
        the refusal leaves its trace (an audit entry) while the refused action leaves nothing;
        then the exception is raised again.
        """
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                return action(session, *args, **kwargs)
        except Exception as exc:
            self._after_rollback(exc)
            raise

    def _after_rollback(self, exc: BaseException) -> None:
        hook = getattr(exc, "after_rollback", None)
        if callable(hook):
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                hook(session)

    def read(
        self, action: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run a read-only `action`; it never waits for a writer (WAL) and never commits.

        An exception's `after_rollback` (see `write`) still runs, in its own write transaction:
        a wrong PIN checked through `read` (the log-in screen) is audited too.
        """
        try:
            with Session(self._reader) as session, session.begin():
                result = action(session, *args, **kwargs)
                session.rollback()
                return result
        except Exception as exc:
            self._after_rollback(exc)
            raise

    def close(self) -> None:
        self.engine.dispose()
