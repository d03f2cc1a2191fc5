"""Start-up: fonts and language, first-run wizard, operator login, then the till."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QDialog

from booth_pos.domain.errors import BadInput
from booth_pos.services import booth, settings
from booth_pos.services.auth import OperatorView
from booth_pos.services.ledger import Ledger
from booth_pos.ui import i18n
from booth_pos.ui.gc_guard import GuiThreadCollector
from booth_pos.ui.runner import OperationRunner
from booth_pos.ui.till import TillWindow
from booth_pos.ui.workers import PrintBridge, SyncBridge


def load_booth(ledger: Ledger) -> booth.BoothView | None:
    try:
        return ledger.read(booth.booth_info)
    except BadInput:
        return None


class TillApp(QObject):
    """Owns the runner and moves between wizard, login, till and lock screen."""

    def __init__(self, ledger: Ledger) -> None:
        super().__init__()
        self.ledger = ledger
        self.runner = OperationRunner(ledger, self)
        self.printer = PrintBridge(ledger, self)
        self.sync = SyncBridge(ledger, self)
        self.till: TillWindow | None = None
        self.booth_view: booth.BoothView | None = None
        self.dialog: QDialog | None = None

    def start(self) -> None:
        # One small read before the first window: the language the booth chose.
        chosen = self.ledger.read(settings.load_settings)
        i18n.set_language(chosen.language)
        self.booth_view = load_booth(self.ledger)
        if self.booth_view is None:
            self.show_wizard()
        else:
            self.show_login()

    def show_wizard(self) -> None:
        from booth_pos.ui.wizard import FirstRunWizard

        wizard = FirstRunWizard(self.runner)
        self.dialog = wizard

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                self.booth_view = load_booth(self.ledger)
                self.show_login()
            else:
                QApplication.quit()

        wizard.finished.connect(done)
        wizard.show()

    def show_login(self) -> None:
        from booth_pos.ui.people import LoginDialog

        dialog = LoginDialog(self.runner, self.till)
        self.dialog = dialog

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted and dialog.operator is not None:
                self.open_till(dialog.operator)
            elif self.till is None:
                QApplication.quit()
            else:
                self.show_login()  # the till stays locked until someone logs in

        dialog.finished.connect(done)
        dialog.open() if self.till is not None else dialog.show()

    def open_till(self, operator: OperatorView) -> None:
        if self.till is not None:
            self.till.operator = operator
            self.till.retranslate()
            self.till.body.setVisible(True)
            return
        assert self.booth_view is not None
        chosen = self.ledger.read(settings.load_settings)
        self.till = TillWindow(self.runner, operator, self.booth_view, chosen, printer=self.printer)
        self.printer.start()
        self.till.lock_requested.connect(self.lock)
        self.till.language_toggled.connect(self.switch_language)
        self.till.show()

    def lock(self) -> None:
        if self.till is not None:
            self.till.body.setVisible(False)  # nothing to read while locked
        self.show_login()

    def switch_language(self, lang: str) -> None:
        i18n.set_language(lang)
        self.runner.write(settings.set_language, lang)
        if self.till is not None:
            self.till.retranslate()


def run_app(data_dir: Path) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    collector = GuiThreadCollector(app)
    i18n.register_fonts()
    ledger = Ledger.open(data_dir)
    till_app = TillApp(ledger)
    try:
        till_app.start()
        return int(app.exec())
    finally:
        till_app.runner.shutdown()
        till_app.printer.close()
        till_app.sync.close()
        ledger.close()
        collector.stop()
