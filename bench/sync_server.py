"""County server ingest: real booths flushing to it, and many booths at once, beside bare inserts.

Usage::

    python bench/sync_server.py [--scenario flush|booths|all] [--backends sqlite,postgresql]
                                [--sales 10000] [--booths 50] [--per-booth 1000]
                                [--workers 3] [--clients 4] [--repeat 1]

Scenario **flush**: one booth ledger (the demo booth, a three-line sale rung up by the app and
copied to ``--sales`` pending sales with their outbox entries) is enrolled with a county
server started in a child process (``county-server serve --host 127.0.0.1``, one worker), and
``sync_client.sync_once`` flushes it: batches of 100, gzip, one HTTP request and one server
transaction per batch, every answer applied to the booth's outbox. Timed end to end (body
building and gzip included). Beside it, the same rows the server writes (per batch: the batch
row, the documents, the sale lines, the stored answer; computed up front with the server's own
checks) are written into a fresh county schema with the bare driver (``sqlite3`` /
``psycopg``) on one connection, as the one server worker has, one transaction per batch, no
HTTP and no checks: the floor for the same writes.

Scenario **booths**: ``--booths`` devices, each enrolled, each sending ``--per-booth`` sales as
batches of 100 (oldest first, one request at a time per booth, as the sync client does), all at
once, from ``--clients`` client processes, to a PostgreSQL server with ``--workers`` worker
processes. The documents are frozen up front (canonical JSON and hash, as in a booth's
outbox); building each request body and gzipping it (level 6, as ``sync_client`` does) happens
per request inside the timed region, as it does at the booth. Ingest rate = sales / wall time
from the start signal to the last answer. Beside it, plain psycopg writing the same rows
(per batch, one transaction: the batch row, the documents, the sale lines and the stored answer)
on ``--workers`` connections, each in its own process, each booth's batches on one connection,
timed from a start signal to the last one finishing.

Everything is on 127.0.0.1: the county server is started with ``--host 127.0.0.1``, HTTP
sessions ignore proxy settings from the environment, and PostgreSQL is reached over TCP on
127.0.0.1. The load average is printed at the start, after each scenario and at the end.

PostgreSQL: 127.0.0.1:5432, user postgres; scratch databases are created and dropped.
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
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

if __package__ in (None, ""):  # run as `python bench/sync_server.py`: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.loopback import HOST, county_server, http_session
from booth_pos.domain.cart import CartLine
from booth_pos.domain.pricing import TenderIn, TenderMethod
from booth_pos.services import booth, demo, sales, sync_client
from booth_pos.services.ledger import Ledger
from sync.protocol import (
    PROTOCOL_VERSION,
    BatchRequest,
    BatchResponse,
    ItemResult,
    ItemStatus,
    canonical_json,
    sha256_hex,
)
from sync.server import devices
from sync.server.db import open_database
from sync.server.ingest import DeviceInfo, _check_item

PG_ADMIN = f"host={HOST} port=5432 user=postgres dbname=test connect_timeout=5"
PG_URL = f"postgresql+psycopg://postgres@{HOST}:5432/{{name}}"
GZIP_LEVEL = 6  # what sync_client._Client.post_batch uses
AIM_FLUSH_S = 10.0
AIM_RATE = 2000.0
CART = (("101", "1.25kg"), ("201", "2"), ("601", "750g"))


# --- servers and databases ---------------------------------------------------------------------


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


# A batch as a booth holds it before sending: its id and each document's frozen JSON
# (doc_id, seq, kind, sha256, payload), as in the booth's outbox.
Frozen = tuple[str, int, int, list[tuple[str, int, str, str, str]]]


def frozen_batch(body: dict[str, Any]) -> Frozen:
    items = [
        (i["doc_id"], i["seq"], i["kind"], i["sha256"], canonical_json(i["doc"]))
        for i in body["items"]
    ]
    return body["batch_id"], body["first_seq"], body["last_seq"], items


def request_body(frozen: Frozen) -> bytes:
    """What the booth does per upload: the body as `sync_client._batch_body` splices it, then
    gzip as `_Client.post_batch` does. Runs inside the timed region."""
    batch_id, _first_seq, _last_seq, rows = frozen
    body = sync_client.splice_batch(batch_id, rows, dt.datetime.now(dt.UTC).replace(tzinfo=None))
    return gzip.compress(body, compresslevel=GZIP_LEVEL)


# --- bare inserts: the floor -------------------------------------------------------------------

# One batch as the server writes it: its batch row, the document rows, the sale-line rows and
# the stored answer (written into the batch row at the end, as `ingest_batch` does).
BareBatch = tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]], str]


def county_rows(
    bodies: Sequence[dict[str, Any]], device_id: str, till: str, booth_code: str
) -> list[BareBatch]:
    """The rows the server writes for each batch, computed up front with its own checks."""
    info = DeviceInfo(device_id, booth_code, "莲花镇", "", till, None)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    out: list[BareBatch] = []
    for body in bodies:
        request = BatchRequest.model_validate(body)
        docs, lines, results = [], [], []
        for item in request.items:
            checked = _check_item(item, info, body["batch_id"], now)
            assert not isinstance(checked, str), checked
            docs.append(checked.row)
            lines.extend(checked.lines)
            results.append(ItemResult(doc_id=item.doc_id, seq=item.seq, status=ItemStatus.ACCEPTED))
        sent = request.device_sent_at.astimezone(dt.UTC).replace(tzinfo=None)
        batch_row: dict[str, Any] = {
            "device_id": device_id, "batch_id": request.batch_id.lower(),
            "fingerprint": request.fingerprint(), "first_seq": request.first_seq,
            "last_seq": request.last_seq, "item_count": len(request.items),
            "protocol": PROTOCOL_VERSION, "received_at": now, "device_sent_at": sent,
            "clock_skew_s": 0, "clock_skew_flagged": False, "response": "",
        }  # fmt: skip
        answer = BatchResponse(
            batch_id=batch_row["batch_id"],
            results=results,
            acked_through_seq=request.last_seq,
            received_at=now,
        ).model_dump_json()
        out.append((batch_row, docs, lines, answer))
    return out


def _bare_batch(cur: Any, mark: str, batch: BareBatch) -> None:
    """One batch's statements inside the caller's transaction."""
    batch_row, docs, lines, answer = batch
    batch_cols, doc_cols, line_cols = list(batch_row), list(docs[0]), list(lines[0])
    cur.execute(_insert_sql("batches", batch_cols, mark), _values(batch_row, batch_cols))
    cur.executemany(_insert_sql("documents", doc_cols, mark), [_values(r, doc_cols) for r in docs])
    cur.executemany(
        _insert_sql("sale_lines", line_cols, mark), [_values(r, line_cols) for r in lines]
    )
    cur.execute(
        f"UPDATE batches SET response = {mark} WHERE device_id = {mark} AND batch_id = {mark}",
        (answer, batch_row["device_id"], batch_row["batch_id"]),
    )


def bare_inserts(url: str, batches: Sequence[BareBatch]) -> float:
    """Seconds to write the rows with the bare driver on one connection, one transaction per
    batch (as one server worker does)."""
    if not batches:
        return 0.0
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        start = time.perf_counter()
        for batch in batches:
            conn.execute("BEGIN IMMEDIATE")
            _bare_batch(conn, "?", batch)
            conn.execute("COMMIT")
        elapsed = time.perf_counter() - start
        conn.close()
        return elapsed
    import psycopg

    with psycopg.connect(_dsn(url)) as pg:
        start = time.perf_counter()
        for batch in batches:
            with pg.transaction(), pg.cursor() as cur:
                _bare_batch(cur, "%s", batch)
        return time.perf_counter() - start


def _dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _bare_worker(dsn: str, batches: list[BareBatch], ready: Any, go: Any, out: Any) -> None:
    """One bare connection in its own process (as one server worker is a process)."""
    import psycopg

    with psycopg.connect(dsn) as pg:
        ready.wait()
        go.wait()
        for batch in batches:
            with pg.transaction(), pg.cursor() as cur:
                _bare_batch(cur, "%s", batch)
        out.put(time.time())


def bare_inserts_parallel(url: str, groups: Sequence[list[BareBatch]]) -> float:
    """Seconds from the start signal to the last of `len(groups)` connections finishing, each
    in its own process with its share of the batches (each booth's batches in order)."""
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(len(groups) + 1)
    go = context.Event()
    out = context.Queue()
    procs = [
        context.Process(target=_bare_worker, args=(_dsn(url), group, ready, go, out))
        for group in groups
    ]
    for proc in procs:
        proc.start()
    ready.wait()
    start = time.time()
    go.set()
    finished = [out.get(timeout=600) for _ in procs]
    for proc in procs:
        proc.join(60)
    return float(max(finished)) - start


def row_counts(url: str) -> dict[str, int]:
    """Rows in the tables a batch writes, to show both sides wrote the same."""
    engine = open_database(url)
    try:
        with engine.connect() as conn:
            return {
                table: int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
                for table in ("batches", "documents", "sale_lines")
            }
    finally:
        engine.dispose()


def _insert_sql(table: str, cols: list[str], mark: str) -> str:
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))})"


def _values(row: dict[str, Any], cols: list[str]) -> tuple[Any, ...]:
    return tuple(row[c] for c in cols)


@contextlib.contextmanager
def floor_database(
    kind: str, folder: Path, devices_: Sequence[tuple[str, str, str]]
) -> Iterator[str]:
    """A fresh county schema holding just the device rows (id, booth code, till id)."""
    with scratch_database(kind, folder) as url:
        engine = open_database(url)
        with engine.begin() as conn:
            for device_id, booth_code, till in devices_:
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
        with county_server(url, work / "server.log", workers=1) as server:
            options = sync_client.SyncOptions()
            sync_client.enroll(ledger, server.url, device_id, token, options=options)
            start = time.perf_counter()
            report = sync_client.sync_once(ledger, options, force=True)
            elapsed = time.perf_counter() - start
        server_rows = row_counts(url)
        engine.dispose()
    stored = server_rows["documents"]
    assert report.error == "" and report.accepted == count == stored, (report, stored)
    # The same rows with the bare driver, one connection (the server had one worker).
    with sqlite3.connect(ledger.db_path) as conn:
        till = conn.execute("SELECT id FROM devices").fetchone()[0]
        payloads = [
            json.loads(p) for (p,) in conn.execute("SELECT payload FROM outbox ORDER BY seq")
        ]
    ledger.close()
    bodies = [batch_body(payloads[i : i + 100]) for i in range(0, len(payloads), 100)]
    floor_id = str(uuid.uuid4())
    rows = county_rows(bodies, floor_id, till, "LX01")
    with floor_database(kind, work, [(floor_id, "LX01", till)]) as floor_url:
        bare = bare_inserts(floor_url, rows)
        bare_rows = row_counts(floor_url)
    assert bare_rows == server_rows, (bare_rows, server_rows)
    return {
        "scenario": "flush", "backend": kind, "sales": count, "batches": report.sent_batches,
        "seconds": elapsed, "rate": count / elapsed, "bare_seconds": bare,
        "bare_rate": count / bare, "ratio": elapsed / bare, "bare_connections": 1,
        "rows": server_rows,
    }  # fmt: skip


# --- scenario: many booths at once -------------------------------------------------------------


def _client(
    jobs: list[tuple[str, str, list[Frozen]]], base: str, ready: Any, go: Any, out: Any
) -> None:
    """One client process: its booths' batches, each booth's in order, threads per booth.

    Each request body is built from the frozen documents and gzipped inside the timed region,
    as the booth does it per upload."""
    import threading

    results: list[tuple[int, float]] = []
    lock = threading.Lock()

    def run(device_id: str, token: str, batches: list[Frozen]) -> None:
        session = http_session()
        headers = {"Authorization": f"Bearer {token}", "X-Sync-Protocol": "1",
                   "Content-Type": "application/json", "Content-Encoding": "gzip"}  # fmt: skip
        accepted = 0
        for frozen in batches:
            response = session.post(
                f"{base}/api/v1/devices/{device_id}/batches",
                data=request_body(frozen),
                headers={**headers, "Idempotency-Key": frozen[0]},
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


def many_booths(
    booths: int, per_booth: int, workers: int, clients: int, folder: Path
) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(dir=folder))
    with scratch_database("postgresql", work) as url:
        engine = open_database(url)
        with (
            county_server(url, work / "server.log", workers=workers) as server,
            http_session() as web,
        ):
            base = server.url
            jobs: list[tuple[str, str, list[Frozen]]] = []
            all_bodies: list[tuple[str, str, str, list[dict[str, Any]]]] = []
            for n in range(booths):
                code = f"B{n:03d}"
                device_id, token = devices.add_device(engine, code, "莲花镇")
                till = str(uuid.uuid4())
                enrolled = web.post(
                    f"{base}/api/v1/devices/{device_id}/enroll",
                    json={"till_id": till, "booth_code": code},
                    headers={"Authorization": f"Bearer {token}", "X-Sync-Protocol": "1"},
                    timeout=30,
                )
                enrolled.raise_for_status()
                docs = [sale_doc(till, seq, code) for seq in range(1, per_booth + 1)]
                bodies = [batch_body(docs[i : i + 100]) for i in range(0, len(docs), 100)]
                jobs.append((device_id, token, [frozen_batch(b) for b in bodies]))
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
        server_rows = row_counts(url)
        engine.dispose()
    stored = server_rows["documents"]
    total = booths * per_booth
    assert accepted == stored == total, (accepted, stored, total)
    # The same rows through plain psycopg, in the same run, on as many connections as the
    # server had workers (each in its own process), each booth's batches on one connection.
    per_booth_rows = [
        county_rows(bodies, device_id, till, code) for device_id, till, code, bodies in all_bodies
    ]
    groups: list[list[BareBatch]] = [[] for _ in range(workers)]
    for index, rows in enumerate(per_booth_rows):
        groups[index % workers].extend(rows)
    floor_devices = [(device_id, code, till) for device_id, till, code, _ in all_bodies]
    with floor_database("postgresql", work, floor_devices) as floor_url:
        bare = bare_inserts_parallel(floor_url, [g for g in groups if g])
        bare_rows = row_counts(floor_url)
    assert bare_rows == server_rows, (bare_rows, server_rows)
    return {
        "scenario": "booths", "backend": f"postgresql, {workers} workers", "booths": booths,
        "sales": total, "seconds": elapsed, "rate": total / elapsed, "bare_seconds": bare,
        "bare_rate": total / bare, "ratio": elapsed / bare, "clients": clients,
        "bare_connections": workers, "rows": server_rows,
    }  # fmt: skip


# --- main --------------------------------------------------------------------------------------


def load_average() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def machine() -> str:
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def report(result: dict[str, Any]) -> str:
    head = (
        f"{result['scenario']:<7} {result['backend']:<22} {result['sales']:>6} sales: "
        f"{result['seconds']:6.2f} s = {result['rate']:7.0f} sales/s | bare "
        f"{result['bare_seconds']:5.2f} s = {result['bare_rate']:7.0f} sales/s "
        f"({result['bare_connections']} conn.) | {result['ratio']:.1f}x the bare inserts"
        f" | rows each side: {result['rows']}"
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
    print(f"# load avg {load_average()} (1/5/15 min) at the start", flush=True)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for _ in range(args.repeat):
            if args.scenario in ("flush", "all"):
                for kind in args.backends.split(","):
                    before = load_average()
                    results.append(flush(kind.strip(), args.sales, folder))
                    print(f"{report(results[-1])} | load {before} -> {load_average()}", flush=True)
            if args.scenario in ("booths", "all"):
                before = load_average()
                results.append(
                    many_booths(args.booths, args.per_booth, args.workers, args.clients, folder)
                )
                print(f"{report(results[-1])} | load {before} -> {load_average()}", flush=True)
    print(f"# load avg {load_average()} (1/5/15 min) at the end")
    if args.json:
        print(json.dumps(results, indent=2))
    missed = [r for r in results if "MISSED" in report(r)]
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
