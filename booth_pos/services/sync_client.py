"""Sync with the county server: every committed document reaches it exactly once.

No Qt here. The till wraps `SyncWorker` (a plain thread with callbacks) in Qt signals; the CLI
runs `sync_once` for one pass. What the protocol asks (see ``sync/protocol.py``):

* **Enrollment** (`enroll`): the county's device id and token, the server URL and an optional
  county CA file are stored in ``sync_enrollment``. The server learns this till's own device id
  (the one inside its documents) and its receipt key, so the receipt page can check QR codes.
* **Frozen batches**: pending outbox entries are put into batches (at most 100 documents or
  256 KB of JSON) before their first send; the membership is stored, so a retry is the same
  batch with the same ``Idempotency-Key``. Oldest first; gzip bodies.
* **Transport**: one ``requests.Session`` per pass, connect / read timeouts, TLS verification
  always on (``ca_file`` adds the county's CA), connect errors retried 3 times by urllib3, read
  errors never (a POST may have been applied; our own loop resends the same batch later).
* **Results**: accepted and duplicate → synced; rejected and conflict → kept with the reason,
  listed for the coordinator, never retried by themselves and never deleted. Nothing is ever
  dropped from the outbox.
* **Failures**: 5xx, timeouts, no network → full-jitter exponential back-off (2 s to 5 min),
  kept in the database so it survives a restart; 429 / 503 → ``Retry-After`` (capped at 10 min);
  413 → the batch is split in two; 401, 403, 426, 422 → the worker stops and says why (selling
  goes on; the queue is kept).
* **Catalogue**: when the server has a newer catalogue it replaces the local one in one
  transaction; sales keep the price they were charged (their lines hold it).
* One uploader per till at a time: a lock file in the data folder (released by the OS if the
  process dies).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import gzip
import ipaddress
import json
import logging
import random
import sys
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from sqlalchemy import LargeBinary, cast, func, select, update
from sqlalchemy.orm import Session
from urllib3.util.retry import Retry

from booth_pos import __version__
from booth_pos.domain.errors import MESSAGES, BadInput
from booth_pos.services.auth import authorise_coordinator
from booth_pos.services.booth import this_device
from booth_pos.services.catalog import OPTIONAL, HouseholdRow, ProductRow
from booth_pos.services.catalog_edit import import_county_catalog
from booth_pos.services.ledger import Ledger
from booth_pos.store.models import OutboxEntry, Product, SyncBatch, SyncEnrollment
from sync.protocol import (
    BATCH_MAX_BYTES,
    BATCH_MAX_ITEMS,
    CLOCK_SKEW_FLAG_S,
    IDEMPOTENCY_HEADER,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    SYNCED_STATUSES,
    BatchResponse,
    CatalogSnapshot,
    EnrollRequest,
    ItemStatus,
    SyncState,
    is_uuid,
)

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 30.0
BACKOFF_BASE_S = 2.0
BACKOFF_CAP_S = 300.0
RETRY_AFTER_CAP_S = 600.0
PASS_DEADLINE_S = 600.0  # one pass stops starting new batches after this long
LOCK_FILENAME = "sync.lock"
ENROLLMENT_ID = 1
_ITEM_OVERHEAD_BYTES = 200  # the envelope around each document in a batch body


class Halt(StrEnum):
    """Why the worker stopped uploading by itself (cleared by enrolling again or a good pass)."""

    NONE = ""
    UNAUTHORISED = "unauthorised"  # 401: the token is unknown: enroll again
    REVOKED = "revoked"  # 403: the county revoked this device
    PROTOCOL = "protocol"  # 426: the county needs a newer app
    REFUSED = "refused"  # 422 / 4xx for a batch, or enrollment refused: a person must look


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class SyncOptions:
    connect_timeout_s: float = CONNECT_TIMEOUT_S
    read_timeout_s: float = READ_TIMEOUT_S
    backoff_base_s: float = BACKOFF_BASE_S
    backoff_cap_s: float = BACKOFF_CAP_S
    retry_after_cap_s: float = RETRY_AFTER_CAP_S
    pass_deadline_s: float = PASS_DEADLINE_S
    max_items: int = BATCH_MAX_ITEMS
    max_bytes: int = BATCH_MAX_BYTES
    gzip: bool = True
    connect_retries: int = 3
    # Naive UTC "now" (the booth's clock; tests move it).
    clock: Callable[[], dt.datetime] = utcnow
    rng: random.Random = field(default_factory=random.Random)


@dataclass(frozen=True)
class Enrollment:
    server_url: str
    device_id: str
    token: str = field(repr=False)
    ca_file: str = ""


@dataclass(frozen=True)
class RejectedItem:
    seq: int
    kind: str
    doc_id: str
    receipt_no: str
    state: str  # rejected or conflict
    reason: str
    created_at: dt.datetime


@dataclass(frozen=True)
class SyncStatus:
    """What the till's status bar and Settings show."""

    enrolled: bool
    server_url: str
    device_id: str
    online: bool  # the last contact with the server went well
    unsynced: int  # documents not yet acknowledged (rejected ones not counted)
    rejected: int  # rejected or in conflict: kept for the coordinator
    open_batches: int
    last_success_at: dt.datetime | None
    last_attempt_at: dt.datetime | None
    last_error: str  # a domain.errors code ("" for none); see error_text()
    last_error_detail: str
    last_error_at: dt.datetime | None
    next_attempt_at: dt.datetime | None
    halted: str  # a Halt value
    clock_skew_s: int | None
    catalog_version: int | None
    rejected_items: tuple[RejectedItem, ...] = ()

    @property
    def clock_off(self) -> bool:
        return self.clock_skew_s is not None and abs(self.clock_skew_s) > CLOCK_SKEW_FLAG_S

    def error_text(self, lang: str = "zh") -> str:
        if not self.last_error or self.last_error not in MESSAGES:
            return self.last_error_detail
        zh, en = MESSAGES[self.last_error]
        return en if lang.startswith("en") else zh

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["clock_off"] = self.clock_off
        return data


@dataclass
class PassReport:
    """What one pass did."""

    attempted: bool = False  # talked (or tried to talk) to the server
    busy: bool = False  # another uploader holds this till's lock
    waiting_until: dt.datetime | None = None  # back-off or Retry-After not over yet
    frozen: int = 0  # new batches frozen
    sent_batches: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    conflict: int = 0
    split: int = 0
    resent: int = 0  # synced documents the server had lost, queued again
    catalog_version: int | None = None  # set when a new catalogue was applied
    error: str = ""  # a domain.errors code
    detail: str = ""
    halted: str = ""
    more: bool = False  # stopped before the queue was empty (deadline or cancelled)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# ------------------------------------------------------------------------------------------
# Enrollment
# ------------------------------------------------------------------------------------------


def check_server_url(url: str, allow_http: bool = False) -> str:
    """https:// (or http:// on this machine, or with allow_http on a trusted LAN)."""
    text = url.strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise BadInput("sync_bad_server_url", url=url)
    if parts.scheme == "http" and not (allow_http or _is_loopback(parts.hostname)):
        raise BadInput("sync_bad_server_url", url=url)
    return text


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class TillIdentity:
    till_id: str
    booth_code: str
    receipt_key: str | None


def till_identity(session: Session) -> TillIdentity:
    device = this_device(session)
    return TillIdentity(device.id, device.booth.code, device.receipt_key)


def enrollment(session: Session) -> Enrollment | None:
    row = session.get(SyncEnrollment, ENROLLMENT_ID)
    if row is None:
        return None
    return Enrollment(row.server_url, row.device_id, row.token, row.ca_file)


def server_url(session: Session) -> str | None:
    """The county server's address (for the receipt QR), or None before enrollment."""
    row = session.get(SyncEnrollment, ENROLLMENT_ID)
    return row.server_url if row is not None else None


@dataclass(frozen=True)
class EnrollResult:
    server_url: str
    device_id: str
    confirmed: bool  # the server answered and bound this till; False: stored, confirm later
    detail: str = ""


def enroll(
    ledger: Ledger,
    server: str,
    device_id: str,
    token: str,
    ca_file: str | None = None,
    allow_http: bool = False,
    options: SyncOptions | None = None,
) -> EnrollResult:
    """Store the county's device id and token for this till, and tell the server if it answers.

    A token the server refuses, or a device already bound to another till, is BadInput and
    nothing is stored. With no network the enrollment is stored and confirmed at the next pass.
    """
    url = check_server_url(server, allow_http)
    if not is_uuid(device_id.strip()):
        raise BadInput("sync_bad_device_id", text=device_id)
    token = token.strip()
    if not 20 <= len(token) <= 200 or not token.isascii() or any(c.isspace() for c in token):
        raise BadInput("sync_bad_token")
    if ca_file and not Path(ca_file).is_file():
        raise BadInput("sync_ca_file_missing", path=ca_file)
    opts = options or SyncOptions()
    target = Enrollment(url, device_id.strip().lower(), token, str(ca_file or ""))
    identity = ledger.read(till_identity)
    confirmed = False
    detail = ""
    with _Client(target, opts) as client:
        try:
            client.enroll(identity)
            confirmed = True
        except _Failure as failure:
            if failure.halt in (Halt.UNAUTHORISED, Halt.REVOKED):
                raise BadInput("sync_token_refused") from None
            if failure.halt == Halt.PROTOCOL:
                raise BadInput("sync_protocol") from None
            if failure.halt == Halt.REFUSED:
                raise BadInput("sync_enroll_conflict", detail=failure.detail) from None
            detail = failure.detail
    ledger.write(_store_enrollment, target, opts.clock(), confirmed)
    return EnrollResult(url, target.device_id, confirmed, detail)


def _store_enrollment(
    session: Session, target: Enrollment, now: dt.datetime, confirmed: bool
) -> None:
    row = session.get(SyncEnrollment, ENROLLMENT_ID)
    same_server = row is not None and row.server_url == target.server_url
    if row is None:
        row = SyncEnrollment(id=ENROLLMENT_ID)
        session.add(row)
    row.server_url, row.device_id, row.token = target.server_url, target.device_id, target.token
    row.ca_file = target.ca_file
    row.enrolled_at = now
    row.confirmed_at = now if confirmed else None
    if not same_server:
        row.catalog_version, row.catalog_etag, row.catalog_pulled_at = None, "", None
        row.server_acked_seq, row.clock_skew_s = 0, None
    row.failures, row.next_attempt_at, row.halted = 0, None, Halt.NONE.value
    row.last_error, row.last_error_detail, row.last_error_at = "", "", None
    session.flush()


# ------------------------------------------------------------------------------------------
# Status and the coordinator's list
# ------------------------------------------------------------------------------------------


def _receipt_no(payload: str) -> str:
    try:
        data = json.loads(payload)
    except ValueError:
        return ""
    return str(data.get("refund_no") or data.get("receipt_no") or "")


def rejected_items(session: Session, limit: int = 500) -> list[RejectedItem]:
    """Documents the county would not take, oldest first, with its reason. Never deleted."""
    rows = session.execute(
        select(
            OutboxEntry.seq,
            OutboxEntry.doc_kind,
            OutboxEntry.doc_id,
            OutboxEntry.payload,
            OutboxEntry.state,
            OutboxEntry.sync_reason,
            OutboxEntry.created_at,
        )
        .where(OutboxEntry.state.in_(("rejected", "conflict")))
        .order_by(OutboxEntry.seq)
        .limit(limit)
    ).all()
    return [
        RejectedItem(seq, kind, doc_id, _receipt_no(payload), state, reason or "", created)
        for seq, kind, doc_id, payload, state, reason, created in rows
    ]


def sync_status(session: Session, with_items: bool = True) -> SyncStatus:
    counts = dict(
        session.execute(
            select(OutboxEntry.state, func.count())
            .where(OutboxEntry.state != "synced")
            .group_by(OutboxEntry.state)
        ).all()
    )
    open_batches = session.scalar(
        select(func.count()).select_from(SyncBatch).where(SyncBatch.state == "open")
    )
    rejected = int(counts.get("rejected", 0)) + int(counts.get("conflict", 0))
    items = tuple(rejected_items(session)) if with_items and rejected else ()
    row = session.get(SyncEnrollment, ENROLLMENT_ID)
    if row is None:
        return SyncStatus(
            False, "", "", False, int(counts.get("pending", 0)), rejected, int(open_batches or 0),
            None, None, "sync_not_enrolled", "", None, None, Halt.NONE.value, None, None, items,
        )  # fmt: skip
    online = row.last_success_at is not None and (
        row.last_error_at is None or row.last_success_at >= row.last_error_at
    )
    return SyncStatus(
        enrolled=True,
        server_url=row.server_url,
        device_id=row.device_id,
        online=online,
        unsynced=int(counts.get("pending", 0)),
        rejected=rejected,
        open_batches=int(open_batches or 0),
        last_success_at=row.last_success_at,
        last_attempt_at=row.last_attempt_at,
        last_error=row.last_error,
        last_error_detail=row.last_error_detail,
        last_error_at=row.last_error_at,
        next_attempt_at=row.next_attempt_at,
        halted=row.halted,
        clock_skew_s=row.clock_skew_s,
        catalog_version=row.catalog_version,
        rejected_items=items,
    )


def requeue_rejected(session: Session, pin: str) -> int:
    """Coordinator: send rejected / conflicting documents (and refused batches) again, e.g.
    after the county fixed something. The documents themselves never change."""
    authorise_coordinator(session, pin)
    again = _rowcount(
        session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.state.in_(("rejected", "conflict")))
            .values(state="pending", batch_id=None, sync_reason=None)
        )
    )
    refused = list(session.scalars(select(SyncBatch.id).where(SyncBatch.state == "refused")))
    if refused:
        again += _rowcount(
            session.execute(
                update(OutboxEntry)
                .where(OutboxEntry.batch_id.in_(refused), OutboxEntry.state == "pending")
                .values(batch_id=None)
            )
        )
        session.execute(update(SyncBatch).where(SyncBatch.id.in_(refused)).values(state="split"))
    row = session.get(SyncEnrollment, ENROLLMENT_ID)
    if row is not None and row.halted == Halt.REFUSED:
        row.halted = Halt.NONE.value
    return again


# ------------------------------------------------------------------------------------------
# HTTP
# ------------------------------------------------------------------------------------------


class _Failure(Exception):
    """A pass cannot go on: `code` (domain.errors) and what to do about it."""

    def __init__(
        self,
        code: str,
        detail: str,
        halt: Halt = Halt.NONE,
        retry_after: float | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.halt = halt
        self.retry_after = retry_after
        self.status = status


def _rowcount(result: object) -> int:
    """Rows an UPDATE touched (Session.execute is typed as a plain Result)."""
    return int(getattr(result, "rowcount", 0) or 0)


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _error_code(response: requests.Response) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        return "", response.text[:200]
    if not isinstance(body, dict):
        return "", ""
    return str(body.get("error", "")), str(body.get("detail", ""))[:500]


def _failure_for(response: requests.Response) -> _Failure:
    status = response.status_code
    code, detail = _error_code(response)
    text = f"HTTP {status} {code}: {detail}".strip()
    if status == 401:
        return _Failure("sync_unauthorised", text, Halt.UNAUTHORISED, status=status)
    if status == 403:
        return _Failure("sync_revoked", text, Halt.REVOKED, status=status)
    if status == 426:
        return _Failure("sync_protocol", text, Halt.PROTOCOL, status=status)
    if status in (429, 503):
        return _Failure("sync_server_busy", text, retry_after=_retry_after(response), status=status)
    if status == 409 and code == "enroll_conflict":
        return _Failure("sync_enroll_conflict", detail, Halt.REFUSED, status=status)
    if status == 409:  # a batch in flight, or not enrolled yet: later
        return _Failure("sync_server_busy", text, retry_after=_retry_after(response), status=status)
    if status >= 500:
        return _Failure("sync_server_error", text, status=status)
    return _Failure("sync_batch_refused", text, Halt.REFUSED, status=status)


class _Client:
    """One pass's HTTP session with the county server."""

    def __init__(self, target: Enrollment, options: SyncOptions) -> None:
        self.target = target
        self.options = options
        self.session = requests.Session()
        self.session.trust_env = False  # no proxies or CA bundles from the environment
        self.session.verify = target.ca_file or True
        retry = Retry(
            total=None,
            connect=options.connect_retries,
            read=False,  # never resend a POST by itself; a read error surfaces as a timeout
            redirect=0,
            status=0,
            other=0,
            backoff_factor=0.2,
            allowed_methods=None,
            raise_on_status=False,
            respect_retry_after_header=False,
        )
        adapter = HTTPAdapter(max_retries=retry, pool_connections=1, pool_maxsize=2)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self.session.headers.update(
            {
                "Authorization": f"Bearer {target.token}",
                PROTOCOL_HEADER: str(PROTOCOL_VERSION),
                "User-Agent": f"booth-pos/{__version__}",
                "Accept": "application/json",
            }
        )
        self.base = f"{target.server_url}/api/v1"
        self.timeout = (options.connect_timeout_s, options.read_timeout_s)

    def __enter__(self) -> _Client:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.session.close()

    def _call(
        self, method: str, path: str, ok: tuple[int, ...] = (200,), **kwargs: Any
    ) -> requests.Response:
        try:
            response = self.session.request(
                method, f"{self.base}{path}", timeout=self.timeout, **kwargs
            )
        except requests.exceptions.SSLError as exc:
            raise _Failure("sync_tls", type(exc).__name__) from None
        except requests.exceptions.ReadTimeout:
            raise _Failure("sync_timeout", "read timeout") from None
        except requests.exceptions.RequestException as exc:
            raise _Failure("sync_offline", type(exc).__name__) from None
        if response.status_code not in ok:
            raise _failure_for(response)
        return response

    def _device(self) -> str:
        return f"/devices/{self.target.device_id}"

    def sync_state(self) -> SyncState:
        return SyncState.model_validate_json(
            self._call("GET", f"{self._device()}/sync-state").content
        )

    def enroll(self, identity: TillIdentity) -> SyncState:
        body = EnrollRequest(
            till_id=identity.till_id,
            booth_code=identity.booth_code,
            receipt_key=identity.receipt_key,
            app_version=__version__,
        )
        response = self._call(
            "POST",
            f"{self._device()}/enroll",
            data=body.model_dump_json().encode(),
            headers={"Content-Type": "application/json"},
        )
        return SyncState.model_validate_json(response.content)

    def post_batch(self, batch_id: str, body: bytes) -> requests.Response:
        headers = {"Content-Type": "application/json", IDEMPOTENCY_HEADER: batch_id}
        if self.options.gzip:
            body = gzip.compress(body, compresslevel=6)
            headers["Content-Encoding"] = "gzip"
        return self._call(
            "POST", f"{self._device()}/batches", ok=(200, 413), data=body, headers=headers
        )

    def catalog(self, since: int | None, etag: str) -> CatalogSnapshot | None:
        params = {"since": since} if since is not None else {}
        headers = {"If-None-Match": etag} if etag else {}
        response = self._call("GET", "/catalog", ok=(200, 304, 404), params=params, headers=headers)
        if response.status_code != 200:
            return None
        return CatalogSnapshot.model_validate_json(response.content)


# ------------------------------------------------------------------------------------------
# Local steps (each one transaction)
# ------------------------------------------------------------------------------------------


def freeze_batches(
    session: Session,
    now: dt.datetime,
    max_items: int = BATCH_MAX_ITEMS,
    max_bytes: int = BATCH_MAX_BYTES,
) -> int:
    """Put every pending, unbatched document into batches, oldest first. Returns how many."""
    rows = session.execute(
        select(OutboxEntry.id, OutboxEntry.seq, func.length(cast(OutboxEntry.payload, LargeBinary)))
        .where(OutboxEntry.state == "pending", OutboxEntry.batch_id.is_(None))
        .order_by(OutboxEntry.seq)
    ).all()
    groups: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    size = 0
    for entry_id, seq, length in rows:
        cost = int(length or 0) + _ITEM_OVERHEAD_BYTES
        if current and (len(current) >= max_items or size + cost > max_bytes):
            groups.append(current)
            current, size = [], 0
        current.append((entry_id, seq))
        size += cost
    if current:
        groups.append(current)
    for group in groups:
        _new_batch(session, group, now)
    return len(groups)


def _new_batch(session: Session, group: list[tuple[int, int]], now: dt.datetime) -> str:
    batch_id = str(uuid.uuid4())
    session.add(
        SyncBatch(
            id=batch_id,
            first_seq=group[0][1],
            last_seq=group[-1][1],
            item_count=len(group),
            state="open",
            created_at=now,
            attempts=0,
            last_error="",
        )
    )
    session.flush()
    session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.id.in_([entry_id for entry_id, _ in group]))
        .values(batch_id=batch_id)
    )
    return batch_id


def _open_batches(session: Session) -> list[str]:
    return list(
        session.scalars(
            select(SyncBatch.id).where(SyncBatch.state == "open").order_by(SyncBatch.first_seq)
        )
    )


def _batch_body(session: Session, batch_id: str, sent_at: dt.datetime) -> bytes | None:
    """The request body: each document's frozen JSON spliced in unchanged."""
    rows = session.execute(
        select(
            OutboxEntry.doc_id,
            OutboxEntry.seq,
            OutboxEntry.doc_kind,
            OutboxEntry.sha256,
            OutboxEntry.payload,
        )
        .where(OutboxEntry.batch_id == batch_id, OutboxEntry.state == "pending")
        .order_by(OutboxEntry.seq)
    ).all()
    if not rows:
        return None
    return splice_batch(batch_id, [(r[0], r[1], r[2], r[3], r[4]) for r in rows], sent_at)


def splice_batch(
    batch_id: str, rows: Sequence[tuple[str, int, str, str, str]], sent_at: dt.datetime
) -> bytes:
    """A batch body from (doc_id, seq, kind, sha256, frozen JSON) rows in seq order, each
    document's JSON spliced in unchanged (re-serialising it could change what was hashed)."""
    items = []
    for doc_id, seq, kind, sha, payload in rows:
        head = json.dumps({"doc_id": doc_id, "seq": seq, "kind": kind, "sha256": sha})
        items.append(f'{head[:-1]},"doc":{payload}}}')
    head = json.dumps(
        {
            "batch_id": batch_id,
            "first_seq": rows[0][1],
            "last_seq": rows[-1][1],
            "device_sent_at": sent_at.replace(tzinfo=dt.UTC).isoformat(),
        }
    )
    return f'{head[:-1]},"items":[{",".join(items)}]}}'.encode()


def _close_empty(session: Session, batch_id: str, now: dt.datetime) -> None:
    batch = session.get(SyncBatch, batch_id)
    if batch is not None and batch.state == "open":
        batch.state, batch.done_at = "done", now


def _apply_answer(
    session: Session, batch_id: str, answer: BatchResponse, now: dt.datetime
) -> dict[str, int]:
    """Mark each document by its status; anything the answer left out goes back to the queue."""
    mine = set(session.scalars(select(OutboxEntry.doc_id).where(OutboxEntry.batch_id == batch_id)))
    counts = {status.value: 0 for status in ItemStatus}
    synced: list[str] = []
    for result in answer.results:
        doc_id = result.doc_id.lower()
        if doc_id not in mine:
            continue
        counts[result.status.value] += 1
        if result.status in SYNCED_STATUSES:
            synced.append(doc_id)
        else:
            session.execute(
                update(OutboxEntry)
                .where(OutboxEntry.doc_id == doc_id, OutboxEntry.state == "pending")
                .values(state=result.status.value, sync_reason=result.reason or result.status.value)
            )
    for start in range(0, len(synced), 500):
        session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.doc_id.in_(synced[start : start + 500]))
            .values(state="synced", synced_at=now, sync_reason=None)
        )
    answered = {r.doc_id.lower() for r in answer.results}
    left = mine - answered
    if left:
        session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.doc_id.in_(left), OutboxEntry.state == "pending")
            .values(batch_id=None)
        )
    batch = session.get(SyncBatch, batch_id)
    if batch is not None:
        batch.state, batch.done_at, batch.last_error = "done", now, ""
    row = session.get(SyncEnrollment, ENROLLMENT_ID)
    if row is not None:
        row.server_acked_seq = answer.acked_through_seq
        row.clock_skew_s = answer.clock_skew_s
    return counts


def _split_batch(session: Session, batch_id: str, now: dt.datetime) -> int:
    """413: two new batches of the halves (new ids: the server never took this one). A single
    document too large for the server is kept as rejected, with the reason."""
    rows = session.execute(
        select(OutboxEntry.id, OutboxEntry.seq)
        .where(OutboxEntry.batch_id == batch_id, OutboxEntry.state == "pending")
        .order_by(OutboxEntry.seq)
    ).all()
    batch = session.get(SyncBatch, batch_id)
    if batch is not None:
        batch.state, batch.done_at = "split", now
    entries = [(entry_id, seq) for entry_id, seq in rows]
    if len(entries) == 1:
        session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.id == entries[0][0])
            .values(state="rejected", sync_reason="too large for the county server (413)")
        )
        return 0
    half = len(entries) // 2
    for part in (entries[:half], entries[half:]):
        if part:
            _new_batch(session, part, now)
    return 2 if entries else 0


def _mark_batch_attempt(session: Session, batch_id: str, now: dt.datetime, error: str) -> None:
    batch = session.get(SyncBatch, batch_id)
    if batch is not None:
        batch.attempts += 1
        batch.last_attempt_at = now
        batch.last_error = error[:500]
        if error and error.startswith("refused"):
            batch.state = "refused"


def _resend_lost(session: Session, state: SyncState) -> int:
    """Documents marked synced that the server says it lacks (restored from an old backup)."""
    ranges = [*state.gaps, (state.max_seq + 1, 2**31 - 1)]
    total = 0
    for first, last in ranges:
        total += _rowcount(
            session.execute(
                update(OutboxEntry)
                .where(
                    OutboxEntry.state == "synced",
                    OutboxEntry.seq >= first,
                    OutboxEntry.seq <= last,
                )
                .values(state="pending", batch_id=None, synced_at=None)
            )
        )
    return total


def _swap_catalog(session: Session, snapshot: CatalogSnapshot, now: dt.datetime) -> None:
    """Replace the local catalogue with the county's, all at once. Products the county dropped
    stay (old sales point at them) but are taken off sale; sales keep their charged prices."""
    households = [
        HouseholdRow(h.code, h.name, h.kind, h.village, h.town, frozenset({"village", "town"}))
        for h in snapshot.households
    ]
    products = [
        ProductRow(
            plu=p.plu,
            barcode=p.barcode,
            name_zh=p.name_zh,
            name_en=p.name_en,
            category=p.category,
            unit=p.unit,
            item_label_zh=p.item_label_zh,
            item_label_en=p.item_label_en,
            price_fen=p.price_fen,
            household_code=p.household_code,
            active=p.active,
            given=frozenset(OPTIONAL),
        )
        for p in snapshot.products
    ]
    codes = {h.code for h in households}
    missing = sorted({p.household_code for p in products} - codes)
    if missing:
        raise BadInput("sync_catalog_bad", detail=f"unknown households {', '.join(missing)}")
    # Barcodes may move between PLUs: clear them all, then the import sets each one again.
    session.execute(update(Product).values(barcode=None))
    incoming = {p.plu for p in products}
    session.execute(update(Product).where(Product.plu.not_in(incoming)).values(active=False))
    session.flush()
    import_county_catalog(session, households, products, now)  # the README's merge rule
    row = session.get(SyncEnrollment, ENROLLMENT_ID)
    if row is not None:
        row.catalog_version, row.catalog_etag = snapshot.version, snapshot.etag
        row.catalog_pulled_at = now


def _record_failure(
    session: Session, failure: _Failure, now: dt.datetime, options: SyncOptions
) -> dt.datetime | None:
    row = session.get(SyncEnrollment, ENROLLMENT_ID)
    if row is None:
        return None
    row.failures += 1
    row.last_attempt_at = now
    row.last_error, row.last_error_detail, row.last_error_at = failure.code, failure.detail, now
    if failure.halt != Halt.NONE:
        row.halted = failure.halt.value
        row.next_attempt_at = None
        return None
    if failure.retry_after is not None:
        delay = min(failure.retry_after, options.retry_after_cap_s)
    else:
        ceiling = min(options.backoff_cap_s, options.backoff_base_s * 2 ** (row.failures - 1))
        delay = options.rng.uniform(0, ceiling)  # full jitter
    row.next_attempt_at = now + dt.timedelta(seconds=delay)
    return row.next_attempt_at


def _record_success(session: Session, now: dt.datetime, error: str = "", detail: str = "") -> None:
    """The server answered the whole pass. `error`: a problem that is not the link's (a bad
    catalogue), shown without any back-off."""
    row = session.get(SyncEnrollment, ENROLLMENT_ID)
    if row is None:
        return
    if error:
        row.last_error, row.last_error_detail, row.last_error_at = error, detail, now
    row.last_attempt_at = row.last_success_at = now
    row.failures, row.next_attempt_at, row.halted = 0, None, Halt.NONE.value
    if row.confirmed_at is None:
        row.confirmed_at = now


def _link_state(
    session: Session,
) -> tuple[Enrollment | None, dt.datetime | None, str, int | None, str]:
    row = session.get(SyncEnrollment, ENROLLMENT_ID)
    if row is None:
        return None, None, "", None, ""
    target = Enrollment(row.server_url, row.device_id, row.token, row.ca_file)
    return target, row.next_attempt_at, row.halted, row.catalog_version, row.catalog_etag


# ------------------------------------------------------------------------------------------
# One pass
# ------------------------------------------------------------------------------------------


@contextlib.contextmanager
def upload_lock(folder: Path) -> Iterator[bool]:
    """True if this process may upload for the till now (one uploader per till)."""
    folder.mkdir(parents=True, exist_ok=True)
    handle: IO[bytes] = open(folder / LOCK_FILENAME, "a+b")  # noqa: SIM115 - held for the pass
    try:
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        handle.close()  # releases the lock


def sync_once(
    ledger: Ledger,
    options: SyncOptions | None = None,
    force: bool = False,
    cancel: threading.Event | None = None,
) -> PassReport:
    """One pass: freeze, check in with the server, pull a newer catalogue, send batches.

    Without `force` a pass respects the back-off and Retry-After in the database and does
    nothing while the worker is halted (revoked, refused...). Raises BadInput when not enrolled.
    """
    opts = options or SyncOptions()
    report = PassReport()
    with upload_lock(ledger.data_dir) as mine:
        if not mine:
            report.busy = True
            return report
        target, next_at, halted, catalog_version, etag = ledger.read(_link_state)
        if target is None:
            raise BadInput("sync_not_enrolled")
        now = opts.clock()
        if not force and halted:
            report.halted = halted
            return report
        if not force and next_at is not None and next_at > now:
            report.waiting_until = next_at
            return report
        report.frozen = ledger.write(freeze_batches, now, opts.max_items, opts.max_bytes)
        report.attempted = True
        started = opts.clock()
        try:
            with _Client(target, opts) as client:
                _talk(ledger, client, opts, report, catalog_version, etag, started, cancel)
        except _Failure as failure:
            report.error, report.detail = failure.code, failure.detail
            report.halted = failure.halt.value
            report.waiting_until = ledger.write(_record_failure, failure, opts.clock(), opts)
            return report
        ledger.write(_record_success, opts.clock(), report.error, report.detail)
    return report


def _talk(
    ledger: Ledger,
    client: _Client,
    opts: SyncOptions,
    report: PassReport,
    catalog_version: int | None,
    etag: str,
    started: dt.datetime,
    cancel: threading.Event | None,
) -> None:
    identity = ledger.read(till_identity)
    state = client.sync_state()
    if state.till_id != identity.till_id.lower() or (
        identity.receipt_key is not None and not state.receipt_key_set
    ):
        state = client.enroll(identity)
    report.resent = ledger.write(_resend_lost, state)
    if report.resent:
        report.frozen += ledger.write(freeze_batches, opts.clock(), opts.max_items, opts.max_bytes)
    _send_batches(ledger, client, opts, report, started, cancel)
    if report.more:
        return
    # Sales first; then a newer catalogue, if the county has one.
    if state.catalog_version is not None and state.catalog_version != catalog_version:
        snapshot = client.catalog(catalog_version, etag)
        if snapshot is not None:
            try:
                ledger.write(_swap_catalog, snapshot, opts.clock())
            except BadInput as exc:  # the link is fine; the till keeps its catalogue
                report.error, report.detail = "sync_catalog_bad", exc.message("en")
                return
            report.catalog_version = snapshot.version


def _send_batches(
    ledger: Ledger,
    client: _Client,
    opts: SyncOptions,
    report: PassReport,
    started: dt.datetime,
    cancel: threading.Event | None,
) -> None:
    deadline = started + dt.timedelta(seconds=opts.pass_deadline_s)
    queue = ledger.read(_open_batches)
    while queue:
        if (cancel is not None and cancel.is_set()) or opts.clock() > deadline:
            report.more = True
            return
        batch_id = queue.pop(0)
        body = ledger.read(_batch_body, batch_id, opts.clock())
        if body is None:
            ledger.write(_close_empty, batch_id, opts.clock())
            continue
        try:
            response = client.post_batch(batch_id, body)
        except _Failure as failure:
            note = f"refused: {failure.detail}" if failure.halt == Halt.REFUSED else failure.detail
            ledger.write(_mark_batch_attempt, batch_id, opts.clock(), note)
            raise
        report.sent_batches += 1
        if response.status_code == 413:
            ledger.write(_mark_batch_attempt, batch_id, opts.clock(), "413: split")
            report.split += ledger.write(_split_batch, batch_id, opts.clock())
            queue = ledger.read(_open_batches)
            continue
        try:
            answer = BatchResponse.model_validate_json(response.content)
        except ValueError:
            raise _Failure(
                "sync_server_error", "the server's answer is not a batch result"
            ) from None
        counts = ledger.write(_apply_answer, batch_id, answer, opts.clock())
        report.accepted += counts["accepted"]
        report.duplicate += counts["duplicate"]
        report.rejected += counts["rejected"]
        report.conflict += counts["conflict"]


# ------------------------------------------------------------------------------------------
# The worker thread (the UI wraps its callbacks in Qt signals)
# ------------------------------------------------------------------------------------------


class SyncWorker:
    """Runs `sync_once` on a background thread until stopped. No Qt.

    Callbacks run on the worker thread: `on_pass(report)` after every pass, `on_status(status)`
    after every pass, `on_catalog(version)` when a new catalogue was applied (refresh product
    buttons and any open cart). An exception in a callback is logged and ignored.
    """

    def __init__(
        self,
        ledger: Ledger,
        options: SyncOptions | None = None,
        on_status: Callable[[SyncStatus], None] | None = None,
        on_pass: Callable[[PassReport], None] | None = None,
        on_catalog: Callable[[int], None] | None = None,
        idle_s: float = 30.0,
        busy_retry_s: float = 5.0,
    ) -> None:
        self._ledger = ledger
        self._options = options or SyncOptions()
        self._on_status = on_status
        self._on_pass = on_pass
        self._on_catalog = on_catalog
        self._idle_s = idle_s
        self._busy_retry_s = busy_retry_s
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._force = False
        self._unenrolled = False
        self._last_error = ""
        self.passes = 0

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="booth-sync", daemon=True)
        self._thread.start()

    def kick(self, force: bool = False) -> None:
        """Try soon (after a sale); back-off and Retry-After still hold unless `force`d (the
        operator pressed "Sync now")."""
        if force:
            self._force = True
        elif self._unenrolled:
            return  # nothing to upload to: a sale must not cost a pass (enrolling forces one)
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> bool:
        """Ask the thread to end after the request in flight; True if it has ended."""
        self._stop.set()
        self._wake.set()
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _emit(self, callback: Callable[[Any], None] | None, value: Any) -> None:
        if callback is None:
            return
        try:
            callback(value)
        except Exception:
            log.exception("sync worker callback failed")

    def _run(self) -> None:
        while not self._stop.is_set():
            force, self._force = self._force, False
            try:
                report = sync_once(self._ledger, self._options, force=force, cancel=self._stop)
            except BadInput as exc:
                report = PassReport(error=exc.code, detail=exc.message("en"))
            except Exception as exc:  # the thread must outlive anything a pass can hit
                log.exception("sync pass failed")
                report = PassReport(error="sync_internal", detail=type(exc).__name__)
            self.passes += 1
            self._unenrolled = report.error == "sync_not_enrolled"
            self._log_link(report)
            try:
                status = self._ledger.read(sync_status)
            except Exception:
                log.exception("sync status failed")
                status = None
            self._emit(self._on_pass, report)
            if status is not None:
                self._emit(self._on_status, status)
            if report.catalog_version is not None:
                self._emit(self._on_catalog, report.catalog_version)
            self._wake.wait(self._wait_s(report))
            self._wake.clear()

    def _log_link(self, report: PassReport) -> None:
        """One line when the county link fails or comes back, not one per retry."""
        if report.error == "sync_not_enrolled" or (not report.attempted and not report.error):
            return
        if report.error != self._last_error:
            if report.error:
                log.warning("county sync failed: %s %s", report.error, report.detail)
            elif self._last_error:
                log.info("county sync works again")
            self._last_error = report.error

    def _wait_s(self, report: PassReport) -> float:
        if report.busy:
            return self._busy_retry_s
        if report.more:
            return 0.0
        if report.waiting_until is not None:
            left = (report.waiting_until - self._options.clock()).total_seconds()
            return max(0.05, min(left, RETRY_AFTER_CAP_S))
        return self._idle_s
