"""Every visible string has its Chinese translation, and the shipped .qm matches the .ts."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from booth_pos.resources import resources_dir
from booth_pos.ui import i18n

TS = resources_dir() / "translations" / "booth_pos_zh.ts"
UI = Path(i18n.__file__).parent


def _tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).with_name(name))
    if not Path(found).exists():
        pytest.fail(f"{name} is not installed; it comes with PySide6")
    return found


def _messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(path).getroot()
    found: dict[tuple[str, str], ET.Element] = {}
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            found[(name, message.findtext("source") or "")] = translation
    return found


def test_every_string_in_the_ui_is_in_the_translation_file(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in UI.glob("*.py"))
    subprocess.run(
        [_tool("pyside6-lupdate"), *sources, "-ts", str(fresh)], check=True, capture_output=True
    )
    wanted = set(_messages(fresh))
    shipped = _messages(TS)
    assert wanted - set(shipped) == set(), "run pyside6-lupdate and translate the new strings"


def test_every_message_is_translated() -> None:
    unfinished = [
        source
        for (_ctx, source), tr in _messages(TS).items()
        if tr.get("type") in ("unfinished", "vanished", "obsolete") or not (tr.text or "")
    ]
    assert unfinished == []


def test_the_shipped_qm_is_built_from_the_ts(tmp_path: Path) -> None:
    built = tmp_path / "built.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), str(TS), "-qm", str(built)], check=True, capture_output=True
    )
    assert built.read_bytes() == i18n.translation_file("zh").read_bytes()


def test_chinese_is_loaded_and_english_is_the_switch(qtbot: object) -> None:
    from PySide6.QtCore import QCoreApplication

    assert i18n.set_language("zh")
    assert QCoreApplication.translate("TillWindow", "Pay… (F12)") == "付款… (F12)"
    assert i18n.set_language("en")
    assert QCoreApplication.translate("TillWindow", "Pay… (F12)") == "Pay… (F12)"
