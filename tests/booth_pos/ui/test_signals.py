"""Signals do not eat Python's True: a till can ring up a whole festival day in one process.

PySide6 6.12.0 dropped a reference to True on every emit; on Python 3.11 the till then aborted
with "Fatal Python error: bool_dealloc" after about 1,150 sales. The check runs in a child
process, so a leak shows as this test's failure rather than as the whole suite's crash.
"""

from __future__ import annotations

import os
import subprocess
import sys

import PySide6

CHILD = """
from PySide6.QtCore import QCoreApplication
from booth_pos.ui.selftest_qt import references_to_true_lost
app = QCoreApplication([])
print(references_to_true_lost(100_000 // 3 + 1))
"""


def test_a_hundred_thousand_emits_leave_the_references_to_true_alone() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, (
        f"PySide6 {PySide6.__version__}: the emitting process died: {done.stderr[-500:]}"
    )
    assert done.stdout.strip() == "0"
