"""The audit trail: an append-only log of sensitive actions, sent to the county in the outbox.

Every entry is written in the same transaction as the action it records (a refused action
leaves no entry), except failed PIN attempts: the refused action is rolled back, and the
entry is written afterwards by `Ledger.write` (see `after_rollback` in services/ledger.py).
Triggers in migration 0007 make the table refuse UPDATE and DELETE; no service changes it.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from booth_pos.services import booth
from booth_pos.store.models import AuditEntry

DOC_KIND_AUDIT: Final = "audit"
AUDIT_ACTIONS: Final[tuple[str, ...]] = (
    "void",
    "refund",
    "price_change",
    "price_override",
    "round_down",
    "drawer_open",
    "product_change",
    "household_change",
    "people_change",
    "day_close",
    "pin_failed",
    "settings_change",
    "catalog_import",
)
# The operator name a failed coordinator-PIN check is recorded (and locked out) under.
COORDINATOR_PIN: Final = "coordinator PIN"
LOCKOUT_FAILURES: Final = 5
LOCKOUT_WINDOW: Final = dt.timedelta(minutes=10)
LOCKOUT_FOR: Final = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class AuditView:
    id: int
    at: dt.datetime  # naive UTC
    utc_offset_min: int
    action: str
    operator: str
    details: dict[str, Any]


def _details_json(details: dict[str, object]) -> str:
    return json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)


def record(session: Session, action: str, operator: str, details: dict[str, object]) -> None:
    """Append one entry and enqueue it for the county (doc kind "audit") in this transaction."""
    from booth_pos.services.sales import _enqueue  # sales records audit entries itself

    if action not in AUDIT_ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    at, offset = booth.now_utc()
    doc_id = str(uuid.uuid4())
    encoded = _details_json(details)
    session.execute(
        insert(AuditEntry).values(
            at=at,
            utc_offset_min=offset,
            action=action,
            operator=operator,
            details=encoded,
            doc_id=doc_id,
        )
    )
    device = booth.this_device(session)
    seq = booth.take_seq(session, device)
    body: dict[str, Any] = {
        "doc_id": doc_id,
        "booth_code": device.booth.code,
        "occurred_at": at.replace(tzinfo=dt.UTC).isoformat(),
        "utc_offset_min": offset,
        "action": action,
        "operator": operator,
        "details": json.loads(encoded),
    }
    _enqueue(session, device, seq, DOC_KIND_AUDIT, doc_id, body, at)


def _view(entry: AuditEntry) -> AuditView:
    details = json.loads(entry.details)
    return AuditView(
        entry.id,
        entry.at,
        entry.utc_offset_min,
        entry.action,
        entry.operator,
        details if isinstance(details, dict) else {"value": details},
    )


def list_audit(
    session: Session,
    action: str | None = None,
    operator: str | None = None,
    since: dt.datetime | None = None,
    limit: int = 500,
) -> list[AuditView]:
    """Newest first. `since` is naive UTC."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    if operator is not None:
        query = query.where(AuditEntry.operator == operator)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    return [_view(entry) for entry in session.scalars(query)]


def count_actions(session: Session) -> dict[str, int]:
    """Entries per action (for tests and the audit screen's summary)."""
    rows = session.execute(
        select(AuditEntry.action, func.count()).group_by(AuditEntry.action)
    ).all()
    return {action: int(n) for action, n in rows}


def locked_until(session: Session, who: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """When PIN checks for `who` (a name, or COORDINATOR_PIN) open again; None if not locked.

    Locked for LOCKOUT_FOR after the last of LOCKOUT_FAILURES wrong PINs that fell within
    LOCKOUT_WINDOW of each other (counted from this log's pin_failed entries).
    """
    now = now or booth.now_utc()[0]
    times = list(
        session.scalars(
            select(AuditEntry.at)
            .where(
                AuditEntry.action == "pin_failed",
                AuditEntry.operator == who,
                AuditEntry.at >= now - LOCKOUT_WINDOW - LOCKOUT_FOR,
            )
            .order_by(AuditEntry.at.desc())
            .limit(LOCKOUT_FAILURES)
        )
    )
    if len(times) < LOCKOUT_FAILURES or times[0] - times[-1] > LOCKOUT_WINDOW:
        return None
    until = times[0] + LOCKOUT_FOR
    return until if now < until else None
