"""The installable app: build the PyInstaller bundle from build_installer.spec, then run what a
coordinator runs after copying it to a booth laptop (`--version`, `selftest`, a sale and its
receipt printed to a file), from outside the source tree with the offscreen Qt platform.

Slow (the build takes about a minute) but part of every CI run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from booth_pos import __version__
from booth_pos.services.selftest import CHECKS as CORE_CHECKS

# The CLI adds the Qt check (booth_pos.ui.selftest_qt) after the core ones.
CHECKS = (*CORE_CHECKS, ("qt", None, ()))

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "build_installer.spec"
EXE_NAME = "booth-pos.exe" if sys.platform == "win32" else "booth-pos"
# The bundle is about 145 MiB on Linux; fail when it grows well past that, so a new dependency
# or a Qt module collected by accident is noticed (and the README's figure is updated).
SIZE_BUDGET_MIB = 175

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built one-folder bundle (dist/booth-pos) in a temporary folder."""
    work = tmp_path_factory.mktemp("installer")
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--distpath",
        str(work / "dist"),
        "--workpath",
        str(work / "build"),
        str(SPEC),
    ]
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=1200, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    folder = work / "dist" / "booth-pos"
    assert (folder / EXE_NAME).is_file(), sorted(p.name for p in folder.iterdir())
    return folder


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A clean home folder: the bundle's caches and data stay out of the developer's."""
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def run_bundle(
    bundle: Path, home: Path, *args: str, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run the bundled executable as a booth laptop would: no venv, no source tree."""
    drop = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "BOOTH_POS_DATA_DIR", "BOOTH_POS_LANG")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),
        USERPROFILE=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        PYTHONIOENCODING="utf-8",
    )
    return subprocess.run(
        [str(bundle / EXE_NAME), *args],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )


def ok(result: subprocess.CompletedProcess[str], command: Sequence[str]) -> str:
    assert result.returncode == 0, f"{command}: {result.returncode}\n{result.stdout}{result.stderr}"
    return result.stdout


def test_version(bundle: Path, home: Path) -> None:
    out = ok(run_bundle(bundle, home, "--version"), ["--version"])
    assert out.strip() == f"booth-pos {__version__}"


def test_selftest_passes_in_the_bundle(bundle: Path, home: Path) -> None:
    out = ok(run_bundle(bundle, home, "selftest"), ["selftest"])
    lines = out.splitlines()
    for name, _, _ in CHECKS:
        assert any(line.split()[:2] == ["ok", name] for line in lines), out
    assert "FAILED" not in out
    assert lines[-1] == f"selftest passed: {len(CHECKS)} checks"


def test_selftest_json_says_it_ran_frozen(bundle: Path, home: Path) -> None:
    report = json.loads(ok(run_bundle(bundle, home, "selftest", "--json"), ["selftest"]))
    assert report["ok"] is True
    assert report["frozen"] is True  # the bundle's own code, not the source tree
    assert [c["name"] for c in report["checks"]] == [name for name, _, _ in CHECKS]
    assert not (home / "data" / "booth-pos").exists()  # the user's ledger is never touched


def test_readme_sale_and_receipt_to_a_file(bundle: Path, home: Path) -> None:
    """The README's first steps with the bundle: set up the demo booth, sell, print to a file."""
    data = ["--data-dir", "demo-booth"]
    booth = ["--booth-code", "LX01", "--booth-name", "后湖莲藕摊", "--town", "莲花镇"]
    steps = [
        [*data, "init", *booth, "--demo"],
        [*data, "sell", "101=1.25kg", "201", "--pay", "cash:50", "--pay", "mobile:10"],
        [*data, "receipt", "LX01-000001", "--printer", "file:receipt.bin"],
    ]
    for step in steps:
        ok(run_bundle(bundle, home, *step), step)
    printed = (home / "receipt.bin").read_bytes()
    assert printed.startswith(b"\x1b@")  # ESC @: a whole ESC/POS job
    assert len(printed) > 1000


def test_bundle_leaves_out_what_the_booth_does_not_need(bundle: Path) -> None:
    names = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*")}
    for unwanted in ("fastapi", "uvicorn", "psycopg", "psycopg_binary", "starlette", "pytest"):
        assert not any(f"/{unwanted}/" in f"/{n}/" for n in names), unwanted
    qt = " ".join(n for n in names if "Qt" in n)
    for module in ("Network", "Qml", "Quick", "WebEngine", "3DCore", "Pdf"):
        assert f"Qt6{module}" not in qt and f"Qt{module}." not in qt, module
    assert not any("/translations/qt" in n for n in names)  # Qt's own translations
    internal = bundle / "_internal"
    for needed in (
        "resources/fonts/wqy-microhei.ttc",
        "resources/translations/booth_pos_zh.qm",
        "resources/linux/booth-pos.desktop",
        "resources/linux/60-booth-pos-printers.rules",
        "resources/linux/booth-pos.svg",
        "booth_pos/store/migrations/env.py",
        "booth_pos/store/migrations/script.py.mako",
        "escpos/capabilities.json",
    ):
        assert (internal / needed).is_file(), needed
    versions = ROOT / "booth_pos" / "store" / "migrations" / "versions"
    bundled = internal / "booth_pos" / "store" / "migrations" / "versions"
    assert sorted(p.name for p in bundled.glob("*.py")) == sorted(
        p.name for p in versions.glob("[0-9]*_*.py")
    )
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    assert size < SIZE_BUDGET_MIB * 2**20, f"bundle is {size / 2**20:.0f} MiB"
