"""Fixtures for the CLI tests: demo booths set up by the real `booth-pos init --demo`.

`init --demo` runs once per session into a template folder; each test gets its own copy,
so every test starts from a ledger the CLI itself created.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TIMEOUT_S = 60
DEMO_INIT = (
    "init",
    "--booth-code",
    "LX01",
    "--booth-name",
    "后湖莲藕摊",
    "--town",
    "莲花镇",
    "--demo",
)


def cli_env(lang: str | None = "en", **extra: str) -> dict[str, str]:
    """The environment of a CLI run: no BOOTH_POS_* leaking in from outside, UTF-8 pipes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOOTH_POS_")}
    env["PYTHONIOENCODING"] = "utf-8"
    if lang is not None:
        env["BOOTH_POS_LANG"] = lang
    env.update(extra)
    return env


def run_cli(
    data_dir: Path | None,
    *args: str,
    lang: str | None = "en",
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m booth_pos [--data-dir DIR] ARGS...` as a real child process."""
    command = [sys.executable, "-m", "booth_pos"]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    command += args
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env if env is not None else cli_env(lang),
        cwd=cwd if cwd is not None else (data_dir.parent if data_dir is not None else None),
        timeout=TIMEOUT_S,
        check=False,
    )


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder set up by `init --demo` (booth LX01), never changed by tests."""
    folder = tmp_path_factory.mktemp("template") / "data"
    result = run_cli(folder, *DEMO_INIT)
    if result.returncode != 0:  # pragma: no cover - only when init itself is broken
        pytest.fail(f"init --demo failed: {result.stderr}")
    return folder


@pytest.fixture
def booth(demo_template: Path, tmp_path: Path) -> Path:
    """This test's own data folder: a copy of the freshly initialised demo booth."""
    folder = tmp_path / "data"
    shutil.copytree(demo_template, folder)
    return folder
