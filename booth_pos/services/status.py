"""Figures for the till's status bar."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booth_pos.store.models import OutboxEntry, PrintJob


@dataclass(frozen=True)
class TillStatus:
    unsynced: int  # documents not yet acknowledged by the county server
    print_jobs_waiting: int  # pending or being printed
    print_jobs_failed: int  # waiting for a person (retry or dismiss in the history)


def till_status(session: Session) -> TillStatus:
    unsynced = session.scalar(
        select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state != "synced")
    )
    jobs = dict(
        session.execute(
            select(PrintJob.state, func.count())
            .where(PrintJob.state != "done")
            .group_by(PrintJob.state)
        ).all()
    )
    waiting = int(jobs.get("pending", 0)) + int(jobs.get("printing", 0))
    return TillStatus(int(unsynced or 0), waiting, int(jobs.get("failed", 0)))
