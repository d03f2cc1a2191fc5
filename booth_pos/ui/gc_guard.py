"""Garbage collection only on the GUI thread.

Python's cyclic collector runs on whichever thread happens to allocate; if that is the ledger
or a printer worker, it may free a Qt widget's wrapper there, and Qt crashes. The app turns
automatic collection off and collects from a timer on the GUI thread instead (as qutebrowser
does), with the collector's own generation thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self.timer.start(INTERVAL_MS)

    def collect(self) -> int:
        """Collect the generations that are due, as automatic collection would have."""
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        generation = -1
        for index, (count, threshold) in enumerate(zip(counts, thresholds, strict=True)):
            if threshold and count > threshold:
                generation = index
        return gc.collect(generation) if generation >= 0 else 0

    def stop(self) -> None:
        self.timer.stop()
        if self._was_enabled:
            gc.enable()
