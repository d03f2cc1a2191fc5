"""Language and fonts. Source strings are English; Simplified Chinese is loaded by default."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase

from booth_pos.resources import cjk_font_path, resources_dir

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

_state: dict[str, object] = {"lang": DEFAULT_LANGUAGE, "translator": None, "family": None}


def translation_file(lang: str) -> Path:
    return resources_dir() / "translations" / f"booth_pos_{lang}.qm"


def current_language() -> str:
    return str(_state["lang"])


def set_language(lang: str) -> bool:
    """Switch every later `tr()` to `lang`; returns False if its translation is missing."""
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication first")
    old = _state["translator"]
    if isinstance(old, QTranslator):
        app.removeTranslator(old)
        _state["translator"] = None
    _state["lang"] = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    if _state["lang"] == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.China))
        return True
    translator = QTranslator(app)
    if not translator.load(str(translation_file(str(_state["lang"])))):
        return False
    app.installTranslator(translator)
    _state["translator"] = translator
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    return True


def register_fonts() -> str | None:
    """Load the bundled CJK font and make it the app's font, so Chinese renders anywhere."""
    if _state["family"]:
        return str(_state["family"])
    font_id = QFontDatabase.addApplicationFont(str(cjk_font_path()))
    if font_id < 0:
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        return None
    family = families[0]
    _state["family"] = family
    app = QCoreApplication.instance()
    if app is not None:
        font = QFont(family)
        font.setPointSize(12)
        app.setFont(font)  # type: ignore[attr-defined]
    return family
