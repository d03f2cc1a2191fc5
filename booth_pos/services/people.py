"""People at the booth: add, deactivate, reset a PIN, choose a role (coordinator PIN, audited).

The booth always keeps at least one active coordinator: deactivating or demoting the last
one is refused. PINs are never written to the audit trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booth_pos.domain.errors import BadInput
from booth_pos.services import (
    audit,
    booth,  # booth.now_utc: the clock tests move
)
from booth_pos.services.auth import (
    ROLE_COORDINATOR,
    ROLE_OPERATOR,
    authorise_coordinator,
    check_pin_format,
    hash_pin,
)
from booth_pos.store.models import Operator

ROLES = (ROLE_OPERATOR, ROLE_COORDINATOR)


@dataclass(frozen=True)
class PersonView:
    name: str
    role: str
    active: bool
    locked_until: dt.datetime | None  # naive UTC, while locked out after wrong PINs


def _view(session: Session, person: Operator, now: dt.datetime) -> PersonView:
    return PersonView(
        person.name, person.role, person.active, audit.locked_until(session, person.name, now)
    )


def _person(session: Session, name: str) -> Operator:
    person = session.scalars(select(Operator).where(Operator.name == name.strip())).first()
    if person is None:
        raise BadInput("unknown_person", name=name)
    return person


def _check_role(role: str) -> str:
    role = role.strip().lower()
    if role not in ROLES:
        raise BadInput("bad_role", text=role)
    return role


def _other_coordinators(session: Session, person: Operator) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Operator)
            .where(
                Operator.active.is_(True),
                Operator.role == ROLE_COORDINATOR,
                Operator.id != person.id,
            )
        )
        or 0
    )


def _keep_a_coordinator(session: Session, person: Operator) -> None:
    if (
        person.active
        and person.role == ROLE_COORDINATOR
        and _other_coordinators(session, person) == 0
    ):
        raise BadInput("last_coordinator", name=person.name)


def list_people(session: Session) -> list[PersonView]:
    now = booth.now_utc()[0]
    people = session.scalars(select(Operator).order_by(Operator.id))
    return [_view(session, person, now) for person in people]


def add_person(session: Session, pin: str, name: str, role: str, new_pin: str) -> PersonView:
    name = name.strip()
    if not name:
        raise BadInput("empty_field", field="name")
    role = _check_role(role)
    check_pin_format(new_pin)
    coordinator = authorise_coordinator(session, pin)
    if session.scalar(select(Operator.id).where(Operator.name == name)) is not None:
        raise BadInput("person_exists", name=name)
    person = Operator(name=name, role=role, pin_hash=hash_pin(new_pin), active=True)
    session.add(person)
    session.flush()
    audit.record(
        session, "people_change", coordinator.name, {"name": name, "change": "added", "role": role}
    )
    return _view(session, person, booth.now_utc()[0])


def set_active(session: Session, pin: str, name: str, active: bool) -> PersonView:
    coordinator = authorise_coordinator(session, pin)
    person = _person(session, name)
    if not active:
        _keep_a_coordinator(session, person)
    if person.active != active:
        person.active = active
        session.flush()
        audit.record(
            session,
            "people_change",
            coordinator.name,
            {"name": person.name, "change": "activated" if active else "deactivated"},
        )
    return _view(session, person, booth.now_utc()[0])


def reset_pin(session: Session, pin: str, name: str, new_pin: str) -> None:
    check_pin_format(new_pin)
    coordinator = authorise_coordinator(session, pin)
    person = _person(session, name)
    person.pin_hash = hash_pin(new_pin)
    session.flush()
    audit.record(
        session, "people_change", coordinator.name, {"name": person.name, "change": "pin_reset"}
    )


def set_role(session: Session, pin: str, name: str, role: str) -> PersonView:
    role = _check_role(role)
    coordinator = authorise_coordinator(session, pin)
    person = _person(session, name)
    if role != ROLE_COORDINATOR:
        _keep_a_coordinator(session, person)
    if person.role != role:
        old = person.role
        person.role = role
        session.flush()
        audit.record(
            session,
            "people_change",
            coordinator.name,
            {"name": person.name, "change": "role", "old_role": old, "role": role},
        )
    return _view(session, person, booth.now_utc()[0])
