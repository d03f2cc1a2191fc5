"""Operators and their PINs. PINs are short, so the hash must be slow and salted (scrypt)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from booth_pos.domain.errors import BadInput
from booth_pos.services import (
    audit,
    booth,  # booth.now_utc: the clock tests move
)
from booth_pos.store.models import Operator

# ~50 ms per check on a cheap laptop: invisible at the till, slow for a guesser.
_N, _R, _P = 2**14, 8, 1
_PIN = re.compile(r"^\d{4,8}$")

ROLE_OPERATOR = "operator"
ROLE_COORDINATOR = "coordinator"


def check_pin_format(pin: str) -> None:
    if not _PIN.match(pin):
        raise BadInput("bad_pin")


def hash_pin(pin: str) -> str:
    check_pin_format(pin)
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    enc = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${enc(salt).decode()}${enc(digest).decode()}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        pin.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(candidate, base64.b64decode(digest))


@dataclass(frozen=True)
class OperatorView:
    id: int
    name: str
    role: str


def add_operator(session: Session, name: str, role: str, pin: str) -> OperatorView:
    name = name.strip()
    if not name:
        raise BadInput("empty_field", field="name")
    if role not in (ROLE_OPERATOR, ROLE_COORDINATOR):
        raise ValueError(f"unknown role {role!r}")
    operator = Operator(name=name, role=role, pin_hash=hash_pin(pin), active=True)
    session.add(operator)
    session.flush()
    return OperatorView(operator.id, operator.name, operator.role)


def find_operator(session: Session, name: str | None) -> Operator:
    """The named active operator; without a name, the first active till operator."""
    query = select(Operator).where(Operator.active.is_(True))
    if name is not None:
        found = session.scalars(query.where(Operator.name == name.strip())).first()
    else:
        found = session.scalars(
            query.order_by((Operator.role == ROLE_COORDINATOR).asc(), Operator.id)
        ).first()
    if found is None:
        raise BadInput("unknown_operator", name=name or "-")
    return found


def _check_lock(session: Session, who: str) -> None:
    """BadInput("pin_locked") while `who` is locked out after repeated wrong PINs."""
    now = booth.now_utc()[0]
    until = audit.locked_until(session, who, now)
    if until is not None:
        minutes = max(1, -(-int((until - now).total_seconds()) // 60))
        raise BadInput("pin_locked", minutes=minutes)


def _wrong_pin(who: str, check: str) -> BadInput:
    """BadInput("wrong_pin") that, through Ledger.write, leaves a pin_failed audit entry
    after the refused action is rolled back (see Ledger.write)."""
    exc = BadInput("wrong_pin")

    def leave_trace(session: Session) -> None:
        audit.record(session, "pin_failed", who, {"check": check})

    exc.after_rollback = leave_trace  # type: ignore[attr-defined]
    return exc


def authorise_coordinator(session: Session, pin: str) -> Operator:
    """The active coordinator whose PIN this is, or BadInput. A wrong PIN is audited (after
    the rollback) and five in ten minutes lock coordinator PINs out for five minutes."""
    _check_lock(session, audit.COORDINATOR_PIN)
    coordinators = session.scalars(
        select(Operator).where(Operator.active.is_(True), Operator.role == ROLE_COORDINATOR)
    ).all()
    for coordinator in coordinators:
        if pin_matches(pin, coordinator.pin_hash):
            return coordinator
    others = session.scalars(
        select(Operator).where(Operator.active.is_(True), Operator.role != ROLE_COORDINATOR)
    ).all()
    if any(pin_matches(pin, other.pin_hash) for other in others):
        raise BadInput("not_coordinator")
    raise _wrong_pin(audit.COORDINATOR_PIN, "coordinator")


def log_in(session: Session, name: str, pin: str) -> OperatorView:
    """The operator at the till, if the PIN is theirs. A wrong PIN is audited (after the
    rollback); five in ten minutes lock that name out for five minutes."""
    operator = find_operator(session, name)
    _check_lock(session, operator.name)
    if not pin_matches(pin, operator.pin_hash):
        raise _wrong_pin(operator.name, "log_in")
    return OperatorView(operator.id, operator.name, operator.role)


def check_coordinator(session: Session, pin: str) -> OperatorView:
    coordinator = authorise_coordinator(session, pin)
    return OperatorView(coordinator.id, coordinator.name, coordinator.role)


def list_operators(session: Session) -> list[OperatorView]:
    rows = session.scalars(select(Operator).where(Operator.active.is_(True)).order_by(Operator.id))
    return [OperatorView(o.id, o.name, o.role) for o in rows]
