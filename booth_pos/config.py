"""Where the booth keeps its ledger."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

ENV_DATA_DIR = "BOOTH_POS_DATA_DIR"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir wins, then $BOOTH_POS_DATA_DIR, then the platform's user data folder."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(ENV_DATA_DIR)
    if from_env:
        return Path(from_env).expanduser()
    return Path(user_data_dir("booth-pos", appauthor=False))
