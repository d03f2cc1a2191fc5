"""Qt faces for the background workers: their thread callbacks become queued signals."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QObject, Signal

from booth_pos.services import printing, sync_client
from booth_pos.services.ledger import Ledger


class PrintBridge(QObject):
    """Owns the print worker. Signals arrive on the GUI thread; nothing here ever waits."""

    job_changed = Signal(object)  # printing.PrintJobView
    printer_changed = Signal(object)  # printing.PrinterState
    task_done = Signal(object, object, object)  # callback, result, error

    def __init__(self, ledger: Ledger, parent: QObject | None = None, **worker_args: Any) -> None:
        super().__init__(parent)
        self.worker = printing.PrintWorker(
            ledger,
            on_job=self.job_changed.emit,
            on_printer=self.printer_changed.emit,
            **worker_args,
        )
        self.task_done.connect(self._deliver)

    @property
    def state(self) -> printing.PrinterState:
        return self.worker.state

    def start(self) -> None:
        self.worker.start()

    def wake(self) -> None:
        self.worker.wake()

    def retry_now(self) -> None:
        self.worker.retry_now()

    def close(self) -> None:
        self.worker.close()

    def test_page(self, config: printing.PrinterConfig, on_done: Any) -> None:
        """Print the test page on the worker's thread; `on_done(report, error)` on ours."""
        self._relay(self.worker.request_test_page(config), on_done)

    def check_status(self, on_done: Any) -> None:
        self._relay(self.worker.request_status(), on_done)

    def _relay(self, future: Future[Any], on_done: Any) -> None:
        def report(f: Future[Any]) -> None:
            error = f.exception()
            self.task_done.emit(on_done, None if error else f.result(), error)

        future.add_done_callback(report)

    def _deliver(self, on_done: Any, result: Any, error: BaseException | None) -> None:
        on_done(result, error)


class SyncBridge(QObject):
    """Owns the county sync worker; its reports arrive on the GUI thread as signals."""

    status_changed = Signal(object)  # sync_client.SyncStatus
    catalog_changed = Signal(int)  # a new catalogue version was applied

    def __init__(self, ledger: Ledger, parent: QObject | None = None, **worker_args: Any) -> None:
        super().__init__(parent)
        self._closed = False
        self.last_status: sync_client.SyncStatus | None = None
        self.status_changed.connect(self._remember)
        self.worker = sync_client.SyncWorker(
            ledger,
            on_status=self._status_from_worker,
            on_catalog=self._catalog_from_worker,
            **worker_args,
        )

    # The worker's thread may outlive this object by one request: after close it says nothing.
    def _status_from_worker(self, status: sync_client.SyncStatus) -> None:
        if not self._closed:
            self.status_changed.emit(status)

    def _catalog_from_worker(self, version: int) -> None:
        if not self._closed:
            self.catalog_changed.emit(version)

    def _remember(self, status: sync_client.SyncStatus) -> None:
        self.last_status = status

    @property
    def running(self) -> bool:
        return self.worker.running

    def start(self) -> None:
        self.worker.start()

    def kick(self) -> None:
        """Upload soon (after a sale); the back-off still holds."""
        self.worker.kick()

    def sync_now(self) -> None:
        """The operator asked: try the county now, whatever the back-off says."""
        self.worker.kick(force=True)

    def close(self, timeout: float = 3.0) -> bool:
        self._closed = True
        return self.worker.stop(timeout)
