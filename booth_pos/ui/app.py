"""Start-up: log, fonts and language, first-run wizard, operator login, then the till.

`launch` is what `booth-pos` runs (and what the acceptance tests run): it opens the ledger,
starts the county sync and the print queue at once, whatever screen is showing, and leaves the
app at its first screen. `run_app` adds the event loop and an orderly close.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QDialog

from booth_pos import logs
from booth_pos.domain.errors import BadInput
from booth_pos.services import booth, settings, sync_client
from booth_pos.services.auth import OperatorView
from booth_pos.services.ledger import Ledger
from booth_pos.ui import i18n
from booth_pos.ui.gc_guard import GuiThreadCollector
from booth_pos.ui.qt_log import install_qt_message_handler
from booth_pos.ui.runner import Change, OperationRunner
from booth_pos.ui.till import TillWindow
from booth_pos.ui.workers import PrintBridge, SyncBridge

log = logging.getLogger(__name__)


def load_booth(ledger: Ledger) -> booth.BoothView | None:
    try:
        return ledger.read(booth.booth_info)
    except BadInput:
        return None


class TillApp(QObject):
    """Owns the runner and the workers and moves between wizard, login, till and lock screen."""

    quitting = Signal()

    def __init__(
        self,
        ledger: Ledger,
        *,
        sync_args: dict[str, Any] | None = None,
        print_args: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.ledger = ledger
        self.runner = OperationRunner(ledger, self)
        self.printer = PrintBridge(ledger, self, **(print_args or {}))
        self.sync = SyncBridge(ledger, self, **(sync_args or {}))
        self.till: TillWindow | None = None
        self.booth_view: booth.BoothView | None = None
        self.dialog: QDialog | None = None
        self.closing = False
        self._closed = False
        self.collector: GuiThreadCollector | None = None
        self.sync.status_changed.connect(self._sync_changed)
        self.sync.catalog_changed.connect(lambda _v: self.runner.notify({Change.CATALOG}))
        self.printer.job_changed.connect(lambda _job: self.runner.notify({Change.PRINT}))
        self.runner.changed.connect(self._ledger_changed)

    def start(self) -> None:
        # One small read before the first window: the language the booth chose.
        chosen = self.ledger.read(settings.load_settings)
        i18n.set_language(chosen.language)
        self.booth_view = load_booth(self.ledger)
        # Uploads and queued receipts go on at every screen: a locked till still syncs.
        self.sync.start()
        self.printer.start()
        if self.booth_view is None:
            self.show_wizard()
        else:
            self.show_login()

    def _ledger_changed(self, changes: frozenset[Change]) -> None:
        if Change.OUTBOX in changes:  # a void, a shift, a day close: up it goes, as a sale does
            self.sync.kick()

    def _sync_changed(self, state: sync_client.SyncStatus) -> None:
        self.runner.notify({Change.SYNC})
        from booth_pos.ui.people import LoginDialog

        if isinstance(self.dialog, LoginDialog):
            self.dialog.show_county(state)

    def show_wizard(self) -> None:
        from booth_pos.ui.wizard import FirstRunWizard

        wizard = FirstRunWizard(self.runner)
        self.dialog = wizard

        def done(result: int) -> None:
            if self.closing:
                return
            if result == QDialog.DialogCode.Accepted:
                self.booth_view = load_booth(self.ledger)
                self.sync.kick()
                self.show_login()
            else:
                self.quit()

        wizard.finished.connect(done)
        wizard.show()

    def show_login(self) -> None:
        from booth_pos.ui.people import LoginDialog

        dialog = LoginDialog(self.runner, self.till)
        self.dialog = dialog
        if self.sync.last_status is not None:
            dialog.show_county(self.sync.last_status)
        dialog.quit_requested.connect(self.quit)

        def done(result: int) -> None:
            if self.closing:
                return
            if result == QDialog.DialogCode.Accepted and dialog.operator is not None:
                self.dialog = None
                self.open_till(dialog.operator)
            elif self.till is None:
                self.quit()
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
        self.till = TillWindow(
            self.runner,
            operator,
            self.booth_view,
            chosen,
            printer=self.printer,
            sync=self.sync,
        )
        self.till.lock_requested.connect(self.lock)
        self.till.language_toggled.connect(self.switch_language)
        self.till.quit_requested.connect(self.quit)
        self.till.show()

    def lock(self) -> None:
        if self.till is not None:
            self.till.body.setVisible(False)  # nothing to read while locked
        self.show_login()

    def switch_language(self, lang: str) -> None:
        i18n.set_language(lang)
        self.runner.write(self, settings.set_language, lang)
        if self.till is not None:
            self.till.retranslate()

    def quit(self) -> None:
        """Leave from any screen, a locked till too: close the screens, then the loop."""
        if self.closing:
            return
        self.closing = True
        log.info("quitting")
        self.quitting.emit()
        self._close_screens()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    def _close_screens(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None
        if self.till is not None:
            self.till.allow_close = True
            self.till.close()

    def close(self) -> None:
        """Close the screens and stop the workers; a sale being written is still committed.

        Safe to call twice, and after `quit`."""
        if self._closed:
            return
        self._closed = True
        self.closing = True
        self._close_screens()
        self.runner.shutdown()
        if not self.printer.worker.close():
            log.warning("the print worker did not stop in time")
        if not self.sync.close():
            log.warning("the sync worker did not stop in time (a request to the county hangs)")


def launch(data_dir: Path, **app_args: Any) -> TillApp:
    """Everything `booth-pos` does before the event loop; returns the app at its first screen."""
    qt_app = QApplication.instance() or QApplication(sys.argv)
    logs.setup_logging(data_dir)
    install_qt_message_handler()
    collector = GuiThreadCollector(qt_app)
    i18n.register_fonts()
    ledger = Ledger.open(data_dir)
    till_app = TillApp(ledger, **app_args)
    till_app.collector = collector
    till_app.start()
    log.info("booth-pos started on %s", ledger.db_path)
    return till_app


def shut_down(till_app: TillApp) -> None:
    till_app.close()
    till_app.ledger.close()
    if till_app.collector is not None:
        till_app.collector.stop()


def run_app(data_dir: Path) -> int:
    till_app = launch(data_dir)
    qt_app = QApplication.instance()
    assert qt_app is not None
    try:
        return int(qt_app.exec())
    finally:
        shut_down(till_app)
