"""The runner: ledger work on its own lane, replies only to open screens, one changed signal."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from booth_pos.domain.cart import CartLine
from booth_pos.domain.pricing import TenderIn, TenderMethod
from booth_pos.services import catalog, sales
from booth_pos.services.ledger import Ledger
from booth_pos.ui.runner import Change, OperationRunner


@pytest.fixture
def runner(ledger: Ledger) -> Iterator[OperationRunner]:
    runner = OperationRunner(ledger)
    yield runner
    runner.shutdown()


CART = [CartLine.parse("201", "1")]
CASH = [TenderIn(TenderMethod.CASH, 10_000)]


def test_a_sale_is_written_while_the_io_lane_is_stuck(
    qtbot: QtBot, runner: OperationRunner
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    release = threading.Event()
    stuck: list[bool] = []
    runner.io(owner, release.wait, 30).done(stuck.append)
    sold: list[sales.SaleView] = []
    runner.write(owner, sales.ring_up, CART, CASH).done(sold.append)
    qtbot.waitUntil(lambda: bool(sold), timeout=5_000)
    assert stuck == [] and runner.busy  # the slow call is still running beside it
    release.set()
    qtbot.waitUntil(lambda: stuck == [True])
    assert not runner.busy


def test_a_dialog_that_has_closed_gets_no_reply(qtbot: QtBot, runner: OperationRunner) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    release = threading.Event()
    replies: list[object] = []
    runner.io(dialog, release.wait, 30).done(replies.append)
    dialog.reject()
    release.set()
    qtbot.waitUntil(lambda: not runner.busy)
    assert replies == []


def test_a_deleted_screen_gets_no_reply(qtbot: QtBot, runner: OperationRunner) -> None:
    owner = QWidget()
    release = threading.Event()
    replies: list[object] = []
    runner.io(owner, release.wait, 30).done(replies.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(owner))
    release.set()
    qtbot.waitUntil(lambda: not runner.busy)
    assert replies == []


def test_writes_say_what_changed_and_reads_say_nothing(
    qtbot: QtBot, runner: OperationRunner
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    changes: list[frozenset[Change]] = []
    runner.changed.connect(changes.append)
    runner.read(owner, catalog.list_products, False)
    qtbot.waitUntil(lambda: not runner.busy)
    assert changes == []
    with qtbot.waitSignal(runner.changed):
        runner.write(owner, sales.ring_up, CART, CASH)
    assert Change.SALES in changes[0] and Change.STOCK in changes[0]


def test_a_refused_sale_reports_its_reason_and_changes_nothing(
    qtbot: QtBot, runner: OperationRunner
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    errors: list[str] = []
    changes: list[object] = []
    runner.changed.connect(changes.append)
    runner.write(owner, sales.ring_up, [CartLine.parse("999", "1")], CASH).failed(errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert "999" in errors[0] and changes == []


def test_a_backup_on_the_io_lane_changes_nothing_on_screen(
    qtbot: QtBot, runner: OperationRunner, ledger: Ledger
) -> None:
    from booth_pos.services import maintenance

    owner = QWidget()
    qtbot.addWidget(owner)
    changes: list[object] = []
    runner.changed.connect(changes.append)
    done: list[object] = []
    runner.io(owner, maintenance.backup, ledger.db_path, ledger.data_dir / "stick").done(
        done.append
    )
    qtbot.waitUntil(lambda: bool(done))
    assert changes == []  # no catalogue reload, no status storm, no upload for a file copy
