"""County server ingest: real booths flushing to it, and many booths at once, beside bare inserts.

Usage::

    python bench/sync_server.py [--scenario flush|booths|all] [--backends sqlite,postgresql]
                                [--sales 10000] [--booths 50] [--per-booth 1000]
                                [--workers 3] [--clients 4] [--repeat 1]

Scenario **flush**: one booth ledger (the demo booth, a three-line sale rung up by the app and
copied to ``--sales`` pending sales with their outbox entries) is enrolled with a county
server started in a child process (``county-server serve``, one worker), and
``sync_client.sync_once`` flushes it: batches of 100, gzip, one HTTP request and one server
transaction per batch, every answer applied to the booth's outbox. Timed end to end. Beside it,
the same document and sale-line rows are inserted into a fresh county schema with the bare
driver (``sqlite3`` / ``psycopg``), 100 documents per transaction, no HTTP and no checks: the
floor for the same writes.

Scenario **booths**: ``--booths`` devices, each enrolled, each sending ``--per-booth`` sales as
batches of 100 (oldest first, one request at a time per booth, as the sync client does), all at
once, from ``--clients`` client processes, to a PostgreSQL server with ``--workers`` worker
processes. Bodies are built and gzipped before the clock starts. Ingest rate = sales / wall
time from the start signal to the last answer. Beside it, plain psycopg inserting the same rows
(100 per transaction, one connection) in the same run.

PostgreSQL: 127.0.0.1:5432, user postgres; a scratch database is created and dropped.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import json
import multiprocessing
import os
import platform
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import text
from sqlalchemy.orm import Session

from booth_pos.domain.cart import CartLine
from booth_pos.domain.pricing import TenderIn, TenderMethod
from booth_pos.services import booth, demo, sales, sync_client
from booth_pos.services.ledger import Ledger
from sync.protocol import BatchItem, canonical_json, sha256_hex
from sync.server import devices
from sync.server.db import open_database
from sync.server.ingest import DeviceInfo, _check_item

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=test connect_timeout=5"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
AIM_FLUSH_S = 10.0
AIM_RATE = 2000.0
CART = (("101", "1.25kg"), ("201", "2"), ("601", "750g"))


# --- servers and databases ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def county_server(url: str, workers: int, log: Path) -> Iterator[str]:
    port = free_port()
    command = [
        sys.executable, "-m", "sync.server.cli", "serve", "--db", url, "--port", str(port),
        "--workers", str(workers), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    with open(log, "ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=out, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{base}/healthz", timeout=1).ok:
                    break
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"county server did not start; see {log}")
            time.sleep(0.1)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)


@contextlib.contextmanager
def scratch_database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        path = folder / f"county-{uuid.uuid4().hex[:6]}.sqlite"
        yield f"sqlite:///{path}"
        return
    import psycopg

    name = f"county_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_URL.format(name=name)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the booth ---------------------------------------------------------------------------------


def demo_ledger(folder: Path, count: int) -> Ledger:
    """The demo booth with `count` pending sales: one rung up by the app, the rest copies of it
    (new UUIDs, seqs, receipt numbers) with their own outbox entries."""
    ledger = Ledger.open(folder)

    def setup(session: Session) -> None:
        booth.init_booth(session, "LX01", "后湖莲藕摊", "莲花镇")
        demo.load_demo(session)

    ledger.write(setup)
    cart = [CartLine.parse(code, qty) for code, qty in CART]
    ledger.write(sales.ring_up, cart, [TenderIn(TenderMethod.CASH, 20_000)])
    conn = sqlite3.connect(ledger.db_path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        device_id, next_seq = conn.execute("SELECT id, next_seq FROM devices").fetchone()
        sale_id, payload = conn.execute("SELECT doc_id, payload FROM outbox").fetchone()
        sale = conn.execute("SELECT * FROM sales WHERE id = ?", (sale_id,)).fetchone()
        names = [d[0] for d in conn.execute("SELECT * FROM sales LIMIT 0").description]
        template = json.loads(payload)
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
        for seq in range(next_seq, next_seq + count - 1):
            new_id = str(uuid.uuid4())
            row = dict(zip(names, sale, strict=True))
            row.update(id=new_id, seq=seq, receipt_no=f"LX01-{seq:06d}")
            conn.execute(
                f"INSERT INTO sales ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
            doc = {**template, "sale_id": new_id, "seq": seq, "receipt_no": f"LX01-{seq:06d}"}
            body = canonical_json(doc)
            conn.execute(
                "INSERT INTO outbox (device_id, seq, doc_kind, doc_id, payload, sha256, state, "
                "created_at) VALUES (?, ?, 'sale', ?, ?, ?, 'pending', ?)",
                (device_id, seq, new_id, body, sha256_hex(body), now),
            )
        conn.execute("UPDATE devices SET next_seq = ?", (next_seq + count - 1,))
        conn.execute("COMMIT")
    finally:
        conn.close()
    return ledger


def sale_doc(till: str, seq: int, booth_code: str) -> dict[str, Any]:
    """A three-line sale shaped like the booth's outbox payload."""
    lines = [
        (1, "101", "莲藕", "Lotus root", "jin", "", 1250, 350, 875, "李桂兰"),
        (2, "201", "槐花蜜", "Acacia honey", "item", "罐", 2, 4500, 9000, "王建国家庭农场"),
        (3, "601", "鲜香菇", "Fresh shiitake", "jin", "", 750, 1200, 1800, "陈家庄食用菌合作社"),
    ]
    return {
        "kind": "sale", "seq": seq, "device_id": till, "sale_id": str(uuid.uuid4()),
        "receipt_no": f"{booth_code}-{seq:06d}", "booth_code": booth_code,
        "occurred_at": dt.datetime.now(dt.UTC).isoformat(), "utc_offset_min": 480,
        "operator_name": "李娜", "subtotal_fen": 11675, "round_down": "none",
        "round_down_fen": 0, "total_fen": 11675, "paid_fen": 20000, "change_fen": 8325,
        "lines": [
            {"line_no": n, "plu": plu, "name_zh": zh, "name_en": en, "unit": unit,
             "item_label_zh": label, "quantity": qty, "unit_price_fen": price,
             "amount_fen": amount, "household_name": household}
            for n, plu, zh, en, unit, label, qty, price, amount, household in lines
        ],
        "tenders": [{"method": "cash", "amount_fen": 20000, "change_fen": 8325}],
    }  # fmt: skip


def batch_body(docs: list[dict[str, Any]]) -> dict[str, Any]:
    items = []
    for doc in docs:
        text_ = canonical_json(doc)
        items.append(
            {"doc_id": doc["sale_id"], "seq": doc["seq"], "kind": "sale",
             "sha256": sha256_hex(text_), "doc": doc}
        )  # fmt: skip
    return {
        "batch_id": str(uuid.uuid4()),
        "first_seq": docs[0]["seq"],
        "last_seq": docs[-1]["seq"],
        "device_sent_at": dt.datetime.now(dt.UTC).isoformat(),
        "items": items,
    }


# --- bare inserts: the floor -------------------------------------------------------------------


def county_rows(
    bodies: Sequence[dict[str, Any]], device_id: str, till: str, booth_code: str
) -> list[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """The document and sale-line rows the server writes for each batch (computed up front)."""
    info = DeviceInfo(device_id, booth_code, "莲花镇", "", till, None)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    out = []
    for body in bodies:
        docs, lines = [], []
        for raw in body["items"]:
            checked = _check_item(BatchItem.model_validate(raw), info, body["batch_id"], now)
            assert not isinstance(checked, str), checked
            docs.append(checked.row)
            lines.extend(checked.lines)
        out.append((docs, lines))
    return out


def bare_inserts(
    url: str, batches: list[tuple[list[dict[str, Any]], list[dict[str, Any]]]]
) -> float:
    """Seconds to insert the rows with the bare driver, one transaction per batch."""
    if not batches:
        return 0.0
    doc_cols = list(batches[0][0][0])
    line_cols = list(batches[0][1][0])
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        marks = "?"
        start = time.perf_counter()
        for docs, lines in batches:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                _insert_sql("documents", doc_cols, marks), [_values(r, doc_cols) for r in docs]
            )
            conn.executemany(
                _insert_sql("sale_lines", line_cols, marks), [_values(r, line_cols) for r in lines]
            )
            conn.execute("COMMIT")
        elapsed = time.perf_counter() - start
        conn.close()
        return elapsed
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as pg:
        start = time.perf_counter()
        for docs, lines in batches:
            with pg.transaction(), pg.cursor() as cur:
                cur.executemany(
                    _insert_sql("documents", doc_cols, "%s"), [_values(r, doc_cols) for r in docs]
                )
                cur.executemany(
                    _insert_sql("sale_lines", line_cols, "%s"),
                    [_values(r, line_cols) for r in lines],
                )
        return time.perf_counter() - start


def _insert_sql(table: str, cols: list[str], mark: str) -> str:
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))})"


def _values(row: dict[str, Any], cols: list[str]) -> tuple[Any, ...]:
    return tuple(row[c] for c in cols)


@contextlib.contextmanager
def floor_database(
    kind: str, folder: Path, device_id: str, till: str, booth_code: str
) -> Iterator[str]:
    """A fresh county schema holding just the device row, for the bare inserts."""
    with scratch_database(kind, folder) as url:
        engine = open_database(url)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO devices (id, booth_code, town, name, token_hash, created_at, "
                    "till_id, app_version) "
                    "VALUES (:id, :code, '莲花镇', '', :hash, :now, :till, '')"
                ),
                {
                    "id": device_id,
                    "code": booth_code,
                    "hash": uuid.uuid4().hex,
                    "now": dt.datetime.now(),
                    "till": till,
                },
            )
        engine.dispose()
        yield url


# --- scenario: one booth flushes ---------------------------------------------------------------


def flush(kind: str, count: int, folder: Path) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(dir=folder))
    ledger = demo_ledger(work / "booth", count)
    with scratch_database(kind, work) as url:
        engine = open_database(url)
        device_id, token = devices.add_device(engine, "LX01", "莲花镇")
        with county_server(url, 1, work / "server.log") as base:
            options = sync_client.SyncOptions()
            sync_client.enroll(ledger, base, device_id, token, options=options)
            start = time.perf_counter()
            report = sync_client.sync_once(ledger, options, force=True)
            elapsed = time.perf_counter() - start
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT count(*) FROM documents")).scalar_one()
        engine.dispose()
    assert report.error == "" and report.accepted == count == stored, (report, stored)
    # The same rows with the bare driver.
    with sqlite3.connect(ledger.db_path) as conn:
        till = conn.execute("SELECT id FROM devices").fetchone()[0]
        payloads = [
            json.loads(p) for (p,) in conn.execute("SELECT payload FROM outbox ORDER BY seq")
        ]
    ledger.close()
    bodies = [batch_body(payloads[i : i + 100]) for i in range(0, len(payloads), 100)]
    floor_id = str(uuid.uuid4())
    rows = county_rows(bodies, floor_id, till, "LX01")
    with floor_database(kind, work, floor_id, till, "LX01") as floor_url:
        bare = bare_inserts(floor_url, rows)
    return {
        "scenario": "flush", "backend": kind, "sales": count, "batches": report.sent_batches,
        "seconds": elapsed, "rate": count / elapsed, "bare_seconds": bare,
        "bare_rate": count / bare, "ratio": elapsed / bare,
    }  # fmt: skip


# --- scenario: many booths at once -------------------------------------------------------------


def _client(
    jobs: list[tuple[str, str, list[bytes]]], base: str, ready: Any, go: Any, out: Any
) -> None:
    """One client process: its booths' batches, each booth's in order, threads per booth."""
    import threading

    results: list[tuple[int, float]] = []
    lock = threading.Lock()

    def run(device_id: str, token: str, bodies: list[bytes]) -> None:
        session = requests.Session()
        headers = {"Authorization": f"Bearer {token}", "X-Sync-Protocol": "1",
                   "Content-Type": "application/json", "Content-Encoding": "gzip"}  # fmt: skip
        accepted = 0
        for body in bodies:
            response = session.post(
                f"{base}/api/v1/devices/{device_id}/batches",
                data=body,
                headers={**headers, "Idempotency-Key": _batch_id(body)},
                timeout=120,
            )
            response.raise_for_status()
            accepted += sum(r["status"] == "accepted" for r in response.json()["results"])
        with lock:
            results.append((accepted, time.time()))

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    ready.wait()
    go.wait()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put(results)


def _batch_id(body: bytes) -> str:
    return str(json.loads(gzip.decompress(body))["batch_id"])


def many_booths(
    booths: int, per_booth: int, workers: int, clients: int, folder: Path
) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(dir=folder))
    with scratch_database("postgresql", work) as url:
        engine = open_database(url)
        with county_server(url, workers, work / "server.log") as base:
            jobs: list[tuple[str, str, list[bytes]]] = []
            all_bodies: list[tuple[str, str, str, list[dict[str, Any]]]] = []
            for n in range(booths):
                code = f"B{n:03d}"
                device_id, token = devices.add_device(engine, code, "莲花镇")
                till = str(uuid.uuid4())
                enrolled = requests.post(
                    f"{base}/api/v1/devices/{device_id}/enroll",
                    json={"till_id": till, "booth_code": code},
                    headers={"Authorization": f"Bearer {token}", "X-Sync-Protocol": "1"},
                    timeout=30,
                )
                enrolled.raise_for_status()
                docs = [sale_doc(till, seq, code) for seq in range(1, per_booth + 1)]
                bodies = [batch_body(docs[i : i + 100]) for i in range(0, len(docs), 100)]
                jobs.append(
                    (
                        device_id,
                        token,
                        [gzip.compress(json.dumps(b, ensure_ascii=False).encode()) for b in bodies],
                    )
                )
                all_bodies.append((device_id, till, code, bodies))
            context = multiprocessing.get_context("spawn")
            ready = context.Barrier(clients + 1)
            go = context.Event()
            out = context.Queue()
            procs = [
                context.Process(target=_client, args=(jobs[i::clients], base, ready, go, out))
                for i in range(clients)
            ]
            for proc in procs:
                proc.start()
            ready.wait()
            start = time.time()
            go.set()
            results = [item for _ in procs for item in out.get(timeout=600)]
            for proc in procs:
                proc.join(60)
            elapsed = max(done for _, done in results) - start
        accepted = sum(count for count, _ in results)
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT count(*) FROM documents")).scalar_one()
        engine.dispose()
    total = booths * per_booth
    assert accepted == stored == total, (accepted, stored, total)
    # The same rows through plain psycopg, in the same run.
    rows: list[tuple[list[dict[str, Any]], list[dict[str, Any]]]] = []
    floor_id = str(uuid.uuid4())
    for _device_id, till, code, bodies in all_bodies:
        rows.extend(county_rows(bodies, floor_id, till, code))
    with floor_database("postgresql", work, floor_id, "-", "LX01") as floor_url:
        bare = bare_inserts(floor_url, rows)
    return {
        "scenario": "booths", "backend": f"postgresql, {workers} workers", "booths": booths,
        "sales": total, "seconds": elapsed, "rate": total / elapsed, "bare_seconds": bare,
        "bare_rate": total / bare, "ratio": elapsed / bare, "clients": clients,
    }  # fmt: skip


# --- main --------------------------------------------------------------------------------------


def machine() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, load {load[0]:.2f}"
    )


def report(result: dict[str, Any]) -> str:
    head = (
        f"{result['scenario']:<7} {result['backend']:<22} {result['sales']:>6} sales: "
        f"{result['seconds']:6.2f} s = {result['rate']:7.0f} sales/s | bare "
        f"{result['bare_seconds']:5.2f} s = {result['bare_rate']:7.0f} sales/s | "
        f"{result['ratio']:.1f}x the bare inserts"
    )
    if result["scenario"] == "flush":
        verdict = "met" if result["seconds"] < AIM_FLUSH_S else "MISSED"
        return f"{head} | aim < {AIM_FLUSH_S:.0f} s: {verdict}"
    verdict = "met" if result["rate"] >= AIM_RATE else "MISSED"
    return f"{head} | aim >= {AIM_RATE:.0f}/s: {verdict}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scenario", choices=("flush", "booths", "all"), default="all")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--sales", type=int, default=10_000)
    parser.add_argument("--booths", type=int, default=50)
    parser.add_argument("--per-booth", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    print(f"# {machine()}", flush=True)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for _ in range(args.repeat):
            if args.scenario in ("flush", "all"):
                for kind in args.backends.split(","):
                    results.append(flush(kind.strip(), args.sales, folder))
                    print(report(results[-1]), flush=True)
            if args.scenario in ("booths", "all"):
                results.append(
                    many_booths(args.booths, args.per_booth, args.workers, args.clients, folder)
                )
                print(report(results[-1]), flush=True)
    print(f"# {machine()}")
    if args.json:
        print(json.dumps(results, indent=2))
    missed = [r for r in results if "MISSED" in report(r)]
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
