"""UI tests start in English unless they switch; the translator is global to the app.

As in the app (booth_pos.ui.gc_guard), cyclic garbage is collected on the GUI thread only:
a collection that starts on a ledger or printer worker thread could free a widget there.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from booth_pos.ui import i18n


@pytest.fixture(scope="session", autouse=True)
def collect_on_the_gui_thread() -> Iterator[None]:
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def english_by_default(qtbot: QtBot) -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("en")
    gc.collect()
