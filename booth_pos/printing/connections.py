"""Talking to a printer: open, write with timeouts, read its status, close.

Every connection has explicit timeouts (python-escpos' `Usb(timeout=0)` waits forever and
`Network` waits 60 s). Writes go in chunks so a failure knows how many bytes the printer had
already taken: a job that failed part-way was part-printed and is reprinted whole.

Status is DLE EOT 1 (online) and DLE EOT 4 (paper), read with a timeout where the connection
can read. Silence means "unknown", never "paper OK" (python-escpos' `paper_status()` returns
2 when nothing answers). A connection that stayed silent once is not asked again until it is
reopened, so a printer without a back channel costs one timeout, not one per receipt.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import stat
import subprocess
import time
from dataclasses import dataclass
from typing import Any

from booth_pos.printing import escpos_setup
from booth_pos.printing.uri import Kind, PrinterUri

DLE_EOT_PRINTER = b"\x10\x04\x01"
DLE_EOT_PAPER = b"\x10\x04\x04"


@dataclass(frozen=True)
class Timeouts:
    """Seconds. `write` is per chunk: a printer that takes nothing for that long has hung."""

    connect: float = 3.0
    write: float = 10.0
    status: float = 0.5  # a printer answers DLE EOT at once, or not at all
    confirm: float = 5.0  # the status read after a job: the printer may still be busy


DEFAULT_TIMEOUTS = Timeouts()


class PrinterError(Exception):
    """A job could not be (fully) sent. `sent` bytes of it had been taken by the printer."""

    code = "print_failed"

    def __init__(self, detail: str, sent: int = 0) -> None:
        super().__init__(detail)
        self.detail = detail
        self.sent = sent


class PrinterOffline(PrinterError):
    """Not reachable: not plugged in, switched off, nothing listening, no such device."""

    code = "print_offline"


class PrinterTimeout(PrinterError):
    """The printer stopped taking data (jammed, out of paper with a full buffer, hung)."""

    code = "print_timeout"


class ConnectionLost(PrinterError):
    """The connection broke (unplugged, reset, closed by the printer)."""

    code = "print_connection_lost"


class PrinterNotReady(PrinterError):
    """The printer answered that it cannot print now (paper out, cover open)."""

    code = "print_not_ready"


class PaperOut(PrinterNotReady):
    code = "print_paper_out"


# --- status --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrinterStatus:
    online: bool | None  # None: the printer did not say
    paper: str  # "ok", "near_end", "out" or "unknown"
    detail: str = ""

    @classmethod
    def unknown(cls, detail: str = "") -> PrinterStatus:
        return cls(None, "unknown", detail)

    @property
    def known(self) -> bool:
        return self.online is not None

    @property
    def ready(self) -> bool:
        """False only when the printer itself said it cannot print."""
        return self.online is not False and self.paper != "out"


def _status_byte_valid(value: int) -> bool:
    """Real-time status bytes have bit 1 and bit 4 set, bits 0 and 7 clear."""
    return value & 0x93 == 0x12


def parse_online(value: int) -> bool | None:
    """DLE EOT 1 reply: bit 3 set means offline. None for a byte that is no status byte."""
    if not _status_byte_valid(value):
        return None
    return not value & 0x08


def parse_paper(value: int) -> str:
    """DLE EOT 4 reply: bits 5-6 paper end, bits 2-3 paper near end."""
    if not _status_byte_valid(value):
        return "unknown"
    if value & 0x60:
        return "out"
    if value & 0x0C:
        return "near_end"
    return "ok"


# --- connections ---------------------------------------------------------------------------------


class Connection:
    """One open line to one printer. Not thread-safe: one worker owns it."""

    chunk_size = 4096
    can_read = False

    def __init__(self, uri: PrinterUri, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        self.uri = uri
        self.timeouts = timeouts
        self.answers_status: bool | None = None  # None: not asked since opening
        self.opened = False

    def open(self) -> None:
        if not self.opened:
            self._open()
            self.opened = True
            self.answers_status = None

    def _open(self) -> None:
        raise NotImplementedError

    def _write_chunk(self, chunk: bytes) -> int:
        """Send some of `chunk`; the number of bytes taken (raise PrinterError on failure)."""
        raise NotImplementedError

    def _read(self, size: int, timeout: float) -> bytes:
        """Up to `size` bytes, b"" when nothing came within `timeout`."""
        raise NotImplementedError

    def _drain(self) -> None:
        """Forget input that nobody asked for (late status replies)."""
        return None

    def _close(self) -> None:
        return None

    def close(self) -> None:
        if self.opened:
            self.opened = False
            with contextlib.suppress(Exception):
                self._close()

    def _write_all(self, data: bytes, sent_before: int = 0) -> int:
        sent = 0
        view = memoryview(data)
        while sent < len(data):
            chunk = view[sent : sent + self.chunk_size]
            try:
                taken = self._write_chunk(bytes(chunk))
            except PrinterError as exc:
                exc.sent = sent_before + sent
                raise
            if taken <= 0:
                raise PrinterTimeout("the printer takes no data", sent_before + sent)
            sent += taken
        return sent

    def write(self, data: bytes) -> int:
        """Send the whole job; on failure the PrinterError's `sent` says how much went."""
        self.open()
        return self._write_all(data)

    def finish(self) -> None:
        """The job is complete (CUPS submits it here)."""
        return None

    def status(self, timeout: float | None = None) -> PrinterStatus:
        """DLE EOT 1 and 4, each answered within `timeout` or "unknown"."""
        self.open()
        if not self.can_read:
            return PrinterStatus.unknown("this connection cannot read the printer's status")
        wait = self.timeouts.status if timeout is None else timeout
        self._drain()
        self._write_all(DLE_EOT_PRINTER)
        reply = self._read(1, wait)
        if not reply:
            self.answers_status = False
            return PrinterStatus.unknown("the printer did not answer a status request")
        self.answers_status = True
        online = parse_online(reply[0])
        self._write_all(DLE_EOT_PAPER)
        reply = self._read(1, wait)
        paper = parse_paper(reply[0]) if reply else "unknown"
        return PrinterStatus(online, paper)


class NullConnection(Connection):
    """`none`: nothing is printed (receipts are previewed only)."""

    def _open(self) -> None:
        pass

    def _write_chunk(self, chunk: bytes) -> int:
        return len(chunk)

    def status(self, timeout: float | None = None) -> PrinterStatus:
        return PrinterStatus.unknown("no printer")


class TcpConnection(Connection):
    can_read = True

    def __init__(self, uri: PrinterUri, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        super().__init__(uri, timeouts)
        self._sock: socket.socket | None = None

    def _open(self) -> None:
        try:
            sock = socket.create_connection(
                (self.uri.host, self.uri.port), timeout=self.timeouts.connect
            )
        except TimeoutError:
            raise PrinterOffline(f"no answer from {self.uri.host}:{self.uri.port}") from None
        except OSError as exc:
            raise PrinterOffline(
                f"cannot connect to {self.uri.host}:{self.uri.port}: {exc}"
            ) from None
        sock.settimeout(self.timeouts.write)
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = sock

    def _socket(self) -> socket.socket:
        if self._sock is None:
            raise ConnectionLost("not connected")
        return self._sock

    def _write_chunk(self, chunk: bytes) -> int:
        sock = self._socket()
        try:
            return sock.send(chunk)
        except TimeoutError:
            raise PrinterTimeout(
                f"the printer took no data for {self.timeouts.write:g} s"
            ) from None
        except OSError as exc:
            raise ConnectionLost(f"connection lost: {exc}") from None

    def _read(self, size: int, timeout: float) -> bytes:
        sock = self._socket()
        sock.settimeout(timeout)
        try:
            data = sock.recv(size)
        except TimeoutError:
            return b""
        except OSError as exc:
            raise ConnectionLost(f"connection lost: {exc}") from None
        finally:
            with contextlib.suppress(OSError):
                sock.settimeout(self.timeouts.write)
        if not data:
            raise ConnectionLost("the printer closed the connection")
        return data

    def _drain(self) -> None:
        sock = self._socket()
        sock.setblocking(False)
        try:
            while True:
                data = sock.recv(256)
                if not data:
                    raise ConnectionLost("the printer closed the connection")
        except BlockingIOError:
            pass
        except OSError as exc:
            raise ConnectionLost(f"connection lost: {exc}") from None
        finally:
            with contextlib.suppress(OSError):
                sock.settimeout(self.timeouts.write)

    def _close(self) -> None:
        if self._sock is not None:
            sock, self._sock = self._sock, None
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


class SerialConnection(Connection):
    """pyserial with a write timeout (python-escpos' Serial sets none) and DSR/DTR flow."""

    can_read = True
    chunk_size = 256  # about a quarter of a second at 9600 baud

    def __init__(self, uri: PrinterUri, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        super().__init__(uri, timeouts)
        self._port: Any = None

    def _open(self) -> None:
        try:
            import serial
        except ImportError:  # pragma: no cover - pyserial is a dependency
            raise PrinterOffline("pyserial is not installed") from None
        try:
            self._port = serial.Serial(
                port=self.uri.device,
                baudrate=self.uri.baud,
                timeout=self.timeouts.status,
                write_timeout=self.timeouts.write,
                dsrdtr=True,
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            raise PrinterOffline(f"cannot open {self.uri.device}: {exc}") from None

    def _write_chunk(self, chunk: bytes) -> int:
        import serial

        try:
            taken = self._port.write(chunk)
        except serial.SerialTimeoutException:
            raise PrinterTimeout(
                f"the printer took no data for {self.timeouts.write:g} s"
            ) from None
        except (serial.SerialException, OSError) as exc:
            raise ConnectionLost(f"serial port lost: {exc}") from None
        return int(taken if taken is not None else len(chunk))

    def _read(self, size: int, timeout: float) -> bytes:
        import serial

        try:
            self._port.timeout = timeout
            return bytes(self._port.read(size))
        except (serial.SerialException, OSError) as exc:
            raise ConnectionLost(f"serial port lost: {exc}") from None

    def _drain(self) -> None:
        import serial

        try:
            self._port.reset_input_buffer()
        except (serial.SerialException, OSError) as exc:
            raise ConnectionLost(f"serial port lost: {exc}") from None

    def _close(self) -> None:
        if self._port is not None:
            port, self._port = self._port, None
            port.close()


class UsbConnection(Connection):
    """python-escpos' Usb, every argument by keyword and a real timeout (its default 0 waits
    forever); bulk endpoints found on the device unless the URI names them."""

    can_read = True
    chunk_size = 1024  # cheap 58 mm printers time out on large single transfers

    def __init__(self, uri: PrinterUri, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        super().__init__(uri, timeouts)
        self._printer: Any = None
        self.in_ep = uri.in_ep
        self.out_ep = uri.out_ep

    @property
    def _ms(self) -> int:
        return max(1, int(self.timeouts.write * 1000))

    def _open(self) -> None:
        escpos_setup.prepare()
        from escpos.exceptions import DeviceNotFoundError
        from escpos.printer import Usb

        printer = Usb(
            idVendor=self.uri.vendor_id,
            idProduct=self.uri.product_id,
            timeout=self._ms,
            in_ep=self.uri.in_ep if self.uri.in_ep is not None else 0x82,
            out_ep=self.uri.out_ep if self.uri.out_ep is not None else 0x01,
        )
        try:
            printer.open()
        except DeviceNotFoundError as exc:
            raise PrinterOffline(f"USB printer {self.uri} not found: {exc}") from None
        except Exception as exc:  # no pyusb, no libusb backend, access denied...
            raise PrinterOffline(f"cannot open USB printer {self.uri}: {exc}") from None
        self._printer = printer
        self._find_endpoints()

    def _find_endpoints(self) -> None:
        if self.in_ep is not None and self.out_ep is not None:
            return
        device = self._printer.device
        try:
            import usb.util

            interface = device.get_active_configuration()[(0, 0)]
            for endpoint in interface:
                address = int(endpoint.bEndpointAddress)
                is_in = usb.util.endpoint_direction(address) == usb.util.ENDPOINT_IN
                is_bulk = (
                    usb.util.endpoint_type(endpoint.bmAttributes) == usb.util.ENDPOINT_TYPE_BULK
                )
                if not is_bulk:
                    continue
                if is_in and self.in_ep is None:
                    self.in_ep = address
                elif not is_in and self.out_ep is None:
                    self.out_ep = address
        except Exception:  # keep python-escpos' defaults
            pass
        if self.out_ep is None:
            self.out_ep = int(self._printer.out_ep)
        self._printer.in_ep, self._printer.out_ep = self.in_ep, self.out_ep
        self.can_read = self.in_ep is not None

    def _write_chunk(self, chunk: bytes) -> int:
        import usb.core

        try:
            return int(self._printer.device.write(self.out_ep, chunk, self._ms))
        except usb.core.USBTimeoutError:
            raise PrinterTimeout(
                f"the printer took no data for {self.timeouts.write:g} s"
            ) from None
        except usb.core.USBError as exc:
            raise ConnectionLost(f"USB error: {exc}") from None

    def _read(self, size: int, timeout: float) -> bytes:
        import usb.core

        try:
            data = self._printer.device.read(self.in_ep, max(size, 16), max(1, int(timeout * 1000)))
        except usb.core.USBTimeoutError:
            return b""
        except usb.core.USBError as exc:
            raise ConnectionLost(f"USB error: {exc}") from None
        return bytes(data)[:size]

    def _close(self) -> None:
        if self._printer is not None:
            printer, self._printer = self._printer, None
            printer.close()


class FileConnection(Connection):
    """A device file (/dev/usb/lp0) written without blocking past the timeout, or a plain
    file appended to (a print log). Device files are also read for status where they can."""

    def __init__(self, uri: PrinterUri, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        super().__init__(uri, timeouts)
        self._fd: int | None = None
        self._pollable = False

    def _open(self) -> None:
        path = self.uri.device
        try:
            is_device = stat.S_ISCHR(os.stat(path).st_mode)
        except FileNotFoundError:
            is_device = False
            if path.startswith("/dev/"):
                raise PrinterOffline(f"{path} does not exist (printer unplugged?)") from None
        except OSError as exc:
            raise PrinterOffline(f"cannot open {path}: {exc}") from None
        self._pollable = is_device and os.name == "posix"
        nonblock = getattr(os, "O_NONBLOCK", 0) if self._pollable else 0
        try:
            if is_device:
                try:
                    self._fd = os.open(path, os.O_RDWR | nonblock)
                    self.can_read = self._pollable
                except OSError:
                    self._fd = os.open(path, os.O_WRONLY | nonblock)
                    self.can_read = False
            else:
                flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
                self._fd = os.open(path, flags, 0o644)
                self.can_read = False
        except OSError as exc:
            raise PrinterOffline(f"cannot open {path}: {exc}") from None

    def _file(self) -> int:
        if self._fd is None:
            raise ConnectionLost("not open")
        return self._fd

    def _write_chunk(self, chunk: bytes) -> int:
        fd = self._file()
        deadline = time.monotonic() + self.timeouts.write
        while True:
            if self._pollable:
                left = deadline - time.monotonic()
                _, ready, _ = select.select([], [fd], [], max(0.0, left))
                if not ready:
                    raise PrinterTimeout(f"the printer took no data for {self.timeouts.write:g} s")
            try:
                return os.write(fd, chunk)
            except BlockingIOError:
                continue
            except OSError as exc:
                raise ConnectionLost(f"{self.uri.device}: {exc}") from None

    def _read(self, size: int, timeout: float) -> bytes:
        fd = self._file()
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return b""
        try:
            return os.read(fd, size)
        except BlockingIOError:
            return b""
        except OSError as exc:
            raise ConnectionLost(f"{self.uri.device}: {exc}") from None

    def _drain(self) -> None:
        while self._read(256, 0):
            pass

    def _close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)


class CupsConnection(Connection):
    """A CUPS queue, the job submitted raw with `lp` when it is complete (a timeout too)."""

    def __init__(self, uri: PrinterUri, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        super().__init__(uri, timeouts)
        self._buffer = bytearray()

    def _open(self) -> None:
        self._buffer.clear()

    def _write_chunk(self, chunk: bytes) -> int:
        self._buffer += chunk
        return len(chunk)

    def write(self, data: bytes) -> int:
        self.open()
        self._buffer.clear()
        return self._write_all(data)

    def finish(self) -> None:
        data, self._buffer = bytes(self._buffer), bytearray()
        command = ["lp", "-d", self.uri.device, "-o", "raw", "-t", "booth-pos receipt"]
        try:
            done = subprocess.run(
                command, input=data, capture_output=True, timeout=self.timeouts.write, check=False
            )
        except FileNotFoundError:
            raise PrinterOffline("CUPS is not installed (no `lp` command)") from None
        except subprocess.TimeoutExpired:
            raise PrinterTimeout(f"CUPS took longer than {self.timeouts.write:g} s") from None
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip() or f"lp exit {done.returncode}"
            raise PrinterOffline(f"CUPS refused the job: {message}")

    def status(self, timeout: float | None = None) -> PrinterStatus:
        """Only what CUPS knows: a disabled queue is offline; paper is never known."""
        try:
            done = subprocess.run(
                ["lpstat", "-p", self.uri.device],
                capture_output=True,
                timeout=self.timeouts.connect,
                check=False,
            )
        except (FileNotFoundError, subprocess.TimeoutExpired):
            return PrinterStatus.unknown("CUPS did not answer")
        out = done.stdout.decode("utf-8", "replace")
        if done.returncode != 0:
            return PrinterStatus(False, "unknown", f"no CUPS queue {self.uri.device}")
        if "disabled" in out:
            return PrinterStatus(False, "unknown", out.strip())
        return PrinterStatus.unknown(out.strip())


_CLASSES: dict[Kind, type[Connection]] = {
    Kind.TCP: TcpConnection,
    Kind.SERIAL: SerialConnection,
    Kind.USB: UsbConnection,
    Kind.FILE: FileConnection,
    Kind.CUPS: CupsConnection,
    Kind.NONE: NullConnection,
}


def connect(uri: PrinterUri, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> Connection:
    """A connection object for `uri` (not opened yet: `write` and `status` open it)."""
    return _CLASSES[uri.kind](uri, timeouts)


@dataclass(frozen=True)
class SendReport:
    sent: int
    before: PrinterStatus
    after: PrinterStatus


def send_job(connection: Connection, data: bytes) -> SendReport:
    """Check the printer can print (where it can tell), send the job, then ask again.

    Raises PrinterNotReady (nothing sent) when the printer says paper out / offline, and
    PrinterError with `sent` > 0 when the job broke part-way, including a connection that
    dies before answering the status request after the job. The connection is closed after
    any failure (it is reopened for the next job).
    """
    try:
        return _send_job(connection, data)
    except PrinterError:
        connection.close()
        raise


def _send_job(connection: Connection, data: bytes) -> SendReport:
    connection.open()
    before = PrinterStatus.unknown()
    if connection.can_read and connection.answers_status is not False:
        before = connection.status()
        if before.paper == "out":
            raise PaperOut("the printer is out of paper")
        if before.online is False:
            raise PrinterNotReady("the printer is offline (cover open or paper out)")
    sent = connection.write(data)
    connection.finish()
    after = PrinterStatus.unknown()
    if connection.can_read and connection.answers_status:
        try:
            after = connection.status(connection.timeouts.confirm)
        except PrinterError as exc:
            exc.sent = sent
            raise
        if after.paper == "out":
            raise PaperOut("the paper ran out while printing", sent)
    return SendReport(sent, before, after)
