"""A small ESC/POS decoder for the commands booth-pos sends, so tests read receipts back.

Text between FS & and FS . is read as GBK (two bytes per Chinese character); a four-byte
GB18030 sequence there, or a byte above 0x7f outside Chinese mode, is recorded as a problem.
GS v 0 raster bands become images (black dots black); consecutive bands are stacked into one
picture. GS ( k QR data is kept. Anything this decoder does not know raises DecodeError, so a
stray byte in the output fails a test instead of passing unseen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image, ImageOps


class DecodeError(ValueError):
    pass


class Incomplete(Exception):
    """The data stops in the middle of a command (a live stream not yet all received)."""


@dataclass(frozen=True)
class TextLine:
    text: str
    chinese_mode: bool
    scale: int
    bold: bool


@dataclass(frozen=True)
class Raster:
    width: int
    height: int
    image: Image.Image  # mode "L", black 0, white 255


@dataclass
class Decoded:
    events: list[tuple[str, object]] = field(default_factory=list)
    lines: list[TextLine] = field(default_factory=list)
    rasters: list[Raster] = field(default_factory=list)
    native_qr: list[str] = field(default_factory=list)
    cuts: list[int] = field(default_factory=list)
    feeds: list[int] = field(default_factory=list)
    drawer_kicks: list[tuple[int, int, int]] = field(default_factory=list)
    status_requests: list[int] = field(default_factory=list)
    inits: int = 0
    problems: list[str] = field(default_factory=list)
    consumed: int = 0  # bytes decoded (less than the input when it stopped mid-command)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def pictures(self) -> list[Image.Image]:
        """Consecutive raster bands stacked into whole pictures, in order."""
        pictures: list[Image.Image] = []
        run: list[Raster] = []

        def flush() -> None:
            if not run:
                return
            picture = Image.new("L", (run[0].width, sum(r.height for r in run)), 255)
            y = 0
            for band in run:
                picture.paste(band.image, (0, y))
                y += band.height
            pictures.append(picture)
            run.clear()

        for kind, value in self.events:
            if kind == "raster" and isinstance(value, Raster):
                if run and run[0].width != value.width:
                    flush()
                run.append(value)
            elif kind != "status":
                flush()
        flush()
        return pictures


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise Incomplete
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def byte(self) -> int:
        return self.take(1)[0]


def decode(data: bytes, partial: bool = False) -> Decoded:
    """Decode a whole job. With `partial`, stop quietly where a command is cut off."""
    out = Decoded()
    reader = _Reader(data)
    chinese = False
    scale, bold = 1, False
    line = bytearray()
    line_chinese = False

    def end_line() -> None:
        nonlocal line, line_chinese
        text = _text(bytes(line), line_chinese or chinese, out.problems)
        entry = TextLine(text.rstrip(), line_chinese or chinese, scale, bold)
        out.lines.append(entry)
        out.events.append(("text", entry))
        line = bytearray()
        line_chinese = False

    while reader.pos < len(data):
        start = reader.pos
        try:
            b = reader.byte()
            if b == 0x0A:
                end_line()
            elif b == 0x0D:
                pass
            elif b == 0x1B:
                _esc(reader, out)
                cmd = data[start + 1]
                if cmd == ord("E"):
                    bold = bool(data[reader.pos - 1] & 1)
                elif cmd == ord("@"):
                    chinese, scale, bold = False, 1, False
            elif b == 0x1D:
                result = _gs(reader, out)
                if result is not None:
                    scale = result
            elif b == 0x1C:
                op = reader.byte()
                if op == ord("&"):
                    chinese = True
                    out.events.append(("chinese", True))
                elif op == ord("."):
                    chinese = False
                    out.events.append(("chinese", False))
                else:
                    raise DecodeError(f"unknown FS command 0x{op:02x} at {start}")
            elif b == 0x10:
                if reader.byte() != 0x04:
                    raise DecodeError(f"unknown DLE command at {start}")
                n = reader.byte()
                out.status_requests.append(n)
                out.events.append(("status", n))
            elif b < 0x20:
                raise DecodeError(f"unexpected control byte 0x{b:02x} at {start}")
            else:
                if chinese and 0x81 <= b <= 0xFE:
                    second = reader.byte()
                    if 0x30 <= second <= 0x39:
                        reader.take(2)
                        out.problems.append(f"four-byte GB18030 sequence at {start}")
                        line.extend(data[start : reader.pos])
                    else:
                        line.extend((b, second))
                else:
                    line.append(b)
                line_chinese = line_chinese or chinese
        except Incomplete:
            if not partial:
                raise DecodeError(f"data ends inside a command at {start}") from None
            reader.pos = start
            break
        out.consumed = reader.pos
    if line and not partial:
        end_line()
    return out


def _text(raw: bytes, chinese: bool, problems: list[str]) -> str:
    if chinese:
        try:
            return raw.decode("gbk")
        except UnicodeDecodeError:
            problems.append(f"not GBK: {raw!r}")
            return raw.decode("gb18030", errors="replace")
    if any(b >= 0x80 for b in raw):
        problems.append(f"byte above 0x7f outside Chinese mode: {raw!r}")
    return raw.decode("cp437")


def _esc(reader: _Reader, out: Decoded) -> None:
    op = reader.byte()
    if op == ord("@"):
        out.inits += 1
        out.events.append(("init", None))
    elif op in b"aE!tM-GV{":
        reader.byte()
    elif op == ord("d"):
        n = reader.byte()
        out.feeds.append(n)
        out.events.append(("feed", n))
    elif op == ord("J"):
        reader.byte()
    elif op == ord("p"):
        m, t1, t2 = reader.take(3)
        out.drawer_kicks.append((m, t1, t2))
        out.events.append(("drawer", m))
    elif op == ord("2"):
        pass
    elif op == ord("3"):
        reader.byte()
    else:
        raise DecodeError(f"unknown ESC command {chr(op)!r}")


def _gs(reader: _Reader, out: Decoded) -> int | None:
    """Decode one GS command; the new text scale for GS !, else None."""
    op = reader.byte()
    if op == ord("!"):
        n = reader.byte()
        width, height = (n >> 4) + 1, (n & 0x0F) + 1
        if width != height:
            raise DecodeError(f"uneven text size {n:#x}")
        return width
    if op == ord("V"):
        m = reader.byte()
        if m in (65, 66):
            reader.byte()
        elif m not in (0, 1, 48, 49):
            raise DecodeError(f"unknown cut mode {m}")
        out.cuts.append(m)
        out.events.append(("cut", m))
        return None
    if op == ord("v"):
        if reader.byte() != 0x30:
            raise DecodeError("GS v must be GS v 0")
        reader.byte()  # density
        xl, xh, yl, yh = reader.take(4)
        width_bytes, height = xl + 256 * xh, yl + 256 * yh
        bits = reader.take(width_bytes * height)
        ink = Image.frombytes("1", (width_bytes * 8, height), bits).convert("L")
        raster = Raster(width_bytes * 8, height, ImageOps.invert(ink))
        out.rasters.append(raster)
        out.events.append(("raster", raster))
        return None
    if op == ord("("):
        kind = reader.byte()
        pl, ph = reader.take(2)
        body = reader.take(pl + 256 * ph)
        if kind == ord("k") and len(body) >= 3 and body[0] == 0x31 and body[1] == 0x50:
            out.native_qr.append(body[3:].decode("utf-8"))
            out.events.append(("qr", out.native_qr[-1]))
        elif kind not in (ord("k"), ord("L")):
            raise DecodeError(f"unknown GS ( {chr(kind)!r}")
        return None
    if op in b"BHhwfLa":
        reader.byte()
        return None
    raise DecodeError(f"unknown GS command {chr(op)!r}")
