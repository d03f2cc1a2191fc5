"""The app window. Until the till screen lands it shows which booth this is and how to sell."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QVBoxLayout, QWidget

from booth_pos.domain.errors import BadInput
from booth_pos.services import booth
from booth_pos.services.ledger import Ledger


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class MainWindow(QMainWindow):
    def __init__(self, info: booth.BoothView | None) -> None:
        super().__init__()
        self.setWindowTitle(tr("booth-pos 摊位收银"))
        body = QWidget()
        layout = QVBoxLayout(body)
        if info is None:
            headline = tr("摊位尚未设置")
            detail = tr(
                "请先运行：booth-pos init --booth-code 代码 --booth-name 名称 --town 镇 --demo"
            )
        else:
            headline = f"{info.name} ({info.code}) · {info.town}"
            detail = tr("收银界面即将上线；现在可用命令行 booth-pos sell 收款。")
        self.headline = QLabel(headline)
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.headline.font()
        font.setPointSize(font.pointSize() * 2)
        self.headline.setFont(font)
        self.detail = QLabel(detail)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        layout.addWidget(self.headline)
        layout.addWidget(self.detail)
        self.setCentralWidget(body)
        self.resize(1024, 768)


def load_booth(ledger: Ledger) -> booth.BoothView | None:
    try:
        return ledger.read(booth.booth_info)
    except BadInput:
        return None


def run_app(data_dir: Path) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    ledger = Ledger.open(data_dir)
    try:
        window = MainWindow(load_booth(ledger))
        window.show()
        return int(app.exec())
    finally:
        ledger.close()
