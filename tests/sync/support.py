"""Real county servers, a misbehaving proxy and the ledger invariant, for the sync tests.

* `ServerProcess`: ``county-server serve`` in a child process on a free loopback port.
* `FaultProxy`: an HTTP proxy on loopback in front of a server that fails on demand: answers
  500 / 503 / 426 without forwarding (before any commit), drops the answer after the server
  committed (a lost acknowledgement), holds it past the client's read timeout, refuses
  connections (server down), or does any of these at random (a flaky link).
* `assert_ledger_on_server`: Jepsen-style check of a booth's ledger against the server's final
  state, read with plain SQL on both sides.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import Engine, create_engine, text

from booth_pos.services.ledger import Ledger
from sync.server import devices

SERVER_START_DEADLINE_S = 40.0
PG_ADMIN_DSN = os.environ.get(
    "COUNTY_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=test connect_timeout=5"
)
PG_URL_BASE = os.environ.get("COUNTY_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ------------------------------------------------------------------------------------------
# The county server in a child process
# ------------------------------------------------------------------------------------------


class ServerProcess:
    """``python -m sync.server.cli serve`` on loopback; stopped (or killed) by the test."""

    def __init__(
        self,
        db_url: str,
        log_dir: Path,
        workers: int = 1,
        extra: tuple[str, ...] = (),
        port: int | None = None,
        access_log: bool = False,
    ) -> None:
        self.access_log = access_log
        self.db_url = db_url
        self.port = port or free_port()
        self.workers = workers
        self.extra = extra
        self.log_path = log_dir / f"county-server-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerProcess:
        command = [
            sys.executable, "-m", "sync.server.cli", "serve", "--db", self.db_url,
            "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(self.workers),
            "--log-level", "info" if self.access_log else "warning", *self.extra,
        ]  # fmt: skip
        if not self.access_log:
            command.append("--no-access-log")
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + SERVER_START_DEADLINE_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"county server exited at start:\n{self.log()}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"county server did not start in time:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def _signal(self, sig: int) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)

    def kill(self) -> None:
        """SIGKILL the server and its workers, mid-request if need be."""
        self._signal(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(10)

    def stop(self) -> None:
        self._signal(signal.SIGTERM)
        if self.process is None:
            return
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.kill()


@contextlib.contextmanager
def running_server(
    db_url: str,
    log_dir: Path,
    workers: int = 1,
    extra: tuple[str, ...] = (),
    access_log: bool = False,
) -> Iterator[ServerProcess]:
    server = ServerProcess(db_url, log_dir, workers, extra, access_log=access_log).start()
    try:
        yield server
    finally:
        server.stop()


# ------------------------------------------------------------------------------------------
# PostgreSQL: one fresh database per test run
# ------------------------------------------------------------------------------------------


def create_pg_database() -> str:
    """A new empty database on the local PostgreSQL; fails (never skips) if it is not there."""
    import psycopg

    name = f"county_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        raise RuntimeError(
            "PostgreSQL is not reachable on 127.0.0.1:5432 (user postgres, database test); "
            f"the server tests need it (.ci/run starts it): {exc}"
        ) from exc
    return name


def drop_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ------------------------------------------------------------------------------------------
# A county as the tests see it: a running server plus direct access to its database
# ------------------------------------------------------------------------------------------


@dataclass
class County:
    server: ServerProcess
    engine: Engine
    backend: str

    @property
    def url(self) -> str:
        return self.server.url

    def add_device(
        self, booth_code: str = "LX01", town: str = "莲花镇", name: str = "后湖莲藕摊"
    ) -> tuple[str, str]:
        return devices.add_device(self.engine, booth_code, town, name)

    def revoke(self, device_id: str) -> None:
        devices.revoke_device(self.engine, device_id)

    def documents(self, till_id: str) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT doc_id, seq, kind, sha256, amount_fen, device_id FROM documents "
                    "WHERE till_id = :till ORDER BY seq"
                ),
                {"till": till_id},
            ).mappings()
            return [dict(row) for row in rows]

    def count(self, sql: str, **params: Any) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(text(sql), params).scalar_one())


def county_engine(db_url: str) -> Engine:
    return create_engine(db_url, pool_pre_ping=True)


# ------------------------------------------------------------------------------------------
# The fault-injecting proxy
# ------------------------------------------------------------------------------------------


@dataclass
class Fault:
    kind: str  # status | drop_before | drop_after | delay_after
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b'{"error":"internal","detail":"injected","reasons":[]}'
    delay_s: float = 0.0
    path_contains: str = "/batches"


@dataclass
class Exchange:
    method: str
    path: str
    fault: str  # "" when forwarded as is
    status: int | None  # what the client got (None: nothing)
    replayed: bool = False
    forwarded: bool = False
    at: float = 0.0


class _ProxyServer(ThreadingHTTPServer):
    """A thread per connection, as ThreadingHTTPServer, but each one kept (with its socket), so
    that `FaultProxy.stop` can cut the connections and join the threads."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self.connections: list[tuple[threading.Thread, socket.socket]] = []
        self.connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name=f"fault-proxy-{self.server_address[1]}-connection",
            daemon=True,
        )
        with self.connections_lock:
            self.connections = [(t, s) for t, s in self.connections if t.is_alive()]
            self.connections.append((thread, request))
        thread.start()

    def close_connections(self, timeout: float) -> None:
        with self.connections_lock:
            connections, self.connections = self.connections, []
        for _thread, sock in connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for thread, _sock in connections:
            thread.join(max(0.0, deadline - time.monotonic()))


class FaultProxy:
    """HTTP/1.1 proxy on 127.0.0.1 in front of one upstream server."""

    def __init__(self, upstream_port: int, seed: int = 1) -> None:
        self.upstream_port = upstream_port
        self.faults: deque[Fault] = deque()
        self.down = False
        self.flaky = 0.0  # share of batch posts that fail at random
        self.slow_s = 0.0  # hold every batch answer this long (a slow link)
        # Called with the batch number once a batch post has reached the server, before its
        # answer is read: the place to kill the server mid-batch.
        self.on_forward: Callable[[int], None] | None = None
        self.forwarded_batches = 0
        self.rng = random.Random(seed)
        self.exchanges: list[Exchange] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()  # cuts short an answer being held back
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                proxy._handle(self)

            def do_POST(self) -> None:
                proxy._handle(self)

        self.httpd = _ProxyServer(("127.0.0.1", 0), Handler)
        self.port = int(self.httpd.server_address[1])
        self.thread = threading.Thread(
            target=self.httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fault-proxy-{self.port}",
            daemon=True,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, cut the open connections and wait for every thread of the proxy."""
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.httpd.close_connections(timeout=10)
        self.thread.join(10)

    def inject(self, *faults: Fault) -> None:
        with self.lock:
            self.faults.extend(faults)

    def batch_posts(self) -> list[Exchange]:
        with self.lock:
            return [e for e in self.exchanges if e.method == "POST" and "/batches" in e.path]

    def _next_fault(self, path: str) -> Fault | None:
        with self.lock:
            if self.down:
                return Fault("drop_before", path_contains="")
            if self.faults and self.faults[0].path_contains in path:
                return self.faults.popleft()
            if self.flaky and "/batches" in path and self.rng.random() < self.flaky:
                kind = self.rng.choice(("drop_before", "drop_after", "status"))
                return Fault(kind, status=self.rng.choice((500, 502, 503)))
            return None

    def _record(self, exchange: Exchange) -> None:
        exchange.at = time.monotonic()
        with self.lock:
            self.exchanges.append(exchange)

    @staticmethod
    def _drop(handler: BaseHTTPRequestHandler) -> None:
        handler.close_connection = True
        with contextlib.suppress(OSError):
            handler.connection.shutdown(socket.SHUT_RDWR)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        fault = self._next_fault(handler.path)
        kind = fault.kind if fault else ""
        if fault is not None and fault.kind == "drop_before":
            self._record(Exchange(handler.command, handler.path, kind, None))
            self._drop(handler)
            return
        if fault is not None and fault.kind == "status":
            self._record(Exchange(handler.command, handler.path, kind, fault.status))
            handler.send_response(fault.status)
            for name, value in {"Content-Type": "application/json", **fault.headers}.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(fault.body)))
            handler.end_headers()
            handler.wfile.write(fault.body)
            return
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=60)
        try:
            headers = {k: v for k, v in handler.headers.items() if k.lower() != "connection"}
            upstream.request(handler.command, handler.path, body=body or None, headers=headers)
            if "/batches" in handler.path and handler.command == "POST":
                with self.lock:
                    self.forwarded_batches += 1
                    number = self.forwarded_batches
                if self.on_forward is not None:
                    self.on_forward(number)
            response = upstream.getresponse()
            data = response.read()
            status, reply_headers = response.status, response.getheaders()
        except OSError:
            self._record(Exchange(handler.command, handler.path, "upstream_down", None))
            self._drop(handler)
            return
        finally:
            upstream.close()
        replayed = any(k.lower() == "idempotent-replayed" for k, _ in reply_headers)
        if fault is not None and fault.kind == "drop_after":
            self._record(Exchange(handler.command, handler.path, kind, None, replayed, True))
            self._drop(handler)
            return
        if fault is not None and fault.kind == "delay_after":
            self.stopping.wait(fault.delay_s)
        elif self.slow_s and "/batches" in handler.path:
            self.stopping.wait(self.slow_s)
        self._record(Exchange(handler.command, handler.path, kind, status, replayed, True))
        try:
            handler.send_response(status)
            for name, value in reply_headers:
                if name.lower() not in ("connection", "transfer-encoding", "date", "server"):
                    handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:
            self._drop(handler)


# ------------------------------------------------------------------------------------------
# Booth ledgers: many sales fast, and the invariant
# ------------------------------------------------------------------------------------------


def till_id(ledger: Ledger) -> str:
    with sqlite3.connect(ledger.db_path) as conn:
        return str(conn.execute("SELECT id FROM devices").fetchone()[0])


def clone_sales(ledger: Ledger, count: int) -> None:
    """Append `count` sales copied from the newest one (new UUIDs, seqs and receipt numbers),
    each with its own outbox entry, in one transaction. Much faster than ring_up for backlogs."""
    conn = sqlite3.connect(ledger.db_path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("BEGIN IMMEDIATE")
        device_id, next_seq = conn.execute("SELECT id, next_seq FROM devices").fetchone()
        sale_id, payload = conn.execute(
            "SELECT doc_id, payload FROM outbox WHERE doc_kind = 'sale' ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        sale = conn.execute("SELECT * FROM sales WHERE id = ?", (sale_id,)).fetchone()
        sale_cols = [d[0] for d in conn.execute("SELECT * FROM sales LIMIT 0").description]
        lines = conn.execute("SELECT * FROM sale_lines WHERE sale_id = ?", (sale_id,)).fetchall()
        line_cols = [d[0] for d in conn.execute("SELECT * FROM sale_lines LIMIT 0").description]
        tenders = conn.execute("SELECT * FROM tenders WHERE sale_id = ?", (sale_id,)).fetchall()
        tender_cols = [d[0] for d in conn.execute("SELECT * FROM tenders LIMIT 0").description]
        template = json.loads(payload)
        outbox_cols = [d[0] for d in conn.execute("SELECT * FROM outbox LIMIT 0").description]
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
        for seq in range(next_seq, next_seq + count):
            new_id = str(uuid.uuid4())
            receipt = f"{template['booth_code']}-{seq:06d}"
            row = dict(zip(sale_cols, sale, strict=True))
            row.update(id=new_id, seq=seq, receipt_no=receipt)
            _insert(conn, "sales", row)
            for line in lines:
                values = dict(zip(line_cols, line, strict=True))
                values.update(id=None, sale_id=new_id)
                _insert(conn, "sale_lines", values)
            for tender in tenders:
                values = dict(zip(tender_cols, tender, strict=True))
                values.update(id=None, sale_id=new_id)
                _insert(conn, "tenders", values)
            doc = {**template, "sale_id": new_id, "seq": seq, "receipt_no": receipt}
            text_ = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            values = dict.fromkeys(outbox_cols)
            values.update(
                device_id=device_id,
                seq=seq,
                doc_kind="sale",
                doc_id=new_id,
                payload=text_,
                sha256=hashlib.sha256(text_.encode()).hexdigest(),
                state="pending",
                created_at=now,
            )
            values.pop("id")
            _insert(conn, "outbox", values)
        conn.execute("UPDATE devices SET next_seq = ?", (next_seq + count,))
        conn.execute("COMMIT")
    finally:
        conn.close()


def _insert(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> None:
    names = [k for k in values if not (k == "id" and values[k] is None)]
    conn.execute(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
        [values[n] for n in names],
    )


def outbox_states(ledger: Ledger) -> dict[str, int]:
    with sqlite3.connect(ledger.db_path) as conn:
        return dict(conn.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())


def assert_ledger_on_server(
    ledger: Ledger, county: County, expect_rejected: int = 0, drained: bool = True
) -> None:
    """Every document the booth committed is on the server exactly once with the same content
    (or, with drained=False, still pending at the booth); per-till counts and sums match; the
    server holds nothing the booth did not write; rejected ones are kept at the booth."""
    with sqlite3.connect(ledger.db_path) as conn:
        till = str(conn.execute("SELECT id FROM devices").fetchone()[0])
        local = {
            doc_id: (seq, kind, sha, state)
            for doc_id, seq, kind, sha, state in conn.execute(
                "SELECT doc_id, seq, doc_kind, sha256, state FROM outbox"
            )
        }
        totals = dict(conn.execute("SELECT id, total_fen FROM sales").fetchall())
        sale_count = conn.execute("SELECT count(*) FROM sales").fetchone()[0]
    assert len(local) >= sale_count, "a sale without its outbox entry"
    server = {row["doc_id"]: row for row in county.documents(till)}
    assert len({row["seq"] for row in server.values()}) == len(server), "a seq twice on the server"
    strangers = set(server) - set(local)
    assert not strangers, f"the server holds documents the booth never wrote: {strangers}"
    for doc_id, row in server.items():
        assert row["sha256"] == local[doc_id][2], f"{doc_id} differs on the server"
    states: dict[str, int] = {}
    for doc_id, (_seq, _kind, _sha, state) in local.items():
        states[state] = states.get(state, 0) + 1
        if state == "synced":
            assert doc_id in server, f"{doc_id} is marked synced but the server lacks it"
        elif state == "rejected":
            assert doc_id not in server, f"{doc_id} is rejected yet on the server"
    assert states.get("rejected", 0) + states.get("conflict", 0) == expect_rejected, states
    if drained:
        assert states.get("pending", 0) == 0, f"documents left pending: {states}"
        on_server = [d for d, (_s, _k, _h, state) in local.items() if state == "synced"]
        assert len(server) == len(on_server)
        server_sales = [row for row in server.values() if row["kind"] == "sale"]
        local_synced_sales = [d for d in on_server if d in totals]
        assert len(server_sales) == len(local_synced_sales)
        assert sum(row["amount_fen"] for row in server_sales) == sum(
            totals[d] for d in local_synced_sales
        )


# ------------------------------------------------------------------------------------------
# Talking to the server directly (no booth): documents, batches, a device
# ------------------------------------------------------------------------------------------


def canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sale_doc(
    till: str,
    seq: int,
    booth_code: str = "LX01",
    amount_fen: int = 4500,
    sale_id: str | None = None,
    household: str = "李桂兰",
) -> dict[str, Any]:
    """A sale document shaped like the booth's outbox payload (one honey jar, cash)."""
    sale_id = sale_id or str(uuid.uuid4())
    return {
        "kind": "sale",
        "seq": seq,
        "device_id": till,
        "sale_id": sale_id,
        "receipt_no": f"{booth_code}-{seq:06d}",
        "booth_code": booth_code,
        "occurred_at": dt.datetime.now(dt.UTC).isoformat(),
        "utc_offset_min": 480,
        "operator_name": "李娜",
        "subtotal_fen": amount_fen,
        "round_down": "none",
        "round_down_fen": 0,
        "total_fen": amount_fen,
        "paid_fen": amount_fen,
        "change_fen": 0,
        "lines": [
            {
                "line_no": 1,
                "plu": "201",
                "name_zh": "槐花蜜",
                "name_en": "Acacia honey",
                "unit": "item",
                "item_label_zh": "罐",
                "quantity": 1,
                "unit_price_fen": amount_fen,
                "amount_fen": amount_fen,
                "household_name": household,
            }
        ],
        "tenders": [{"method": "cash", "amount_fen": amount_fen, "change_fen": 0}],
    }


def item(doc: dict[str, Any]) -> dict[str, Any]:
    key = {"sale": "sale_id", "void": "void_id", "refund": "refund_id"}.get(doc["kind"], "doc_id")
    return {
        "doc_id": doc.get(key) or str(uuid.uuid4()),
        "seq": doc["seq"],
        "kind": doc["kind"],
        "sha256": hashlib.sha256(canonical(doc).encode()).hexdigest(),
        "doc": doc,
    }


def batch(items: list[dict[str, Any]], batch_id: str | None = None) -> dict[str, Any]:
    seqs = [i["seq"] for i in items]
    return {
        "batch_id": batch_id or str(uuid.uuid4()),
        "first_seq": min(seqs),
        "last_seq": max(seqs),
        "device_sent_at": dt.datetime.now(dt.UTC).isoformat(),
        "items": items,
    }


@dataclass
class RawDevice:
    """A device talking raw HTTP to the server, as a booth would."""

    url: str
    device_id: str
    token: str
    till: str = field(default_factory=lambda: str(uuid.uuid4()))
    booth_code: str = "LX01"
    receipt_key: str = field(default_factory=lambda: os.urandom(32).hex())

    def headers(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "X-Sync-Protocol": "1", **extra}

    def enroll(self) -> requests.Response:
        body = {
            "till_id": self.till,
            "booth_code": self.booth_code,
            "receipt_key": self.receipt_key,
        }
        return requests.post(
            f"{self.url}/api/v1/devices/{self.device_id}/enroll",
            json=body,
            headers=self.headers(),
            timeout=30,
        )

    def post(
        self,
        body: dict[str, Any] | bytes,
        gzipped: bool = False,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        extra = {"Content-Type": "application/json"}
        if isinstance(body, dict):
            extra["Idempotency-Key"] = body["batch_id"]
        if gzipped:
            import gzip

            raw = gzip.compress(raw)
            extra["Content-Encoding"] = "gzip"
        extra.update(headers or {})
        return requests.post(
            f"{self.url}/api/v1/devices/{self.device_id}/batches",
            data=raw,
            headers=self.headers(**extra),
            timeout=60,
        )

    def state(self) -> dict[str, Any]:
        response = requests.get(
            f"{self.url}/api/v1/devices/{self.device_id}/sync-state",
            headers=self.headers(),
            timeout=30,
        )
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data


def raw_device(county: County, booth_code: str = "LX01", town: str = "莲花镇") -> RawDevice:
    device_id, token = county.add_device(booth_code, town)
    device = RawDevice(county.url, device_id, token, booth_code=booth_code)
    assert device.enroll().status_code == 200
    return device
