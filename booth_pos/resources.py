"""Where the bundled resources (fonts, translations, icons) live, without importing Qt.

The same rule as `booth_pos.ui.i18n.resources_dir`: `resources/` beside the package in a
source tree or an editable install, or inside a PyInstaller bundle (`sys._MEIPASS`).
"""

from __future__ import annotations

import sys
from pathlib import Path

CJK_FONT_FILE = "wqy-microhei.ttc"


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[1] / "resources"


def cjk_font_path() -> Path:
    """WenQuanYi Micro Hei (a TrueType collection; face 0 is the proportional face)."""
    return resources_dir() / "fonts" / CJK_FONT_FILE
