"""Cyclic garbage is collected by the GUI thread's timer, never by a worker thread."""

from __future__ import annotations

import gc

from pytestqt.qtbot import QtBot

from booth_pos.ui.gc_guard import GuiThreadCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_the_collector_turns_automatic_gc_off_and_collects_on_its_timer(qtbot: QtBot) -> None:
    was_enabled = gc.isenabled()
    collector = GuiThreadCollector()
    try:
        assert not gc.isenabled()
        gc.collect()
        for _ in range(gc.get_threshold()[0] + 10):
            Cycle()
        assert collector.collect() > 0  # generation 0 was due and held the cycles
    finally:
        collector.stop()
    assert gc.isenabled() == was_enabled  # as it found it (the UI tests keep gc off)


def test_stopping_the_collector_turns_automatic_gc_back_on(qtbot: QtBot) -> None:
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        GuiThreadCollector().stop()
        assert gc.isenabled()
    finally:
        if not was_enabled:
            gc.disable()
