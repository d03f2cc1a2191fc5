"""Time the till as the booth runs it: confirm-to-ready per sale, and cold start with a big ledger.

Usage::

    python bench/till.py [--sales N] [--warmup W] [--gap-ms MS] [--county server|none]
                         [--printer-profile NAME] [--big-sales N] [--big-dir DIR]
                         [--cold-runs R] [--skip-cold] [--profile FILE]

a) Confirm to ready, through the app's own start-up. A fresh demo booth (LX01, demo catalogue
   and people) has its receipt printer saved in the settings with the coordinator's PIN: a
   network printer on 127.0.0.1 (``bench.loopback.LoopbackPrinter``, a process that takes the
   bytes and answers DLE EOT status requests). With ``--county server`` (the default) a real
   county server runs on 127.0.0.1 (``python -m sync.server.cli serve`` on a SQLite file), the
   county adds the device (``add-device``) and the booth is enrolled with
   ``sync_client.enroll``; with ``--county none`` the booth stays unenrolled, as a fresh one.
   Then ``booth_pos.ui.app.launch`` starts the app as ``booth-pos`` does (log file, Qt message
   handler, GUI-thread garbage collector, fonts, ledger, ``TillApp.start``: the sync worker and
   the print worker run from the start) and the operator logs in on the login screen: a tap on
   李娜, the PIN's digits on the keypad, "Log in".

   Each sale is driven like an operator, offscreen: a tap on the acacia honey (PLU 201,
   counted), a tap on the lotus root (PLU 101, weighed) and F1 (kg), ``1.25`` and Enter on the
   weight keypad it opens; the keypad's deferred delete runs then, as the app's event loop runs
   it right after Enter. The clock starts and "Exact cash" is tapped; a Qt event loop
   (``QEventLoop.exec``) runs until ``sale_completed`` is delivered ("at signal"), and one more
   event loop pass repaints the window and runs any deferred deletes ("ready + repainted", the
   headline figure). The till must then be ready for the next sale: cart and cart table empty,
   paying state left. Everything else the app does after a sale (the receipt preview, status and
   stock reads on the I/O lane, the print worker printing the receipt, the sync worker
   uploading the sale) does not block the next tap, so it is not inside the clock: it runs in
   the ``--gap-ms`` the operator takes before the next tap (default 300 ms; the event loop runs
   freely meanwhile; 0 starts the next sale at once, so the workers overlap it). When each
   receipt was printed and each sale reached the county is taken from the workers' signals and
   printed too, with how many finished before the next tap.

   In the same run, alternating with the till sales (ABBA), ``bench.ring_up.PlainTill`` writes
   the same two-line cash sale with the standard-library ``sqlite3`` module: the same statements
   ring_up sends and the same rows, pragmas and transaction; the bare limit for the disk work.
   ``Ledger.write(sales.ring_up, ...)`` called directly, in a third ledger, is timed too (the
   service without window and threads). The three ledgers are compared after the run (rows,
   payload size and keys, counters, receipt numbers).

b) Cold start. A ledger with ``--big-sales`` sales is built once (cached in ``--big-dir``;
   re-used and topped up when run again) through the real ``sales.ring_up``, many calls
   inside one ``Ledger.write`` per chunk so building takes minutes, not an hour; its print jobs
   are then marked done (a booth with that many sales has printed them; pending ones would be
   worked through by the print worker during the start). Then a fresh Python process
   (``sys.executable -c``) runs ``launch(data_dir)`` as ``booth-pos`` does, waits for the login
   screen's names, taps 李娜 and the PIN and "Log in", and runs the event loop until the till
   shows its catalogue; it prints a line at the login screen and one at the till. The parent
   times process start to those lines. Repeated ``--cold-runs`` times; the OS page cache is warm
   (only the process is cold).

The load average is printed at the start, between the parts and at the end.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import math
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/till.py`: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import PySide6
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.app_till import (
    BOOTH_CODE,
    BOOTH_NAME,
    OPERATOR,
    OPERATOR_PIN,
    PLAIN_CART,
    SALE_TOTAL_FEN,
    TOWN,
    AppTill,
    BackgroundFigures,
    Sample,
    background_figures,
    county_documents,
    enroll_booth,
    ledger_states,
    prepare_booth,
    run_for,
    run_until,
)
from bench.loopback import CountyServer, LoopbackPrinter
from bench.ring_up import (
    PlainTill,
    compare_written,
    machine_facts,
    setup_demo,
    written,
)
from booth_pos.domain.cart import CartLine
from booth_pos.domain.pricing import TenderIn, TenderMethod
from booth_pos.domain.quantity import Quantity
from booth_pos.services import sales
from booth_pos.services.ledger import Ledger
from booth_pos.store.engine import DB_FILENAME
from booth_pos.store.models import Booth, Sale

AIM_CONFIRM_P95_MS = 50.0
AIM_COLD_START_S = 1.5
DEFAULT_GAP_MS = 300
SETTLE_S = 60.0  # after the timed sales: the last receipts and uploads may finish (untimed)

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
    count: int

    @classmethod
    def of(cls, samples_ms: Sequence[float]) -> Stats:
        ms = sorted(samples_ms)
        if not ms:
            return cls(math.nan, math.nan, math.nan, math.nan, math.nan, 0)

        def pct(p: float) -> float:  # nearest rank
            return ms[max(0, math.ceil(p / 100 * len(ms)) - 1)]

        return cls(pct(50), pct(95), pct(99), ms[-1], statistics.fmean(ms), len(ms))

    @classmethod
    def of_ns(cls, samples_ns: Sequence[int]) -> Stats:
        return cls.of([s / 1e6 for s in samples_ns])

    def row(self, name: str) -> str:
        return (
            f"  {name:<30} {self.p50:>8.2f} {self.p95:>8.2f} {self.p99:>8.2f} "
            f"{self.max:>8.2f} {self.mean:>8.2f} {self.count:>6}"
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


@dataclass(frozen=True)
class ConfirmResult:
    signal: Stats
    painted: Stats
    plain: Stats
    service: Stats
    background: BackgroundFigures
    sales: int
    warmup: int
    gap_ms: int
    county: str
    printer_profile: str
    load_before: str
    load_after: str
    checks_ok: bool
    notes: list[str]


def run_confirm(
    root: Path,
    n_sales: int,
    warmup: int,
    gap_ms: int,
    county_mode: str,
    printer_profile: str,
    profile: Path | None,
) -> ConfirmResult:
    load_before = load_average()
    printer = LoopbackPrinter()  # before the app starts any thread
    county: CountyServer | None = None
    plain: PlainTill | None = None
    direct: Ledger | None = None
    app: AppTill | None = None
    notes: list[str] = []
    try:
        county_db = f"sqlite:///{root / 'county.sqlite'}"
        if county_mode == "server":
            county = CountyServer(county_db, root / "county-server.log")
        till_dir = root / "till"
        prepare_booth(till_dir, printer.uri, printer_profile)
        if county is not None:
            device_id, token = county.add_device(BOOTH_CODE, TOWN, BOOTH_NAME)
            enrolled = enroll_booth(till_dir, county.url, device_id, token)
            if not enrolled.confirmed:
                raise RuntimeError(f"the county did not confirm the enrolment: {enrolled}")
        # The two references are set up the same way (their settings change is an audit
        # document in the outbox too), so the three ledgers can be compared row for row.
        prepare_booth(root / "sqlite3", printer.uri, printer_profile)
        prepare_booth(root / "ring_up", printer.uri, printer_profile)
        plain = PlainTill(root / "sqlite3" / DB_FILENAME)
        direct = Ledger.open(root / "ring_up")
        direct_cart = [
            CartLine(code, Quantity(amount, weighed)) for code, amount, weighed in PLAIN_CART
        ]
        direct_tenders = [TenderIn(TenderMethod.CASH, SALE_TOTAL_FEN)]

        app = AppTill(till_dir)
        app.log_in(OPERATOR, OPERATOR_PIN)
        run_for(gap_ms)
        plain_till, direct_ledger = plain, direct

        def plain_sale() -> int:
            start = time.perf_counter_ns()
            plain_till.sell(PLAIN_CART, SALE_TOTAL_FEN, OPERATOR)
            return time.perf_counter_ns() - start

        def service_sale() -> int:
            start = time.perf_counter_ns()
            direct_ledger.write(sales.ring_up, direct_cart, direct_tenders, OPERATOR)
            return time.perf_counter_ns() - start

        for _ in range(warmup):
            app.sell()
            run_for(gap_ms)
            plain_sale()
            service_sale()
        gc.collect()
        samples: list[Sample] = []
        plain_ns: list[int] = []
        service_ns: list[int] = []
        profiler = cProfile.Profile() if profile is not None else None
        if profiler is not None:
            profiler.enable()
        for i in range(n_sales):
            # The two references run before or after the till sale in turn (ABBA).
            if i % 2:
                plain_ns.append(plain_sale())
                service_ns.append(service_sale())
            samples.append(app.sell())
            run_for(gap_ms)  # the operator's hands move on; the app's loop runs meanwhile
            if not i % 2:
                service_ns.append(service_sale())
                plain_ns.append(plain_sale())
        end_ns = time.perf_counter_ns()
        if profiler is not None:
            profiler.disable()
        expected = n_sales + warmup
        background = app.background
        # Untimed: let the last receipts print and the last sales reach the county.
        run_until(
            lambda: (
                len(background.printed_ns) >= expected
                and (
                    county is None
                    or bool(background.sync_status and not background.sync_status[-1][1])
                )
            ),
            "the last receipts and uploads",
            SETTLE_S,
        )
        figures = background_figures(samples, background, end_ns)
        if app.completed != expected:
            raise RuntimeError(f"{app.completed} sales completed, {expected} expected")
        if background.failures:
            notes.append(f"operations that failed during the run: {background.failures[:5]}")
        if app.catalog_reloads or app.grid_waits:
            notes.append(
                f"catalogue reloads during the run: {app.catalog_reloads}; taps that waited for "
                f"the rebuilt product grid: {app.grid_waits}"
            )
        if background.print_failed:
            notes.append(f"print jobs that failed: {background.print_failed[:5]}")
    finally:
        if app is not None:
            app.close()
        if county is not None:
            county.stop()
        printer_bytes = printer.bytes_received
        printer.close()
        if plain is not None:
            plain.close()
        if direct is not None:
            direct.close()
    load_after = load_average()
    if profiler is not None and profile is not None:
        profiler.dump_stats(str(profile))
        print(f"profile of the timed loop (GUI thread) written to {profile}")

    print("a) checks after the timed sales")
    checks_ok = compare_written(
        [
            ("till", written(till_dir / DB_FILENAME)),
            ("sqlite3", written(root / "sqlite3" / DB_FILENAME)),
            ("ring_up", written(root / "ring_up" / DB_FILENAME)),
        ],
        expected,
    )
    states = ledger_states(till_dir / DB_FILENAME)
    print(f"  till ledger: print jobs {states['print_jobs']}, outbox {states['outbox']}")
    print(f"  the printer took {printer_bytes / 1e6:.1f} MB")
    if states["print_jobs"].get("done", 0) != expected:
        notes.append(f"not every receipt was printed: {states['print_jobs']}")
        checks_ok = False
    if county is not None:
        stored = county_documents(county_db)
        documents = sum(states["outbox"].values())  # the sales and the settings change
        print(f"  county server: {stored} documents of the booth's {documents}")
        if stored != documents or states["outbox"].get("synced", 0) != documents:
            notes.append(f"not every document reached the county ({stored} of {documents})")
            checks_ok = False
    print()
    return ConfirmResult(
        Stats.of_ns([s.to_signal_ns for s in samples]),
        Stats.of_ns([s.to_painted_ns for s in samples]),
        Stats.of_ns(plain_ns),
        Stats.of_ns(service_ns),
        figures,
        n_sales,
        warmup,
        gap_ms,
        county_mode,
        printer_profile,
        load_before,
        load_after,
        checks_ok,
        notes,
    )


def report_confirm(r: ConfirmResult) -> None:
    counted = f"{r.sales} two-line cash sales (+{r.warmup} warm-up, not counted)"
    print(f"a) confirm to ready, through launch() and the login screen: {counted}")
    county = "enrolled with a county server on 127.0.0.1" if r.county == "server" else "unenrolled"
    print(
        f"  booth: {county}; printer: loopback TCP, profile {r.printer_profile}; "
        f"{r.gap_ms} ms from ready to the next tap"
    )
    print(f"  load avg: {r.load_before} before, {r.load_after} after (1/5/15 min)")
    print(f"  {'ms':<30} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8} {'mean':>8} {'n':>6}")
    print(r.signal.row("till ready (at signal)"))
    print(r.painted.row("till ready + repainted"))
    print(r.service.row("Ledger.write(ring_up) direct"))
    print(r.plain.row("bare sqlite3 sale"))
    ratio50 = r.painted.p50 / r.plain.p50
    ratio95 = r.painted.p95 / r.plain.p95
    print(f"  ratio till/sqlite3:    p50 {ratio50:.1f}x, p95 {ratio95:.1f}x")
    service50 = r.service.p50 / r.plain.p50
    service95 = r.service.p95 / r.plain.p95
    print(f"  ratio ring_up/sqlite3: p50 {service50:.1f}x, p95 {service95:.1f}x")
    b = r.background
    print("  after the sale, off the clock (from the Exact cash tap):")
    print(Stats.of(b.print_ms).row("receipt printed"))
    county_line = ""
    if r.county == "server":
        print(Stats.of(b.sync_ms).row("sale at the county"))
        county_line = f", at the county {b.synced_before_next}/{b.sales}"
    print(f"  before the next tap: receipt printed {b.printed_before_next}/{b.sales}{county_line}")
    ok = r.painted.p95 < AIM_CONFIRM_P95_MS
    print(
        f"  aim p95 < {AIM_CONFIRM_P95_MS:g} ms (ready + repainted): {verdict(ok)}"
        f" ({r.painted.p95:.2f} ms)"
    )
    for note in r.notes:
        print(f"  note: {note}")
    if not r.checks_ok:
        print("  CHECKS FAILED: see above")
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


def mark_printed(db_path: Path) -> int:
    """Fixture: the big ledger's receipts were printed when they were sold (jobs done)."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        changed = conn.execute(
            "UPDATE print_jobs SET state = 'done', printer = 'none', error_code = '', "
            "finished_at = created_at, next_attempt_at = NULL WHERE state != 'done'"
        ).rowcount
        conn.execute("COMMIT")
        return int(changed)
    finally:
        conn.close()


def build_big_ledger(data_dir: Path, target: int) -> int:
    """Make sure the ledger in `data_dir` holds at least `target` sales; returns how many."""
    ledger = Ledger.open(data_dir)
    try:
        if not ledger.read(has_booth):
            ledger.write(setup_demo)
        have = ledger.read(count_sales)
        if have >= target:
            print(f"b) re-using {data_dir / DB_FILENAME}: {have} sales")
        else:
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
    finally:
        ledger.close()
    marked = mark_printed(data_dir / DB_FILENAME)
    if marked:
        print(f"  {marked} print jobs marked done (printed when sold)")
    return have


COLD_CHILD = """
import time
_T0 = time.perf_counter()
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from booth_pos import logs
from booth_pos.ui.app import launch, shut_down
from booth_pos.ui.people import LoginDialog

def spin(cond):
    while not cond():
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)

def tap(widget):
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)

name, pin = sys.argv[2], sys.argv[3]
till_app = launch(Path(sys.argv[1]))  # what `booth-pos` runs before its event loop
dialog = till_app.dialog
if not isinstance(dialog, LoginDialog):
    sys.exit(f"the app did not start at the login screen: {dialog!r}")
spin(lambda: name in dialog.operator_buttons)
app = QApplication.instance()
app.processEvents()
print(f"login {time.perf_counter() - _T0:.6f}", flush=True)
tap(dialog.operator_buttons[name])
for digit in pin:
    tap(dialog.pin_entry.digit_buttons[digit])
_T1 = time.perf_counter()
tap(dialog.login_button)
spin(lambda: till_app.till is not None and till_app.till.product_buttons)
app.processEvents()
till = till_app.till
now = time.perf_counter()
print(f"ready {now - _T0:.6f} {now - _T1:.6f} {till.isVisible()} {len(till.product_buttons)}",
      flush=True)
spin(lambda: till.sync_status.text())
app.processEvents()
print(f"status {time.perf_counter() - _T0:.6f} {till.sync_status.text()}", flush=True)
till_app.quit()
shut_down(till_app)
logs.shutdown_logging()
"""


@dataclass(frozen=True)
class ColdRun:
    to_login_s: float  # parent: process start to the login screen's names
    to_ready_s: float  # parent: process start to the till shown (login tapped at once)
    child_ready_s: float  # child: top of its script to the till shown
    login_to_ready_s: float  # child: "Log in" tapped to the till shown
    to_status_s: float  # parent: process start to the status bar filled
    total_s: float  # parent: process start to exit


def cold_start_once(data_dir: Path) -> ColdRun:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", COLD_CHILD, str(data_dir), OPERATOR, OPERATOR_PIN],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
        encoding="utf-8",
    )
    assert child.stdout is not None
    to_login = to_ready = child_ready = login_to_ready = to_status = math.nan
    for line in child.stdout:
        now = time.perf_counter() - start
        word, _, rest = line.partition(" ")
        fields = rest.split()
        if word == "login":
            to_login = now
        elif word == "ready":
            to_ready, child_ready, login_to_ready = now, float(fields[0]), float(fields[1])
            if fields[2] != "True" or int(fields[3]) < 1:
                raise RuntimeError(f"the till was not shown with its catalogue: {line!r}")
        elif word == "status":
            to_status = now
    _, err = child.communicate(timeout=120)
    total = time.perf_counter() - start
    if child.returncode != 0 or math.isnan(to_ready):
        raise RuntimeError(f"cold start child failed ({child.returncode}):\n{err}")
    return ColdRun(to_login, to_ready, child_ready, login_to_ready, to_status, total)


def run_cold(data_dir: Path, big_sales: int, runs: int) -> tuple[int, list[ColdRun]]:
    have = build_big_ledger(data_dir, big_sales)
    size_mb = (data_dir / DB_FILENAME).stat().st_size / 1e6
    print(f"  ledger file {size_mb:.0f} MB; load avg {load_average()} before the cold starts")
    results = [cold_start_once(data_dir) for _ in range(runs)]
    return have, results


def report_cold(have: int, results: Sequence[ColdRun]) -> None:
    print(
        f"b) cold start through launch() and the login screen, {have} sales in the ledger, "
        f"{len(results)} runs, s"
    )
    columns = (
        ("process start to login screen", [r.to_login_s for r in results]),
        ("'Log in' tapped to till shown", [r.login_to_ready_s for r in results]),
        ("process start to till shown", [r.to_ready_s for r in results]),
        ("  in the child's script", [r.child_ready_s for r in results]),
        ("process start to status bar", [r.to_status_s for r in results]),
        ("process start to exit", [r.total_s for r in results]),
    )
    print(f"  {'':<31} {'min':>7} {'median':>7} {'max':>7}   runs")
    for name, values in columns:
        runs = " ".join(f"{v:.3f}" for v in values)
        print(
            f"  {name:<31} {min(values):>7.3f} {statistics.median(values):>7.3f}"
            f" {max(values):>7.3f}   {runs}"
        )
    median = statistics.median(r.to_ready_s for r in results)
    print(
        f"  aim till shown < {AIM_COLD_START_S:g} s (login tapped at once): "
        f"{verdict(median < AIM_COLD_START_S)} (median {median:.3f} s)"
    )
    print()


# --- main --------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sales", type=int, default=1000, help="timed sales (default 1000)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed sales first (default 20)")
    parser.add_argument(
        "--gap-ms",
        type=int,
        default=DEFAULT_GAP_MS,
        help=f"ms from ready to the next sale's first tap (default {DEFAULT_GAP_MS})",
    )
    parser.add_argument(
        "--county",
        choices=("server", "none"),
        default="server",
        help="enrol with a county server on 127.0.0.1 (default) or stay unenrolled",
    )
    parser.add_argument(
        "--printer-profile", default="generic", help="printer profile saved (default generic)"
    )
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
    if args.gap_ms < 0:
        parser.error("--gap-ms must be >= 0")

    print_machine()
    with tempfile.TemporaryDirectory(prefix="booth-bench-till-") as tmp:
        confirm = run_confirm(
            Path(tmp),
            args.sales,
            args.warmup,
            args.gap_ms,
            args.county,
            args.printer_profile,
            args.profile,
        )
    report_confirm(confirm)
    ok = confirm.painted.p95 < AIM_CONFIRM_P95_MS and confirm.checks_ok
    if not args.skip_cold:
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
