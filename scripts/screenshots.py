"""Regenerate the README screenshots, offscreen, from the real windows and the demo booth.

Usage::

    python scripts/screenshots.py [--out DIR]

Writes into ``docs/screenshots/`` (or ``--out``):

* ``till.png``     the till at 1024x768 in Chinese, three lines in the cart (1.25 kg of lotus
  root, a bag of sweet potato noodles, 750 g of fresh shiitake);
* ``weight.png``   the weight keypad for 莲藕 with kg chosen and 1.25 typed;
* ``pay.png``      the pay dialog for that cart with a ¥50 note chosen, showing the change;
* ``till-en.png``  the same till in English.

A fresh demo ledger (booth LX01, demo catalogue and people) is made in a temporary folder
and thrown away afterwards. The bundled WenQuanYi Micro Hei font is registered first so
Chinese renders on any machine. Until the Chinese translation (.qm) is built the window
chrome stays in English even in Chinese mode; product names are Chinese either way.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import (
    QEventLoop,
    QMessageLogContext,
    Qt,
    QTimer,
    QtMsgType,
    qFormatLogMessage,
    qInstallMessageHandler,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy.orm import Session

from booth_pos.domain.quantity import Quantity
from booth_pos.services import auth, booth, demo, settings
from booth_pos.services.ledger import Ledger
from booth_pos.ui import i18n
from booth_pos.ui.pay_dialog import PayDialog
from booth_pos.ui.runner import OperationRunner
from booth_pos.ui.till import TillWindow
from booth_pos.ui.weight_dialog import WeightDialog

OUT_DIR = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
SIZE = (1024, 768)
OPERATOR = "李娜"
LOTUS_PLU = "101"
CART: Sequence[tuple[str, Quantity]] = (
    (LOTUS_PLU, Quantity.grams(1250)),  # ¥8.75
    ("501", Quantity.units(1)),  # ¥18.00
    ("601", Quantity.grams(750)),  # ¥18.00; ¥44.75 in all, so a ¥50 note gets change
)
NOTE_YUAN = 50


def setup_demo(session: Session) -> None:
    booth.init_booth(session, "LX01", "后湖莲藕摊", "莲花镇")
    demo.load_demo(session)


def quiet_qt_messages(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's own messages, less the offscreen plugin's harmless "propagateSizeHints" notice."""
    if "propagateSizeHints" not in message:
        print(qFormatLogMessage(kind, context, message), file=sys.stderr)


def wait_until(cond: Callable[[], bool], what: str, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not cond():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.005)


def settle() -> None:
    """Let layouts, deferred deletes and repaints run."""
    for _ in range(5):
        QApplication.processEvents()
        QApplication.sendPostedEvents()
    QTest.qWait(50)


def save(widget: QWidget, path: Path) -> None:
    settle()
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    size = widget.size()
    print(f"wrote {path.name} ({size.width()}x{size.height()})")


def fill_cart(till: TillWindow) -> None:
    till.clear_cart()
    for plu, quantity in CART:
        till.add_goods(till.by_code[plu], quantity)


def shoot(out: Path, ledger: Ledger) -> None:
    runner = OperationRunner(ledger)
    operator = next(o for o in ledger.read(auth.list_operators) if o.name == OPERATOR)
    till = TillWindow(
        runner, operator, ledger.read(booth.booth_info), ledger.read(settings.load_settings)
    )
    try:
        till.resize(*SIZE)
        till.show()
        wait_until(lambda: LOTUS_PLU in till.product_buttons, "the catalogue")
        wait_until(lambda: bool(till.sync_status.text()) and not runner.busy, "the status bar")
        if (till.width(), till.height()) != SIZE:
            print(f"warning: the till is {till.width()}x{till.height()}, not {SIZE}")

        # The weight keypad for the lotus root: tap it, choose kg (F1), type 1.25.
        QTest.mouseClick(till.product_buttons[LOTUS_PLU], Qt.MouseButton.LeftButton)
        dialog = till.active_dialog
        if not isinstance(dialog, WeightDialog):
            raise RuntimeError("tapping the lotus root did not open the weight keypad")
        settle()
        QTest.keyClick(dialog, Qt.Key.Key_F1)
        QTest.keyClicks(dialog, "1.25")
        save(dialog, out / "weight.png")
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
        settle()

        fill_cart(till)
        till.cart_table.clearSelection()
        save(till, out / "till.png")

        # The pay dialog for that cart, a ¥50 note tapped.
        till.open_pay()
        pay = till.active_dialog
        if not isinstance(pay, PayDialog):
            raise RuntimeError("Pay did not open the pay dialog")
        settle()
        QTest.mouseClick(pay.note_buttons[NOTE_YUAN], Qt.MouseButton.LeftButton)
        save(pay, out / "pay.png")
        pay.reject()
        settle()

        i18n.set_language("en")
        till.retranslate()
        # retranslate() leaves the county-server figure in the old language until the next
        # status refresh (every 15 s); refresh it now so the picture shows what a user sees.
        till.refresh_status()
        wait_until(lambda: not runner.busy, "the runner")
        save(till, out / "till-en.png")
    finally:
        i18n.set_language("zh")
        till.close()
        till.deleteLater()
        settle()
        runner.shutdown()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="folder for the PNG files")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    qInstallMessageHandler(quiet_qt_messages)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if i18n.register_fonts() is None:
        print("error: the bundled CJK font did not load; Chinese would render as boxes")
        return 1
    if not i18n.set_language("zh"):
        print("note: no Chinese translation (.qm) yet; the window chrome stays in English")
    timer = QTimer()  # keeps the event loop waking up while we wait on the runner
    timer.start(20)
    with tempfile.TemporaryDirectory(prefix="booth-screenshots-") as tmp:
        ledger = Ledger.open(Path(tmp))
        try:
            ledger.write(setup_demo)
            shoot(out, ledger)
        finally:
            ledger.close()
    timer.stop()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
