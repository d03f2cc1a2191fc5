"""The booth's settings. Anyone may switch the screen language; anything else needs a
coordinator's PIN."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from booth_pos.domain.errors import BadInput
from booth_pos.domain.pricing import RoundDown
from booth_pos.printing.connections import PrinterError
from booth_pos.printing.profiles import profile_names
from booth_pos.services import booth, printing, settings, sync_client
from booth_pos.services.booth import BoothView
from booth_pos.services.settings import BoothSettings, TarePreset
from booth_pos.ui import i18n, people
from booth_pos.ui.people import TOUCH_HEIGHT, alive, message_label, show_message, touch_button
from booth_pos.ui.runner import OperationRunner
from booth_pos.ui.workers import PrintBridge, SyncBridge

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}  # each in its own language, never translated


class TareError(ValueError):
    """A tare preset row that cannot be read; its message is ready to show."""


class SettingsDialog(QDialog):
    """Shows the booth's settings and saves them (coordinator PIN) in one write."""

    saved = Signal(object)  # BoothSettings, as saved
    language_changed = Signal(str)  # "zh" or "en", when a save changed the language

    def __init__(
        self,
        runner: OperationRunner,
        parent: QWidget | None = None,
        printer: PrintBridge | None = None,
        sync: SyncBridge | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.printer = printer
        self.sync = sync
        self.loaded: BoothSettings | None = None
        self.booth: BoothView | None = None
        self._busy = False
        self.setWindowTitle(self.tr("Settings"))
        self.resize(900, 720)

        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        # Booth: shown, not edited here (it is set once, by the first-run setup).
        booth_box = QGroupBox(self.tr("Booth"))
        booth_form = QFormLayout(booth_box)
        self.code_label = QLabel("…")
        self.name_label = QLabel("…")
        self.town_label = QLabel("…")
        booth_form.addRow(self.tr("Booth code"), self.code_label)
        booth_form.addRow(self.tr("Booth name"), self.name_label)
        booth_form.addRow(self.tr("Town"), self.town_label)
        layout.addWidget(booth_box)

        language_box = QGroupBox(self.tr("Language"))
        language_row = QHBoxLayout(language_box)
        self.language_group = QButtonGroup(self)
        self.language_buttons: dict[str, QPushButton] = {}
        for code, name in LANGUAGE_NAMES.items():
            button = self._choice(name, code)
            self.language_group.addButton(button)
            self.language_buttons[code] = button
            language_row.addWidget(button)
        language_row.addStretch(1)
        layout.addWidget(language_box)

        round_box = QGroupBox(self.tr("Round-down limit"))
        round_layout = QVBoxLayout(round_box)
        hint = QLabel(self.tr("The most an operator may knock off a total for the customer."))
        hint.setWordWrap(True)
        round_layout.addWidget(hint)
        round_row = QHBoxLayout()
        self.round_group = QButtonGroup(self)
        self.round_buttons: dict[str, QPushButton] = {}
        for rule, text in (
            (RoundDown.NONE, self.tr("No round-down")),
            (RoundDown.JIAO, self.tr("Drop the fen (to whole jiao)")),
            (RoundDown.YUAN, self.tr("Drop jiao and fen (to whole yuan)")),
        ):
            button = self._choice(text, rule.value)
            self.round_group.addButton(button)
            self.round_buttons[rule.value] = button
            round_row.addWidget(button)
        round_layout.addLayout(round_row)
        layout.addWidget(round_box)

        qr_box = QGroupBox(self.tr("Collection QR code"))
        qr_layout = QVBoxLayout(qr_box)
        qr_hint = QLabel(
            self.tr(
                "The text inside the booth's WeChat / Alipay collection code, "
                "shown to the customer as a QR code when they pay by phone."
            )
        )
        qr_hint.setWordWrap(True)
        qr_layout.addWidget(qr_hint)
        self.qr_edit = QLineEdit()
        self.qr_edit.setMinimumHeight(TOUCH_HEIGHT)
        self.qr_edit.setPlaceholderText(self.tr("e.g. {0}").format("wxp://f2f0…"))
        qr_layout.addWidget(self.qr_edit)
        layout.addWidget(qr_box)

        tare_box = QGroupBox(self.tr("Tare presets"))
        tare_layout = QVBoxLayout(tare_box)
        tare_hint = QLabel(
            self.tr("Containers weighed with the goods, taken off the scale reading.")
        )
        tare_hint.setWordWrap(True)
        tare_layout.addWidget(tare_hint)
        self.tare_table = QTableWidget(0, 2)
        self.tare_table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Grams")])
        self.tare_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tare_table.verticalHeader().setVisible(False)
        self.tare_table.verticalHeader().setDefaultSectionSize(44)
        self.tare_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tare_table.setMinimumHeight(180)
        tare_layout.addWidget(self.tare_table)
        tare_buttons = QHBoxLayout()
        self.add_tare_button = touch_button(self.tr("Add a container"))
        self.add_tare_button.clicked.connect(lambda: self.add_tare_row())
        self.remove_tare_button = touch_button(self.tr("Remove the selected one"))
        self.remove_tare_button.clicked.connect(self.remove_selected_tare)
        tare_buttons.addWidget(self.add_tare_button)
        tare_buttons.addWidget(self.remove_tare_button)
        tare_buttons.addStretch(1)
        tare_layout.addLayout(tare_buttons)
        layout.addWidget(tare_box)

        footer_box = QGroupBox(self.tr("Receipt footer"))
        footer_layout = QVBoxLayout(footer_box)
        self.footer_edit = QPlainTextEdit()
        self.footer_edit.setPlaceholderText(self.tr("e.g. Thank you for supporting local farms!"))
        self.footer_edit.setMaximumHeight(90)
        self.footer_edit.setTabChangesFocus(True)
        footer_layout.addWidget(self.footer_edit)
        layout.addWidget(footer_box)

        printer_box = QGroupBox(self.tr("Printer"))
        printer_form = QFormLayout(printer_box)
        self.printer_uri_edit = QLineEdit()
        self.printer_uri_edit.setMinimumHeight(TOUCH_HEIGHT)
        self.printer_uri_edit.setPlaceholderText(
            "none · usb:0x0416:0x5011 · tcp:192.168.1.50:9100 · serial:/dev/ttyUSB0"
        )
        printer_form.addRow(self.tr("Connection"), self.printer_uri_edit)
        self.printer_profile_combo = QComboBox()
        self.printer_profile_combo.addItems(profile_names())
        printer_form.addRow(self.tr("Printer model"), self.printer_profile_combo)
        self.printer_mode_combo = QComboBox()
        for value, label in (
            ("auto", self.tr("Automatic (printer font where it has Chinese)")),
            ("gbk", self.tr("Printer's Chinese font (GBK)")),
            ("raster", self.tr("Drawn as an image (any printer)")),
        ):
            self.printer_mode_combo.addItem(label, value)
        printer_form.addRow(self.tr("Chinese text"), self.printer_mode_combo)
        self.printer_width_combo = QComboBox()
        self.printer_width_combo.addItem(self.tr("58 mm paper"), 58)
        self.printer_width_combo.addItem(self.tr("80 mm paper"), 80)
        printer_form.addRow(self.tr("Paper"), self.printer_width_combo)
        self.cash_drawer_check = QCheckBox(self.tr("Open the cash drawer on cash sales"))
        printer_form.addRow("", self.cash_drawer_check)
        self.server_url_edit = QLineEdit()
        self.server_url_edit.setMinimumHeight(TOUCH_HEIGHT)
        self.server_url_edit.setPlaceholderText("https://county.example.cn")
        printer_form.addRow(self.tr("Receipt QR address"), self.server_url_edit)
        self.test_page_button = touch_button(self.tr("Print a test page"))
        self.test_page_button.clicked.connect(self.print_test_page)
        self.test_page_button.setEnabled(printer is not None)
        self.printer_label = QLabel()
        self.printer_label.setWordWrap(True)
        printer_form.addRow(self.test_page_button, self.printer_label)
        layout.addWidget(printer_box)
        server_box = QGroupBox(self.tr("County server"))
        server_form = QFormLayout(server_box)
        self.server_label = QLabel(self.tr("Not configured"))
        self.server_label.setWordWrap(True)
        server_form.addRow(self.server_label)
        self.enroll_url_edit = QLineEdit()
        self.enroll_url_edit.setMinimumHeight(TOUCH_HEIGHT)
        self.enroll_url_edit.setPlaceholderText("https://county.example.cn")
        server_form.addRow(self.tr("Server address"), self.enroll_url_edit)
        self.enroll_device_edit = QLineEdit()
        self.enroll_device_edit.setMinimumHeight(TOUCH_HEIGHT)
        server_form.addRow(self.tr("Device id"), self.enroll_device_edit)
        self.enroll_token_edit = QLineEdit()
        self.enroll_token_edit.setMinimumHeight(TOUCH_HEIGHT)
        self.enroll_token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        server_form.addRow(self.tr("Token"), self.enroll_token_edit)
        row = QHBoxLayout()
        self.enroll_button = touch_button(self.tr("Enrol this till"))
        self.enroll_button.clicked.connect(self.enroll)
        self.sync_now_button = touch_button(self.tr("Sync now"))
        self.sync_now_button.clicked.connect(self.sync_now)
        self.sync_now_button.setEnabled(sync is not None)
        self.requeue_button = touch_button(self.tr("Send rejected again…"))
        self.requeue_button.clicked.connect(self.requeue_rejected)
        for button in (self.enroll_button, self.sync_now_button, self.requeue_button):
            row.addWidget(button)
        server_form.addRow(row)
        self.rejected_label = QLabel()
        self.rejected_label.setWordWrap(True)
        server_form.addRow(self.rejected_label)
        layout.addWidget(server_box)
        layout.addStretch(1)

        self.message = message_label()
        outer.addWidget(self.message)
        self.status = QLabel()
        self.status.setWordWrap(True)
        outer.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = touch_button(self.tr("Cancel (Esc)"))
        self.cancel_button.clicked.connect(self.reject)
        self.save_button = touch_button(self.tr("Save (Enter)"))
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)

        self.runner.read(self, settings.load_settings).done(self._show_settings).failed(
            self._failed
        )
        self.runner.read(self, sync_client.sync_status).done(self._show_sync)
        if sync is not None:
            sync.status_changed.connect(self._show_sync)
        self.runner.read(self, booth.booth_info).done(self._show_booth).failed(self._no_booth)

    def _choice(self, text: str, value: str) -> QPushButton:
        button = touch_button(text)
        button.setCheckable(True)
        button.setProperty("value", value)
        return button

    # -- loading -----------------------------------------------------------------------------

    def _show_booth(self, info: BoothView) -> None:
        if not alive(self):
            return
        self.booth = info
        self.code_label.setText(info.code)
        self.name_label.setText(info.name)
        self.town_label.setText(info.town)

    def _no_booth(self, _message: str) -> None:
        if not alive(self):
            return
        for label in (self.code_label, self.name_label, self.town_label):
            label.setText(self.tr("Not set up yet"))

    def _show_settings(self, loaded: BoothSettings) -> None:
        if not alive(self):
            return
        self.loaded = loaded
        self.language_buttons.get(loaded.language, self.language_buttons["zh"]).setChecked(True)
        self.round_buttons.get(
            loaded.round_down_limit, self.round_buttons[RoundDown.NONE.value]
        ).setChecked(True)
        self.qr_edit.setText(loaded.collection_qr)
        self.tare_table.setRowCount(0)
        for preset in loaded.tare_presets:
            self.add_tare_row(preset.name, preset.grams)
        self.footer_edit.setPlainText(loaded.receipt_footer)
        self.printer_uri_edit.setText(loaded.printer_uri)
        index = self.printer_profile_combo.findText(loaded.printer_profile)
        if index < 0:
            self.printer_profile_combo.addItem(loaded.printer_profile)
            index = self.printer_profile_combo.count() - 1
        self.printer_profile_combo.setCurrentIndex(index)
        self.printer_mode_combo.setCurrentIndex(
            max(0, self.printer_mode_combo.findData(loaded.printer_mode))
        )
        self.printer_width_combo.setCurrentIndex(
            max(0, self.printer_width_combo.findData(loaded.printer_width_mm))
        )
        self.cash_drawer_check.setChecked(loaded.cash_drawer)
        self.server_url_edit.setText(loaded.server_url)
        self.printer_label.setText(
            self.tr("Not configured") if loaded.printer_uri == "none" else ""
        )
        self.save_button.setEnabled(True)

    # -- tare presets ------------------------------------------------------------------------

    def add_tare_row(self, name: str = "", grams: int | None = None) -> None:
        row = self.tare_table.rowCount()
        self.tare_table.insertRow(row)
        name_item = QTableWidgetItem(name)
        self.tare_table.setItem(row, 0, name_item)
        grams_item = QTableWidgetItem("" if grams is None else str(grams))
        grams_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.tare_table.setItem(row, 1, grams_item)
        if not name:
            self.tare_table.setCurrentCell(row, 0)
            self.tare_table.editItem(name_item)

    def remove_selected_tare(self) -> None:
        rows = sorted({index.row() for index in self.tare_table.selectedIndexes()}, reverse=True)
        if not rows and self.tare_table.currentRow() >= 0:
            rows = [self.tare_table.currentRow()]
        for row in rows:
            self.tare_table.removeRow(row)

    def tare_presets(self) -> tuple[TarePreset, ...]:
        """The table as presets; blank rows are skipped. Raises TareError on a bad row."""
        presets = []
        for row in range(self.tare_table.rowCount()):
            name_item = self.tare_table.item(row, 0)
            grams_item = self.tare_table.item(row, 1)
            name = name_item.text().strip() if name_item is not None else ""
            grams_text = grams_item.text().strip() if grams_item is not None else ""
            if not name and not grams_text:
                continue
            if not name:
                raise TareError(self.tr("Tare preset {0}: give it a name.").format(row + 1))
            grams_text = grams_text.removesuffix("g").removesuffix("克").strip()
            if not grams_text.isdigit():
                raise TareError(
                    self.tr("Tare preset {0}: the weight must be whole grams, e.g. 350.").format(
                        row + 1
                    )
                )
            presets.append(TarePreset(name, int(grams_text)))
        return tuple(presets)

    # -- saving ------------------------------------------------------------------------------

    def current_settings(self) -> BoothSettings:
        """The settings as shown on screen. Raises TareError on a bad tare row."""
        base = self.loaded or BoothSettings()
        language = self.language_group.checkedButton()
        rule = self.round_group.checkedButton()
        return replace(
            base,
            language=str(language.property("value")) if language else base.language,
            round_down_limit=str(rule.property("value")) if rule else base.round_down_limit,
            collection_qr=self.qr_edit.text().strip(),
            tare_presets=self.tare_presets(),
            receipt_footer=self.footer_edit.toPlainText().strip(),
            printer_uri=self.printer_uri_edit.text().strip() or "none",
            printer_profile=self.printer_profile_combo.currentText(),
            printer_mode=str(self.printer_mode_combo.currentData()),
            printer_width_mm=int(self.printer_width_combo.currentData()),
            cash_drawer=self.cash_drawer_check.isChecked(),
            server_url=self.server_url_edit.text().strip(),
        )

    # -- county server -------------------------------------------------------------------------

    def _show_sync(self, state: sync_client.SyncStatus) -> None:
        if not alive(self):
            return
        lang = i18n.current_language()
        if not state.enrolled:
            self.server_label.setText(
                self.tr("Not configured: this till keeps every sale until it is enrolled.")
            )
        else:
            when = (
                state.last_success_at.replace(tzinfo=dt.UTC).astimezone().strftime("%m-%d %H:%M")
                if state.last_success_at
                else self.tr("never")
            )
            text = self.tr("{0} · device {1} · {2} · {3} unsynced · last success {4}").format(
                state.server_url,
                state.device_id[:8],
                self.tr("online") if state.online else self.tr("offline"),
                state.unsynced,
                when,
            )
            if state.last_error:
                text += "\n" + self.tr("Last error: {0}").format(state.error_text(lang))
            self.server_label.setText(text)
            if not self.enroll_url_edit.text():
                self.enroll_url_edit.setText(state.server_url)
        items = [
            self.tr("{0} ({1}): {2}").format(item.receipt_no or item.seq, item.state, item.reason)
            for item in state.rejected_items[:20]
        ]
        self.rejected_label.setText(
            self.tr("Kept for the coordinator:") + "\n" + "\n".join(items) if items else ""
        )
        self.requeue_button.setEnabled(bool(state.rejected))

    def enroll(self) -> None:
        granted = people.ask_coordinator_pin(
            self, self.runner, self.tr("Enrol this till with the county server.")
        )
        if granted is None:
            return
        self.server_label.setText(self.tr("Contacting the county server…"))

        def done(result: sync_client.EnrollResult) -> None:
            if not alive(self):
                return
            if result.confirmed:
                show_message(self.status, self.tr("Enrolled with {0}.").format(result.server_url))
            else:
                show_message(
                    self.status,
                    self.tr("Saved; the server did not answer, it will be confirmed later."),
                )
            self.enroll_token_edit.clear()
            if self.sync is not None:
                self.sync.sync_now()
            self.runner.read(self, sync_client.sync_status).done(self._show_sync)

        self.runner.io(
            self,
            sync_client.enroll,
            self.runner.ledger,
            self.enroll_url_edit.text().strip(),
            self.enroll_device_edit.text().strip(),
            self.enroll_token_edit.text().strip(),
        ).done(done).failed(self._failed)

    def sync_now(self) -> None:
        if self.sync is not None:
            self.sync.sync_now()
            show_message(self.status, self.tr("Sync started."))

    def requeue_rejected(self) -> None:
        granted = people.ask_coordinator_pin(
            self, self.runner, self.tr("Send the rejected documents to the county again.")
        )
        if granted is None:
            return

        def done(count: int) -> None:
            if self.sync is not None:
                self.sync.kick()
            if alive(self):
                show_message(self.status, self.tr("{0} document(s) queued again.").format(count))

        self.runner.write(self, sync_client.requeue_rejected, granted[1]).done(done).failed(
            self._failed
        )

    def print_test_page(self) -> None:
        """The printer as set on screen (saved or not), so a coordinator can try before saving."""
        if self.printer is None:
            return
        try:
            draft = self.current_settings()
            settings.validate_printer(draft)
        except TareError as exc:
            show_message(self.message, str(exc))
            return
        except BadInput as exc:
            show_message(self.message, exc.message(i18n.current_language()))
            return
        self.printer_label.setText(self.tr("Printing the test page…"))
        self.test_page_button.setEnabled(False)

        def done(_report: object, error: BaseException | None) -> None:
            if not alive(self):
                return
            self.test_page_button.setEnabled(True)
            if error is None:
                self.printer_label.setText(self.tr("Test page sent. Check the printer."))
            elif isinstance(error, BadInput | PrinterError):
                text = (
                    error.message(i18n.current_language())
                    if isinstance(error, BadInput)
                    else printing.printer_state_failed(draft.printer_uri, error).message(
                        i18n.current_language()
                    )
                )
                self.printer_label.setText(self.tr("The test page failed: {0}").format(text))
            else:
                self.printer_label.setText(
                    self.tr("The test page failed: {0}").format(type(error).__name__)
                )

        self.printer.test_page(printing.PrinterConfig.from_settings(draft), done)

    def save(self) -> None:
        if self._busy or self.loaded is None:
            return
        show_message(self.message, "")
        self.status.setText("")
        try:
            new = self.current_settings()
            settings.validate(new)
        except TareError as exc:
            show_message(self.message, str(exc))
            return
        except BadInput as exc:
            show_message(self.message, exc.message(i18n.current_language()))
            return
        old = self.loaded
        if new == old:
            self.status.setText(self.tr("Nothing has changed."))
            return
        if replace(new, language=old.language) == old:
            # Only the screen language: anyone at the till may switch it.
            self._set_busy(True)
            self.runner.write(self, settings.set_language, new.language).done(
                lambda _none: self._saved(new)
            ).failed(self._failed)
            return
        granted = people.ask_coordinator_pin(
            self, self.runner, self.tr("Save the changed booth settings.")
        )
        if granted is None:
            return
        _coordinator, pin = granted
        self._set_busy(True)
        self.runner.write(self, settings.save_settings, new, pin).done(self._saved).failed(
            self._failed
        )

    def _saved(self, new: BoothSettings) -> None:
        if not alive(self):
            return
        self._set_busy(False)
        old = self.loaded
        self.loaded = new
        self.status.setText(self.tr("Settings saved."))
        self.saved.emit(new)
        if old is None or old.language != new.language:
            self.language_changed.emit(new.language)
        self.accept()

    def _failed(self, message: str) -> None:
        if not alive(self):
            return
        self._set_busy(False)
        show_message(self.message, message)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy and self.loaded is not None)
