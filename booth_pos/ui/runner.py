"""The one way the UI touches the ledger and slow I/O: work off the GUI thread, results by signal.

Two lanes. The ledger lane runs `Ledger.write` / `Ledger.read` one at a time, in the order the
operator made them; nothing else ever runs there, so a sale never waits behind the network, a
backup or a file. The I/O lane runs everything slow (enrolment, backups, exports, file reads,
receipt pictures) on threads of its own.

Each call names the widget that asked. Its result is delivered on the GUI thread only while that
widget lives and, for a dialog, until the dialog has finished: a late reply never reaches a
closed screen. After every write, and whenever a worker reports news, `changed` says which
areas of the ledger changed, and screens refresh from that one signal.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from enum import StrEnum
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QDialog
from sqlalchemy.orm import Session

from booth_pos.domain.errors import BadInput
from booth_pos.services.ledger import Ledger
from booth_pos.ui import i18n

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

IO_THREADS = 3  # an enrolment stuck on a dead link must not hold up an export


class Change(StrEnum):
    """What a screen may need to read again."""

    SALES = "sales"
    STOCK = "stock"
    CATALOG = "catalog"
    SETTINGS = "settings"
    PEOPLE = "people"
    SHIFT = "shift"
    SYNC = "sync"
    PRINT = "print"
    BOOTH = "booth"
    OUTBOX = "outbox"  # documents were queued for the county


ALL_CHANGES = frozenset(Change)

# A write's module says what it can touch; unknown modules count as touching everything.
# OUTBOX: the write may have queued a document for the county (a sale, a shift, an audit
# entry...), so the uploader should look now rather than at its next idle pass.
_CHANGES_BY_MODULE: dict[str, frozenset[Change]] = {
    "sales": frozenset({Change.SALES, Change.STOCK, Change.OUTBOX, Change.PRINT, Change.SHIFT}),
    "stock": frozenset({Change.STOCK, Change.OUTBOX}),
    "shifts": frozenset({Change.SHIFT, Change.OUTBOX, Change.SALES}),
    "dayend": frozenset({Change.SHIFT, Change.SALES, Change.OUTBOX, Change.STOCK}),
    "catalog_edit": frozenset({Change.CATALOG, Change.STOCK, Change.OUTBOX}),
    "catalog": frozenset({Change.CATALOG, Change.STOCK}),
    "settings": frozenset({Change.SETTINGS, Change.OUTBOX}),
    "people": frozenset({Change.PEOPLE, Change.OUTBOX}),
    "printing": frozenset({Change.PRINT}),
    "sync_client": frozenset({Change.SYNC, Change.OUTBOX}),
}


def changes_of(
    action: Callable[..., Any], unknown: frozenset[Change] = ALL_CHANGES
) -> frozenset[Change]:
    module = getattr(action, "__module__", "") or ""
    return _CHANGES_BY_MODULE.get(module.rsplit(".", 1)[-1], unknown)


class Op(Generic[T]):
    """One piece of work in flight; say what to do with its result, on the GUI thread."""

    def __init__(self, owner: QObject, changes: frozenset[Change]) -> None:
        self.owner = owner
        self.changes = changes
        self.cancelled = False
        self._on_done: Callable[[T], object] | None = None
        self._on_error: Callable[[str], object] | None = None
        self._watch: Any = None
        if isinstance(owner, QDialog):
            # A dialog that has finished gets no more replies, even before Qt deletes it.
            self._watch = owner.finished.connect(self._cancel)

    def done(self, callback: Callable[[T], object]) -> Op[T]:
        self._on_done = callback
        return self

    def failed(self, callback: Callable[[str], object]) -> Op[T]:
        self._on_error = callback
        return self

    def _cancel(self, *_: object) -> None:
        self.cancelled = True

    @property
    def owner_alive(self) -> bool:
        return not self.cancelled and shiboken6.isValid(self.owner)

    def _unwatch(self) -> None:
        if self._watch is not None and shiboken6.isValid(self.owner):
            QObject.disconnect(self._watch)
        self._watch = None


class Coalesced(Generic[T]):
    """A refresh with at most one read in flight: asks made meanwhile cause one more read.

    A busy booth asks for the status after every sale; the answers would only queue up.
    """

    def __init__(self, start: Callable[[], Op[T]], show: Callable[[T], object]) -> None:
        self._start = start
        self._show = show
        self._busy = False
        self._again = False

    def __call__(self) -> None:
        if self._busy:
            self._again = True
            return
        self._busy = True
        self._start().done(self._done).failed(self._failed)

    def _done(self, result: T) -> None:
        self._busy = False
        self._show(result)
        self._next()

    def _failed(self, _message: str) -> None:
        self._busy = False
        self._next()

    def _next(self) -> None:
        if self._again:
            self._again = False
            self()


class _Bridge(QObject):
    finished = Signal(object, object, object)  # op, result, error


class OperationRunner(QObject):
    """Runs service calls off the GUI thread on two lanes and reports on them."""

    busy_changed = Signal(bool)
    failed = Signal(str)  # every error message, for a status line or a test
    changed = Signal(object)  # frozenset[Change]

    def __init__(self, ledger: Ledger, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self._ledger_lane = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ledger")
        self._io_lane = ThreadPoolExecutor(max_workers=IO_THREADS, thread_name_prefix="io")
        self._bridge = _Bridge()
        # Always queued, even when a lane finished before `done()` was attached (the caller
        # attaches its callbacks right after submitting, on this same thread).
        self._bridge.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._pending = 0
        self._ledger_pending = 0
        self._closed = False

    @property
    def busy(self) -> bool:
        """Anything in flight on either lane."""
        return self._pending > 0

    @property
    def ledger_busy(self) -> bool:
        return self._ledger_pending > 0

    # ---- the ledger lane ---------------------------------------------------------------
    def write(
        self,
        owner: QObject,
        action: Callable[Concatenate[Session, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> Op[T]:
        """`ledger.write(action, ...)` on the ledger lane; `changed` follows its success."""
        op: Op[T] = Op(owner, changes_of(action))
        self._submit(op, True, self.ledger.write, action, *args, **kwargs)
        return op

    def read(
        self,
        owner: QObject,
        action: Callable[Concatenate[Session, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> Op[T]:
        op: Op[T] = Op(owner, frozenset())
        self._submit(op, True, self.ledger.read, action, *args, **kwargs)
        return op

    # ---- the I/O lane ------------------------------------------------------------------
    def io(
        self,
        owner: QObject,
        function: Callable[P, T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> Op[T]:
        """Anything slow that manages its own units of work: network, backups, files."""
        # Slow calls mostly write files (exports, backups); those that write the ledger come from
        # the modules mapped above (enrolment, the day close) and say so.
        op: Op[T] = Op(owner, changes_of(function, unknown=frozenset()))
        self._submit(op, False, function, *args, **kwargs)
        return op

    def io_read(
        self,
        owner: QObject,
        action: Callable[Concatenate[Session, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> Op[T]:
        """A read that is slow for what it computes (a receipt picture): off the ledger lane.

        WAL lets it read while the ledger lane writes.
        """
        op: Op[T] = Op(owner, frozenset())
        self._submit(op, False, self.ledger.read, action, *args, **kwargs)
        return op

    def notify(self, changes: Iterable[Change]) -> None:
        """News from elsewhere (the sync or print worker): screens refresh as after a write.

        Never OUTBOX: that is what a write says, and what wakes the uploader."""
        if not self._closed:
            self.changed.emit(frozenset(changes) - {Change.OUTBOX})

    # ---- plumbing ----------------------------------------------------------------------
    def _submit(
        self,
        op: Op[Any],
        ledger_lane: bool,
        function: Callable[..., Any],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        if self._closed:
            op.cancelled = True
            op._unwatch()
            return  # the app is closing; a late timer must not start new work
        self._pending += 1
        if ledger_lane:
            self._ledger_pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        lane = self._ledger_lane if ledger_lane else self._io_lane
        future = lane.submit(function, *args, **kwargs)
        bridge = self._bridge

        def report(f: Future[Any]) -> None:
            error = f.exception()
            result = None if error is not None else f.result()
            bridge.finished.emit((op, ledger_lane), result, error)

        future.add_done_callback(report)

    def _deliver(
        self, tagged: tuple[Op[Any], bool], result: Any, error: BaseException | None
    ) -> None:
        op, ledger_lane = tagged
        self._pending -= 1
        if ledger_lane:
            self._ledger_pending -= 1
        try:
            if self._closed:
                return  # the screens that asked are gone
            alive = op.owner_alive
            op._unwatch()
            if error is None:
                if op.changes:
                    self.changed.emit(op.changes)
                if alive and op._on_done is not None:
                    op._on_done(result)
                return
            message = describe(error)
            if isinstance(error, BadInput):
                log.info("refused: %s", message)
            else:
                log.error("operation failed:\n%s", "".join(traceback.format_exception(error)))
            self.failed.emit(message)
            if alive and op._on_error is not None:
                op._on_error(message)
        finally:
            if self._pending == 0:
                self.busy_changed.emit(False)

    def shutdown(self, io_wait: bool = False) -> None:
        """Finish the ledger work asked for (a sale in flight is still committed); report nothing.

        The I/O lane is not waited for unless asked: an enrolment hanging on a dead link must
        not hold up quitting, and nothing there is a ledger write in progress.
        """
        if self._closed:
            return
        self._closed = True
        self._ledger_lane.shutdown(wait=True)
        self._io_lane.shutdown(wait=io_wait, cancel_futures=not io_wait)


def describe(error: BaseException) -> str:
    """An operator-facing sentence for any failure; never a traceback."""
    if isinstance(error, BadInput):
        return error.message(i18n.current_language())
    return QCoreApplication.translate(
        "OperationRunner", "This could not be done ({0}). Nothing was changed; please try again."
    ).format(type(error).__name__)
