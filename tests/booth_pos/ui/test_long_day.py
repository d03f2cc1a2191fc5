"""A whole festival day of sales in one process, through the real till as the app builds it.

With PySide6 6.12.0 each sale dropped about a dozen references to Python's True, and the till
aborted ("Fatal Python error: bool_dealloc") after about 1,150 sales. A busy booth rings up
more than that in a day.
"""

from __future__ import annotations

import sqlite3
import sys
from contextlib import closing

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from booth_pos.services import booth
from booth_pos.services.ledger import Ledger
from booth_pos.ui.app import TillApp
from tests.booth_pos.ui.test_app import log_in

SALES = 3_000


def test_three_thousand_sales_in_one_process(qtbot: QtBot, ledger: Ledger) -> None:
    app = TillApp(ledger)
    try:
        app.start()
        log_in(qtbot, app, "李娜", "1111")
        qtbot.waitUntil(lambda: app.till is not None)
        till = app.till
        assert till is not None
        qtbot.waitUntil(lambda: "201" in till.product_buttons)
        trues = sys.getrefcount(True)
        for _ in range(SALES):
            qtbot.mouseClick(till.product_buttons["201"], Qt.MouseButton.LeftButton)
            with qtbot.waitSignal(till.sale_completed, timeout=10_000):
                qtbot.mouseClick(till.exact_cash_button, Qt.MouseButton.LeftButton)
            assert not till.paying and not till.cart.lines
        qtbot.waitUntil(lambda: not app.runner.busy, timeout=20_000)
        # References to True come and go; a leak loses thousands over this many sales.
        assert sys.getrefcount(True) > trues - 100
        with closing(sqlite3.connect(ledger.db_path)) as conn:
            assert conn.execute("SELECT count(*) FROM sales").fetchone()[0] == SALES
        assert f"{ledger.read(booth.booth_info).code}-{SALES:06d}" in till.banner.text()
    finally:
        app.close()
