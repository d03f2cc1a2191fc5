"""The selftest's Qt check: it lives in ui/ because nothing below ui/ imports Qt."""

from __future__ import annotations

import importlib
import pkgutil

from PySide6.QtCore import QTranslator
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from booth_pos.resources import cjk_font_path
from booth_pos.services.selftest import CheckFailed
from booth_pos.ui import i18n


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
    del app  # the QApplication lives on (a process has at most one)
    return (
        f"QApplication on {platform}; font {families[0]}; zh translation; {len(screens)} UI modules"
    )


QT_CHECK = (("qt", check_qt, ()),)
