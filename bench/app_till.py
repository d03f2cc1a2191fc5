"""The till as a booth runs it, driven like an operator, for the till benchmarks.

`prepare_booth` sets up a data folder the way a coordinator does (the demo booth, the receipt
printer saved in the settings with the coordinator's PIN, optionally enrolled with a county
server through `sync_client.enroll`). `AppTill` then starts the app with its own start-up,
`booth_pos.ui.app.launch` (log file, Qt message handler, GUI-thread garbage collector, fonts,
ledger, `TillApp.start`: the sync worker and the print worker start at once), logs in on the
login screen by tapping the operator's name, the PIN digits and "Log in", and sells through the
till's widgets.

Waiting is done in real Qt event loops (`QEventLoop.exec`), as in the running app, so posted
events, timers and deferred deletes are handled where the app's own loop would handle them.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from bench.ring_up import make_demo_ledger
from booth_pos import logs
from booth_pos.services import printing, settings, sync_client
from booth_pos.services.ledger import Ledger
from booth_pos.services.sales import SaleView
from booth_pos.ui.app import TillApp, launch, shut_down
from booth_pos.ui.people import LoginDialog
from booth_pos.ui.runner import Change
from booth_pos.ui.till import TillWindow
from booth_pos.ui.weight_dialog import WeightDialog

OPERATOR = "李娜"
OPERATOR_PIN = "1111"
COORDINATOR_PIN = "8888"  # 张敏, the demo coordinator
BOOTH_CODE, BOOTH_NAME, TOWN = "LX01", "后湖莲藕摊", "莲花镇"
COUNTED_PLU = "201"  # 槐花蜜 500g, ¥45.00 a jar
WEIGHED_PLU = "101"  # 莲藕, ¥3.50 a jin
WEIGHT_TYPED = "1.25"  # typed after F1 (kg) on the keypad: 2.5 jin, ¥8.75
SALE_TOTAL_FEN = 4500 + 875
PLAIN_CART: tuple[tuple[str, int, bool], ...] = ((COUNTED_PLU, 1, False), (WEIGHED_PLU, 1250, True))
TIMEOUT_S = 30.0


def prepare_booth(data_dir: Path, printer_uri: str, printer_profile: str = "generic") -> None:
    """The demo booth with its receipt printer saved in the settings (coordinator's PIN)."""
    ledger = make_demo_ledger(data_dir)
    try:
        chosen = ledger.read(settings.load_settings)
        wanted = dataclasses.replace(
            chosen, printer_uri=printer_uri, printer_profile=printer_profile
        )
        ledger.write(settings.save_settings, wanted, COORDINATOR_PIN)
    finally:
        ledger.close()


def enroll_booth(
    data_dir: Path,
    server_url: str,
    device_id: str,
    token: str,
    options: sync_client.SyncOptions | None = None,
) -> sync_client.EnrollResult:
    """`sync_client.enroll`, what ``booth-pos enroll`` and the Settings screen call."""
    ledger = Ledger.open(data_dir)
    try:
        return sync_client.enroll(ledger, server_url, device_id, token, options=options)
    finally:
        ledger.close()


def click(widget: QWidget) -> None:
    if not widget.isEnabled() or not widget.isVisible():
        raise RuntimeError(f"{widget!r} cannot be tapped now")
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def run_until(cond: Callable[[], bool], what: str, timeout_s: float = TIMEOUT_S) -> None:
    """Run a Qt event loop until `cond()` holds (looked at every 10 ms). Set-up only."""
    if cond():
        return
    deadline = time.monotonic() + timeout_s
    loop = QEventLoop()

    def check() -> None:
        if cond() or time.monotonic() > deadline:
            loop.quit()

    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(10)
    loop.exec()
    timer.stop()
    if not cond():
        raise TimeoutError(f"timed out waiting for {what}")


def run_for(ms: int) -> None:
    """Run a Qt event loop for `ms` milliseconds (0: one pass over what is waiting)."""
    loop = QEventLoop()
    QTimer.singleShot(max(0, ms), loop.quit)
    loop.exec()


@dataclass(frozen=True)
class Sample:
    """One timed sale, perf_counter_ns stamps."""

    receipt_no: str
    tap_ns: int  # the first tap of this sale (the honey)
    start_ns: int  # "Exact cash" tapped
    completed_ns: int  # sale_completed delivered (in the slot)
    signal_ns: int  # back from the event loop that delivered it
    painted_ns: int  # after one more event loop pass (repaint, deferred deletes)

    @property
    def to_signal_ns(self) -> int:
        return self.signal_ns - self.start_ns

    @property
    def to_painted_ns(self) -> int:
        return self.painted_ns - self.start_ns


@dataclass
class Background:
    """What the app's workers reported on the GUI thread, stamped on arrival."""

    printed_ns: dict[str, int] = field(default_factory=dict)  # receipt -> job done
    print_failed: list[str] = field(default_factory=list)
    sync_status: list[tuple[int, int, bool]] = field(default_factory=list)  # ns, unsynced, online
    failures: list[str] = field(default_factory=list)  # runner.failed messages


class AppTill:
    """The app started with `launch`, logged in, and a till to sell on."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.till_app: TillApp = launch(data_dir)
        self.background = Background()
        self.completed = 0
        self.completed_ns = 0
        self.grid_waits = 0  # taps that waited for a rebuilt product grid to show
        self.catalog_reloads = 0  # `changed` signals naming the catalogue
        self.last_view: SaleView | None = None
        self._sale_loop: QEventLoop | None = None
        self._till: TillWindow | None = None
        self.till_app.printer.job_changed.connect(self._job_changed)
        self.till_app.sync.status_changed.connect(self._sync_changed)
        self.till_app.runner.failed.connect(self._failed)
        self.till_app.runner.changed.connect(self._changed)

    # -- start-up -----------------------------------------------------------------------------

    def log_in(self, name: str = OPERATOR, pin: str = OPERATOR_PIN) -> TillWindow:
        """Tap the name, the PIN's digits and "Log in" on the login screen."""
        dialog = self.till_app.dialog
        if not isinstance(dialog, LoginDialog):
            raise RuntimeError(f"the app did not start at the login screen: {dialog!r}")
        run_until(
            lambda: name in dialog.operator_buttons and dialog.operator_buttons[name].isVisible(),
            "the names on the login screen",
        )
        click(dialog.operator_buttons[name])
        for digit in pin:
            click(dialog.pin_entry.digit_buttons[digit])
        click(dialog.login_button)
        run_until(
            lambda: (
                self.till_app.till is not None and COUNTED_PLU in self.till_app.till.product_buttons
            ),
            "the till and its catalogue",
        )
        till = self.till_app.till
        assert till is not None
        till.sale_completed.connect(self._completed)
        self._till = till
        run_until(lambda: not self.till_app.runner.busy, "the till's first reads")
        return till

    @property
    def till(self) -> TillWindow:
        if self._till is None:
            raise RuntimeError("not logged in")
        return self._till

    # -- the workers' news --------------------------------------------------------------------

    def _job_changed(self, job: printing.PrintJobView) -> None:
        if job.state == printing.DONE and not job.reprint:
            self.background.printed_ns.setdefault(job.receipt_no, time.perf_counter_ns())
        elif job.state == printing.FAILED:
            self.background.print_failed.append(f"{job.receipt_no}: {job.error_code}")

    def _sync_changed(self, state: sync_client.SyncStatus) -> None:
        self.background.sync_status.append((time.perf_counter_ns(), state.unsynced, state.online))

    def _changed(self, changes: frozenset[Change]) -> None:
        # A change that includes the catalogue makes the till reload it and rebuild its grid.
        self.catalog_reloads += Change.CATALOG in changes

    def _failed(self, message: str) -> None:
        self.background.failures.append(message)

    def _completed(self, view: SaleView) -> None:
        self.completed += 1
        self.completed_ns = time.perf_counter_ns()
        self.last_view = view
        if self._sale_loop is not None:
            self._sale_loop.quit()

    # -- selling ------------------------------------------------------------------------------

    def fill_cart(self) -> int:
        """Tap the honey, tap the lotus root, type its weight on the keypad; ns of the first tap.

        The keypad's deferred delete runs here, as the app's loop runs it right after Enter.
        """
        till = self.till
        if not self._grid_shown():
            # The grid is being rebuilt (a catalogue reload): an operator taps what is shown.
            self.grid_waits += 1
            run_until(self._grid_shown, "the product grid")
        tapped = time.perf_counter_ns()
        click(till.product_buttons[COUNTED_PLU])
        click(till.product_buttons[WEIGHED_PLU])
        dialog = till.active_dialog
        if not isinstance(dialog, WeightDialog):
            raise RuntimeError("tapping the lotus root did not open the weight keypad")
        QTest.keyClick(dialog, Qt.Key.Key_F1)  # kg: the keypad starts in jin for 莲藕
        QTest.keyClicks(dialog, WEIGHT_TYPED)
        QTest.keyClick(dialog, Qt.Key.Key_Return)
        run_for(0)  # the keypad's deleteLater, the cart's repaint
        if till.active_dialog is not None or till.cart.subtotal_fen != SALE_TOTAL_FEN:
            raise RuntimeError(f"unexpected cart: {till.cart.lines!r}")
        if not till.exact_cash_button.isEnabled():
            raise RuntimeError("the exact cash button is not enabled with goods in the cart")
        return tapped

    def _grid_shown(self) -> bool:
        buttons = self.till.product_buttons
        return all(
            plu in buttons and buttons[plu].isVisible() for plu in (COUNTED_PLU, WEIGHED_PLU)
        )

    def ready(self, completed_before: int) -> bool:
        till = self.till
        return (
            self.completed > completed_before
            and not till.cart.lines
            and till.cart_table.rowCount() == 0
            and not till.paying
        )

    def confirm(self, tapped_ns: int) -> Sample:
        """Tap "Exact cash" and run the event loop until the sale is completed, then one pass
        more (the repaint and any deferred deletes), as the app's loop would."""
        till = self.till
        before = self.completed
        failures_before = len(self.background.failures)
        loop = QEventLoop()
        guard = QTimer()
        guard.setSingleShot(True)
        guard.timeout.connect(loop.quit)
        self._sale_loop = loop
        guard.start(int(TIMEOUT_S * 1000))
        start = time.perf_counter_ns()
        click(till.exact_cash_button)
        if self.completed == before:
            loop.exec()
        signalled = time.perf_counter_ns()
        QApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        painted = time.perf_counter_ns()
        guard.stop()
        self._sale_loop = None
        if self.completed == before:
            new = self.background.failures[failures_before:]
            raise RuntimeError(f"the sale did not complete: {new or 'timed out'}")
        if not self.ready(before):
            raise RuntimeError("sale_completed came but the till is not ready for the next sale")
        assert self.last_view is not None
        return Sample(
            self.last_view.receipt_no, tapped_ns, start, self.completed_ns, signalled, painted
        )

    def sell(self) -> Sample:
        return self.confirm(self.fill_cart())

    # -- the end ------------------------------------------------------------------------------

    def close(self) -> None:
        """Quit as from the till's Quit, then the orderly close `run_app` does."""
        self.till_app.quit()
        shut_down(self.till_app)
        logs.shutdown_logging()


# --- after the run -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BackgroundFigures:
    print_ms: list[float]  # confirm tapped -> the receipt's print job done (GUI thread told)
    sync_ms: list[float]  # confirm tapped -> a sync status with nothing unsynced
    printed_before_next: int
    synced_before_next: int
    sales: int


def background_figures(
    samples: Sequence[Sample], background: Background, end_ns: int
) -> BackgroundFigures:
    """For each sale: when its receipt was printed and when the county had it, and whether
    that was before the operator's next tap."""
    print_ms: list[float] = []
    sync_ms: list[float] = []
    printed_before = synced_before = 0
    statuses = sorted(background.sync_status)
    for index, sample in enumerate(samples):
        next_tap = samples[index + 1].tap_ns if index + 1 < len(samples) else end_ns
        printed = background.printed_ns.get(sample.receipt_no)
        if printed is not None:
            print_ms.append((printed - sample.start_ns) / 1e6)
            printed_before += printed <= next_tap
        # A status posted before the sale's commit is delivered before sale_completed.
        synced = next(
            (ns for ns, unsynced, _ in statuses if ns > sample.completed_ns and unsynced == 0),
            None,
        )
        if synced is not None:
            sync_ms.append((synced - sample.start_ns) / 1e6)
            synced_before += synced <= next_tap
    return BackgroundFigures(print_ms, sync_ms, printed_before, synced_before, len(samples))


def ledger_states(db_path: Path) -> dict[str, dict[str, int]]:
    """Print job and outbox states in a ledger file (read with plain sqlite3)."""
    conn = sqlite3.connect(db_path)
    try:
        out: dict[str, dict[str, int]] = {}
        for table in ("print_jobs", "outbox"):
            rows = conn.execute(f"SELECT state, count(*) FROM {table} GROUP BY state")
            out[table] = {str(state): int(count) for state, count in rows}
        return out
    finally:
        conn.close()


def county_documents(db_url: str) -> int:
    """Documents stored by a county server on SQLite."""
    conn = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    try:
        return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    finally:
        conn.close()
