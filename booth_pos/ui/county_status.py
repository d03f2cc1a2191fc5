"""One sentence for the county link, the same on the till's status bar and the login screen."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication

from booth_pos.services import sync_client
from booth_pos.ui import i18n


def county_text(state: sync_client.SyncStatus | None, unsynced: int = 0) -> str:
    """Only what the last contact showed: online, or offline with why, and what waits."""
    if state is None or not state.enrolled:
        return QCoreApplication.translate(
            "CountyStatus", "County server: not configured · {0} unsynced"
        ).format(state.unsynced if state is not None else unsynced)
    if state.online:
        text = QCoreApplication.translate(
            "CountyStatus", "County server: online · {0} unsynced"
        ).format(state.unsynced)
    else:
        text = QCoreApplication.translate(
            "CountyStatus", "County server: offline · {0} unsynced"
        ).format(state.unsynced)
        reason = state.error_text(i18n.current_language())
        if reason:
            text += " · " + reason
    if state.last_success_at is not None:
        local = state.last_success_at.replace(tzinfo=dt.UTC).astimezone()
        text += QCoreApplication.translate("CountyStatus", " · last {0}").format(
            local.strftime("%H:%M")
        )
    if state.rejected:
        text += QCoreApplication.translate("CountyStatus", " · {0} rejected").format(state.rejected)
    return text
