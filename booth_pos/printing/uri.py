"""Printer connection URIs, as typed in Settings and on the command line.

usb:VID:PID[?in=0x81&out=0x03]    hex ids, e.g. usb:0416:5011 (endpoints found if not given)
tcp:HOST[:PORT]                   a network printer, port 9100 by default; tcp:[::1]:9100
serial:DEVICE[?baud=9600]         e.g. serial:/dev/ttyUSB0?baud=115200, serial:COM3
file:PATH                         a device file such as /dev/usb/lp0 (or a file, appended)
cups:NAME                         a CUPS queue, sent raw with `lp` (optional)
none                              no printer: receipts are previewed only
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from urllib.parse import parse_qs

from booth_pos.domain.errors import BadInput

DEFAULT_TCP_PORT = 9100
DEFAULT_BAUD = 9600
BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400)


class Kind(enum.StrEnum):
    USB = "usb"
    TCP = "tcp"
    SERIAL = "serial"
    FILE = "file"
    CUPS = "cups"
    NONE = "none"


@dataclass(frozen=True)
class PrinterUri:
    kind: Kind
    host: str = ""
    port: int = DEFAULT_TCP_PORT
    vendor_id: int = 0
    product_id: int = 0
    in_ep: int | None = None
    out_ep: int | None = None
    device: str = ""  # serial device, file path or CUPS queue name
    baud: int = DEFAULT_BAUD

    def __str__(self) -> str:
        if self.kind is Kind.USB:
            text = f"usb:{self.vendor_id:04x}:{self.product_id:04x}"
            query = [
                f"{name}=0x{ep:02x}"
                for name, ep in (("in", self.in_ep), ("out", self.out_ep))
                if ep is not None
            ]
            return text + ("?" + "&".join(query) if query else "")
        if self.kind is Kind.TCP:
            host = f"[{self.host}]" if ":" in self.host else self.host
            return f"tcp:{host}:{self.port}"
        if self.kind is Kind.SERIAL:
            return f"serial:{self.device}?baud={self.baud}"
        if self.kind in (Kind.FILE, Kind.CUPS):
            return f"{self.kind.value}:{self.device}"
        return "none"


def _bad(text: str) -> BadInput:
    return BadInput("bad_printer_uri", text=text)


def _hex_id(part: str, text: str, limit: int = 0xFFFF) -> int:
    part = part.strip().lower().removeprefix("0x")
    if not part or len(part) > 4:
        raise _bad(text)
    try:
        value = int(part, 16)
    except ValueError:
        raise _bad(text) from None
    if not 0 <= value <= limit:
        raise _bad(text)
    return value


def _query(rest: str, text: str) -> tuple[str, dict[str, str]]:
    body, _, query = rest.partition("?")
    params: dict[str, str] = {}
    for key, values in parse_qs(query, keep_blank_values=True, strict_parsing=False).items():
        if len(values) != 1:
            raise _bad(text)
        params[key.lower()] = values[0]
    return body, params


def _usb(rest: str, text: str) -> PrinterUri:
    body, params = _query(rest, text)
    parts = body.split(":")
    if len(parts) != 2:
        raise _bad(text)
    vendor, product = (_hex_id(p, text) for p in parts)
    if vendor == 0 or product == 0:
        raise _bad(text)
    unknown = set(params) - {"in", "out"}
    if unknown:
        raise _bad(text)
    in_ep = _hex_id(params["in"], text, 0xFF) if "in" in params else None
    out_ep = _hex_id(params["out"], text, 0xFF) if "out" in params else None
    return PrinterUri(Kind.USB, vendor_id=vendor, product_id=product, in_ep=in_ep, out_ep=out_ep)


def _tcp(rest: str, text: str) -> PrinterUri:
    rest = rest.removeprefix("//").rstrip("/")
    port_text = ""
    if rest.startswith("["):
        host, sep, tail = rest[1:].partition("]")
        if not sep or (tail and not tail.startswith(":")):
            raise _bad(text)
        port_text = tail[1:]
    else:
        host, _, port_text = rest.partition(":")
        if ":" in port_text:
            raise _bad(text)
    host = host.strip()
    if not host or any(ch.isspace() or ch in "/?#@" for ch in host):
        raise _bad(text)
    port = DEFAULT_TCP_PORT
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise _bad(text)
        port = int(port_text)
    return PrinterUri(Kind.TCP, host=host, port=port)


def _serial(rest: str, text: str) -> PrinterUri:
    device, params = _query(rest, text)
    if not device.strip() or set(params) - {"baud"}:
        raise _bad(text)
    baud = DEFAULT_BAUD
    if "baud" in params:
        if not params["baud"].isdigit() or int(params["baud"]) not in BAUD_RATES:
            raise _bad(text)
        baud = int(params["baud"])
    return PrinterUri(Kind.SERIAL, device=device.strip(), baud=baud)


def parse_uri(text: str) -> PrinterUri:
    """The URI's parts, or BadInput("bad_printer_uri") saying what was typed."""
    cleaned = text.strip()
    if cleaned.lower() in ("", "none"):
        return PrinterUri(Kind.NONE)
    scheme, sep, rest = cleaned.partition(":")
    if not sep:
        raise _bad(text)
    try:
        kind = Kind(scheme.lower())
    except ValueError:
        raise _bad(text) from None
    if kind is Kind.USB:
        return _usb(rest, text)
    if kind is Kind.TCP:
        return _tcp(rest, text)
    if kind is Kind.SERIAL:
        return _serial(rest, text)
    if kind in (Kind.FILE, Kind.CUPS):
        target = rest.removeprefix("//") if kind is Kind.FILE and rest.startswith("///") else rest
        if not target.strip():
            raise _bad(text)
        return PrinterUri(kind, device=target.strip())
    raise _bad(text)
