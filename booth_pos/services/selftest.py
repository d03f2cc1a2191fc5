"""`booth-pos selftest`: does this installation work, end to end, on this machine?

Run after installing (from a source tree or from the PyInstaller bundle). Everything happens
in a temporary data folder that is removed afterwards; the booth's own ledger is never opened.
The checks, in order:

- `modules`: every booth-pos module imports (a bundle that left one out fails here, not when
  the coordinator first opens the day-end screen), python-escpos' printer profiles load.
- `usb`: libusb loads, so USB printers (`usb:VID:PID`) can be opened.
- `migrate`: a new ledger is created and migrated to the newest Alembic revision.
- `demo`: the demo booth, people and catalogue are loaded.
- `sale`: a weighed and a counted item are rung up for cash; the amounts follow the rules.
- `receipt-gbk`, `receipt-raster`: the receipt as ESC/POS bytes in both Chinese modes.
- `print-file`: the queued print job printed to a `file:` printer.
- `receipt-png`: the PNG preview, its QR read back with a real decoder (zxing-cpp) and
  compared with the receipt URL the county server expects.
- `qt` (added by the CLI from booth_pos.ui.selftest_qt): a QApplication starts on the
  offscreen platform, the bundled CJK font registers, the Chinese translation loads and the
  till's screens import.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import pkgutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from booth_pos import __version__

# The receipt QR points here in the temporary ledger (.invalid: a name that never resolves).
SELFTEST_SERVER_URL = "https://county.selftest.invalid"
SELFTEST_CART = ("101=1.25kg", "201=1")  # 1.25 kg of lotus root by the jin, a jar of honey
SELFTEST_CASH_FEN = 10_000

ESC_INIT = b"\x1b@"
FS_CHINESE_ON = b"\x1c&"
GS_RASTER = b"\x1dv0"
GS_CUT = b"\x1dV"


class CheckFailed(Exception):
    """A check found something wrong (as opposed to crashing)."""


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    seconds: float

    def line(self) -> str:
        return f"{'ok' if self.ok else 'FAILED':<7} {self.name:<15} {self.detail}"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ok": self.ok,
            "detail": self.detail,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class Report:
    checks: tuple[Check, ...]
    version: str = __version__
    frozen: bool = False  # running from a PyInstaller bundle

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.ok)

    def summary(self) -> str:
        if self.ok:
            return f"selftest passed: {len(self.checks)} checks"
        names = ", ".join(c.name for c in self.failed)
        return f"selftest FAILED: {len(self.failed)} of {len(self.checks)} checks ({names})"

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "version": self.version,
            "frozen": self.frozen,
            "checks": [c.to_json() for c in self.checks],
        }


@dataclass
class _Context:
    """What one check leaves for the next."""

    work: Path
    ledger: Any = None  # booth_pos.services.ledger.Ledger, once migrated
    receipt_no: str = ""
    sale_id: str = ""
    expected_url: str = ""
    rendered: dict[str, bytes] = field(default_factory=dict)


def decode_qr(png: bytes) -> list[str]:
    """The texts of every QR code in a PNG, read with zxing-cpp."""
    import zxingcpp
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        picture = image.convert("L")
    return [result.text for result in zxingcpp.read_barcodes(picture)]


# --- the checks ----------------------------------------------------------------------------------


def _booth_modules() -> list[str]:
    import booth_pos

    names = []
    for info in pkgutil.walk_packages(booth_pos.__path__, "booth_pos."):
        if info.name == "booth_pos.__main__" or info.name.startswith("booth_pos.ui"):
            continue  # __main__ runs the app; ui needs Qt (the qt check imports it)
        names.append(info.name)
    return names


def check_modules(ctx: _Context) -> str:
    names = _booth_modules()
    if len(names) < 10:  # a bundle whose importer cannot list the package
        raise CheckFailed(f"only {len(names)} booth-pos modules found")
    for name in names:
        importlib.import_module(name)
    for name in ("escpos.printer", "usb.core", "serial", "zxingcpp", "fpdf", "sync.protocol"):
        importlib.import_module(name)
    from booth_pos.printing.profiles import PROFILES, profile_names

    escpos_profiles = len(profile_names()) - len(PROFILES)
    if escpos_profiles <= 0:
        raise CheckFailed("python-escpos' printer profiles are missing")
    return f"{len(names)} modules import; {escpos_profiles} python-escpos printer profiles"


def check_usb(ctx: _Context) -> str:
    import usb.backend.libusb1
    import usb.core

    backend = usb.backend.libusb1.get_backend()
    if backend is None:
        raise CheckFailed(
            "libusb-1.0 cannot be loaded: USB printers (usb:VID:PID) cannot be opened "
            "(install libusb-1.0, or rebuild the bundle on a machine that has it)"
        )
    name = Path(str(getattr(backend.lib, "_name", "libusb-1.0"))).name
    try:
        devices = f"{len(list(usb.core.find(find_all=True, backend=backend)))} USB devices visible"
    except Exception as exc:  # no usbfs in a container, say: printing may still work elsewhere
        devices = f"USB devices not listed: {exc}"
    return f"USB printers can be opened ({name}; {devices})"


def check_migrate(ctx: _Context) -> str:
    from booth_pos.services.ledger import Ledger
    from booth_pos.store.engine import current_revision, head_revision

    ctx.ledger = Ledger.open(ctx.work / "data")
    current, head = current_revision(ctx.ledger.engine), head_revision()
    if current != head:
        raise CheckFailed(f"the schema is at {current}, the newest migration is {head}")
    return f"new ledger migrated to revision {head}"


def _coordinator_pin() -> str:
    from booth_pos.services.auth import ROLE_COORDINATOR
    from booth_pos.services.demo import DEMO_PEOPLE

    return next(pin for _, role, pin in DEMO_PEOPLE if role == ROLE_COORDINATOR)


def check_demo(ctx: _Context) -> str:
    from sqlalchemy.orm import Session

    from booth_pos.services import booth, demo, printing
    from booth_pos.services.settings import load_settings, save_settings

    def setup(session: Session) -> tuple[int, int]:
        booth.init_booth(session, "ST01", "自检摊位", "自检镇")
        result = demo.load_demo(session)
        printing.ensure_receipt_key(session)
        return result.households, result.products_added

    households, products = ctx.ledger.write(setup)
    if products == 0:
        raise CheckFailed("the demo catalogue is empty")
    settings = replace(
        ctx.ledger.read(load_settings),
        server_url=SELFTEST_SERVER_URL,
        printer_profile="xprinter-58",
        printer_mode="auto",
        printer_width_mm=58,
    )
    ctx.ledger.write(save_settings, settings, _coordinator_pin())
    return f"demo booth with {products} products from {households} households"


def check_sale(ctx: _Context) -> str:
    from booth_pos.domain.cart import CartLine
    from booth_pos.domain.money import format_yuan
    from booth_pos.domain.pricing import TenderIn, TenderMethod, line_amount
    from booth_pos.domain.quantity import PricingUnit
    from booth_pos.printing.qrcode_url import receipt_url
    from booth_pos.services import catalog, printing, sales

    cart = [CartLine.parse(*item.split("=")) for item in SELFTEST_CART]
    view = ctx.ledger.write(sales.ring_up, cart, [TenderIn(TenderMethod.CASH, SELFTEST_CASH_FEN)])
    prices = {p.plu: p for p in ctx.ledger.read(catalog.list_products)}
    expected = [
        line_amount(PricingUnit(prices[line.code].unit), prices[line.code].price_fen, line.quantity)
        for line in cart
    ]
    got = [line.amount_fen for line in view.lines]
    if got != expected or view.total_fen != sum(expected):
        raise CheckFailed(f"line amounts {got}, total {view.total_fen}; expected {expected}")
    if view.change_fen != SELFTEST_CASH_FEN - view.total_fen:
        raise CheckFailed(f"change {view.change_fen} for a total of {view.total_fen}")
    jobs = ctx.ledger.read(printing.jobs_for_receipt, view.receipt_no)
    if len(jobs) != 1 or jobs[0].state != printing.PENDING:
        raise CheckFailed(f"expected one queued print job, found {[j.state for j in jobs]}")
    ctx.receipt_no, ctx.sale_id = view.receipt_no, view.sale_id
    key = ctx.ledger.read(_receipt_key)
    ctx.expected_url = receipt_url(SELFTEST_SERVER_URL, view.sale_id, key)
    return (
        f"{view.receipt_no}: {len(view.lines)} lines, total {format_yuan(view.total_fen)}, "
        f"change {format_yuan(view.change_fen)}"
    )


def _receipt_key(session: Any) -> str:
    from booth_pos.services.booth import this_device

    key = this_device(session).receipt_key
    if not key:
        raise CheckFailed("this till has no receipt key")
    return str(key)


def profile_cuts(profile: str) -> bool:
    from booth_pos.printing.profiles import get_profile

    return get_profile(profile).cutter


def _render(ctx: _Context, profile: str, mode: str) -> tuple[bytes, str]:
    from booth_pos.printing.render import Rendered
    from booth_pos.services import printing

    def build(session: Any) -> Rendered:
        config = printing.printer_config(session).with_printer(profile=profile, mode=mode)
        document = printing.receipt_document(session, ctx.receipt_no, False, config)
        return printing.render_document(document, config)

    rendered = ctx.ledger.read(build)
    data: bytes = rendered.data
    if rendered.mode.value != mode:
        raise CheckFailed(f"asked for {mode} mode, rendered in {rendered.mode} ({rendered.note})")
    if not data.startswith(ESC_INIT):
        raise CheckFailed(f"{len(data)} bytes that do not start with ESC @")
    if profile_cuts(profile) and GS_CUT not in data[-8:]:
        raise CheckFailed(f"{len(data)} bytes that do not end with a cut")
    ctx.rendered[mode] = data
    return data, f"{len(data)} bytes"


def check_receipt_gbk(ctx: _Context) -> str:
    data, detail = _render(ctx, "xprinter-58", "gbk")
    for text in (ctx.receipt_no, "自检摊位", "莲藕"):
        if text.encode("gbk") not in data:
            raise CheckFailed(f"{text!r} is not in the receipt as GBK text")
    if FS_CHINESE_ON not in data:
        raise CheckFailed("the receipt never enters Chinese mode (FS &)")
    return f"{detail}, Chinese as GBK text"


def check_receipt_raster(ctx: _Context) -> str:
    data, detail = _render(ctx, "generic", "raster")
    bands = data.count(GS_RASTER)
    if bands == 0 or FS_CHINESE_ON in data:
        raise CheckFailed(f"{bands} raster bands; Chinese mode {FS_CHINESE_ON in data}")
    return f"{detail}, {bands} GS v 0 image bands"


def check_print_file(ctx: _Context) -> str:
    from booth_pos.services import printing

    target = ctx.work / "receipt.bin"
    job = ctx.ledger.read(printing.jobs_for_receipt, ctx.receipt_no)[-1]
    printer = printing.Printer()
    try:
        view, _ = printing.print_job_now(ctx.ledger, printer, job.job_id, f"file:{target}")
    finally:
        printer.close()
    if view.state != printing.DONE:
        raise CheckFailed(f"print job {view.state}: {view.message('en')}")
    data = target.read_bytes()
    if data != ctx.rendered.get("gbk"):
        raise CheckFailed(f"the file holds {len(data)} bytes, not the gbk receipt")
    return f"{ctx.receipt_no} printed to file: {len(data)} bytes"


def check_receipt_png(ctx: _Context) -> str:
    from booth_pos.services import printing

    png = ctx.ledger.read(printing.receipt_preview_png, ctx.receipt_no)
    if not png.startswith(b"\x89PNG"):
        raise CheckFailed("the preview is not a PNG")
    found = decode_qr(png)
    if found != [ctx.expected_url]:
        raise CheckFailed(f"QR read as {found}, expected [{ctx.expected_url!r}]")
    return f"{len(png)} bytes; QR reads {ctx.expected_url}"


# --- running them --------------------------------------------------------------------------------

Step = Callable[[_Context], str]

CHECKS: tuple[tuple[str, Step, tuple[str, ...]], ...] = (
    ("modules", check_modules, ()),
    ("usb", check_usb, ()),
    ("migrate", check_migrate, ()),
    ("demo", check_demo, ("migrate",)),
    ("sale", check_sale, ("demo",)),
    ("receipt-gbk", check_receipt_gbk, ("sale",)),
    ("receipt-raster", check_receipt_raster, ("sale",)),
    ("print-file", check_print_file, ("receipt-gbk",)),
    ("receipt-png", check_receipt_png, ("sale",)),
)


@contextlib.contextmanager
def _work_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="booth-pos-selftest-") as folder:
        yield Path(folder)


def run_selftest(
    on_check: Callable[[Check], None] | None = None,
    *,
    extra: tuple[tuple[str, Step, tuple[str, ...]], ...] = (),
) -> Report:
    """Run every check (each one whose prerequisites passed) and report them in order.

    `extra` adds checks from layers above this one: the CLI adds the Qt check from
    booth_pos.ui.selftest_qt, since nothing below ui/ imports Qt.
    """
    results: list[Check] = []
    passed: set[str] = set()
    with _work_dir() as work:
        ctx = _Context(work)
        try:
            for name, step, needs in (*CHECKS, *extra):
                started = time.perf_counter()
                missing = [n for n in needs if n not in passed]
                if missing:
                    result = Check(name, False, f"not run: needs {', '.join(missing)}", 0.0)
                else:
                    try:
                        result = Check(name, True, step(ctx), time.perf_counter() - started)
                    except Exception as exc:
                        detail = str(exc) if isinstance(exc, CheckFailed) else repr(exc)
                        result = Check(name, False, detail, time.perf_counter() - started)
                if result.ok:
                    passed.add(name)
                results.append(result)
                if on_check is not None:
                    on_check(result)
        finally:
            if ctx.ledger is not None:
                ctx.ledger.close()
    return Report(tuple(results), frozen=bool(getattr(sys, "frozen", False)))
