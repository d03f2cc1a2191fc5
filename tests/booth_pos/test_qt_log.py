"""Qt's warnings, Qt's own and ours, land in the booth's log file as logger "qt"."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6 import QtCore

from booth_pos.logs import setup_logging, shutdown_logging
from booth_pos.ui.qt_log import install_qt_message_handler

pytestmark = pytest.mark.no_qt_log  # pytest-qt's own capture would stand in for ours


@pytest.fixture
def log_text(qapp: Any, tmp_path: Path) -> Iterator[Path]:
    """The log file, with Qt's messages going to it; Qt's default handler comes back after."""
    path = setup_logging(tmp_path / "data")
    install_qt_message_handler()
    yield path
    QtCore.qInstallMessageHandler(None)
    shutdown_logging()


def lines(path: Path, needle: str) -> list[str]:
    return [line for line in path.read_text("utf-8").splitlines() if needle in line]


def test_a_real_qt_warning_lands_in_the_log(log_text: Path) -> None:
    timer_owner = QtCore.QObject()
    timer_owner.startTimer(-1)  # Qt warns, and starts it with 1 ms instead

    (line,) = lines(log_text, "negative intervals")
    assert " WARNING " in line
    assert " qt: QObject::startTimer" in line


@pytest.mark.parametrize(
    ("emit", "level"),
    [
        (QtCore.qInfo, "INFO"),
        (QtCore.qWarning, "WARNING"),
        (QtCore.qCritical, "ERROR"),
    ],
)
def test_each_kind_of_qt_message_has_its_level(log_text: Path, emit: Any, level: str) -> None:
    emit("打印机 USB 断开")
    (line,) = lines(log_text, "打印机 USB 断开")
    assert f" {level} " in line and " qt: " in line


def test_a_categorised_message_names_its_category(log_text: Path) -> None:
    # PySide6 takes str here; its stubs say bytes
    category = QtCore.QLoggingCategory("booth.printing")  # type: ignore[arg-type]
    QtCore.qCWarning(category, "paper low")  # type: ignore[arg-type]
    (line,) = lines(log_text, "paper low")
    assert line.endswith("paper low [booth.printing]")


def test_the_source_file_and_line_are_kept_when_qt_gives_them(log_text: Path) -> None:
    installed = QtCore.qInstallMessageHandler(None)  # ours, as Qt calls it
    assert installed is not None
    context = QtCore.QMessageLogContext()  # release builds of Qt leave file and line empty
    context.file, context.line, context.category = "qxcbwindow.cpp", 42, "qt.qpa.xcb"
    installed(QtCore.QtMsgType.QtWarningMsg, context, "window lost")
    (line,) = lines(log_text, "window lost")
    assert line.endswith("window lost [qt.qpa.xcb qxcbwindow.cpp:42]")
