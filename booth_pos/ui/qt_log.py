"""Qt's own messages (qWarning and the like, from Qt or from us) go to the log as logger "qt"."""

from __future__ import annotations

import contextlib
import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("qt")

LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,  # Qt aborts once the handler returns
}


def _where(context: QMessageLogContext | None) -> str:
    if context is None:
        return ""
    parts = []
    if context.category and context.category != "default":
        parts.append(str(context.category))
    if context.file:
        parts.append(f"{context.file}:{context.line}")
    return f" [{' '.join(parts)}]" if parts else ""


# Said by platform plugins that cannot resize windows to fit (offscreen, some VNC servers) on
# every dialog shown: harmless, and it would drown what matters.
HARMLESS = ("This plugin does not support propagateSizeHints()",)


def _handle(kind: QtMsgType, context: QMessageLogContext | None, message: str) -> None:
    if message in HARMLESS:
        return
    with contextlib.suppress(Exception):  # raising in here would reach Qt's C++ code
        log.log(LEVELS.get(kind, logging.WARNING), "%s%s", message, _where(context))


def install_qt_message_handler() -> None:
    """Send every Qt message to logging (booth_pos.logs writes them to the log file)."""
    qInstallMessageHandler(_handle)
