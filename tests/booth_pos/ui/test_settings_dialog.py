"""Settings: shown as stored, saved only with a coordinator's PIN (the language by anyone)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QTableWidget, QTableWidgetItem
from pytestqt.qtbot import QtBot

from booth_pos.services import settings
from booth_pos.services.ledger import Ledger
from booth_pos.services.settings import BoothSettings, TarePreset
from booth_pos.ui import people
from booth_pos.ui.runner import OperationRunner
from booth_pos.ui.settings_dialog import SettingsDialog
from tests.booth_pos.ui.test_people import pin_typist, said
from tests.conftest import COORDINATOR_PIN, OPERATOR_PIN


@pytest.fixture
def runner(ledger: Ledger) -> Iterator[OperationRunner]:
    runner = OperationRunner(ledger)
    yield runner
    runner.shutdown()


def item(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    found = table.item(row, column)
    assert found is not None, (row, column)
    return found


def open_settings(qtbot: QtBot, runner: OperationRunner) -> SettingsDialog:
    dialog = SettingsDialog(runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled() and dialog.code_label.text() == "LX01")
    return dialog


def no_pin_please(_parent, _runner, _purpose):
    raise AssertionError("no PIN should be asked for")


def fill_in(qtbot: QtBot, dialog: SettingsDialog) -> None:
    """The coordinator's changes: jiao round-down, a QR code, a basket, a footer."""
    QTest.mouseClick(dialog.round_buttons["jiao"], Qt.MouseButton.LeftButton)
    dialog.qr_edit.setText("wxp://f2f0abc")
    dialog.add_tare_button.click()
    item(dialog.tare_table, 0, 0).setText("竹篮")
    item(dialog.tare_table, 0, 1).setText("350")
    dialog.footer_edit.setPlainText("谢谢惠顾")


WANTED = BoothSettings(
    language="zh",
    round_down_limit="jiao",
    collection_qr="wxp://f2f0abc",
    tare_presets=(TarePreset("竹篮", 350),),
    receipt_footer="谢谢惠顾",
)


def test_settings_show_the_booth_and_what_is_stored(qtbot: QtBot, runner: OperationRunner) -> None:
    dialog = open_settings(qtbot, runner)
    assert (dialog.name_label.text(), dialog.town_label.text()) == ("后湖莲藕摊", "莲花镇")
    assert dialog.language_buttons["zh"].isChecked()
    assert dialog.round_buttons["none"].isChecked()
    assert dialog.tare_table.rowCount() == 0
    assert dialog.printer_label.text() == "Not configured"
    qtbot.waitUntil(lambda: dialog.server_label.text().startswith("Not configured"))
    assert "Enter" in dialog.save_button.text()
    assert "Esc" in dialog.cancel_button.text()


def test_saving_with_a_coordinator_pin_persists(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(people, "ask_coordinator_pin", pin_typist(qtbot, COORDINATOR_PIN))
    dialog = open_settings(qtbot, runner)
    fill_in(qtbot, dialog)
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save_button.click()
    assert saved.args[0] == WANTED
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert ledger.read(settings.load_settings) == WANTED

    again = open_settings(qtbot, runner)  # reopened: the stored values are shown
    assert again.round_buttons["jiao"].isChecked()
    assert again.qr_edit.text() == "wxp://f2f0abc"
    assert again.tare_table.rowCount() == 1
    assert item(again.tare_table, 0, 0).text() == "竹篮"
    assert item(again.tare_table, 0, 1).text() == "350"
    assert again.footer_edit.toPlainText() == "谢谢惠顾"


def test_an_operator_pin_does_not_save_settings(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    refusals: list[str] = []
    monkeypatch.setattr(people, "ask_coordinator_pin", pin_typist(qtbot, OPERATOR_PIN, refusals))
    dialog = open_settings(qtbot, runner)
    fill_in(qtbot, dialog)
    dialog.save_button.click()
    assert refusals == [said("not_coordinator")]
    assert dialog.isVisible()
    assert ledger.read(settings.load_settings) == BoothSettings()

    # An operator's PIN handed straight to the ledger is refused there too.
    monkeypatch.setattr(
        people, "ask_coordinator_pin", lambda _parent, _runner, _purpose: (None, OPERATOR_PIN)
    )
    dialog.save_button.click()
    qtbot.waitUntil(dialog.message.isVisible)
    assert dialog.message.text() == said("not_coordinator")
    assert dialog.isVisible()
    assert ledger.read(settings.load_settings) == BoothSettings()


def test_anyone_may_switch_the_language(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(people, "ask_coordinator_pin", no_pin_please)
    dialog = open_settings(qtbot, runner)
    QTest.mouseClick(dialog.language_buttons["en"], Qt.MouseButton.LeftButton)
    assert not dialog.language_buttons["zh"].isChecked()
    with qtbot.waitSignal(dialog.language_changed) as changed:
        dialog.save_button.click()
    assert changed.args == ["en"]
    assert ledger.read(settings.load_settings).language == "en"


def test_a_bad_tare_row_is_shown_before_any_pin_is_asked(
    qtbot: QtBot, ledger: Ledger, runner: OperationRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(people, "ask_coordinator_pin", no_pin_please)
    dialog = open_settings(qtbot, runner)
    dialog.add_tare_button.click()
    item(dialog.tare_table, 0, 0).setText("竹篮")
    item(dialog.tare_table, 0, 1).setText("a lot")
    dialog.save_button.click()
    assert dialog.message.isVisible()
    assert "whole grams" in dialog.message.text()
    dialog.remove_tare_button.click()
    assert dialog.tare_table.rowCount() == 0


def test_nothing_changed_needs_no_pin(
    qtbot: QtBot, runner: OperationRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(people, "ask_coordinator_pin", no_pin_please)
    dialog = open_settings(qtbot, runner)
    dialog.save_button.click()
    assert dialog.status.text() == "Nothing has changed."
    assert dialog.isVisible()
