"""Time receipt rendering: ESC/POS bytes (raster and gbk) and the PNG preview.

Usage::

    python bench/receipts.py [--receipts N] [--warmup W]

A fresh demo ledger (LX01, demo catalogue) rings up one five-line cash sale with the county
server set, so the receipt carries the QR; the receipt is built from the ledger as the print
worker builds it (`services.printing.receipt_document`). Each timed receipt then gets its own
sale UUID, so its QR code is computed afresh (the QR image cache never hits), and is timed end
to end from the receipt data: `layout()` plus

* raster: `render.escpos_bytes` in raster mode (the whole receipt drawn with the bundled font,
  sent as GS v 0 bands), 58 mm (384 dots) and 80 mm (576 dots);
* gbk: `render.escpos_bytes` in gbk mode (printer font, FS & ... FS ., QR as a GS v 0 image),
  58 mm, Xprinter class;
* png: `render.png_bytes`, the 58 mm preview;
* text: `receipt.to_text`, for comparison.

The very first raster receipt of the process (font loading, every glyph drawn once) is timed
separately: a till pays it once per start. Kinds are timed round-robin so drift hits all.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/receipts.py`: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ring_up import Stats, load_average, machine_facts, make_demo_ledger
from booth_pos.domain.cart import CartLine
from booth_pos.domain.pricing import TenderIn, TenderMethod
from booth_pos.printing.profiles import make_target
from booth_pos.printing.qrcode_url import receipt_url
from booth_pos.printing.receipt import Document, layout, to_text
from booth_pos.printing.render import escpos_bytes, png_bytes
from booth_pos.services import printing, sales
from booth_pos.services.settings import load_settings, save_settings

SERVER = "https://county.example.cn"
COORDINATOR_PIN = "8888"  # the demo coordinator
CART_SPEC = (("101", "1.25kg"), ("201", "2"), ("601", "750g"), ("401", "1"), ("501", "3"))
AIMS_MS = {"raster 58 mm": 30.0, "gbk 58 mm": 5.0, "png 58 mm": 30.0}


def demo_receipt(folder: Path) -> tuple[Document, str]:
    """A five-line sale rung up on a fresh demo ledger, as the print worker would read it."""
    ledger = make_demo_ledger(folder)
    try:
        current = ledger.read(load_settings)
        ledger.write(
            save_settings,
            dataclasses.replace(current, server_url=SERVER, receipt_footer="谢谢惠顾，欢迎再来！"),
            COORDINATOR_PIN,
        )
        cart = [CartLine.parse(code, qty) for code, qty in CART_SPEC]
        sale = ledger.write(sales.ring_up, cart, [TenderIn(TenderMethod.CASH, 30_000)])
        key = ledger.write(printing.device_receipt_key)
        return ledger.read(printing.receipt_document, sale.receipt_no), key
    finally:
        ledger.close()


def run(receipts: int, warmup: int) -> int:
    with tempfile.TemporaryDirectory(prefix="booth-receipts-") as tmp:
        base, key = demo_receipt(Path(tmp))

    raster58 = make_target("generic", "raster", 58)
    raster80 = make_target("generic", "raster", 80)
    gbk58 = make_target("xprinter-58", "gbk", 58, kick_drawer=True)

    def fresh() -> Document:
        return dataclasses.replace(base, qr_url=receipt_url(SERVER, str(uuid.uuid4()), key))

    sizes: dict[str, int] = {}

    def kind(name: str, work: Callable[[Document], bytes]) -> Callable[[Document], None]:
        def timed(document: Document) -> None:
            sizes[name] = len(work(document))

        return timed

    kinds: dict[str, Callable[[Document], None]] = {
        "raster 58 mm": kind(
            "raster 58 mm",
            lambda d: escpos_bytes(layout(d, raster58.columns), raster58).data,
        ),
        "raster 80 mm": kind(
            "raster 80 mm",
            lambda d: escpos_bytes(layout(d, raster80.columns), raster80).data,
        ),
        "gbk 58 mm": kind(
            "gbk 58 mm", lambda d: escpos_bytes(layout(d, gbk58.columns), gbk58).data
        ),
        "png 58 mm": kind("png 58 mm", lambda d: png_bytes(layout(d, raster58.columns), 384)),
        "text 58 mm": kind("text 58 mm", lambda d: to_text(layout(d, 32)).encode()),
    }

    document = fresh()
    start = time.perf_counter_ns()
    kinds["raster 58 mm"](document)
    first_ms = (time.perf_counter_ns() - start) / 1e6

    for _ in range(warmup):
        for work in kinds.values():
            work(fresh())
    gc.collect()
    samples: dict[str, list[int]] = {name: [] for name in kinds}
    load_before = load_average()
    for _ in range(receipts):
        for name, work in kinds.items():
            document = fresh()  # outside the timing: a new UUID, so a new QR code
            start = time.perf_counter_ns()
            work(document)
            samples[name].append(time.perf_counter_ns() - start)

    print("machine")
    extra = [
        *((name, version(name)) for name in ("pillow", "qrcode", "python-escpos")),
        ("load avg", f"{load_before} before, {load_average()} after (1/5/15 min)"),
    ]
    for key_name, value in [*machine_facts(), *extra]:
        print(f"  {key_name:<11} {value}")
    print()
    print(
        f"{receipts} five-line receipts with QR per kind (+{warmup} warm-up), times in ms, "
        "each with a fresh QR"
    )
    print(f"  {'':<13} {'p50':>8} {'p90':>8} {'p99':>8} {'max':>8} {'mean':>8} {'bytes':>8}")
    stats = {name: Stats.of(values) for name, values in samples.items()}
    for name, s in stats.items():
        print(
            f"  {name:<13} {s.p50:>8.3f} {s.p90:>8.3f} {s.p99:>8.3f} {s.max:>8.3f} "
            f"{s.mean:>8.3f} {sizes[name]:>8}"
        )
    print()
    print(
        "first raster receipt of the process (escpos import, font load, glyphs drawn): "
        f"{first_ms:.1f} ms"
    )
    print()
    missed = 0
    for name, aim in AIMS_MS.items():
        ok = stats[name].p50 < aim
        missed += not ok
        verdict = "met" if ok else "MISSED"
        print(f"aim {name} p50 < {aim:g} ms: {verdict} ({stats[name].p50:.3f} ms)")
    return 1 if missed else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--receipts", type=int, default=500, help="timed per kind (default 500)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed first (default 20)")
    args = parser.parse_args(argv)
    if args.receipts < 1 or args.warmup < 0:
        parser.error("--receipts must be >= 1 and --warmup >= 0")
    return run(args.receipts, args.warmup)


if __name__ == "__main__":
    sys.exit(main())
