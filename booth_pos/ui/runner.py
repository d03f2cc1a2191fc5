"""The one way the UI touches the ledger: service calls on a worker thread, results by signal.

The GUI thread never waits on the disk. Writes run one at a time on a single worker, in the
order the operator made them; their results come back to the GUI thread as queued signals.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from booth_pos.domain.errors import BadInput
from booth_pos.services.ledger import Ledger
from booth_pos.ui import i18n

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[str], None]


class _Bridge(QObject):
    finished = Signal(object, object, object, object)  # on_done, on_error, result, error


class OperationRunner(QObject):
    """Runs `Ledger.write` / `Ledger.read` off the GUI thread and reports on it."""

    busy_changed = Signal(bool)
    failed = Signal(str)  # every error message, for a status line or a test

    def __init__(self, ledger: Ledger, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ledger")
        self._bridge = _Bridge()
        self._bridge.finished.connect(self._deliver)
        self._pending = 0
        self._closed = False

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def write(
        self,
        action: Callable[..., Any],
        *args: Any,
        on_done: Done | None = None,
        on_error: Failed | None = None,
    ) -> None:
        self._submit(self.ledger.write, action, args, on_done, on_error)

    def read(
        self,
        action: Callable[..., Any],
        *args: Any,
        on_done: Done | None = None,
        on_error: Failed | None = None,
    ) -> None:
        self._submit(self.ledger.read, action, args, on_done, on_error)

    def call(
        self,
        function: Callable[..., Any],
        *args: Any,
        on_done: Done | None = None,
        on_error: Failed | None = None,
    ) -> None:
        """Run a service that manages its own units of work (it talks to the network, say)."""
        self._submit(_plain, function, args, on_done, on_error)

    def _submit(
        self,
        runner: Callable[..., Any],
        action: Callable[..., Any],
        args: tuple[Any, ...],
        on_done: Done | None,
        on_error: Failed | None,
    ) -> None:
        if self._closed:
            return  # the app is closing; a late timer must not start new work
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        future = self._pool.submit(runner, action, *args)

        def report(f: Future[Any]) -> None:
            error = f.exception()
            result = None if error is not None else f.result()
            self._bridge.finished.emit(on_done, on_error, result, error)

        future.add_done_callback(report)

    def _deliver(
        self,
        on_done: Done | None,
        on_error: Failed | None,
        result: Any,
        error: BaseException | None,
    ) -> None:
        self._pending -= 1
        if self._closed:
            return  # the screens that asked are gone
        try:
            if error is None:
                if on_done is not None:
                    on_done(result)
                return
            message = describe(error)
            if not isinstance(error, BadInput):
                log.error(
                    "ledger operation failed:\n%s", "".join(traceback.format_exception(error))
                )
            self.failed.emit(message)
            if on_error is not None:
                on_error(message)
        finally:
            if self._pending == 0:
                self.busy_changed.emit(False)

    def shutdown(self) -> None:
        """Finish what was asked (a sale in flight is still committed), then report nothing."""
        self._closed = True
        self._pool.shutdown(wait=True)


def _plain(function: Callable[..., Any], *args: Any) -> Any:
    return function(*args)


def describe(error: BaseException) -> str:
    """An operator-facing sentence for any failure; never a traceback."""
    if isinstance(error, BadInput):
        return error.message(i18n.current_language())
    return QCoreApplication.translate(
        "OperationRunner", "This could not be done ({0}). Nothing was changed; please try again."
    ).format(type(error).__name__)
