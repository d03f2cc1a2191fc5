"""A network receipt printer on loopback: it records every byte and answers DLE EOT.

Variants: it can say it is out of paper or offline, stay silent (no back channel), close the
connection with a reset after taking some bytes (unplugged mid-job), or take nothing at all
(jammed). Every connection's bytes are kept separately, so a test can decode "the job that
broke" and "the retry" apart. `port` chooses where it listens (0: any free port), so a test can
switch a printer off (`close`) and on again at the same address (a new FakePrinter there).
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from dataclasses import dataclass, field

from tests.booth_pos.printing.escpos_decoder import decode

ONLINE, OFFLINE = 0x12, 0x1A  # DLE EOT 1 replies
PAPER_OK, PAPER_NEAR_END, PAPER_OUT = 0x12, 0x1E, 0x72  # DLE EOT 4 replies


@dataclass
class FakePrinter:
    answer_status: bool = True
    online: bool = True
    paper: int = PAPER_OK
    close_after: int | None = None  # reset the connection once it has taken this many bytes
    close_connections: int = 1  # ...on this many connections; later ones behave
    read: bool = True  # False: accept, then take no data (a jammed printer)
    connections: list[bytearray] = field(default_factory=list)
    port: int = 0  # where to listen (0: any free port); then where it listens

    def __post_init__(self) -> None:
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if not self.read:
            self._server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self._server.bind(("127.0.0.1", self.port))
        self.port = int(self._server.getsockname()[1])
        self._server.listen(8)
        self._server.settimeout(0.2)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._clients: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._accepter = threading.Thread(target=self._accept, daemon=True)
        self._accepter.start()

    @property
    def uri(self) -> str:
        return f"tcp:127.0.0.1:{self.port}"

    def received(self, index: int = -1) -> bytes:
        with self._lock:
            return bytes(self.connections[index]) if self.connections else b""

    def wait_for(self, predicate: object, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if callable(predicate) and predicate():
                return True
            time.sleep(0.01)
        return False

    def close(self) -> None:
        self._stop.set()
        self._accepter.join(2)
        with self._lock:
            clients = list(self._clients)
        for client in clients:
            with contextlib.suppress(OSError):
                client.close()
        for thread in self._threads:
            thread.join(2)
        self._server.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections.append(bytearray())
                index = len(self.connections) - 1
                self._clients.append(client)
            thread = threading.Thread(target=self._serve, args=(client, index), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _reply(self, request: int) -> bytes:
        if request == 1:
            return bytes([ONLINE if self.online else OFFLINE])
        if request == 4:
            return bytes([self.paper])
        return bytes([0x12])

    def _serve(self, client: socket.socket, index: int) -> None:
        client.settimeout(0.1)
        answered = 0
        closing = self.close_after is not None and index < self.close_connections
        try:
            while not self._stop.is_set():
                if not self.read:
                    time.sleep(0.05)
                    continue
                try:
                    chunk = client.recv(65536)
                except TimeoutError:
                    continue
                if not chunk:
                    return
                with self._lock:
                    self.connections[index].extend(chunk)
                    data = bytes(self.connections[index])
                if closing and self.close_after is not None and len(data) >= self.close_after:
                    # An abortive close: the peer sees a reset, as when a printer is switched off.
                    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    client.close()
                    return
                if self.answer_status:
                    requests = decode(data, partial=True).status_requests
                    for request in requests[answered:]:
                        client.sendall(self._reply(request))
                    answered = len(requests)
        except OSError:
            return
        finally:
            with contextlib.suppress(OSError):
                client.close()


def free_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
