"""Printer models: width in dots, Chinese font, native QR, cutter; and the mode to print in.

python-escpos 3.1 bundles 35 profiles, none for the Xprinter / GPrinter class of 58 mm
printers sold in China, and none with a Chinese font. Our own table names those; any bundled
python-escpos profile name (`TM-T88V`, `POS-5890`...) is accepted too, as a printer without
a Chinese font. Unknown printers print in raster mode: it works on every raster printer.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import cache
from typing import Any

from booth_pos.domain.errors import BadInput
from booth_pos.printing import escpos_setup

MIN_COLUMNS = 16
CELL_DOTS = 12  # Font A: 12 x 24 dots; a Chinese character is two cells
WIDTH_DOTS = {58: 384, 80: 576}  # printable dots of the common roll widths at 203 dpi


class Mode(enum.StrEnum):
    GBK = "gbk"  # the printer's own Chinese font, FS & ... FS .
    RASTER = "raster"  # the receipt drawn with the bundled font, sent as GS v 0 images
    AUTO = "auto"  # gbk where the profile has a Chinese font, else raster


@dataclass(frozen=True)
class PrinterProfile:
    name: str
    label: str
    escpos_profile: str  # the bundled python-escpos profile it is based on
    max_dots: int | None  # None: the paper width decides
    chinese_font: bool
    native_qr: bool
    cutter: bool


PROFILES: dict[str, PrinterProfile] = {
    p.name: p
    for p in (
        PrinterProfile(
            "generic", "Unknown ESC/POS printer (raster)", "default", None, False, False, True
        ),
        PrinterProfile(
            "xprinter-58", "Xprinter XP-58 class, Chinese font", "POS-5890", 384, True, False, False
        ),
        PrinterProfile(
            "gprinter-58", "GPrinter GP-58 class, Chinese font", "POS-5890", 384, True, False, False
        ),
        PrinterProfile(
            "xprinter-80",
            "Xprinter XP-80 class, Chinese font, cutter",
            "TM-T20II",
            576,
            True,
            False,
            True,
        ),
        PrinterProfile(
            "epson-tm-t88v", "Epson TM-T88V (no Chinese font)", "TM-T88V", 512, False, True, True
        ),
        PrinterProfile(
            "epson-tm-t20ii", "Epson TM-T20II (no Chinese font)", "TM-T20II", 576, False, True, True
        ),
    )
}


@cache
def _escpos_profiles() -> dict[str, Any]:
    escpos_setup.prepare()
    from escpos.capabilities import CAPABILITIES

    profiles: dict[str, Any] = CAPABILITIES["profiles"]
    return profiles


def _from_escpos(name: str) -> PrinterProfile | None:
    data = _escpos_profiles().get(name)
    if data is None:
        return None
    features = data.get("features", {})
    pixels = data.get("media", {}).get("width", {}).get("pixels")
    return PrinterProfile(
        name=name,
        label=f"{name} (python-escpos profile)",
        escpos_profile=name,
        max_dots=pixels if isinstance(pixels, int) else None,
        chinese_font=False,
        native_qr=bool(features.get("qrCode")),
        cutter=bool(features.get("paperFullCut") or features.get("paperPartCut")),
    )


def get_profile(name: str) -> PrinterProfile:
    """Our profile or a bundled python-escpos one; BadInput for an unknown name."""
    profile = PROFILES.get(name) or _from_escpos(name)
    if profile is None:
        raise BadInput("unknown_printer_profile", name=name)
    return profile


def profile_names() -> list[str]:
    """Ours first (for a Settings list), then python-escpos' bundled names."""
    return [*PROFILES, *sorted(n for n in _escpos_profiles() if n not in PROFILES)]


@dataclass(frozen=True)
class Target:
    """Everything a renderer needs to know about the printer it renders for."""

    profile: PrinterProfile
    mode: Mode  # GBK or RASTER, never AUTO
    dots: int
    kick_drawer: bool = False

    @property
    def columns(self) -> int:
        return self.dots // CELL_DOTS

    @property
    def native_qr(self) -> bool:
        return self.profile.native_qr and self.mode is Mode.GBK


def parse_mode(text: str) -> Mode:
    try:
        return Mode(text.strip().lower())
    except ValueError:
        raise BadInput("bad_printer_mode", text=text) from None


def parse_width(width_mm: int) -> int:
    if width_mm not in WIDTH_DOTS:
        raise BadInput("bad_paper_width", text=str(width_mm))
    return width_mm


def make_target(profile_name: str, mode: str, width_mm: int, kick_drawer: bool = False) -> Target:
    """Resolve a printer's settings: AUTO becomes GBK only for a profile with a Chinese font."""
    profile = get_profile(profile_name)
    chosen = parse_mode(mode)
    if chosen is Mode.AUTO:
        chosen = Mode.GBK if profile.chinese_font else Mode.RASTER
    dots = WIDTH_DOTS[parse_width(width_mm)]
    if profile.max_dots is not None:
        dots = min(dots, profile.max_dots)
    if dots < MIN_COLUMNS * CELL_DOTS:
        raise BadInput("bad_paper_width", text=f"{profile.name}: {dots} dots")
    return Target(profile, chosen, dots, kick_drawer)
