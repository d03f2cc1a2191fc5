"""The booth → county wire protocol, shared by the booth's sync client and the county server.

Version 1 (header ``X-Sync-Protocol: 1``, paths under ``/api/v1``). Fields are only ever added;
unknown fields are ignored on both sides. A version the server does not speak gets 426.

A booth's documents (sales, voids, refunds, later stock movements and shift / day closes) are
written to its outbox at commit as canonical JSON (``canonical_json``) with its SHA-256. They
travel unchanged inside frozen batches::

    POST /api/v1/devices/{device_id}/batches
    Authorization: Bearer <token>       Idempotency-Key: <batch_id>
    X-Sync-Protocol: 1                  Content-Encoding: gzip (optional)

    {"batch_id": ..., "first_seq": ..., "last_seq": ..., "device_sent_at": ...,
     "items": [{"doc_id", "seq", "kind", "sha256", "occurred_at_device", "doc": {...}}]}

The server answers 200 with one status per item (accepted, duplicate, rejected with a reason,
conflict). A repeated batch id gets the stored answer again; the same batch id with a different
body (see ``BatchRequest.fingerprint``) gets 422. Nothing is deduplicated by time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    field_validator,
    model_validator,
)

PROTOCOL_VERSION = 1
SUPPORTED_VERSIONS: tuple[int, ...] = (1,)
PROTOCOL_HEADER = "X-Sync-Protocol"
IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"

# What the booth puts in one batch (the notes' defaults): at most 100 documents or 256 KB of JSON.
BATCH_MAX_ITEMS = 100
BATCH_MAX_BYTES = 256 * 1024
# What the server takes by default: more than this gets 413 and the booth splits the batch.
SERVER_MAX_ITEMS = 500
SERVER_MAX_COMPRESSED_BYTES = 1024 * 1024
SERVER_MAX_BODY_BYTES = 10 * 1024 * 1024
# Device clocks further than this from the server's are flagged (never used for ordering).
CLOCK_SKEW_FLAG_S = 300

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_UUID = re.compile(UUID_PATTERN)
SHA256_PATTERN = r"^[0-9a-f]{64}$"

INT32_MAX = 2**31 - 1  # every stored number fits a 32-bit column


def _no_nul(text: str) -> str:
    if "\x00" in text:
        raise ValueError("text must not contain NUL characters")
    return text


def _plausible(moment: dt.datetime) -> dt.datetime:
    if not 2000 <= moment.year <= 2200:
        raise ValueError("date is not between the years 2000 and 2200")
    return moment


Uuid = Annotated[str, Field(pattern=UUID_PATTERN, max_length=36)]
Seq = Annotated[StrictInt, Field(ge=1, le=INT32_MAX)]
Fen = Annotated[StrictInt, Field(ge=0, le=2_000_000_000)]
Count = Annotated[StrictInt, Field(gt=0, le=2_000_000_000)]
Moment = Annotated[dt.datetime, AfterValidator(_plausible)]
Offset = Annotated[StrictInt, Field(ge=-24 * 60, le=24 * 60)]


NoNul = AfterValidator(_no_nul)  # PostgreSQL text cannot hold NUL characters
Text = Annotated[str, Field(max_length=2000), NoNul]
ShortText = Annotated[str, Field(max_length=200), NoNul]
Code20 = Annotated[str, Field(min_length=1, max_length=20), NoNul]
Code32 = Annotated[str, Field(min_length=1, max_length=32), NoNul]
BoothCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9]{2,12}$")]


def canonical_json(data: Mapping[str, Any]) -> str:
    """The one serialisation that is hashed: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def is_uuid(text: str) -> bool:
    return bool(_UUID.match(text))


class ItemStatus(StrEnum):
    ACCEPTED = "accepted"  # new on the server: mark synced
    DUPLICATE = "duplicate"  # already there with the same content: mark synced
    REJECTED = "rejected"  # invalid; kept at the booth for a person, never retried by itself
    CONFLICT = "conflict"  # id or seq already used by different content; quarantined


SYNCED_STATUSES = frozenset({ItemStatus.ACCEPTED, ItemStatus.DUPLICATE})


class DocKind(StrEnum):
    SALE = "sale"
    VOID = "void"
    REFUND = "refund"
    # Carried and stored as they are; the day-end work gives them their own checks.
    STOCK = "stock"
    SHIFT = "shift"
    DAY = "day"
    AUDIT = "audit"  # the booth's audit trail (booth_pos/services/audit.py)


# The field of each document that holds its permanent id.
DOC_ID_FIELD: dict[str, str] = {
    DocKind.SALE: "sale_id",
    DocKind.VOID: "void_id",
    DocKind.REFUND: "refund_id",
}


def doc_id_field(kind: str) -> str:
    return DOC_ID_FIELD.get(kind, "doc_id")


class _Wire(BaseModel):
    """Wire models: unknown fields ignored (newer peers may add some), values immutable."""

    model_config = ConfigDict(extra="ignore", frozen=True)


# ------------------------------------------------------------------------------------------
# Batches
# ------------------------------------------------------------------------------------------


class BatchItem(_Wire):
    doc_id: Uuid
    seq: Seq
    kind: Annotated[str, Field(pattern=r"^[a-z_]{1,16}$")]
    sha256: Annotated[str, Field(pattern=SHA256_PATTERN)]
    occurred_at_device: Moment | None = None
    catalog_version: Annotated[StrictInt, Field(ge=0, le=INT32_MAX)] | None = None
    # The document exactly as frozen at the booth; sha256 is over canonical_json(doc).
    doc: dict[str, Any]


class BatchRequest(_Wire):
    batch_id: Uuid
    first_seq: Seq
    last_seq: Seq
    device_sent_at: Moment
    items: Annotated[list[BatchItem], Field(min_length=1, max_length=100_000)]

    @model_validator(mode="after")
    def _consistent(self) -> BatchRequest:
        seqs = [item.seq for item in self.items]
        if self.first_seq != min(seqs) or self.last_seq != max(seqs):
            raise ValueError("first_seq / last_seq do not match the items")
        ids = [item.doc_id.lower() for item in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError("a doc_id appears twice in the batch")
        return self

    def fingerprint(self) -> str:
        """What makes two requests "the same batch": the membership and each item's hash.

        The send time and transport details (gzip, whitespace, key order) are left out, so a
        retry sent later is the same batch; any change of content is not.
        """
        members = [[i.doc_id.lower(), i.seq, i.kind, i.sha256] for i in self.items]
        return sha256_hex(
            canonical_json(
                {
                    "batch_id": self.batch_id.lower(),
                    "first_seq": self.first_seq,
                    "last_seq": self.last_seq,
                    "items": members,
                }
            )
        )


class ItemResult(_Wire):
    doc_id: str
    seq: int
    status: ItemStatus
    reason: str = ""


class BatchResponse(_Wire):
    batch_id: str
    results: list[ItemResult]
    # Every document 1..acked_through_seq of this device is on the server.
    acked_through_seq: int
    received_at: dt.datetime
    # device_sent_at minus received_at, in seconds: a booth clock an hour behind shows -3600.
    clock_skew_s: int = 0
    clock_skew_flagged: bool = False
    protocol: int = PROTOCOL_VERSION

    def counts(self) -> dict[str, int]:
        out = {status.value: 0 for status in ItemStatus}
        for result in self.results:
            out[result.status.value] += 1
        return out


class ErrorBody(_Wire):
    """Every 4xx / 5xx answer of the API: a stable code, words for people, and the details."""

    error: str
    detail: str = ""
    reasons: list[str] = Field(default_factory=list)


# ------------------------------------------------------------------------------------------
# Enrollment and checkpoint
# ------------------------------------------------------------------------------------------


class EnrollRequest(_Wire):
    """Binds the county's device id to this till's own device id (the one in its documents).

    ``receipt_key`` is the till's secret for the codes on its receipts' QR (hex); the county
    keeps it to check a receipt's code on the receipt page.
    """

    till_id: Uuid
    booth_code: BoothCode
    receipt_key: Annotated[str, Field(pattern=r"^[0-9a-fA-F]{32,128}$")] | None = None
    app_version: Annotated[str, Field(max_length=40), NoNul] = ""


class SyncState(_Wire):
    device_id: str
    booth_code: str
    town: str
    name: str
    till_id: str | None
    receipt_key_set: bool
    acked_through_seq: int
    max_seq: int
    document_count: int
    # Missing sequence ranges [first, last] below max_seq (at most 100 listed).
    gaps: list[tuple[int, int]]
    protocol_versions: list[int]
    catalog_version: int | None
    server_time: dt.datetime
    max_batch_items: int
    max_compressed_bytes: int
    max_body_bytes: int
    accepts_gzip: bool = True


# ------------------------------------------------------------------------------------------
# Catalogue
# ------------------------------------------------------------------------------------------


class CatalogHousehold(_Wire):
    code: ShortText
    name: ShortText
    kind: Literal["poverty_registered", "family_farm", "cooperative"]
    village: ShortText = ""
    town: ShortText = ""


class CatalogProduct(_Wire):
    plu: Code20
    barcode: Annotated[str, Field(pattern=r"^[0-9]{8,14}$")] | None = None
    name_zh: ShortText
    name_en: ShortText = ""
    category: ShortText = ""
    unit: Literal["kg", "jin", "item"]
    item_label_zh: ShortText = ""
    item_label_en: ShortText = ""
    price_fen: Annotated[StrictInt, Field(gt=0, le=1_000_000)]
    household_code: ShortText
    active: bool = True


class CatalogSnapshot(_Wire):
    """A whole catalogue: the booth replaces its own with it in one transaction."""

    version: int
    etag: str
    scope: str  # "county", "town:<town>" or "booth:<code>"
    created_at: dt.datetime
    households: list[CatalogHousehold]
    products: list[CatalogProduct]


# ------------------------------------------------------------------------------------------
# The documents inside items (checked by the server; unknown fields are kept and ignored)
# ------------------------------------------------------------------------------------------


class _Doc(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    kind: str
    seq: Seq
    device_id: Uuid


class SaleLineDoc(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    line_no: Annotated[StrictInt, Field(ge=1, le=1000)]
    plu: Code20
    name_zh: ShortText
    name_en: ShortText = ""
    unit: Literal["kg", "jin", "item"]
    item_label_zh: Annotated[str, Field(max_length=20), NoNul] = ""
    quantity: Count
    unit_price_fen: Fen
    amount_fen: Fen
    household_name: ShortText
    household_code: ShortText | None = None


class TenderDoc(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    method: Literal["cash", "mobile", "other"]
    amount_fen: Count
    change_fen: Fen


class SaleDoc(_Doc):
    kind: Literal["sale"]
    sale_id: Uuid
    receipt_no: Code32
    booth_code: BoothCode
    occurred_at: Moment
    utc_offset_min: Offset
    operator_name: ShortText
    subtotal_fen: Fen
    round_down: ShortText
    round_down_fen: Fen
    total_fen: Fen
    paid_fen: Fen
    change_fen: Fen
    lines: Annotated[list[SaleLineDoc], Field(min_length=1, max_length=1000)]
    tenders: Annotated[list[TenderDoc], Field(min_length=1, max_length=20)]

    @model_validator(mode="after")
    def _sums(self) -> SaleDoc:
        if sum(line.amount_fen for line in self.lines) != self.subtotal_fen:
            raise ValueError("lines do not add up to the subtotal")
        if self.total_fen != self.subtotal_fen - self.round_down_fen:
            raise ValueError("total is not subtotal less round-down")
        if sum(t.amount_fen for t in self.tenders) != self.paid_fen:
            raise ValueError("tenders do not add up to what was paid")
        if self.change_fen != self.paid_fen - self.total_fen:
            raise ValueError("change is not paid less total")
        if sorted(line.line_no for line in self.lines) != list(range(1, len(self.lines) + 1)):
            raise ValueError("line numbers are not 1..n")
        return self


class VoidDoc(_Doc):
    kind: Literal["void"]
    void_id: Uuid
    sale_id: Uuid
    receipt_no: Code32
    occurred_at: Moment
    utc_offset_min: Offset
    reason: Text
    authorised_by: ShortText
    amount_fen: Fen


class RefundLineDoc(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    line_no: Annotated[StrictInt, Field(ge=1, le=1000)]
    quantity: Count
    amount_fen: Fen


class RefundDoc(_Doc):
    kind: Literal["refund"]
    refund_id: Uuid
    refund_no: Code32
    sale_id: Uuid
    receipt_no: Code32
    occurred_at: Moment
    utc_offset_min: Offset
    reason: Text
    authorised_by: ShortText
    method: ShortText
    amount_fen: Fen
    lines: Annotated[list[RefundLineDoc], Field(min_length=1, max_length=1000)]

    @field_validator("lines")
    @classmethod
    def _distinct_lines(cls, lines: list[RefundLineDoc]) -> list[RefundLineDoc]:
        numbers = [line.line_no for line in lines]
        if len(set(numbers)) != len(numbers):
            raise ValueError("a line appears twice")
        return lines


class GenericDoc(_Doc):
    """Stock movements and shift / day closes: stored as they come."""

    doc_id: Uuid | None = None


DOC_MODELS: dict[str, type[_Doc]] = {
    DocKind.SALE: SaleDoc,
    DocKind.VOID: VoidDoc,
    DocKind.REFUND: RefundDoc,
    DocKind.STOCK: GenericDoc,
    DocKind.SHIFT: GenericDoc,
    DocKind.DAY: GenericDoc,
    DocKind.AUDIT: GenericDoc,
}
