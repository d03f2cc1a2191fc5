"""Printer addresses as typed in Settings or on the command line."""

from __future__ import annotations

import pytest

from booth_pos.domain.errors import BadInput
from booth_pos.printing.uri import Kind, PrinterUri, parse_uri


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("usb:0416:5011", PrinterUri(Kind.USB, vendor_id=0x0416, product_id=0x5011)),
        (
            "USB:0x0416:0x5011?in=0x81&out=0x03",
            PrinterUri(Kind.USB, vendor_id=0x0416, product_id=0x5011, in_ep=0x81, out_ep=0x03),
        ),
        ("tcp:192.168.1.87", PrinterUri(Kind.TCP, host="192.168.1.87", port=9100)),
        ("tcp:printer.local:9101", PrinterUri(Kind.TCP, host="printer.local", port=9101)),
        ("tcp://[::1]:9100/", PrinterUri(Kind.TCP, host="::1", port=9100)),
        ("serial:/dev/ttyUSB0", PrinterUri(Kind.SERIAL, device="/dev/ttyUSB0", baud=9600)),
        ("serial:COM3?baud=115200", PrinterUri(Kind.SERIAL, device="COM3", baud=115200)),
        ("file:/dev/usb/lp0", PrinterUri(Kind.FILE, device="/dev/usb/lp0")),
        ("file:///dev/usb/lp0", PrinterUri(Kind.FILE, device="/dev/usb/lp0")),
        ("cups:XP58", PrinterUri(Kind.CUPS, device="XP58")),
        ("none", PrinterUri(Kind.NONE)),
        ("", PrinterUri(Kind.NONE)),
    ],
)
def test_addresses_are_read(text: str, expected: PrinterUri) -> None:
    parsed = parse_uri(text)
    assert parsed == expected
    assert parse_uri(str(parsed)) == parsed  # the canonical form reads back the same


@pytest.mark.parametrize(
    "text",
    [
        "usb:0416",
        "usb:0416:zzzz",
        "usb:0:5011",
        "usb:0416:5011?endpoint=1",
        "tcp:",
        "tcp:host:99999",
        "tcp:host:port",
        "tcp:a b",
        "serial:",
        "serial:/dev/ttyS0?baud=1234",
        "file:",
        "lpt:1",
        "192.168.1.87",
    ],
)
def test_bad_addresses_are_refused_with_the_text_in_the_message(text: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_uri(text)
    assert caught.value.code == "bad_printer_uri"
    assert text in caught.value.message("en")
