"""Ring-up latency at the till while sync, an enrolment or a backup is stuck or busy.

Usage::

    python bench/ring_up_stalled.py [--sales N] [--warmup W] [--gap-ms MS] [--rounds R]
                                    [--conditions idle,stalled,enrol,backup,backup-thread]

Each condition runs in a fresh child process (``--child CONDITION``), one booth each, started
the way ``booth-pos`` starts: ``booth_pos.ui.app.launch`` (the sync worker and the print worker
run from the start), then the login screen (李娜, her PIN on the keypad, "Log in"), then sales
through the till's widgets exactly as ``bench/till.py`` makes them: tap the honey, tap the lotus
root, F1 ``1.25`` Enter on the weight keypad, and the clock from the "Exact cash" tap to the
till ready for the next sale and repainted. ``--gap-ms`` (default 300) passes, with the event
loop running, before the next sale's first tap. Every booth has a healthy receipt printer on
127.0.0.1 (``bench.loopback.LoopbackPrinter``).

Conditions:

* **idle**: the booth is enrolled with a real county server on 127.0.0.1
  (``python -m sync.server.cli serve``, ``add-device``, ``sync_client.enroll``), which answers:
  every sale is uploaded a moment after it is rung up. The baseline.
* **stalled**: the booth is enrolled with a county address that accepts connections and never
  answers (``bench.loopback.StalledServer``), so the sync worker hangs in its read timeout (the
  app's 30 s) pass after pass, with its back-off between. The enrolment was stored with
  ``sync_client.enroll`` against that address, which answered nothing (so it is unconfirmed).
* **enrol**: as idle, and an enrolment is in flight on the runner's I/O lane the whole time:
  ``till_app.runner.io(till, sync_client.enroll, ledger, url, device_id, token, options=...)``
  against a stalled address, as the Settings screen's "Enrol" starts one. Its read timeout is
  set longer than the run so it stays in flight (the Settings screen uses the default 30 s).
* **backup**: as idle, and ``maintenance.backup`` runs on the I/O lane back to back (each one
  submitted when the previous one is delivered) through ``till_app.runner.io``, wrapped only
  to stamp when each one starts and ends on its thread (``functools.wraps``, so the runner
  counts the same changes for the wrapper as for ``maintenance.backup``).
* **backup-thread**: the same backups back to back on a plain thread beside the app, not
  through the runner: the backup's own disk and CPU work without the runner delivering each
  result and emitting `changed` (a diagnostic: it tells the two costs apart).

For each condition: p50/p90/p99 of confirm to ready (+ repainted), how many timed sales the
condition was actually in force for (the sync worker's request hanging, the enrolment in
flight, a backup overlapping the sale), the same figures for just those sales, and each
condition's percentiles divided by idle's. ``--rounds`` runs the conditions in turn that many
times (ABCD, DCBA, ...), ``--sales`` split between the rounds, so drift on the machine is
shared. The load average is printed before and after each child and the whole run.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python bench/ring_up_stalled.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.app_till import (
    BOOTH_CODE,
    BOOTH_NAME,
    TOWN,
    AppTill,
    Sample,
    background_figures,
    county_documents,
    enroll_booth,
    ledger_states,
    prepare_booth,
    run_for,
    run_until,
)
from bench.loopback import CountyServer, LoopbackPrinter, StalledServer
from bench.ring_up import machine_facts
from booth_pos.services import maintenance, sync_client
from booth_pos.store.engine import DB_FILENAME

CONDITIONS = ("idle", "stalled", "enrol", "backup", "backup-thread")
ENROL_READ_TIMEOUT_S = 3600.0  # longer than any run: the enrolment stays in flight
RESULT_PREFIX = "RESULT "
EXTRA_KEYS = (
    "sync_passes",
    "catalog_reloads",
    "grid_waits",
    "stalled_connections",
    "backups",
    "enrol",
)


def load_average() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


# --- one condition, in a child process ---------------------------------------------------------


class Backups:
    """`maintenance.backup` back to back, each run stamped (start, end) on its own thread.

    Through the runner (the app's way: ``runner.io``, the next one submitted when the previous
    one is delivered on the GUI thread), or, with `via_runner` False, on a plain thread beside
    the app: the same disk and CPU work without the runner's delivery and `changed` signal.
    """

    def __init__(self, till: AppTill, folder: Path, via_runner: bool = True) -> None:
        self.till = till
        self.folder = folder
        self.via_runner = via_runner
        self.runs: list[tuple[int, int]] = []  # perf_counter_ns start, end
        self.errors: list[str] = []
        self._lock = threading.Lock()
        self.stopping = False
        self._in_flight = False
        self._thread: threading.Thread | None = None

        # functools.wraps gives the wrapper the module of `maintenance.backup`, so the runner
        # counts the same changes for it as for the function itself.
        @functools.wraps(maintenance.backup)
        def stamped(db_path: Path, folder: Path, booth_code: str = "booth") -> Path:
            start = time.perf_counter_ns()
            try:
                return maintenance.backup(db_path, folder, booth_code)
            finally:
                with self._lock:
                    self.runs.append((start, time.perf_counter_ns()))

        self._stamped = stamped

    @property
    def in_flight(self) -> bool:
        if self._thread is not None:
            return self._thread.is_alive()
        return self._in_flight

    def start(self) -> None:
        db_path = self.till.till_app.ledger.db_path
        if not self.via_runner:
            self._thread = threading.Thread(target=self._loop, args=(db_path,), daemon=True)
            self._thread.start()
            return
        if self.stopping:
            return
        self._in_flight = True
        runner = self.till.till_app.runner
        runner.io(self.till.till, self._stamped, db_path, self.folder, BOOTH_CODE).done(
            self._next
        ).failed(self._failed)

    def _loop(self, db_path: Path) -> None:
        while not self.stopping:
            try:
                self._stamped(db_path, self.folder, BOOTH_CODE)
            except Exception as exc:
                self.errors.append(f"{type(exc).__name__}: {exc}")

    def _next(self, _path: Path) -> None:
        self._in_flight = False
        self.start()

    def _failed(self, message: str) -> None:
        self.errors.append(message)
        self._next(Path())

    def overlaps(self, start_ns: int, end_ns: int) -> bool:
        with self._lock:
            return any(a < end_ns and b > start_ns for a, b in self.runs)


def run_child(condition: str, n_sales: int, warmup: int, gap_ms: int) -> dict[str, Any]:
    load_before = load_average()
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix=f"booth-bench-{condition}-") as tmp:
        root = Path(tmp)
        # Helpers first: they fork before the app starts any thread.
        printer = LoopbackPrinter()
        stalled = StalledServer() if condition in ("stalled", "enrol") else None
        county: CountyServer | None = None
        app: AppTill | None = None
        backups: Backups | None = None
        enrol_outcome: list[str] = []
        try:
            county_db = f"sqlite:///{root / 'county.sqlite'}"
            till_dir = root / "till"
            prepare_booth(till_dir, printer.uri)
            if condition == "stalled":
                assert stalled is not None
                quick = sync_client.SyncOptions(read_timeout_s=0.5, connect_retries=0)
                result = enroll_booth(
                    till_dir, stalled.url, str(uuid.uuid4()), secrets.token_urlsafe(32), quick
                )
                if result.confirmed:
                    raise RuntimeError("the stalled address confirmed an enrolment")
            else:
                county = CountyServer(county_db, root / "county-server.log")
                device_id, token = county.add_device(BOOTH_CODE, TOWN, BOOTH_NAME)
                if not enroll_booth(till_dir, county.url, device_id, token).confirmed:
                    raise RuntimeError("the county did not confirm the enrolment")

            app = AppTill(till_dir)
            till = app.log_in()
            run_for(gap_ms)
            for _ in range(warmup):
                app.sell()
                run_for(gap_ms)

            if condition == "enrol":
                assert stalled is not None
                long_wait = sync_client.SyncOptions(read_timeout_s=ENROL_READ_TIMEOUT_S)
                app.till_app.runner.io(
                    till,
                    sync_client.enroll,
                    app.till_app.ledger,
                    stalled.url,
                    str(uuid.uuid4()),
                    secrets.token_urlsafe(32),
                    options=long_wait,
                ).done(lambda r: enrol_outcome.append(f"done: {r}")).failed(
                    lambda m: enrol_outcome.append(f"failed: {m}")
                )
            if condition in ("stalled", "enrol"):
                assert stalled is not None
                watched = stalled
                run_until(lambda: watched.hanging > 0, "a request hanging on the stalled address")
            if condition in ("backup", "backup-thread"):
                backups = Backups(app, root / "backups", via_runner=condition == "backup")
                backups.start()
                watched_backups = backups
                run_until(lambda: bool(watched_backups.runs), "the first backup")

            samples: list[Sample] = []
            active: list[bool] = []
            for _ in range(n_sales):
                before = stalled.hanging > 0 if stalled is not None else False
                sample = app.sell()
                after = stalled.hanging > 0 if stalled is not None else False
                samples.append(sample)
                active.append(before and after)  # hung at the tap and at ready (a hang: 30 s)
                run_for(gap_ms)
            end_ns = time.perf_counter_ns()

            # Untimed from here on: let go of whatever hangs, then close as the app does.
            if backups is not None:
                backups.stopping = True
                watched_backups = backups
                run_until(lambda: not watched_backups.in_flight, "the last backup", 60)
                # Each run is stamped when it ends, so overlaps are known only now.
                active = [backups.overlaps(s.start_ns, s.painted_ns) for s in samples]
            if stalled is not None:
                stalled.close()  # resets the connections: the hanging requests end now
            if condition == "enrol":
                run_until(lambda: bool(enrol_outcome), "the enrolment to give up", 30)
            expected = warmup + n_sales
            background = app.background
            run_until(lambda: len(background.printed_ns) >= expected, "the last receipts", 60)
            if county is not None:
                run_until(
                    lambda: bool(background.sync_status) and background.sync_status[-1][1] == 0,
                    "the last uploads",
                    60,
                )
            figures = background_figures(samples, background, end_ns)
            if app.completed != expected:
                raise RuntimeError(f"{app.completed} sales completed, {expected} expected")
            passes = app.till_app.sync.worker.passes
            grid_waits = app.grid_waits
            reloads = app.catalog_reloads
            failures = list(app.background.failures)
        finally:
            if app is not None:
                app.close()
            if stalled is not None:
                stalled.close()
            if county is not None:
                county.stop()
            printer.close()

        states = ledger_states(till_dir / DB_FILENAME)
        if states["print_jobs"].get("done", 0) != expected:
            notes.append(f"receipts not all printed: {states['print_jobs']}")
        if condition != "stalled":
            stored = county_documents(county_db)
            documents = sum(states["outbox"].values())
            if stored != documents:
                notes.append(f"county has {stored} of the booth's {documents} documents")
        if failures:
            notes.append(f"failed operations: {failures[:3]}")
        extra: dict[str, Any] = {
            "sync_passes": passes,
            "catalog_reloads": reloads,
            "grid_waits": grid_waits,
        }
        if stalled is not None:
            extra["stalled_connections"] = stalled.accepted
        if backups is not None:
            extra["backups"] = len(backups.runs)
            extra["backup_ms"] = [(b - a) / 1e6 for a, b in backups.runs]
            if backups.errors:
                notes.append(f"backups failed: {backups.errors[:3]}")
        if enrol_outcome:
            extra["enrol"] = enrol_outcome[0][:200]
    return {
        "condition": condition,
        "painted_ms": [s.to_painted_ns / 1e6 for s in samples],
        "signal_ms": [s.to_signal_ns / 1e6 for s in samples],
        "active": active,
        "print_ms": figures.print_ms,
        "sync_ms": figures.sync_ms,
        "load_before": load_before,
        "load_after": load_average(),
        "notes": notes,
        **extra,
    }


# --- the parent: conditions in turn, figures side by side --------------------------------------


@dataclass(frozen=True)
class Stats:
    p50: float
    p90: float
    p99: float
    max: float
    mean: float
    count: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Stats:
        ms = sorted(values)
        if not ms:
            return cls(math.nan, math.nan, math.nan, math.nan, math.nan, 0)

        def pct(p: float) -> float:  # nearest rank
            return ms[max(0, math.ceil(p / 100 * len(ms)) - 1)]

        return cls(pct(50), pct(90), pct(99), ms[-1], statistics.fmean(ms), len(ms))

    def cells(self) -> str:
        return (
            f"{self.p50:>8.2f} {self.p90:>8.2f} {self.p99:>8.2f} {self.max:>8.2f} "
            f"{self.mean:>8.2f} {self.count:>6}"
        )


def run_one(condition: str, sales: int, warmup: int, gap_ms: int) -> dict[str, Any]:
    command = [
        sys.executable, str(Path(__file__).resolve()), "--child", condition,
        "--sales", str(sales), "--warmup", str(warmup), "--gap-ms", str(gap_ms),
    ]  # fmt: skip
    print(f"# {condition}: {sales} sales; load avg {load_average()} before", flush=True)
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8")
    result: dict[str, Any] | None = None
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line.removeprefix(RESULT_PREFIX))
        elif line.strip():
            print(f"  [{condition}] {line}")
    if done.returncode != 0 or result is None:
        raise RuntimeError(f"the {condition} child failed ({done.returncode}):\n{done.stderr}")
    print(f"# {condition}: done; load avg {load_average()} after", flush=True)
    return result


def merge(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {
        "painted_ms": [],
        "signal_ms": [],
        "active": [],
        "print_ms": [],
        "sync_ms": [],
        "notes": [],
        "loads": [],
        "extra": [],
    }
    for r in results:
        for key in ("painted_ms", "signal_ms", "active", "print_ms", "sync_ms", "notes"):
            merged[key].extend(r[key])
        merged["loads"].append(f"{r['load_before']} -> {r['load_after']}")
        merged["extra"].append({k: v for k, v in r.items() if k in EXTRA_KEYS})
        if "backup_ms" in r:
            merged.setdefault("backup_ms", []).extend(r["backup_ms"])
    return merged


def report(conditions: Sequence[str], merged: dict[str, dict[str, Any]], gap_ms: int) -> None:
    print()
    print(f"confirm to ready + repainted, ms ({gap_ms} ms from ready to the next tap)")
    head = f"{'p50':>8} {'p90':>8} {'p99':>8} {'max':>8} {'mean':>8} {'n':>6}"
    print(f"  {'condition':<26} {head}")
    stats: dict[str, Stats] = {}
    for name in conditions:
        m = merged[name]
        stats[name] = Stats.of(m["painted_ms"])
        print(f"  {name:<26} {stats[name].cells()}")
        if name != "idle":
            during = [v for v, on in zip(m["painted_ms"], m["active"], strict=True) if on]
            what = {
                "stalled": "sync request hanging",
                "enrol": "enrolment in flight",
                "backup": "backup overlapping",
                "backup-thread": "backup overlapping",
            }[name]
            print(f"    {'only: ' + what:<24} {Stats.of(during).cells()}")
    print(f"  {'at signal (before repaint)':<26}")
    for name in conditions:
        print(f"    {name:<24} {Stats.of(merged[name]['signal_ms']).cells()}")
    if "idle" in stats:
        base = stats["idle"]
        print()
        print("  ratio to idle (all timed sales)      p50      p90      p99")
        for name in conditions:
            if name == "idle":
                continue
            s = stats[name]
            print(
                f"    {name + '/idle':<32} {s.p50 / base.p50:>7.2f}x {s.p90 / base.p90:>7.2f}x "
                f"{s.p99 / base.p99:>7.2f}x"
            )
    print()
    print("  in force during the timed sales, and what ran")
    for name in conditions:
        m = merged[name]
        on = sum(m["active"])
        extra = "; ".join(json.dumps(e, ensure_ascii=False) for e in m["extra"])
        line = (
            f"    {name:<8} {on}/{len(m['active'])} sales" if name != "idle" else f"    {name:<8}"
        )
        print(f"{line}   {extra}")
        if "backup_ms" in m:
            b = Stats.of(m["backup_ms"])
            print(f"             backup run ms: p50 {b.p50:.1f}, p90 {b.p90:.1f}, max {b.max:.1f}")
        p, s = Stats.of(m["print_ms"]), Stats.of(m["sync_ms"])
        print(
            f"             receipt printed p50 {p.p50:.0f} ms ({p.count}); "
            f"at the county p50 {s.p50:.0f} ms ({s.count})"
        )
        print(f"             load avg per child: {', '.join(m['loads'])}")
        for note in m["notes"]:
            print(f"             note: {note}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sales", type=int, default=400, help="timed sales per condition")
    parser.add_argument("--warmup", type=int, default=10, help="untimed sales per child")
    parser.add_argument("--gap-ms", type=int, default=300, help="ready to next tap (300)")
    parser.add_argument("--rounds", type=int, default=2, help="conditions in turn (default 2)")
    parser.add_argument("--conditions", default=",".join(CONDITIONS))
    parser.add_argument("--child", choices=CONDITIONS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        result = run_child(args.child, args.sales, args.warmup, args.gap_ms)
        print(RESULT_PREFIX + json.dumps(result), flush=True)
        return 0
    conditions = [c.strip() for c in args.conditions.split(",") if c.strip()]
    if not conditions or any(c not in CONDITIONS for c in conditions):
        parser.error(f"--conditions: some of {', '.join(CONDITIONS)}")
    if args.sales < args.rounds or args.rounds < 1 or args.gap_ms < 0:
        parser.error("--sales must be >= --rounds >= 1 and --gap-ms >= 0")

    print("machine")
    for key, value in machine_facts():
        print(f"  {key:<11} {value}")
    print(f"  load avg    {load_average()} (1/5/15 min, at start)")
    print()
    per_round = [
        args.sales // args.rounds + (r < args.sales % args.rounds) for r in range(args.rounds)
    ]
    results: dict[str, list[dict[str, Any]]] = {c: [] for c in conditions}
    for index, sales in enumerate(per_round):
        order = conditions if index % 2 == 0 else list(reversed(conditions))
        for condition in order:
            results[condition].append(run_one(condition, sales, args.warmup, args.gap_ms))
    merged = {c: merge(results[c]) for c in conditions}
    report(conditions, merged, args.gap_ms)
    print()
    print(f"load avg at the end: {load_average()} (1/5/15 min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
