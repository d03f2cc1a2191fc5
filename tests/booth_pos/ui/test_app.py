"""The app window opens on the booth it belongs to."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from booth_pos.services.ledger import Ledger
from booth_pos.ui.app import MainWindow, load_booth


def test_window_names_the_booth(qtbot: QtBot, ledger: Ledger) -> None:
    window = MainWindow(load_booth(ledger))
    qtbot.addWidget(window)
    window.show()
    assert "后湖莲藕摊" in window.headline.text()
    assert "LX01" in window.headline.text()


def test_window_says_when_no_booth_is_set_up(qtbot: QtBot, empty_ledger: Ledger) -> None:
    window = MainWindow(load_booth(empty_ledger))
    qtbot.addWidget(window)
    assert window.headline.text() == "摊位尚未设置"
    assert "init" in window.detail.text()
