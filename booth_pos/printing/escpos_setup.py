"""Import python-escpos without its start-up litter.

`escpos.capabilities` pickles its printer database into a fresh `mkdtemp()` folder on every
import (one new temporary folder per app start, never removed) unless
ESCPOS_CAPABILITIES_PICKLE_DIR names a folder; this points it at the user cache folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_dir

ENV = "ESCPOS_CAPABILITIES_PICKLE_DIR"


def prepare() -> None:
    """Call before the first `import escpos...` (idempotent; an explicit setting wins)."""
    if os.environ.get(ENV):
        return
    folder = Path(user_cache_dir("booth-pos", appauthor=False)) / "escpos"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # python-escpos falls back to a temporary folder
    os.environ[ENV] = str(folder)
