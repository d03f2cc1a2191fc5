"""A festival day in CI, through the front door.

The booth is set up as a coordinator sets it up (``booth-pos init --demo``, ``county-server
add-device``, ``booth-pos enroll``, then the Settings screen) and the app is started the way the
``booth-pos`` command starts it (`booth_pos.ui.app.launch`). From there on everything happens
through the widgets, as an operator and a coordinator would do it: taps on buttons, keys, the
dialogs the till opens (the modal coordinator PIN and reason dialogs included). The county
server is a real ``county-server serve`` process on loopback and the receipt printer a real
socket on loopback; both are taken away part-way through the day and given back.

At the end the test looks at what a booth and a county would see: every document on the
county exactly once, the county's town report equal to the booth's Z report, every receipt
printed once as an original (copies marked 补打 REPRINT), an empty outbox, the status bar, and
a log without errors.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
import requests
import zxingcpp
from PIL import Image
from PySide6.QtCore import QCoreApplication, QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QTableWidget, QWidget
from pytestqt.exceptions import TimeoutError as WaitTimedOut
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from booth_pos import logs
from booth_pos.cli.main import main as booth_pos_cli
from booth_pos.domain.money import format_yuan
from booth_pos.domain.pricing import RoundDown
from booth_pos.domain.quantity import WeightUnit
from booth_pos.domain.reports import DENOMINATIONS_FEN, DayReport
from booth_pos.printing.receipt import REPRINT_MARK
from booth_pos.services.sales import SaleView
from booth_pos.ui.app import TillApp, launch, shut_down
from booth_pos.ui.coordinator import CoordinatorDialog
from booth_pos.ui.history import HistoryDialog, ReasonDialog
from booth_pos.ui.pay_dialog import PayDialog
from booth_pos.ui.people import CoordinatorPinDialog, LoginDialog
from booth_pos.ui.settings_dialog import SettingsDialog
from booth_pos.ui.till import LineDialog, TillWindow
from booth_pos.ui.weight_dialog import WeightDialog
from sync.server.cli import main as county_server_cli
from tests.booth_pos.printing.escpos_decoder import Raster, TextLine, decode
from tests.booth_pos.printing.fake_printer import FakePrinter
from tests.booth_pos.printing.fake_printer import free_port as free_printer_port
from tests.conftest import COORDINATOR_PIN, OPERATOR_PIN
from tests.sync.support import (
    County,
    ServerProcess,
    assert_ledger_on_server,
    county_engine,
    free_port,
    outbox_states,
    till_id,
)

BOOTH = ("--booth-code", "LX01", "--booth-name", "后湖莲藕摊", "--town", "莲花镇")
TOWN = "莲花镇"
OPERATOR, SECOND_OPERATOR, SECOND_PIN = "李娜", "赵磊", "2222"
COLLECTION_QR = "wxp://f2f0booth-lx01-demo"
FLOAT_YUAN = "200"
SALES = 60

# Generous: the machine running CI may be busy with other work on both of its cores.
WAIT_MS = 30_000
UPLOAD_MS = 60_000
TAP_WAIT_MS = 10_000
MODAL_TIMEOUT_S = 30.0  # a modal dialog nobody answers in this time is cancelled (no hang)
THREAD_NAMES = ("ledger", "io", "print-worker", "booth-sync")
RECEIPT_NO = re.compile(r"LX01-\d{6}")

Z_FIGURES = (
    "z_no",
    "sales_count",
    "voids_count",
    "refunds_count",
    "gross_fen",
    "voids_fen",
    "refunds_fen",
    "net_fen",
    "goods_fen",
    "commission_fen",
    "owed_fen",
)
OFFLINE_FROM, OFFLINE_TO = 13, 27  # the county's server is down for these sales
PAPERLESS_FROM, PAPERLESS_TO = 34, 40  # the printer is switched off for these
LOCK_AFTER = 48  # then the till is locked, and another operator logs in

D = TypeVar("D", bound=QDialog)


LEFT = Qt.MouseButton.LeftButton
NO_KEYS = Qt.KeyboardModifier.NoModifier


def tap(widget: QWidget, at: QPoint | None = None) -> None:
    """A left click (a tap) on `widget`, at its centre or at `at`."""
    if at is None:
        QTest.mouseClick(widget, LEFT)
    else:
        QTest.mouseClick(widget, LEFT, NO_KEYS, at)


def type_text(widget: QWidget, keys: str) -> None:
    QTest.keyClicks(widget, keys)


def press(widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = NO_KEYS) -> None:
    """A key (with `modifier`) pressed while `widget` has the keyboard; shortcuts included."""
    QTest.keyClick(widget, key, modifier)


def tr(context: str, source: str) -> str:
    """What the app shows for `source` in the language it runs in."""
    return QCoreApplication.translate(context, source)


def online_text(unsynced: int) -> str:
    return tr("CountyStatus", "County server: online · {0} unsynced").format(unsynced)


def online_prefix() -> str:
    return tr("CountyStatus", "County server: online · {0} unsynced").split("{0}")[0]


def offline_text() -> str:
    return tr("CountyStatus", "County server: offline · {0} unsynced").split("{0}")[0]


# ------------------------------------------------------------------------------------------
# Command lines, in this process, as a coordinator types them
# ------------------------------------------------------------------------------------------


def run_cli(main: Callable[[Sequence[str] | None], int], *argv: str) -> str:
    """Run a command line (`booth-pos` or `county-server`); its stdout, or fail with stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    assert code == 0, f"{' '.join(argv)} exited {code}:\n{err.getvalue()}{out.getvalue()}"
    return out.getvalue()


def booth_pos(data_dir: Path, *argv: str) -> str:
    return run_cli(booth_pos_cli, "--data-dir", str(data_dir), "--lang", "en", *argv)


def county_server(county: County, *argv: str) -> str:
    return run_cli(county_server_cli, *argv[:1], "--db", county.server.db_url, *argv[1:])


def set_up_booth(data_dir: Path, county: County) -> dict[str, Any]:
    """init --demo, the county's add-device, enroll: what the booth's coordinator types."""
    booth_pos(data_dir, "init", *BOOTH, "--demo")
    add = ("add-device", "--booth-code", "LX01", "--town", TOWN, "--name", "后湖莲藕摊")
    device = json.loads(county_server(county, *add, "--json"))
    ids = ("--device-id", device["device_id"], "--token", device["token"])
    enrolled: dict[str, Any] = json.loads(
        booth_pos(data_dir, "enroll", "--server", county.url, *ids, "--json")
    )
    return enrolled


# ------------------------------------------------------------------------------------------
# Fixtures: a county server process, a printer socket, the app; all cleaned up on failure
# ------------------------------------------------------------------------------------------


@pytest.fixture
def county(tmp_path: Path) -> Iterator[County]:
    """A county on a SQLite database; its server process is not started yet."""
    folder = tmp_path / "county"
    folder.mkdir()
    url = f"sqlite:///{folder / 'county.sqlite'}"
    server = ServerProcess(url, folder, port=free_port())
    engine = county_engine(url)
    try:
        yield County(server, engine, "sqlite")
    finally:
        server.stop()
        engine.dispose()


@dataclass
class PrinterSocket:
    """The booth's network receipt printer: switched off and on again at the same address."""

    port: int
    printers: list[FakePrinter] = field(default_factory=list)

    @property
    def uri(self) -> str:
        return f"tcp:127.0.0.1:{self.port}"

    def switch_on(self) -> FakePrinter:
        printer = FakePrinter(port=self.port)
        self.printers.append(printer)
        return printer

    def switch_off(self) -> None:
        for printer in self.printers:
            printer.close()

    def received(self) -> bytes:
        """Everything the printer took, every connection of every time it was on, in order."""
        return b"".join(bytes(c) for p in self.printers for c in p.connections)


@pytest.fixture
def printer() -> Iterator[PrinterSocket]:
    socket = PrinterSocket(free_printer_port())
    try:
        yield socket
    finally:
        socket.switch_off()


@pytest.fixture
def apps(qtbot: QtBot) -> Iterator[list[TillApp]]:
    """Apps started by a test; quit and shut down (workers stopped) even when it fails."""
    started: list[TillApp] = []
    yield started
    for till_app in started:
        with contextlib.suppress(Exception):
            till_app.quit()
        shut_down(till_app)
    logs.shutdown_logging()


def start_app(apps: list[TillApp], data_dir: Path) -> TillApp:
    till_app = launch(data_dir)  # what `booth-pos` runs before its event loop
    apps.append(till_app)
    return till_app


def quit_app(till_app: TillApp, quit: Callable[[], None]) -> None:
    """Quit as `quit` does it (the Quit action), then close as `run_app` does once the event
    loop has returned: every worker thread of the app stops."""
    quit()
    assert till_app.closing, "Quit did not quit"
    assert till_app.dialog is None and (till_app.till is None or not till_app.till.isVisible())
    shut_down(till_app)
    assert not till_app.printer.worker.running, "the print worker is still running"
    assert not till_app.sync.running, "the sync worker is still running"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _app_threads():
        time.sleep(0.05)
    assert not _app_threads(), f"threads left running after quitting: {_app_threads()}"


def _app_threads() -> list[str]:
    return [
        t.name for t in threading.enumerate() if t.is_alive() and t.name.startswith(THREAD_NAMES)
    ]


# ------------------------------------------------------------------------------------------
# Modal dialogs (exec): answered by a timer armed before the click that opens them
# ------------------------------------------------------------------------------------------

Answer = Callable[[Any], None]


class Modals:
    """Answers the app's modal dialogs (`QDialog.exec`) in the order they are expected.

    A timer looks for `QApplication.activeModalWidget()`; when it is the next expected kind it
    is answered through its widgets. One still unanswered after MODAL_TIMEOUT_S is rejected,
    so a test fails instead of hanging in a nested event loop.
    """

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.queue: list[tuple[type[QDialog], Answer]] = []
        self.seen: list[QWidget] = []
        self.errors: list[str] = []
        self._since = 0.0
        self._busy = False
        self.timer = QTimer()
        self.timer.setInterval(25)
        self.timer.timeout.connect(self._tick)

    @contextlib.contextmanager
    def answering(self, *steps: tuple[type[QDialog], Answer]) -> Iterator[None]:
        self.queue.extend(steps)
        self._since = time.monotonic()
        self.timer.start()
        try:
            yield
            self.qtbot.waitUntil(
                lambda: not self.queue or bool(self.errors),
                timeout=int(MODAL_TIMEOUT_S * 1000) + WAIT_MS,
            )
            assert not self.errors, self.errors
        finally:
            self.timer.stop()
            self.queue.clear()

    def _tick(self) -> None:
        if self._busy or not self.queue:
            return
        self._busy = True
        try:
            widget = QApplication.activeModalWidget()
            kind, answer = self.queue[0]
            if isinstance(widget, kind) and widget.isVisible() and widget not in self.seen:
                self.seen.append(widget)
                self.queue.pop(0)
                self._since = time.monotonic()
                try:
                    answer(widget)
                except Exception as exc:  # never leave a modal dialog open on a failure
                    self.errors.append(f"answering {kind.__name__}: {exc!r}")
                    self.queue.clear()
                    widget.reject()
            elif time.monotonic() - self._since > MODAL_TIMEOUT_S:
                self.errors.append(f"no {kind.__name__} came up; the modal one is {widget!r}")
                self.queue.clear()
                if isinstance(widget, QDialog):
                    widget.reject()
        finally:
            self._busy = False


# ------------------------------------------------------------------------------------------
# The operator's hands
# ------------------------------------------------------------------------------------------


class Hands:
    """Taps, keys and waits on the app's real widgets."""

    def __init__(self, qtbot: QtBot, till_app: TillApp) -> None:
        self.qtbot = qtbot
        self.app = till_app
        self.modals = Modals(qtbot)
        self.sold: list[SaleView] = []

    @property
    def till(self) -> TillWindow:
        till = self.app.till
        assert till is not None, "the till is not open"
        return till

    def click(self, widget: QWidget) -> None:
        """Tap a button (or any widget) once it is on the screen and enabled, as a finger
        would (a widget added to a shown screen appears at the next turn of the event loop)."""
        try:
            self.wait(lambda: widget.isVisible() and widget.isEnabled(), TAP_WAIT_MS)
        except WaitTimedOut:
            label = getattr(widget, "text", lambda: "")()
            state = "disabled" if widget.isVisible() else "not on the screen"
            pytest.fail(f"cannot tap {widget!r} {label!r}: {state}")
        tap(widget)

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = NO_KEYS) -> None:
        """A shortcut key at the till (F4, F8, F12, Ctrl+2...), its window having the keyboard.

        (Qt's offscreen platform has no window manager to give the till back the keyboard when
        a dialog closes, as a desktop does: the test activates it.)
        """
        self.till.activateWindow()
        self.wait(self.till.isActiveWindow)
        press(self.till, key, modifier)

    def click_cell(self, table: QTableWidget, row: int, column: int) -> None:
        item = table.item(row, column)
        assert item is not None
        table.scrollToItem(item)
        tap(table.viewport(), table.visualItemRect(item).center())

    def wait(self, condition: Callable[[], object], timeout: int = WAIT_MS) -> None:
        self.qtbot.waitUntil(lambda: bool(condition()), timeout=timeout)

    def dialog(self, kind: type[D]) -> D:
        """The window-modal screen the till has open (pay, weight, history, settings...)."""
        self.wait(
            lambda: (
                isinstance(self.till.active_dialog, kind) and self.till.active_dialog.isVisible()
            )
        )
        found = self.till.active_dialog
        assert isinstance(found, kind)
        return found

    def closed(self, dialog: QDialog) -> None:
        self.wait(lambda: self.till.active_dialog is not dialog)

    # -- coordinator PIN, reasons, logging in ------------------------------------------------

    def pin(self, pin: str = COORDINATOR_PIN) -> tuple[type[QDialog], Answer]:
        def answer(dialog: CoordinatorPinDialog) -> None:
            for digit in pin:
                tap(dialog.pin_entry.digit_buttons[digit])
            tap(dialog.confirm_button)

        return CoordinatorPinDialog, answer

    def reason(self) -> tuple[type[QDialog], Answer]:
        def answer(dialog: ReasonDialog) -> None:
            tap(dialog.preset_buttons[0])
            tap(dialog.ok_button)

        return ReasonDialog, answer

    def with_pin(self, action: Callable[[], None], *before: tuple[type[QDialog], Answer]) -> None:
        """Do `action`, which asks (modally) for the coordinator's PIN, after `before`."""
        with self.modals.answering(*before, self.pin()):
            action()

    def log_in(self, name: str, pin: str) -> None:
        dialog = self.app.dialog
        assert isinstance(dialog, LoginDialog), f"not at the login screen: {dialog!r}"
        self.wait(lambda: name in dialog.operator_buttons)
        self.click(dialog.operator_buttons[name])
        for digit in pin:
            self.click(dialog.pin_entry.digit_buttons[digit])
        self.click(dialog.login_button)
        self.wait(lambda: self.app.till is not None and self.app.dialog is None)
        self.wait(lambda: self.till.body.isVisible() and name in self.till.operator_status.text())

    # -- goods -------------------------------------------------------------------------------

    def tap_goods(self, plu: str) -> None:
        self.wait(lambda: plu in self.till.product_buttons)
        self.click(self.till.product_buttons[plu])

    def weigh(
        self, plu: str, unit: WeightUnit, weight: str, grams: int, keyboard: bool = False
    ) -> None:
        """Tap a weighed product and type the scale's reading on the weight keypad."""
        lines = len(self.till.cart.lines)
        self.tap_goods(plu)
        dialog = self.dialog(WeightDialog)
        if keyboard:
            key = {
                WeightUnit.KG: Qt.Key.Key_F1,
                WeightUnit.JIN: Qt.Key.Key_F2,
                WeightUnit.G: Qt.Key.Key_F3,
            }
            press(dialog, key[unit])
            type_text(dialog, weight)
            assert dialog.draft.entry_unit is unit
            press(dialog, Qt.Key.Key_Return)
        else:
            self.click(dialog.unit_buttons[unit])
            for key_text in weight:
                self.click(dialog.key_buttons[key_text])
            self.click(dialog.ok_button)
        self.closed(dialog)
        assert len(self.till.cart.lines) == lines + 1
        assert self.till.cart.lines[-1].quantity.amount == grams

    def scan(self, code: str) -> None:
        type_text(self.till.code_edit, code)
        press(self.till.code_edit, Qt.Key.Key_Return)

    def plus_one_on_line(self, row: int) -> None:
        """Tap a cart line, then + 1 in the line dialog."""
        self.click_cell(self.till.cart_table, row, 0)
        dialog = self.dialog(LineDialog)
        self.click(dialog.plus_button)
        self.closed(dialog)

    # -- paying ------------------------------------------------------------------------------

    def ring(self, pay: Callable[[], None]) -> SaleView:
        """Pay as `pay` does; wait until the sale is written and the till is ready again."""
        before = self.till.last_sale
        pay()
        self.wait(lambda: not self.till.paying and self.till.last_sale is not before)
        sale = self.till.last_sale
        assert sale is not None
        assert sale.receipt_no in self.till.banner.text(), self.till.banner.text()
        assert not self.till.cart.lines
        self.sold.append(sale)
        return sale

    def note(self, yuan: int) -> SaleView:
        return self.ring(lambda: self.click(self.till.quick_cash_buttons[yuan]))

    def exact(self) -> SaleView:
        return self.ring(lambda: self.click(self.till.exact_cash_button))

    def pay_screen(self, steps: Callable[[PayDialog], None], key: bool = False) -> SaleView:
        """Pay on the pay screen (its button, or F12 with `key`) as `steps` do there."""

        def pay() -> None:
            if key:
                self.key(Qt.Key.Key_F12)
            else:
                self.click(self.till.pay_button)
            dialog = self.dialog(PayDialog)
            steps(dialog)
            self.closed(dialog)

        return self.ring(pay)


# The kinds of sale a festival booth sees, round and round. Demo goods: 101 莲藕 ¥3.50/斤,
# 102 精品莲藕 ¥4.80/斤, 201 槐花蜜 ¥45, 202 枣花蜜 ¥78, 301 烧鸡 ¥38, 401 黄酒 ¥25,
# 501 红薯粉条 ¥18, 601 鲜香菇 ¥12/斤, 602 干香菇 ¥48/斤.


def paid(sale: SaleView, total_fen: int, change_fen: int = 0, **tenders: int) -> SaleView:
    """The sale came out as the customer expects: its total, change and who paid how."""
    assert (sale.total_fen, sale.change_fen) == (total_fen, change_fen), sale
    methods = Counter[str]()
    for tender in sale.tenders:
        methods[tender.method] += tender.amount_fen - tender.change_fen
    assert methods == Counter(tenders), sale.tenders
    return sale


def two_jars_of_honey_for_a_hundred(h: Hands) -> SaleView:
    h.tap_goods("201")
    h.tap_goods("201")  # the second tap adds one more to the line
    assert h.till.cart.lines[0].quantity.amount == 2
    return paid(h.note(100), 9000, 1000, cash=9000)


def lotus_root_in_kg_for_a_ten(h: Hands) -> SaleView:
    h.weigh("101", WeightUnit.KG, "1.25", grams=1250)  # 2.5 斤
    return paid(h.note(10), 875, 125, cash=875)


def mushrooms_in_jin_exact(h: Hands) -> SaleView:
    h.weigh("601", WeightUnit.JIN, "2.5", grams=1250)
    return paid(h.exact(), 3000, cash=3000)


def dried_mushrooms_in_grams_typed(h: Hands) -> SaleView:
    h.weigh("602", WeightUnit.G, "750", grams=750, keyboard=True)  # 1.5 斤
    return paid(h.note(100), 7200, 2800, cash=7200)


def two_bottles_through_the_line_dialog(h: Hands) -> SaleView:
    h.tap_goods("401")
    h.plus_one_on_line(0)
    assert h.till.cart.lines[0].quantity.amount == 2
    return paid(h.note(50), 5000, cash=5000)


def honey_by_mobile_qr(h: Hands) -> SaleView:
    h.tap_goods("202")

    def steps(d: PayDialog) -> None:
        h.click(d.mobile_button)  # the collection QR, shown large
        h.click(d.received_button)  # the phone says paid
        h.click(d.confirm_button)

    return paid(h.pay_screen(steps, key=True), 7800, mobile=7800)


def chicken_and_noodles_split_cash_and_mobile(h: Hands) -> SaleView:
    h.tap_goods("301")
    h.tap_goods("501")

    def steps(d: PayDialog) -> None:
        h.click(d.key_buttons["2"])
        h.click(d.key_buttons["0"])
        h.click(d.add_cash_button)  # ¥20 cash
        h.click(d.mobile_button)
        h.click(d.received_button)  # the rest by phone
        h.click(d.confirm_button)

    return paid(h.pay_screen(steps), 5600, cash=2000, mobile=3600)


def select_lotus_root_rounded_down_to_the_yuan(h: Hands) -> SaleView:
    h.weigh("102", WeightUnit.KG, "1.37", grams=1370)  # 2.74 斤 x ¥4.80 = ¥13.15

    def steps(d: PayDialog) -> None:
        h.click(d.round_down_buttons[RoundDown.YUAN])  # 抹零: ¥13
        h.click(d.exact_button)
        h.click(d.confirm_button)

    sale = paid(h.pay_screen(steps), 1300, cash=1300)
    assert (sale.subtotal_fen, sale.round_down_fen) == (1315, 15)
    return sale


def wine_and_noodles_scanned(h: Hands) -> SaleView:
    h.scan("6975123400041")  # 401 黄酒
    h.scan("6975123400058")  # 501 红薯粉条: two lines
    assert len(h.till.cart.lines) == 2
    return paid(h.note(50), 4300, 700, cash=4300)


def three_chickens_typed_and_paid_from_the_keyboard(h: Hands) -> SaleView:
    h.scan("3*301")

    def steps(d: PayDialog) -> None:
        type_text(d, "200")
        press(d, Qt.Key.Key_Return)

    return paid(h.pay_screen(steps, key=True), 11400, 8600, cash=11400)


def lotus_root_rounded_to_the_jiao_split(h: Hands) -> SaleView:
    h.weigh("101", WeightUnit.JIN, "3.3", grams=1650)  # ¥11.55

    def steps(d: PayDialog) -> None:
        h.click(d.round_down_buttons[RoundDown.JIAO])  # 抹零: ¥11.50
        h.click(d.note_buttons[10])  # a ¥10 note...
        h.click(d.mobile_button)
        h.click(d.received_button)  # ...and ¥1.50 by phone
        h.click(d.confirm_button)

    sale = paid(h.pay_screen(steps), 1150, cash=1000, mobile=150)
    assert sale.round_down_fen == 5
    return sale


def noodles_for_a_twenty_from_the_keyboard(h: Hands) -> SaleView:
    h.scan("501")  # a PLU typed, then Enter
    sale = h.ring(lambda: h.key(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier))  # ¥20
    return paid(sale, 1800, 200, cash=1800)


KINDS: tuple[Callable[[Hands], SaleView], ...] = (
    two_jars_of_honey_for_a_hundred,
    lotus_root_in_kg_for_a_ten,
    mushrooms_in_jin_exact,
    dried_mushrooms_in_grams_typed,
    two_bottles_through_the_line_dialog,
    honey_by_mobile_qr,
    chicken_and_noodles_split_cash_and_mobile,
    select_lotus_root_rounded_down_to_the_yuan,
    wine_and_noodles_scanned,
    three_chickens_typed_and_paid_from_the_keyboard,
    lotus_root_rounded_to_the_jiao_split,
    noodles_for_a_twenty_from_the_keyboard,
)
VOIDED, REFUNDED, REPRINTED = 1, 9, 6  # sale numbers (1-based): cash, two lines, mobile


# ------------------------------------------------------------------------------------------
# What the coordinator does on the screens
# ------------------------------------------------------------------------------------------


def configure_in_settings(h: Hands, printer: PrinterSocket, county: County) -> None:
    """Settings (F10): the printer (test page first), round-down 抹零, the collection QR."""
    h.key(Qt.Key.Key_F10)
    dialog = h.dialog(SettingsDialog)
    h.wait(lambda: dialog.loaded is not None)
    assert dialog.loaded is not None and dialog.loaded.round_down_limit == RoundDown.NONE.value
    dialog.printer_uri_edit.clear()
    type_text(dialog.printer_uri_edit, printer.uri)
    dialog.printer_profile_combo.setCurrentIndex(
        dialog.printer_profile_combo.findText("xprinter-58")
    )
    dialog.printer_mode_combo.setCurrentIndex(dialog.printer_mode_combo.findData("gbk"))
    type_text(dialog.server_url_edit, county.url)
    h.click(dialog.round_buttons[RoundDown.YUAN.value])
    type_text(dialog.qr_edit, COLLECTION_QR)
    h.click(dialog.test_page_button)
    sent = tr("SettingsDialog", "Test page sent. Check the printer.")
    h.wait(lambda: dialog.printer_label.text() == sent)
    h.with_pin(lambda: h.click(dialog.save_button))
    h.closed(dialog)
    h.wait(lambda: h.till.settings.printer_uri == printer.uri)
    assert h.till.settings.allowed_round_downs()[-1] is RoundDown.YUAN
    assert h.till.settings.collection_qr == COLLECTION_QR


def open_day_end(h: Hands) -> CoordinatorDialog:
    h.with_pin(lambda: h.key(Qt.Key.Key_F4))
    dialog = h.dialog(CoordinatorDialog)
    h.wait(lambda: dialog.report is not None and dialog.shift_status.text() != "")
    return dialog


def open_shift(h: Hands) -> None:
    dialog = open_day_end(h)
    assert dialog.shift is None
    type_text(dialog.float_edit, FLOAT_YUAN)
    h.click(dialog.open_shift_button)
    h.wait(lambda: dialog.shift is not None)
    assert dialog.shift is not None and dialog.shift.float_fen == int(FLOAT_YUAN) * 100
    h.click(dialog.close_button)
    h.closed(dialog)


def pieces_for(fen: int) -> dict[int, int]:
    """The notes and coins of a cash box holding `fen` (fen coins are not counted: to ¥0.1)."""
    pieces: dict[int, int] = {}
    for denomination in DENOMINATIONS_FEN:
        pieces[denomination], fen = divmod(fen, denomination)
    return {d: n for d, n in pieces.items() if n}


def close_shift_and_day(h: Hands) -> DayReport:
    dialog = open_day_end(h)
    shift = dialog.shift
    assert shift is not None
    counted = pieces_for(shift.expected_fen)  # the cash box holds what it should
    counted_fen = sum(d * n for d, n in counted.items())
    assert 0 <= shift.expected_fen - counted_fen < min(DENOMINATIONS_FEN)
    for denomination, n in counted.items():
        spin = dialog.count_spins[denomination]
        spin.selectAll()
        type_text(spin, str(n))
    h.wait(lambda: dialog.cash_count().total_fen == counted_fen)
    h.click(dialog.close_shift_button)
    h.wait(lambda: dialog.shift is None and not dialog.close_shift_button.isEnabled())
    tabs = dialog.tabs.tabBar()
    tap(tabs, tabs.tabRect(2).center())
    assert dialog.tabs.currentIndex() == 2
    h.wait(lambda: dialog.report is not None and dialog.report.cash.counted_fen is not None)
    assert dialog.report is not None
    type_text(dialog.mobile_edit, format_yuan(dialog.report.mobile.recorded_fen))
    h.wait(lambda: dialog.report is not None and dialog.report.mobile.variance_fen == 0)
    h.with_pin(lambda: h.click(dialog.close_day_button))
    h.wait(lambda: dialog.last_close is not None, timeout=UPLOAD_MS)
    assert dialog.last_close is not None
    result = dialog.last_close
    assert result.backup_error is None, result.backup_error
    report = result.report
    assert report.kind == "Z" and report.z_no == 1
    assert report.cash.counted_fen == counted_fen
    assert report.cash.variance_fen == counted_fen - shift.expected_fen
    assert report.mobile.variance_fen == 0
    h.click(dialog.close_button)
    h.closed(dialog)
    return report


def open_history(h: Hands, key: bool = False) -> HistoryDialog:
    """History, by its button or F8."""
    if key:
        h.key(Qt.Key.Key_F8)
    else:
        h.click(h.till.history_button)
    dialog = h.dialog(HistoryDialog)
    h.wait(lambda: bool(dialog.sales))
    return dialog


def find_receipt(h: Hands, dialog: HistoryDialog, receipt_no: str) -> None:
    """Search for a receipt number, then tap its row."""
    dialog.search_edit.clear()
    type_text(dialog.search_edit, receipt_no)
    h.wait(lambda: [s.receipt_no for s in dialog.sales] == [receipt_no])
    h.click_cell(dialog.table, 0, 0)
    h.wait(lambda: dialog.selected is not None and dialog.selected.receipt_no == receipt_no)


def sync_now(h: Hands) -> None:
    h.click(h.till.settings_button)
    dialog = h.dialog(SettingsDialog)
    h.wait(lambda: dialog.loaded is not None)
    h.click(dialog.sync_now_button)
    h.click(dialog.cancel_button)
    h.closed(dialog)


# ------------------------------------------------------------------------------------------
# Reading back what the printer printed and what the log holds
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Printout:
    kind: str  # "sale", "refund" or "other" (the test page)
    number: str  # the receipt or refund number ("" for other)
    reprint: bool
    lines: tuple[str, ...]
    qr: tuple[str, ...]  # what its QR codes say


def printouts(data: bytes) -> list[Printout]:
    """Each job the printer took (a job starts with ESC @), read back: text, and QR codes (as
    a phone reads them off the printed picture)."""
    decoded = decode(data)
    assert not decoded.problems, decoded.problems
    jobs: list[tuple[list[str], list[str]]] = []
    bands: list[Raster] = []

    def read_picture() -> None:
        if bands and jobs:
            picture = Image.new("L", (bands[0].width, sum(b.height for b in bands)), 255)
            top = 0
            for band in bands:
                picture.paste(band.image, (0, top))
                top += band.height
            jobs[-1][1].extend(r.text for r in zxingcpp.read_barcodes(picture))
        bands.clear()

    for kind, value in decoded.events:
        if kind == "raster" and isinstance(value, Raster):
            if bands and bands[0].width != value.width:
                read_picture()
            bands.append(value)
            continue
        if kind == "status":
            continue
        read_picture()
        if kind == "init":
            jobs.append(([], []))
        elif kind == "text" and isinstance(value, TextLine) and jobs:
            jobs[-1][0].append(value.text)
        elif kind == "qr" and isinstance(value, str) and jobs:
            jobs[-1][1].append(value)
    read_picture()
    found = []
    for lines, qr in jobs:
        reprint = any(REPRINT_MARK in line for line in lines)
        refund = [line for line in lines if "退货单号" in line]
        sale = [line for line in lines if "小票号" in line and "原小票号" not in line]
        kind, number = "other", ""
        if refund:
            kind, number = "refund", refund[0].replace("退货单号", "").strip()
        elif sale:
            match = RECEIPT_NO.search(sale[0])
            assert match is not None, sale[0]
            kind, number = "sale", match.group(0)
        found.append(Printout(kind, number, reprint, tuple(lines), tuple(qr)))
    return found


def receipt_page(printout: Printout) -> str:
    """What a customer's phone shows for the receipt's QR code (the county's receipt page)."""
    assert len(printout.qr) == 1, printout
    response = requests.get(printout.qr[0], timeout=30)
    assert response.status_code == 200, (printout.qr, response.text[:500])
    return response.text


LOG_ENTRY = re.compile(r"^\d{4}-\d\d-\d\dT\S+ (\w+)\s")


def log_entries(data_dir: Path, levels: tuple[str, ...]) -> list[str]:
    """Entries of the booth's log (with their tracebacks) at one of `levels`."""
    path = logs.log_file(data_dir)
    assert path.is_file(), f"no log file at {path}"
    entries: list[tuple[str, list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = LOG_ENTRY.match(line)
        if match is not None:
            entries.append((match.group(1), [line]))
        elif entries:
            entries[-1][1].append(line)
    return ["\n".join(lines) for level, lines in entries if level in levels]


def documents_by_kind(db_path: Path) -> Counter[str]:
    with closing(sqlite3.connect(db_path)) as conn:
        return Counter(
            dict(conn.execute("SELECT doc_kind, count(*) FROM outbox GROUP BY doc_kind"))
        )


# ------------------------------------------------------------------------------------------
# The day
# ------------------------------------------------------------------------------------------


def test_a_festival_day_through_the_front_door(
    qtbot: QtBot,
    tmp_path: Path,
    county: County,
    printer: PrinterSocket,
    apps: list[TillApp],
) -> None:
    """Set up, a shift, 60 sales of every kind with the county and then the printer gone for
    a while, a void, a refund, a reprint, a lock, the day closed; then what everyone sees."""
    started = time.monotonic()
    data_dir = tmp_path / "booth"
    county.server.start()
    enrolled = set_up_booth(data_dir, county)
    assert enrolled["confirmed"] is True, enrolled
    printer.switch_on()

    till_app = start_app(apps, data_dir)
    h = Hands(qtbot, till_app)
    h.log_in(OPERATOR, OPERATOR_PIN)
    configure_in_settings(h, printer, county)
    open_shift(h)
    ring_up_the_day(h, county, printer)
    voided, refunded, reprinted = corrections_in_history(h)
    z_report = close_shift_and_day(h)
    # Before packing up: everything to the county now. (Voids, refunds, shifts and the Z do
    # not wake the uploader as a sale does; by themselves they wait for its next idle pass,
    # up to 30 s later.)
    sync_now(h)
    ledger = till_app.ledger
    h.wait(lambda: set(outbox_states(ledger)) == {"synced"}, UPLOAD_MS)
    h.wait(lambda: h.till.sync_status.text().startswith(online_text(0)), UPLOAD_MS)
    h.wait(lambda: not printing_unfinished(ledger.db_path))
    quit_app(till_app, lambda: h.with_pin(lambda: h.click(h.till.quit_button)))
    elapsed = time.monotonic() - started

    # The county holds every document the booth wrote, exactly once.
    local = documents_by_kind(ledger.db_path)
    assert outbox_states(ledger) == {"synced": sum(local.values())}
    assert_ledger_on_server(ledger, county)
    assert county_documents_by_kind(county, till_id(ledger)) == local
    assert local["sale"] == SALES and local["void"] == 1 and local["refund"] == 1
    assert local["shift"] == 2 and local["day"] == 1  # opened and closed; the Z

    # The county's town report says what the booth's Z report says.
    assert z_report.sales_count == SALES and z_report.voids_count == 1
    assert z_report.refunds_count == 1 and z_report.round_down_fen > 0
    day = z_report.day.isoformat()
    town = json.loads(county_server(county, "report", "--town", TOWN, "--date", day, "--json"))
    assert [b["booth_code"] for b in town["booths"]] == ["LX01"]
    row = town["booths"][0]
    assert {name: row[name] for name in Z_FIGURES} == {
        name: getattr(z_report, name) for name in Z_FIGURES
    }
    tenders = {t.method: t.net_fen for t in z_report.tenders}
    assert {m: fen for m, fen in row["tenders"].items() if fen or m in tenders} == tenders
    assert {x["code"]: x["owed_fen"] for x in town["households"]} == {
        x.code: x.owed_fen for x in z_report.households
    }
    assert town["totals"]["net_fen"] == z_report.net_fen

    # Every sale's receipt printed exactly once as an original; the copy is marked as one.
    printed = printouts(printer.received())
    originals = Counter(p.number for p in printed if p.kind == "sale" and not p.reprint)
    assert originals == Counter(s.receipt_no for s in h.sold)
    copies = [p for p in printed if p.kind == "sale" and p.reprint]
    assert [p.number for p in copies] == [reprinted.receipt_no]
    assert any("打印测试" in line for p in printed if p.kind == "other" for line in p.lines)
    refunds = [p for p in printed if p.kind == "refund"]
    assert len(refunds) == 1 and not refunds[0].reprint
    assert any(refunded.receipt_no in line for line in refunds[0].lines)
    # A customer scans a receipt's QR: the county has it, and says what became of the sale.
    by_number = {p.number: p for p in printed if p.kind == "sale" and not p.reprint}
    for sale in (voided, refunded, reprinted):
        assert sale.receipt_no in receipt_page(by_number[sale.receipt_no])
    assert "voided" in receipt_page(by_number[voided.receipt_no])
    assert "refunded" in receipt_page(by_number[refunded.receipt_no])

    errors = log_entries(data_dir, ("ERROR", "CRITICAL"))
    assert not errors, "the log holds errors:\n" + "\n".join(errors)
    print(f"\nthe festival day took {elapsed:.1f} s")


def ring_up_the_day(h: Hands, county: County, printer: PrinterSocket) -> None:
    ledger = h.app.ledger
    printer_offline = tr("TillWindow", "Printer: offline")
    printer_ready = tr("TillWindow", "Printer: ready")
    for number in range(1, SALES + 1):
        if number == OFFLINE_FROM:
            h.wait(lambda: outbox_states(ledger).get("pending", 0) == 0, UPLOAD_MS)
            county.server.stop()
        if number == PAPERLESS_FROM:
            h.wait(lambda: not printing_unfinished(ledger.db_path))
            printer.switch_off()
        sale = KINDS[(number - 1) % len(KINDS)](h)
        assert sale.receipt_no == f"LX01-{number:06d}"
        if number == OFFLINE_FROM:
            # The upload after this sale fails: the status bar says so, and selling goes on.
            h.wait(lambda: h.till.sync_status.text().startswith(offline_text()))
        if number == OFFLINE_TO:
            assert h.till.sync_status.text().startswith(offline_text()), h.till.sync_status.text()
            assert outbox_states(ledger).get("pending", 0) >= OFFLINE_TO - OFFLINE_FROM + 1
            county.server.start()  # on the same port: the booth is enrolled with its URL
            sync_now(h)
            h.wait(lambda: h.till.sync_status.text().startswith(online_text(0)), UPLOAD_MS)
        if number == PAPERLESS_FROM:
            h.wait(lambda: h.till.printer_status.text().startswith(printer_offline))
        if number == PAPERLESS_TO:
            printer.switch_on()
            history = open_history(h, key=True)
            h.click(history.retry_button)
            h.wait(lambda: not printing_unfinished(ledger.db_path))
            h.click(history.close_button)
            h.closed(history)
            h.wait(lambda: h.till.printer_status.text() == printer_ready)
        if number == LOCK_AFTER:
            lock_and_hand_over(h)
    assert {s.operator_name for s in h.sold[:LOCK_AFTER]} == {OPERATOR}
    assert {s.operator_name for s in h.sold[LOCK_AFTER:]} == {SECOND_OPERATOR}


def lock_and_hand_over(h: Hands) -> None:
    """Lock the till (F11): nothing shows but the login, which still tells of the county."""
    h.key(Qt.Key.Key_F11)
    h.wait(lambda: isinstance(h.app.dialog, LoginDialog) and not h.till.body.isVisible())
    login = h.app.dialog
    assert isinstance(login, LoginDialog)
    h.wait(lambda: login.county_label.text().startswith(online_prefix()))
    h.log_in(SECOND_OPERATOR, SECOND_PIN)


def corrections_in_history(h: Hands) -> tuple[SaleView, SaleView, SaleView]:
    """History (F8): void one sale, refund one line of another, reprint a third."""
    voided, refunded, reprinted = (h.sold[n - 1] for n in (VOIDED, REFUNDED, REPRINTED))
    history = open_history(h)
    find_receipt(h, history, voided.receipt_no)
    h.with_pin(lambda: h.click(history.void_button), h.reason())
    h.wait(lambda: history.selected is not None and history.selected.voided)

    find_receipt(h, history, refunded.receipt_no)
    h.wait(lambda: history.lines_table.rowCount() == 2)
    h.click_cell(history.lines_table, 1, 1)  # tick line 2, the noodles
    assert history.checked_lines() == [2]
    h.with_pin(lambda: h.click(history.refund_button), h.reason())
    h.wait(lambda: history.selected is not None and history.selected.refunded_fen > 0)
    assert history.selected is not None
    assert history.selected.refunded_fen == refunded.lines[1].amount_fen

    find_receipt(h, history, reprinted.receipt_no)
    h.click(history.reprint_button)
    sent = tr("HistoryDialog", "Reprint of {0} sent to the printer.").format(reprinted.receipt_no)
    h.wait(lambda: history.status.text() == sent)
    h.wait(lambda: not printing_unfinished(h.app.ledger.db_path))
    h.click(history.close_button)
    h.closed(history)
    return voided, refunded, reprinted


def county_documents_by_kind(county: County, till: str) -> Counter[str]:
    """The county's documents of this till by kind (doc_id is the table's key: no copies)."""
    sql = "SELECT kind, count(*) FROM documents WHERE till_id = :till GROUP BY kind"
    with county.engine.connect() as conn:
        return Counter({str(kind): int(n) for kind, n in conn.execute(text(sql), {"till": till})})


def printing_unfinished(db_path: Path) -> bool:
    """Any receipt not printed yet (waiting, being printed or failed)."""
    with closing(sqlite3.connect(db_path)) as conn:
        waiting = conn.execute("SELECT count(*) FROM print_jobs WHERE state != 'done'").fetchone()
    return bool(waiting[0])


# ------------------------------------------------------------------------------------------
# Sales rung up on the command line while the county was down reach it from the login screen
# ------------------------------------------------------------------------------------------

CLI_SALES = (
    ("101=1.25kg", "201", "--pay", "cash:50", "--pay", "mobile:10"),
    ("301", "--pay", "cash:50"),
    ("601=2斤", "--pay", "mobile:24"),
    ("602=750g", "401", "--pay", "cash:100"),
)


def test_sales_rung_up_offline_reach_the_county_while_the_till_waits_at_its_login(
    qtbot: QtBot, tmp_path: Path, county: County, apps: list[TillApp]
) -> None:
    """Enrolled while the county was down, sales rung up with `booth-pos sell`; then the app
    starts and nobody logs in: the login screen's uploads bring the sales to the county."""
    data_dir = tmp_path / "booth"
    enrolled = set_up_booth(data_dir, county)  # the county's server is not up yet
    assert enrolled["confirmed"] is False, enrolled
    receipts = [
        json.loads(booth_pos(data_dir, "sell", *sale, "--json"))["receipt_no"] for sale in CLI_SALES
    ]
    county.server.start()

    till_app = start_app(apps, data_dir)
    dialog = till_app.dialog
    assert isinstance(dialog, LoginDialog)

    def on_county() -> int:
        return county.count("SELECT count(*) FROM documents WHERE kind = 'sale'")

    qtbot.waitUntil(lambda: on_county() == len(CLI_SALES), timeout=UPLOAD_MS)
    qtbot.waitUntil(lambda: dialog.county_label.text().startswith(online_text(0)), timeout=WAIT_MS)
    assert till_app.till is None and till_app.dialog is dialog  # nobody logged in
    ledger = till_app.ledger
    quit_app(till_app, lambda: tap(dialog.quit_button))

    assert_ledger_on_server(ledger, county)
    with county.engine.connect() as conn:
        found = conn.execute(text("SELECT receipt_no FROM documents WHERE kind = 'sale'"))
        numbers = sorted(str(number) for (number,) in found)
    assert numbers == sorted(receipts)
    errors = log_entries(data_dir, ("ERROR", "CRITICAL"))
    assert not errors, "the log holds errors:\n" + "\n".join(errors)
