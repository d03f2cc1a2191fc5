"""UI tests start in English unless they switch; the translator is global to the app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from booth_pos.ui import i18n


@pytest.fixture(autouse=True)
def english_by_default(qtbot: QtBot) -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("en")
