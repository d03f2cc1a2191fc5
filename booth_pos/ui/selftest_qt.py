"""The selftest's Qt check: it lives in ui/ because nothing below ui/ imports Qt."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import PySide6
from PySide6.QtCore import QObject, QTranslator, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from booth_pos.resources import cjk_font_path
from booth_pos.services.selftest import CheckFailed
from booth_pos.ui import i18n


class _Emitter(QObject):
    any_value = Signal(object)
    flag = Signal(bool)
    bare = Signal()


def references_to_true_lost(emits: int) -> int:
    """How many references to Python's True `emits` rounds of signal emits drop.

    PySide6 6.12.0 drops one per emit; on Python 3.11, where True is not immortal, a till then
    dies with "Fatal Python error: bool_dealloc" after about a thousand sales.
    """
    emitter = _Emitter()
    seen: list[object] = []
    emitter.any_value.connect(seen.append)
    emitter.flag.connect(seen.append)
    emitter.bare.connect(lambda: None)
    before = sys.getrefcount(True)
    for index in range(emits):
        emitter.any_value.emit(index)
        emitter.flag.emit(False)
        emitter.bare.emit()
        seen.clear()
    return before - sys.getrefcount(True)


def check_qt(_ctx: object) -> str:
    existing = QApplication.instance()
    app = existing or QApplication(["booth-pos", "-platform", "offscreen"])
    platform = QApplication.platformName()
    font_file = cjk_font_path()
    font_id = QFontDatabase.addApplicationFont(str(font_file))
    if font_id < 0:
        raise CheckFailed(f"the CJK font {font_file.name} does not register")
    families = QFontDatabase.applicationFontFamilies(font_id)
    QFontDatabase.removeApplicationFont(font_id)
    if not any("WenQuanYi" in f for f in families):
        raise CheckFailed(f"the bundled font gives {families}")
    translator = QTranslator()
    if not translator.load(str(i18n.translation_file("zh"))) or translator.isEmpty():
        raise CheckFailed("the Chinese translation (booth_pos_zh.qm) does not load")
    import booth_pos.ui

    screens = [
        importlib.import_module(info.name)
        for info in pkgutil.iter_modules(booth_pos.ui.__path__, "booth_pos.ui.")
    ]
    if not screens:
        raise CheckFailed("no till screens found")
    lost = references_to_true_lost(2_000)
    if lost > 0:
        raise CheckFailed(
            f"PySide6 {PySide6.__version__} loses a reference to True per signal ({lost} in "
            "6,000 emits): the till would crash after about a thousand sales"
        )
    del app  # the QApplication lives on (a process has at most one)
    return (
        f"PySide6 {PySide6.__version__} QApplication on {platform}; font {families[0]}; "
        f"zh translation; {len(screens)} UI modules; signals keep True"
    )


QT_CHECK = (("qt", check_qt, ()),)
