"""Connections to real printers, with loopback stand-ins: timeouts, status, faults."""

from __future__ import annotations

import os
import pty
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from booth_pos.printing import connections
from booth_pos.printing.connections import (
    ConnectionLost,
    FileConnection,
    PaperOut,
    PrinterError,
    PrinterNotReady,
    PrinterOffline,
    PrinterTimeout,
    SerialConnection,
    Timeouts,
    UsbConnection,
    connect,
    parse_online,
    parse_paper,
    send_job,
)
from booth_pos.printing.uri import parse_uri
from tests.booth_pos.printing.escpos_decoder import decode
from tests.booth_pos.printing.fake_printer import (
    OFFLINE,
    PAPER_NEAR_END,
    PAPER_OUT,
    FakePrinter,
    free_port,
)

FAST = Timeouts(connect=1.0, write=0.5, status=0.3, confirm=1.0)
JOB = b"\x1b@" + b"\x1c&" + "莲藕 ￥8.75".encode("gbk") + b"\n\x1c." + b"\x1bd\x06"


@pytest.fixture
def printer() -> Iterator[FakePrinter]:
    fake = FakePrinter()
    yield fake
    fake.close()


def tcp(fake: FakePrinter | str) -> connections.Connection:
    uri = fake.uri if isinstance(fake, FakePrinter) else fake
    return connect(parse_uri(uri), FAST)


def test_a_network_printer_gets_the_job_and_says_it_is_online(printer: FakePrinter) -> None:
    connection = tcp(printer)
    report = send_job(connection, JOB)
    connection.close()
    assert report.sent == len(JOB)
    assert report.before.online is True and report.before.paper == "ok"
    assert report.after.online is True
    got = printer.received(0)
    assert JOB in got  # whole, in order, between the status requests
    assert decode(got).status_requests == [1, 4, 1, 4]


@pytest.mark.parametrize(
    ("says", "error", "paper"),
    [
        ({"paper": PAPER_OUT}, PaperOut, "out"),
        ({"online": False}, PrinterNotReady, "ok"),
    ],
)
def test_a_printer_that_says_it_cannot_print_gets_nothing(
    says: dict[str, Any], error: type[PrinterError], paper: str
) -> None:
    fake = FakePrinter(**says)
    try:
        connection = tcp(fake)
        assert connection.status().paper == paper
        with pytest.raises(error) as caught:
            send_job(connection, JOB)
        assert caught.value.sent == 0
        connection.close()
        assert JOB not in fake.received(0)
    finally:
        fake.close()


def test_silence_is_unknown_never_paper_ok_and_is_asked_once() -> None:
    fake = FakePrinter(answer_status=False)
    try:
        connection = tcp(fake)
        started = time.monotonic()
        status = connection.status()
        assert time.monotonic() - started < 2
        assert status.online is None and status.paper == "unknown" and status.ready
        report = send_job(connection, JOB)  # prints anyway: silence is not a fault
        send_job(connection, JOB)
        connection.close()
        assert report.after.paper == "unknown"
        assert decode(fake.received(0)).status_requests == [1]  # not asked again
    finally:
        fake.close()


def test_nothing_listening_is_offline_at_once() -> None:
    connection = tcp(f"tcp:127.0.0.1:{free_port()}")
    started = time.monotonic()
    with pytest.raises(PrinterOffline) as caught:
        send_job(connection, JOB)
    assert caught.value.sent == 0
    assert time.monotonic() - started < 1.5


def test_a_printer_switched_off_mid_job_is_a_part_sent_failure() -> None:
    fake = FakePrinter(close_after=200)
    try:
        connection = tcp(fake)
        with pytest.raises(PrinterError) as caught:
            send_job(connection, JOB + b"x" * 20_000)
        assert caught.value.sent > 0
        assert isinstance(caught.value, ConnectionLost)
    finally:
        fake.close()


def test_a_jammed_printer_times_out_instead_of_hanging() -> None:
    fake = FakePrinter(read=False, answer_status=False)
    try:
        connection = connect(parse_uri(fake.uri), Timeouts(1.0, 0.4, 0.2, 0.5))
        started = time.monotonic()
        with pytest.raises(PrinterTimeout) as caught:
            connection.write(b"\x00" * 20_000_000)
        elapsed = time.monotonic() - started
        assert 0.3 < elapsed < 5
        assert 0 < caught.value.sent < 20_000_000
        connection.close()
    finally:
        fake.close()


def test_status_bytes_are_read_as_the_printer_means_them() -> None:
    assert parse_online(0x12) is True
    assert parse_online(OFFLINE) is False
    assert parse_online(0xFF) is None  # not a status byte
    assert parse_paper(0x12) == "ok"
    assert parse_paper(PAPER_NEAR_END) == "near_end"
    assert parse_paper(PAPER_OUT) == "out"
    assert parse_paper(0x00) == "unknown"


def test_a_file_printer_gets_jobs_appended_and_cannot_report_status(tmp_path: Path) -> None:
    target = tmp_path / "lp0.bin"
    connection = connect(parse_uri(f"file:{target}"), FAST)
    assert isinstance(connection, FileConnection)
    send_job(connection, JOB)
    send_job(connection, JOB)
    connection.close()
    assert target.read_bytes() == JOB + JOB
    assert connection.status().paper == "unknown"


def test_a_missing_device_file_is_offline() -> None:
    connection = connect(parse_uri("file:/dev/usb/lp-booth-pos-missing"), FAST)
    with pytest.raises(PrinterOffline):
        send_job(connection, JOB)


@pytest.fixture
def serial_pair() -> Iterator[tuple[int, str]]:
    master, slave = pty.openpty()
    yield master, os.ttyname(slave)
    os.close(master)
    os.close(slave)


def test_a_serial_printer_gets_the_job_and_answers_status(serial_pair: tuple[int, str]) -> None:
    master, device = serial_pair
    connection = connect(parse_uri(f"serial:{device}?baud=19200"), FAST)
    assert isinstance(connection, SerialConnection)
    connection.write(JOB)
    got = b""
    while len(got) < len(JOB):
        got += os.read(master, 4096)
    assert got == JOB
    asked = bytearray()

    def answer() -> None:  # the printer: one reply per DLE EOT, as it comes
        while len(asked) < 6:
            asked.extend(os.read(master, 16))
            if asked.endswith(b"\x10\x04\x01"):
                os.write(master, b"\x12")
            elif asked.endswith(b"\x10\x04\x04"):
                os.write(master, bytes([PAPER_NEAR_END]))

    responder = threading.Thread(target=answer, daemon=True)
    responder.start()
    status = connection.status()
    responder.join(2)
    assert (status.online, status.paper) == (True, "near_end")
    assert bytes(asked) == b"\x10\x04\x01\x10\x04\x04"
    started = time.monotonic()
    assert connection.status().paper == "unknown"  # silence within the timeout
    assert time.monotonic() - started < 2
    connection.close()


def test_a_serial_printer_that_stops_reading_times_out(serial_pair: tuple[int, str]) -> None:
    _, device = serial_pair
    connection = connect(parse_uri(f"serial:{device}"), Timeouts(1.0, 0.3, 0.2, 0.5))
    started = time.monotonic()
    with pytest.raises(PrinterTimeout) as caught:
        connection.write(b"\x00" * 2_000_000)
    assert time.monotonic() - started < 5
    assert caught.value.sent > 0
    connection.close()


def test_usb_arguments_go_by_keyword_with_a_real_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    class FakeDevice:
        def __init__(self) -> None:
            self.written = b""

        def write(self, endpoint: int, data: bytes, timeout: int) -> int:
            assert endpoint == 0x03 and timeout == 5000
            self.written += data
            return len(data)

    class FakeUsb:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            made.append((args, kwargs))
            self.device = FakeDevice()
            self.out_ep = kwargs["out_ep"]

        def open(self) -> None:
            pass

        def close(self) -> None:
            pass

    import escpos.printer

    monkeypatch.setattr(escpos.printer, "Usb", FakeUsb)
    connection = UsbConnection(parse_uri("usb:0416:5011?in=0x81&out=0x03"), Timeouts(write=5.0))
    connection.write(JOB * 300)  # more than one 1 KiB chunk
    assert made == [
        (
            (),
            {
                "idVendor": 0x0416,
                "idProduct": 0x5011,
                "timeout": 5000,
                "in_ep": 0x81,
                "out_ep": 0x03,
            },
        )
    ]
    assert connection._printer.device.written == JOB * 300


def test_a_usb_printer_that_is_not_there_is_offline() -> None:
    connection = connect(parse_uri("usb:0416:5011"), FAST)
    with pytest.raises(PrinterOffline):
        connection.write(JOB)
