"""Fixtures for the CLI tests: demo booths set up by `booth-pos init --demo`.

`init --demo` runs once per session into a template folder; each test gets its own copy,
so every test starts from a ledger the CLI itself created.

Two ways to run a command: `invoke` calls `booth_pos.cli.main.main` in this process (most
tests: what the command does, its exit code, its output); `run_cli` starts the program as a
child process, for what only a real process shows (the entry point, its exit status, bytes
on its pipes, locking against another process).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from booth_pos.cli.main import main
from booth_pos.store.engine import DB_FILENAME
from tests.helpers import copy_database

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


def console_script() -> Path:
    """The installed `booth-pos` program (pyproject's [project.scripts]), next to Python."""
    return Path(sys.executable).parent / "booth-pos"


def run_cli(
    data_dir: Path | None,
    *args: str,
    lang: str | None = "en",
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    program: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m booth_pos [--data-dir DIR] ARGS...` as a real child process (or, with
    `program`, that program: `console_script()`)."""
    command = [str(program)] if program is not None else [sys.executable, "-m", "booth_pos"]
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


@dataclass(frozen=True)
class Result:
    """What `invoke` saw, shaped like subprocess.CompletedProcess."""

    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    """os.environ is `env` inside the block, and as it was afterwards."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def invoke(
    data_dir: Path | None,
    *args: str,
    lang: str | None = "en",
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Result:
    """Run `booth-pos [--data-dir DIR] ARGS...` in this process: same arguments, environment
    and working folder as `run_cli`, stdout and stderr captured."""
    argv = ["--data-dir", str(data_dir)] if data_dir is not None else []
    argv += args
    folder = cwd if cwd is not None else (data_dir.parent if data_dir is not None else None)
    out, err = io.StringIO(), io.StringIO()
    with (
        _environment(env if env is not None else cli_env(lang)),
        contextlib.chdir(folder) if folder is not None else contextlib.nullcontext(),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's --version and --help
            code = exc.code if isinstance(exc.code, int) else 1
    return Result(code, out.getvalue(), err.getvalue())


def _copy_data_folder(source: Path, target: Path) -> None:
    """`source` copied to `target`, the ledger through SQLite's backup API."""
    database = {DB_FILENAME, f"{DB_FILENAME}-wal", f"{DB_FILENAME}-shm"}
    shutil.copytree(source, target, ignore=lambda _dir, names: database & set(names))
    copy_database(source / DB_FILENAME, target / DB_FILENAME)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder set up by `init --demo` (booth LX01), never changed by tests."""
    folder = tmp_path_factory.mktemp("template") / "data"
    result = invoke(folder, *DEMO_INIT)
    if result.returncode != 0:  # pragma: no cover - only when init itself is broken
        pytest.fail(f"init --demo failed: {result.stderr}")
    return folder


@pytest.fixture
def booth(demo_template: Path, tmp_path: Path) -> Path:
    """This test's own data folder: a copy of the freshly initialised demo booth."""
    folder = tmp_path / "data"
    _copy_data_folder(demo_template, folder)
    return folder


def copy_booth(demo_template: Path, folder: Path) -> Path:
    """A copy of the demo booth in `folder` (for fixtures wider than one test)."""
    _copy_data_folder(demo_template, folder)
    return folder
