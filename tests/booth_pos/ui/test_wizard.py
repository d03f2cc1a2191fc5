"""First run: the wizard sets the booth up in one go, or writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QWizard
from pytestqt.qtbot import QtBot

from booth_pos.domain.errors import BadInput
from booth_pos.services import auth, booth, catalog, setup
from booth_pos.services.ledger import Ledger
from booth_pos.ui.people import TOUCH_HEIGHT
from booth_pos.ui.runner import OperationRunner
from booth_pos.ui.wizard import FirstRunWizard
from tests.booth_pos.ui.test_people import said
from tests.helpers import row_counts

FINISH = QWizard.WizardButton.FinishButton
NEXT = QWizard.WizardButton.NextButton


@pytest.fixture
def runner(empty_ledger: Ledger) -> Iterator[OperationRunner]:
    runner = OperationRunner(empty_ledger)
    yield runner
    runner.shutdown()


@pytest.fixture
def wizard(qtbot: QtBot, runner: OperationRunner) -> FirstRunWizard:
    wizard = FirstRunWizard(runner)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def nothing_written(ledger: Ledger) -> bool:
    return not any(row_counts(ledger.db_path).values())


def fill_booth(qtbot: QtBot, wizard: FirstRunWizard, code: str = "hh05") -> None:
    page = wizard.booth_page
    assert not wizard.button(NEXT).isEnabled()  # nothing typed yet
    QTest.keyClicks(page.code_edit, code)
    page.name_edit.setText("槐花蜜摊")  # typed through the input method (keyClicks is ASCII)
    page.town_edit.setText("石桥镇")
    assert wizard.button(NEXT).isEnabled()
    wizard.button(NEXT).click()
    assert wizard.currentPage() is wizard.coordinator_page


def fill_coordinator(qtbot: QtBot, wizard: FirstRunWizard, pin: str, again: str) -> None:
    page = wizard.coordinator_page
    page.name_edit.setText("王芳")
    QTest.keyClicks(page.pin_edit, pin)
    QTest.keyClicks(page.pin_again_edit, again)
    wizard.button(NEXT).click()


def finish(qtbot: QtBot, wizard: FirstRunWizard) -> None:
    assert wizard.currentPage() is wizard.goods_page
    assert wizard.button(FINISH).isEnabled()
    wizard.button(FINISH).click()


def test_the_wizard_sets_up_the_booth_with_demo_goods(
    qtbot: QtBot, wizard: FirstRunWizard, empty_ledger: Ledger
) -> None:
    assert all(
        wizard.button(b).minimumHeight() >= TOUCH_HEIGHT
        for b in (NEXT, FINISH, QWizard.WizardButton.CancelButton)
    )
    fill_booth(qtbot, wizard)
    fill_coordinator(qtbot, wizard, "4321", "4321")
    assert wizard.goods_page.demo_choice.isChecked()  # the demo is the default
    with qtbot.waitSignal(wizard.booth_ready, timeout=10_000) as ready:
        finish(qtbot, wizard)
    assert ready.args[0].code == "HH05"
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert not wizard.isVisible()
    info = empty_ledger.read(booth.booth_info)
    assert (info.code, info.name, info.town) == ("HH05", "槐花蜜摊", "石桥镇")
    assert wizard.booth == info
    assert len(empty_ledger.read(catalog.list_products)) > 0
    assert empty_ledger.read(auth.check_coordinator, "4321").name == "王芳"


def test_mismatched_pins_keep_the_wizard_open_with_nothing_written(
    qtbot: QtBot, wizard: FirstRunWizard, empty_ledger: Ledger
) -> None:
    fill_booth(qtbot, wizard)
    fill_coordinator(qtbot, wizard, "4321", "4312")
    page = wizard.coordinator_page
    assert wizard.currentPage() is page  # Next did not move on
    assert page.message.isVisible()
    assert "not the same" in page.message.text()
    assert page.pin_edit.text() == page.pin_again_edit.text() == ""

    # Finish (Enter) with mismatched PINs is refused too, before anything is sent.
    QTest.keyClicks(page.pin_edit, "4321")
    QTest.keyClicks(page.pin_again_edit, "1234")
    wizard.accept()
    assert wizard.isVisible()
    assert wizard.booth is None
    assert not wizard.runner.busy  # nothing was even sent to the ledger
    assert nothing_written(empty_ledger)
    with pytest.raises(BadInput):
        empty_ledger.read(booth.booth_info)


def test_a_too_short_pin_is_refused(qtbot: QtBot, wizard: FirstRunWizard) -> None:
    fill_booth(qtbot, wizard)
    fill_coordinator(qtbot, wizard, "123", "123")
    assert wizard.currentPage() is wizard.coordinator_page
    assert "4 to 8 digits" in wizard.coordinator_page.message.text()


def test_a_bad_csv_is_shown_and_nothing_is_written(
    qtbot: QtBot, wizard: FirstRunWizard, empty_ledger: Ledger, tmp_path: Path
) -> None:
    bad = tmp_path / "goods.csv"
    bad.write_text("plu,name_zh\n11,土鸡蛋\n", encoding="utf-8")
    fill_booth(qtbot, wizard)
    fill_coordinator(qtbot, wizard, "4321", "4321")
    page = wizard.goods_page
    QTest.mouseClick(page.csv_choice, Qt.MouseButton.LeftButton)
    assert not wizard.button(FINISH).isEnabled()  # no file chosen yet
    page.set_csv_path(str(bad))
    finish(qtbot, wizard)
    qtbot.waitUntil(page.message.isVisible)
    missing = "unit, price, household_code, household_name, household_kind"
    assert page.message.text() == said("csv_header", missing=missing)
    assert wizard.isVisible()
    assert nothing_written(empty_ledger)

    # The coordinator picks the demo instead and tries again: the wizard is still usable.
    QTest.mouseClick(page.demo_choice, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(wizard.booth_ready, timeout=10_000):
        finish(qtbot, wizard)
    assert empty_ledger.read(booth.booth_info).code == "HH05"


def test_a_bad_booth_code_is_refused_and_nothing_is_written(
    qtbot: QtBot, wizard: FirstRunWizard, empty_ledger: Ledger
) -> None:
    page = wizard.booth_page
    QTest.keyClicks(page.code_edit, "L-1")  # the dash cannot even be typed
    assert page.code_edit.text() == "L1"
    page.code_edit.setText("L")
    page.name_edit.setText("槐花蜜摊")
    page.town_edit.setText("石桥镇")
    wizard.button(NEXT).click()
    assert wizard.currentPage() is page
    assert page.message.text() == "The booth code must be 2 to 12 letters or digits."
    assert nothing_written(empty_ledger)


def test_the_ledger_refusing_finish_keeps_the_wizard_open(
    qtbot: QtBot, wizard: FirstRunWizard, empty_ledger: Ledger
) -> None:
    fill_booth(qtbot, wizard)
    fill_coordinator(qtbot, wizard, "4321", "4321")
    # Someone set the booth up meanwhile (from the command line, say).
    empty_ledger.write(setup.setup_booth, "LX09", "摊", "镇", "王芳", "9999", False, None)
    finish(qtbot, wizard)
    qtbot.waitUntil(wizard.goods_page.message.isVisible)
    assert wizard.goods_page.message.text() == said("already_initialised", code="LX09")
    assert wizard.isVisible()
    assert wizard.booth is None
    assert empty_ledger.read(booth.booth_info).code == "LX09"  # untouched by the wizard
