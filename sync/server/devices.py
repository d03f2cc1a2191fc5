"""Devices: added and revoked by the county, enrolled by their till, found by their token.

A token is 256 random bits shown once by ``add-device``; the server keeps only its SHA-256
(a random 256-bit secret needs no slow hash), compared in constant time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import uuid

from sqlalchemy import Connection, Engine, Table, func, select, update

from sync.protocol import (
    SERVER_MAX_BODY_BYTES,
    SERVER_MAX_COMPRESSED_BYTES,
    SERVER_MAX_ITEMS,
    SUPPORTED_VERSIONS,
    EnrollRequest,
    SyncState,
)
from sync.server.catalog import current_catalog
from sync.server.ingest import DOCUMENTS, DeviceInfo, acked_through, find_gaps, utcnow
from sync.server.models import Device

DEVICES: Table = Device.__table__  # type: ignore[assignment]
_BOOTH_CODE = re.compile(r"^[A-Za-z0-9]{2,12}$")


class DeviceError(Exception):
    """A county-side command or an enrollment that cannot be done; the message says why."""


def new_token() -> str:
    # 32 bytes = 256 bits. Never starting with "-": typed after --token it would read as an option.
    while True:
        token = secrets.token_urlsafe(32)
        if not token.startswith("-"):
            return token


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_device(engine: Engine, booth_code: str, town: str, name: str = "") -> tuple[str, str]:
    """A new device for a booth: its id and its token (shown once, stored hashed)."""
    if not _BOOTH_CODE.match(booth_code):
        raise DeviceError(f"booth code must be 2-12 letters or digits: {booth_code!r}")
    if not town.strip():
        raise DeviceError("town must not be empty")
    device_id = str(uuid.uuid4())
    token = new_token()
    with engine.begin() as conn:
        conn.execute(
            DEVICES.insert().values(
                id=device_id,
                booth_code=booth_code.upper(),
                town=town.strip()[:100],
                name=name.strip()[:100],
                token_hash=hash_token(token),
                created_at=utcnow(),
                revoked_at=None,
                till_id=None,
                receipt_key=None,
                enrolled_at=None,
                app_version="",
            )
        )
    return device_id, token


def revoke_device(engine: Engine, device_id: str) -> None:
    with engine.begin() as conn:
        done = conn.execute(
            update(DEVICES)
            .where(DEVICES.c.id == device_id.lower())
            .values(revoked_at=func.coalesce(DEVICES.c.revoked_at, utcnow()))
        )
        if done.rowcount != 1:
            raise DeviceError(f"no such device: {device_id}")


def list_devices(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                DEVICES.c.id,
                DEVICES.c.booth_code,
                DEVICES.c.town,
                DEVICES.c.name,
                DEVICES.c.created_at,
                DEVICES.c.revoked_at,
                DEVICES.c.till_id,
                DEVICES.c.enrolled_at,
            ).order_by(DEVICES.c.booth_code, DEVICES.c.created_at)
        ).mappings()
        return [dict(row) for row in rows]


class AuthOutcome:
    """Why a token was refused: 401 (nobody we know) or 403 (known, but not for this)."""

    UNKNOWN = 401
    FORBIDDEN = 403


def authenticate(conn: Connection, token: str, device_id: str) -> DeviceInfo | int:
    """The device this token opens, if it is the path's device and not revoked; else 401/403."""
    row = conn.execute(
        select(
            DEVICES.c.id,
            DEVICES.c.token_hash,
            DEVICES.c.booth_code,
            DEVICES.c.town,
            DEVICES.c.name,
            DEVICES.c.till_id,
            DEVICES.c.receipt_key,
            DEVICES.c.revoked_at,
        ).where(DEVICES.c.token_hash == hash_token(token))
    ).first()
    if row is None or not hmac.compare_digest(row.token_hash, hash_token(token)):
        return AuthOutcome.UNKNOWN
    if row.id != device_id.lower() or row.revoked_at is not None:
        return AuthOutcome.FORBIDDEN
    return DeviceInfo(row.id, row.booth_code, row.town, row.name, row.till_id, row.receipt_key)


def enroll(engine: Engine, device: DeviceInfo, request: EnrollRequest) -> DeviceInfo:
    """Bind the device to the till (once) and record its receipt key (once)."""
    if request.booth_code.upper() != device.booth_code:
        raise DeviceError(
            f"this device was added for booth {device.booth_code}, not {request.booth_code.upper()}"
        )
    till_id = request.till_id.lower()
    key = request.receipt_key.lower() if request.receipt_key else None
    with engine.begin() as conn:
        row = conn.execute(
            select(DEVICES.c.till_id, DEVICES.c.receipt_key)
            .where(DEVICES.c.id == device.id)
            .with_for_update()
        ).one()
        if row.till_id is not None and row.till_id != till_id:
            raise DeviceError("this device is already enrolled by another till")
        if row.receipt_key is not None and key is not None and row.receipt_key != key:
            raise DeviceError("this device already has a different receipt key")
        values: dict[str, object] = {"till_id": till_id, "app_version": request.app_version}
        if row.till_id is None:
            values["enrolled_at"] = utcnow()
        if row.receipt_key is None and key is not None:
            values["receipt_key"] = key
        conn.execute(update(DEVICES).where(DEVICES.c.id == device.id).values(**values))
    return DeviceInfo(
        device.id,
        device.booth_code,
        device.town,
        device.name,
        till_id,
        key or row.receipt_key,
    )


def sync_state(
    engine: Engine,
    device: DeviceInfo,
    max_items: int = SERVER_MAX_ITEMS,
    max_compressed: int = SERVER_MAX_COMPRESSED_BYTES,
    max_body: int = SERVER_MAX_BODY_BYTES,
) -> SyncState:
    with engine.connect() as conn:
        count, top = conn.execute(
            select(func.count(), func.coalesce(func.max(DOCUMENTS.c.seq), 0)).where(
                DOCUMENTS.c.till_id == (device.till_id or "")
            )
        ).one()
        gaps = [] if count == top or device.till_id is None else find_gaps(conn, device.till_id)
        catalog = current_catalog(conn, device.booth_code, device.town)
        return SyncState(
            device_id=device.id,
            booth_code=device.booth_code,
            town=device.town,
            name=device.name,
            till_id=device.till_id,
            receipt_key_set=device.receipt_key is not None,
            acked_through_seq=acked_through(conn, device.till_id),
            max_seq=int(top),
            document_count=int(count),
            gaps=gaps,
            protocol_versions=list(SUPPORTED_VERSIONS),
            catalog_version=catalog.version if catalog is not None else None,
            server_time=dt.datetime.now(dt.UTC),
            max_batch_items=max_items,
            max_compressed_bytes=max_compressed,
            max_body_bytes=max_body,
        )
