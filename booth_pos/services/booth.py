"""Setting up the booth and this till, and the clock every document is stamped with."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from booth_pos.domain.errors import BadInput
from booth_pos.store.models import Booth, Device

_BOOTH_CODE = re.compile(r"^[A-Za-z0-9]{2,12}$")


@dataclass(frozen=True)
class BoothView:
    code: str
    name: str
    town: str
    device_id: str


def now_utc() -> tuple[dt.datetime, int]:
    """Naive UTC time for storage and the local offset in minutes, read together."""
    local = dt.datetime.now().astimezone()
    offset = local.utcoffset() or dt.timedelta()
    utc = local.astimezone(dt.UTC).replace(tzinfo=None)
    return utc, int(offset.total_seconds() // 60)


def init_booth(session: Session, code: str, name: str, town: str) -> BoothView:
    existing = session.scalars(select(Booth)).first()
    if existing is not None:
        raise BadInput("already_initialised", code=existing.code)
    if not _BOOTH_CODE.match(code):
        raise BadInput("bad_booth_code", text=code)
    for field, value in (("booth name", name), ("town", town)):
        if not value.strip():
            raise BadInput("empty_field", field=field)
    created, _ = now_utc()
    booth = Booth(code=code.upper(), name=name.strip(), town=town.strip(), created_at=created)
    session.add(booth)
    session.flush()
    device = Device(id=str(uuid.uuid4()), booth_id=booth.id, next_seq=1, created_at=created)
    session.add(device)
    session.flush()
    return BoothView(booth.code, booth.name, booth.town, device.id)


def this_device(session: Session) -> Device:
    device = session.scalars(select(Device).options(joinedload(Device.booth)).limit(1)).first()
    if device is None:
        raise BadInput("not_initialised")
    return device


def booth_info(session: Session) -> BoothView:
    device = this_device(session)
    return BoothView(device.booth.code, device.booth.name, device.booth.town, device.id)


def _next(session: Session, device: Device, column: str) -> int:
    """Take the next value of a per-device counter in this transaction: gap-free, because a
    rollback returns it. One UPDATE ... RETURNING (BEGIN IMMEDIATE already holds the write
    lock), and the loaded Device is told the new value without another flush."""
    devices = cast(Table, Device.__table__)
    after = (
        session.connection()
        .execute(
            update(devices)
            .where(devices.c.id == device.id)
            .values({column: devices.c[column] + 1})
            .returning(devices.c[column])
        )
        .scalar_one()
    )
    set_committed_value(device, column, after)
    return int(after) - 1


def take_seq(session: Session, device: Device) -> int:
    """The next document number (every document that goes to the county takes one)."""
    return _next(session, device, "next_seq")


def take_receipt(session: Session, device: Device) -> int:
    """The next sale receipt number: sales are numbered 1, 2, 3... with nothing between."""
    return _next(session, device, "next_receipt")


def receipt_number(booth_code: str, seq: int, refund: bool = False) -> str:
    return f"{booth_code}-{'R' if refund else ''}{seq:06d}"
