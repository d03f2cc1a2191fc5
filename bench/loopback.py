"""What the benchmarks put on the other end of the booth's wires, on 127.0.0.1 only.

* `LoopbackPrinter`: a network receipt printer. It takes every byte and throws it away, and
  answers each DLE EOT 1 / DLE EOT 4 status request with 0x12 (online, paper fine), as a
  healthy ESC/POS printer does. It runs in a process of its own, so it costs the booth's
  process nothing a real printer would not.
* `StalledServer`: a county server that has stopped answering: it accepts connections, reads
  what comes and never sends a byte, so a sync pass or an enrolment hangs in its read timeout.
  Also a process of its own; `hanging` says how many connections it holds open right now.
* `CountyServer`: the real county server (``python -m sync.server.cli serve --host 127.0.0.1``)
  in a child process, and ``add-device`` run the way the county runs it.

Every socket here binds or connects to 127.0.0.1; HTTP goes through `http_session()`, which
ignores proxy settings from the environment.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from multiprocessing.synchronize import Event as EventType
from pathlib import Path
from typing import Any

import requests

HOST = "127.0.0.1"
DLE_EOT_PRINTER = b"\x10\x04\x01"
DLE_EOT_PAPER = b"\x10\x04\x04"
STATUS_OK = b"\x12"  # DLE EOT 1: online; DLE EOT 4: paper present


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def http_session() -> requests.Session:
    """A requests session that never goes through a proxy from the environment."""
    session = requests.Session()
    session.trust_env = False
    return session


def _context() -> Any:
    # Helpers are started before the app starts any thread, so fork is safe and quick.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


# --- the printer -------------------------------------------------------------------------------


def _printer_main(sock: socket.socket, stop: EventType, counters: Any) -> None:
    """Child process: serve every connection on its own thread until `stop`."""
    lock = threading.Lock()
    sock.settimeout(0.2)

    def serve(client: socket.socket) -> None:
        tail = b""
        try:
            while True:
                chunk = client.recv(65536)
                if not chunk:
                    return
                window = tail + chunk
                # A status request is always the last thing sent before the booth waits for
                # the reply; three such bytes inside picture data that end a read get a stray
                # reply, which the booth drains before its next request (all replies are 0x12).
                answer = window.endswith(DLE_EOT_PRINTER) or window.endswith(DLE_EOT_PAPER)
                if answer:
                    client.sendall(STATUS_OK)
                with lock:
                    counters[0] += len(chunk)
                    counters[1] += int(answer)
                tail = window[-2:]
        except OSError:
            return
        finally:
            with contextlib.suppress(OSError):
                client.close()

    while not stop.is_set():
        try:
            client, _ = sock.accept()
        except TimeoutError:
            continue
        except OSError:
            return
        with lock:
            counters[2] += 1
        threading.Thread(target=serve, args=(client,), daemon=True).start()


class LoopbackPrinter:
    """A healthy network receipt printer on 127.0.0.1 (see the module docstring)."""

    def __init__(self) -> None:
        ctx = _context()
        self._sock = socket.create_server((HOST, 0), backlog=8)
        self.port = int(self._sock.getsockname()[1])
        self._stop = ctx.Event()
        self._counters = ctx.Array("q", 3, lock=False)  # bytes, status answers, connections
        self._process = ctx.Process(
            target=_printer_main, args=(self._sock, self._stop, self._counters), daemon=True
        )
        self._process.start()

    @property
    def uri(self) -> str:
        return f"tcp:{HOST}:{self.port}"

    @property
    def bytes_received(self) -> int:
        return int(self._counters[0])

    @property
    def status_answers(self) -> int:
        return int(self._counters[1])

    def close(self) -> None:
        self._stop.set()
        self._process.join(5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5)
        self._sock.close()


# --- the county server that stopped answering --------------------------------------------------


def _stalled_main(sock: socket.socket, stop: EventType, counters: Any) -> None:
    """Child process: accept, read and discard, never answer; count the open connections."""
    lock = threading.Lock()
    clients: list[socket.socket] = []
    sock.settimeout(0.2)

    def hold(client: socket.socket) -> None:
        try:
            while client.recv(65536):
                pass
        except OSError:
            pass
        finally:
            with lock:
                counters[0] -= 1
            with contextlib.suppress(OSError):
                client.close()

    while not stop.is_set():
        try:
            client, _ = sock.accept()
        except TimeoutError:
            continue
        except OSError:
            break
        with lock:
            counters[0] += 1
            counters[1] += 1
            clients.append(client)
        threading.Thread(target=hold, args=(client,), daemon=True).start()
    for client in clients:  # a reset, so whoever waits on us gives up at once
        with contextlib.suppress(OSError):
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            client.close()


class StalledServer:
    """A county server address that accepts and never answers (see the module docstring)."""

    def __init__(self) -> None:
        ctx = _context()
        self._sock = socket.create_server((HOST, 0), backlog=16)
        self.port = int(self._sock.getsockname()[1])
        self._stop = ctx.Event()
        self._counters = ctx.Array("q", 2, lock=False)  # open now, accepted in all
        self._process = ctx.Process(
            target=_stalled_main, args=(self._sock, self._stop, self._counters), daemon=True
        )
        self._process.start()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def hanging(self) -> int:
        """Connections open right now (each one is a request nobody will answer)."""
        return int(self._counters[0])

    @property
    def accepted(self) -> int:
        return int(self._counters[1])

    def close(self) -> None:
        """Stop, resetting every connection it holds."""
        self._stop.set()
        self._process.join(5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5)
        self._sock.close()


# --- the real county server --------------------------------------------------------------------


class CountyServer:
    """``county-server serve`` on 127.0.0.1 in a child process (its own session)."""

    def __init__(self, db_url: str, log: Path, workers: int = 1) -> None:
        self.db_url = db_url
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        command = [
            sys.executable, "-m", "sync.server.cli", "serve", "--db", db_url,
            "--host", HOST, "--port", str(self.port), "--workers", str(workers),
            "--log-level", "warning", "--no-access-log",
        ]  # fmt: skip
        with open(log, "ab") as out:
            self._process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self._log = log
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        with http_session() as session:
            while True:
                with contextlib.suppress(requests.RequestException):
                    if session.get(f"{self.url}/healthz", timeout=1).ok:
                        return
                if time.monotonic() > deadline or self._process.poll() is not None:
                    raise RuntimeError(f"county server did not start; see {self._log}")
                time.sleep(0.1)

    def add_device(self, booth_code: str, town: str, name: str = "") -> tuple[str, str]:
        """``county-server add-device`` as the county runs it; (device id, token)."""
        command = [
            sys.executable, "-m", "sync.server.cli", "add-device", "--db", self.db_url,
            "--booth-code", booth_code, "--town", town, "--name", name, "--json",
        ]  # fmt: skip
        out = subprocess.run(command, check=True, capture_output=True, text=True, encoding="utf-8")
        answer = json.loads(out.stdout)
        return str(answer["device_id"]), str(answer["token"])

    def stop(self) -> None:
        if self._process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGTERM)
        try:
            self._process.wait(30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait(10)


@contextlib.contextmanager
def county_server(db_url: str, log: Path, workers: int = 1) -> Iterator[CountyServer]:
    server = CountyServer(db_url, log, workers)
    try:
        yield server
    finally:
        server.stop()
