"""Figures for the till's status bar."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booth_pos.store.models import OutboxEntry, PrintJob


@dataclass(frozen=True)
class TillStatus:
    unsynced: int  # documents not yet acknowledged by the county server
    print_jobs_waiting: int


def till_status(session: Session) -> TillStatus:
    unsynced = session.scalar(
        select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state != "synced")
    )
    waiting = session.scalar(
        select(func.count()).select_from(PrintJob).where(PrintJob.state != "done")
    )
    return TillStatus(int(unsynced or 0), int(waiting or 0))
