"""Time the till window itself: confirm-to-ready per sale, and cold start with a big ledger.

Usage::

    python bench/till.py [--sales N] [--warmup W] [--big-sales N] [--big-dir DIR]
                         [--cold-runs R] [--skip-cold] [--profile FILE]

a) Confirm to ready. A fresh demo ledger (LX01, demo catalogue and people) and a shown
   ``TillWindow`` for operator 李娜, offscreen. Each sale is driven like an operator: a
   mouse click on the acacia honey (PLU 201, counted), a click on the lotus root (PLU 101,
   weighed) and F1 (kg), ``1.25`` and Enter typed into the weight keypad it opens. Then the
   timer starts and the "Exact cash" button is clicked (``quick_cash(None)``); the Qt event
   loop runs until ``sale_completed`` has been emitted, the cart is empty and the till has
   left its paying state (pay buttons are live again: they enable on the next tap), and one
   more pass of the event loop has repainted the window. The till is left to finish its
   after-sale status read before the next sale (an operator takes seconds to tap the next
   goods), so one sale's timing never includes the previous sale's work.

   In the same run, alternating with the till sales (ABBA), ``bench.ring_up.PlainTill``
   writes the same two-line cash sale with the standard-library ``sqlite3`` module and the
   same pragmas and transaction: the bare limit for the disk work. The ratio is printed.
   ``Ledger.write(sales.ring_up, ...)`` called directly, in its own ledger, is timed too:
   what the service costs without the window and the worker thread.

b) Cold start. A ledger with ``--big-sales`` sales is built once (cached in ``--big-dir``;
   re-used and topped up when run again) through the real ``sales.ring_up``, many calls
   inside one ``Ledger.write`` per chunk so building takes minutes, not an hour. Then a
   fresh Python process (``sys.executable -c``) creates the QApplication, registers the
   bundled font, opens the ledger (with its migration check), reads the settings and booth
   and shows the till for 李娜 the way ``ui.app.TillApp.open_till`` does after login, and
   runs the event loop until the catalogue grid is filled; then it prints a line and exits.
   The parent times process start to that line. Repeated ``--cold-runs`` times; the OS page
   cache is warm (only the process is cold).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/till.py`: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import PySide6
from PySide6.QtCore import (
    QEventLoop,
    QMessageLogContext,
    Qt,
    QTimer,
    QtMsgType,
    qFormatLogMessage,
    qInstallMessageHandler,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.ring_up import PlainTill, machine_facts, make_demo_ledger, setup_demo
from booth_pos.domain.cart import CartLine
from booth_pos.domain.pricing import TenderIn, TenderMethod
from booth_pos.domain.quantity import Quantity
from booth_pos.services import auth, booth, sales, settings
from booth_pos.services.ledger import Ledger
from booth_pos.store.engine import DB_FILENAME
from booth_pos.store.models import Booth, Sale
from booth_pos.ui import i18n
from booth_pos.ui.runner import OperationRunner
from booth_pos.ui.till import TillWindow
from booth_pos.ui.weight_dialog import WeightDialog

AIM_CONFIRM_P95_MS = 50.0
AIM_COLD_START_S = 1.5
OPERATOR = "李娜"
OPERATOR_PIN = "1111"
COUNTED_PLU = "201"  # 槐花蜜 500g, ¥45.00 a jar
WEIGHED_PLU = "101"  # 莲藕, ¥3.50 a jin
WEIGHT_TYPED = "1.25"  # typed after F1 (kg) on the keypad: 2.5 jin, ¥8.75
SALE_TOTAL_FEN = 4500 + 875
PLAIN_CART: tuple[tuple[str, int, bool], ...] = ((COUNTED_PLU, 1, False), (WEIGHED_PLU, 1250, True))
TIMEOUT_S = 30.0

# The big ledger: carts rung up in turn, each paid with ¥200 cash.
BIG_CARTS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("201", "1"), ("101", "1.25kg")),
    (("101", "1.25kg"), ("201", "2"), ("601", "750g")),
    (("301", "1"), ("401", "2")),
    (("102", "2jin"), ("501", "1"), ("602", "300g"), ("202", "1")),
)
BIG_CASH_FEN = 20_000
BIG_CHUNK = 5_000


# --- statistics --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    p50: float
    p95: float
    p99: float
    max: float
    mean: float

    @classmethod
    def of(cls, samples_ns: Sequence[int]) -> Stats:
        ms = sorted(s / 1e6 for s in samples_ns)

        def pct(p: float) -> float:  # nearest rank
            return ms[max(0, math.ceil(p / 100 * len(ms)) - 1)]

        return cls(pct(50), pct(95), pct(99), ms[-1], statistics.fmean(ms))

    def row(self, name: str) -> str:
        return (
            f"  {name:<24} {self.p50:>8.2f} {self.p95:>8.2f} {self.p99:>8.2f} "
            f"{self.max:>8.2f} {self.mean:>8.2f}"
        )


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def load_average() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def print_machine() -> None:
    print("machine")
    facts = [
        *machine_facts(),
        ("pyside6", PySide6.__version__),
        ("qt platform", os.environ.get("QT_QPA_PLATFORM", "")),
        ("load avg", f"{load_average()} (1/5/15 min, at start)"),
    ]
    for key, value in facts:
        print(f"  {key:<11} {value}")
    print()


# --- a) confirm to ready -----------------------------------------------------------------------


def quiet_qt_messages(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's own messages, less the offscreen plugin's harmless "propagateSizeHints" notice."""
    if "propagateSizeHints" in message:
        return
    print(qFormatLogMessage(kind, context, message), file=sys.stderr)


def spin_until(cond: Callable[[], bool], what: str, timeout_s: float = TIMEOUT_S) -> None:
    """Run the Qt event loop (blocking while there is nothing to do) until `cond()` holds."""
    deadline = time.monotonic() + timeout_s
    while not cond():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)


def click(widget: QWidget) -> None:
    if not widget.isEnabled() or not widget.isVisible():
        raise RuntimeError(f"{widget!r} cannot be clicked now")
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


class TillDriver:
    """Drives one shown TillWindow through sales and tells when it is ready again."""

    def __init__(self, till: TillWindow, runner: OperationRunner) -> None:
        self.till = till
        self.runner = runner
        self.completed = 0
        self.failures: list[str] = []
        till.sale_completed.connect(self._completed)
        runner.failed.connect(self.failures.append)

    def _completed(self, _view: object) -> None:
        self.completed += 1

    def fill_cart(self) -> None:
        """Tap the honey, tap the lotus root and type its weight on the keypad, like a user."""
        till = self.till
        click(till.product_buttons[COUNTED_PLU])
        click(till.product_buttons[WEIGHED_PLU])
        dialog = till.active_dialog
        if not isinstance(dialog, WeightDialog):
            raise RuntimeError("tapping the lotus root did not open the weight keypad")
        QTest.keyClick(dialog, Qt.Key.Key_F1)  # kg: the keypad starts in jin for 莲藕
        QTest.keyClicks(dialog, WEIGHT_TYPED)
        QTest.keyClick(dialog, Qt.Key.Key_Return)
        QApplication.processEvents()  # the dialog's deleteLater, the cart's repaint
        if till.active_dialog is not None or till.cart.subtotal_fen != SALE_TOTAL_FEN:
            raise RuntimeError(f"unexpected cart: {till.cart.lines!r}")
        if not till.exact_cash_button.isEnabled():
            raise RuntimeError("the exact cash button is not enabled with goods in the cart")

    def ready(self, completed_before: int) -> bool:
        till = self.till
        return (
            self.completed > completed_before
            and not till.cart.lines
            and till.cart_table.rowCount() == 0
            and not till.paying
        )

    def confirm_and_wait(self) -> tuple[int, int]:
        """Click "Exact cash"; (ns to ready at sale_completed, ns to ready and repainted)."""
        before = self.completed
        start = time.perf_counter_ns()
        click(self.till.exact_cash_button)
        spin_until(lambda: self.ready(before) or bool(self.failures), "the sale to complete")
        signalled = time.perf_counter_ns()
        QApplication.processEvents()  # what the screen shows: the empty cart, the change
        painted = time.perf_counter_ns()
        if self.failures:
            raise RuntimeError(f"the sale failed: {self.failures}")
        return signalled - start, painted - start

    def settle(self) -> int:
        """Let the after-sale status read finish; ns it took (not part of the sale's time)."""
        start = time.perf_counter_ns()
        spin_until(lambda: not self.runner.busy, "the runner to go idle")
        QApplication.processEvents()
        return time.perf_counter_ns() - start


@dataclass(frozen=True)
class ConfirmResult:
    ready: Stats
    painted: Stats
    plain: Stats
    service: Stats
    settle: Stats
    sales: int
    warmup: int


def run_confirm(root: Path, n_sales: int, warmup: int, profile: Path | None) -> ConfirmResult:
    qInstallMessageHandler(quiet_qt_messages)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    if i18n.register_fonts() is None:
        print("warning: the bundled CJK font did not load")
    i18n.set_language("zh")

    ledger = make_demo_ledger(root / "till")
    make_demo_ledger(root / "sqlite3").close()
    plain = PlainTill(root / "sqlite3" / DB_FILENAME)
    direct = make_demo_ledger(root / "ring_up")
    direct_cart = [
        CartLine(code, Quantity(amount, weighed)) for code, amount, weighed in PLAIN_CART
    ]
    direct_tenders = [TenderIn(TenderMethod.CASH, SALE_TOTAL_FEN)]
    runner = OperationRunner(ledger)
    operator = ledger.read(auth.log_in, OPERATOR, OPERATOR_PIN)
    till = TillWindow(
        runner, operator, ledger.read(booth.booth_info), ledger.read(settings.load_settings)
    )
    wake = QTimer()  # wakes the blocking event loop now and then, so a timeout is noticed
    wake.start(100)
    profiler = cProfile.Profile() if profile is not None else None
    try:
        till.show()
        spin_until(lambda: COUNTED_PLU in till.product_buttons, "the catalogue")
        driver = TillDriver(till, runner)
        driver.settle()

        def plain_sale() -> int:
            start = time.perf_counter_ns()
            plain.sell(PLAIN_CART, SALE_TOTAL_FEN)
            return time.perf_counter_ns() - start

        def service_sale() -> int:
            start = time.perf_counter_ns()
            direct.write(sales.ring_up, direct_cart, direct_tenders, OPERATOR)
            return time.perf_counter_ns() - start

        for _ in range(warmup):
            driver.fill_cart()
            driver.confirm_and_wait()
            driver.settle()
            plain_sale()
            service_sale()
        gc.collect()
        ready_ns: list[int] = []
        painted_ns: list[int] = []
        plain_ns: list[int] = []
        service_ns: list[int] = []
        settle_ns: list[int] = []
        if profiler is not None:
            profiler.enable()
        for i in range(n_sales):
            # The two references run before or after the till sale in turn (ABBA).
            if i % 2:
                plain_ns.append(plain_sale())
                service_ns.append(service_sale())
            driver.fill_cart()
            ready, painted = driver.confirm_and_wait()
            ready_ns.append(ready)
            painted_ns.append(painted)
            settle_ns.append(driver.settle())
            if not i % 2:
                service_ns.append(service_sale())
                plain_ns.append(plain_sale())
        if profiler is not None:
            profiler.disable()
        expected = n_sales + warmup
        if driver.completed != expected:
            raise RuntimeError(f"{driver.completed} sales completed, {expected} expected")
    finally:
        wake.stop()
        till.close()
        till.deleteLater()
        app.processEvents()
        runner.shutdown()
        ledger.close()
        plain.close()
        direct.close()
    if profiler is not None and profile is not None:
        profiler.dump_stats(str(profile))
        print(f"profile of the timed loop (GUI thread) written to {profile}")
    written = ledger.read(count_sales)
    if written != expected:
        raise RuntimeError(f"{written} sales in the ledger, {expected} expected")
    return ConfirmResult(
        Stats.of(ready_ns),
        Stats.of(painted_ns),
        Stats.of(plain_ns),
        Stats.of(service_ns),
        Stats.of(settle_ns),
        n_sales,
        warmup,
    )


def report_confirm(r: ConfirmResult) -> None:
    counted = f"{r.sales} two-line cash sales (+{r.warmup} warm-up, not counted)"
    print(f"a) confirm to ready: {counted}, ms")
    print(f"  {'':<24} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8} {'mean':>8}")
    print(r.ready.row("till ready (signal)"))
    print(r.painted.row("till ready + repainted"))
    print(r.service.row("Ledger.write(ring_up)"))
    print(r.plain.row("bare sqlite3 sale"))
    print(r.settle.row("after-sale status read"))
    ratio50 = r.painted.p50 / r.plain.p50
    ratio95 = r.painted.p95 / r.plain.p95
    print(f"  ratio till/sqlite3: p50 {ratio50:.1f}x, p95 {ratio95:.1f}x")
    service50 = r.service.p50 / r.plain.p50
    service95 = r.service.p95 / r.plain.p95
    print(f"  ratio ring_up/sqlite3: p50 {service50:.1f}x, p95 {service95:.1f}x")
    ok = r.painted.p95 < AIM_CONFIRM_P95_MS
    print(
        f"  aim p95 < {AIM_CONFIRM_P95_MS:g} ms (ready + repainted): {verdict(ok)}"
        f" ({r.painted.p95:.2f} ms)"
    )
    print()


# --- b) cold start with a big ledger -----------------------------------------------------------


def count_sales(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Sale)) or 0)


def has_booth(session: Session) -> bool:
    return session.scalars(select(Booth.id)).first() is not None


def ring_up_many(
    session: Session,
    carts: Sequence[Sequence[CartLine]],
    tenders: Sequence[TenderIn],
    count: int,
    offset: int,
) -> int:
    """`count` sales through the real `sales.ring_up`, all in this one transaction."""
    for i in range(count):
        sales.ring_up(session, carts[(offset + i) % len(carts)], tenders, OPERATOR)
        if i % 500 == 499:
            session.expunge_all()  # flushed already; keeps the identity map small
    return count


def build_big_ledger(data_dir: Path, target: int) -> int:
    """Make sure the ledger in `data_dir` holds at least `target` sales; returns how many."""
    ledger = Ledger.open(data_dir)
    try:
        if not ledger.read(has_booth):
            ledger.write(setup_demo)
        have = ledger.read(count_sales)
        if have >= target:
            print(f"b) re-using {data_dir / DB_FILENAME}: {have} sales")
            return have
        print(f"b) building {target} sales in {data_dir / DB_FILENAME} ({have} there already)")
        carts = [[CartLine.parse(code, text) for code, text in spec] for spec in BIG_CARTS]
        tenders = [TenderIn(TenderMethod.CASH, BIG_CASH_FEN)]
        start, first = time.perf_counter(), have
        while have < target:
            chunk = min(BIG_CHUNK, target - have)
            have += ledger.write(ring_up_many, carts, tenders, chunk, have)
            rate = (have - first) / max(time.perf_counter() - start, 1e-9)
            print(f"  {have:>7} sales ({rate:.0f}/s so far)", flush=True)
        print(f"  built in {time.perf_counter() - start:.0f} s")
        return have
    finally:
        ledger.close()


COLD_CHILD = """
import time
_T0 = time.perf_counter()
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from booth_pos.services import auth, settings
from booth_pos.services.ledger import Ledger
from booth_pos.ui import i18n
from booth_pos.ui.app import TillApp, load_booth

app = QApplication(sys.argv[:1])
i18n.register_fonts()
ledger = Ledger.open(Path(sys.argv[1]))
till_app = TillApp(ledger)
chosen = ledger.read(settings.load_settings)
i18n.set_language(chosen.language)
till_app.booth_view = load_booth(ledger)
operator = next(o for o in ledger.read(auth.list_operators) if o.name == sys.argv[2])
till_app.open_till(operator)  # what a successful login does
till = till_app.till
while not till.product_buttons:
    app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
app.processEvents()
print(f"ready {time.perf_counter() - _T0:.6f} {till.isVisible()} {len(till.product_buttons)}",
      flush=True)
while not till.sync_status.text():
    app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
app.processEvents()
print(f"status {time.perf_counter() - _T0:.6f} {till.sync_status.text()}", flush=True)
till_app.runner.shutdown()
ledger.close()
"""


@dataclass(frozen=True)
class ColdRun:
    to_ready_s: float  # parent: process start to the child's "ready" line
    child_ready_s: float  # child: top of its script to ready
    to_status_s: float  # parent: process start to the status bar filled
    total_s: float  # parent: process start to exit


def cold_start_once(data_dir: Path) -> ColdRun:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", COLD_CHILD, str(data_dir), OPERATOR],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
        encoding="utf-8",
    )
    assert child.stdout is not None
    to_ready = child_ready = to_status = math.nan
    for line in child.stdout:
        now = time.perf_counter() - start
        word, _, rest = line.partition(" ")
        if word == "ready":
            to_ready, child_ready = now, float(rest.split()[0])
            if rest.split()[1] != "True" or int(rest.split()[2]) < 1:
                raise RuntimeError(f"the till was not shown with its catalogue: {line!r}")
        elif word == "status":
            to_status = now
    _, err = child.communicate(timeout=60)
    total = time.perf_counter() - start
    if child.returncode != 0 or math.isnan(to_ready):
        raise RuntimeError(f"cold start child failed ({child.returncode}):\n{err}")
    return ColdRun(to_ready, child_ready, to_status, total)


def run_cold(data_dir: Path, big_sales: int, runs: int) -> tuple[int, list[ColdRun]]:
    have = build_big_ledger(data_dir, big_sales)
    size_mb = (data_dir / DB_FILENAME).stat().st_size / 1e6
    print(f"  ledger file {size_mb:.0f} MB")
    results = [cold_start_once(data_dir) for _ in range(runs)]
    return have, results


def report_cold(have: int, results: Sequence[ColdRun]) -> None:
    print(f"b) cold start to the till shown, {have} sales in the ledger, {len(results)} runs, s")
    columns = (
        ("process start to till shown", [r.to_ready_s for r in results]),
        ("  in the child's script", [r.child_ready_s for r in results]),
        ("process start to status bar", [r.to_status_s for r in results]),
        ("process start to exit", [r.total_s for r in results]),
    )
    print(f"  {'':<28} {'min':>7} {'median':>7} {'max':>7}   runs")
    for name, values in columns:
        runs = " ".join(f"{v:.3f}" for v in values)
        print(
            f"  {name:<28} {min(values):>7.3f} {statistics.median(values):>7.3f}"
            f" {max(values):>7.3f}   {runs}"
        )
    median = statistics.median(r.to_ready_s for r in results)
    print(
        f"  aim till shown < {AIM_COLD_START_S:g} s: {verdict(median < AIM_COLD_START_S)}"
        f" (median {median:.3f} s)"
    )
    print()


# --- main --------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sales", type=int, default=1000, help="timed sales (default 1000)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed sales first (default 20)")
    parser.add_argument(
        "--big-sales", type=int, default=100_000, help="sales in the big ledger (default 100000)"
    )
    parser.add_argument("--big-dir", type=Path, help="cache the big ledger here (default: temp)")
    parser.add_argument("--cold-runs", type=int, default=5, help="cold starts (default 5)")
    parser.add_argument("--skip-cold", action="store_true", help="skip the cold-start part")
    parser.add_argument("--profile", type=Path, help="cProfile the timed sales into this file")
    args = parser.parse_args(argv)
    if args.sales < 1 or args.warmup < 0 or args.big_sales < 1 or args.cold_runs < 1:
        parser.error("--sales, --big-sales and --cold-runs must be >= 1, --warmup >= 0")

    print_machine()
    with tempfile.TemporaryDirectory(prefix="booth-bench-till-") as tmp:
        confirm = run_confirm(Path(tmp), args.sales, args.warmup, args.profile)
    report_confirm(confirm)
    ok = confirm.painted.p95 < AIM_CONFIRM_P95_MS
    if args.skip_cold:
        return 0 if ok else 1
    if args.big_dir is not None:
        have, runs = run_cold(args.big_dir, args.big_sales, args.cold_runs)
    else:
        with tempfile.TemporaryDirectory(prefix="booth-bench-big-") as tmp:
            have, runs = run_cold(Path(tmp), args.big_sales, args.cold_runs)
    report_cold(have, runs)
    ok = ok and statistics.median(r.to_ready_s for r in runs) < AIM_COLD_START_S
    print(f"load avg at the end: {load_average()} (1/5/15 min)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
