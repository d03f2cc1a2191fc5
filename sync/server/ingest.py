"""Taking in one batch: one database transaction, every document inserted at most once.

1. ``INSERT batch ... ON CONFLICT DO NOTHING``. A batch id already there with the same
   fingerprint gets its stored answer again; with a different one, ``BatchMismatch`` (422).
2. Each item is checked (hash, shape, sums, that it is this till's and this booth's); a bad
   one is answered ``rejected`` with the reason and kept in quarantine.
3. ``INSERT document ... ON CONFLICT DO NOTHING`` for the good ones, in seq order (so two
   overlapping batches take their row locks in one order). An item not inserted is a
   ``duplicate`` when the stored document has the same hash, else a ``conflict``.
4. The answer is stored with the batch, then the transaction commits.

Concurrent requests meet only on unique keys: on PostgreSQL a second INSERT of the same key
waits for the first transaction and then does nothing, so several server processes give the
same result as one. Validation problems travel inside the 200; infrastructure errors roll the
whole batch back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    Insert,
    Integer,
    Table,
    func,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from sync.protocol import (
    CLOCK_SKEW_FLAG_S,
    DOC_ID_FIELD,
    DOC_MODELS,
    BatchItem,
    BatchRequest,
    BatchResponse,
    ItemResult,
    ItemStatus,
    RefundDoc,
    SaleDoc,
    VoidDoc,
    canonical_json,
    sha256_hex,
)
from sync.server.models import Batch, Document, Quarantine, SaleLine

BATCHES: Table = Batch.__table__  # type: ignore[assignment]
DOCUMENTS: Table = Document.__table__  # type: ignore[assignment]
SALE_LINES: Table = SaleLine.__table__  # type: ignore[assignment]
QUARANTINE: Table = Quarantine.__table__  # type: ignore[assignment]

LOCK_TIMEOUT = "15s"  # PostgreSQL: a batch waiting this long on another gets 409 (in flight)
MAX_GAPS_LISTED = 100
MAX_SKEW_S = 2_000_000_000


@dataclass(frozen=True)
class DeviceInfo:
    id: str
    booth_code: str
    town: str
    name: str
    till_id: str | None
    receipt_key: str | None


class BatchMismatch(Exception):
    """The batch id is known with a different body."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def naive_utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def insert_ignoring_conflicts(conn: Connection, table: Table) -> Insert:
    """``INSERT ... ON CONFLICT DO NOTHING`` in the connection's dialect."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def _pg_array_type(table: Table, column: str) -> str:
    kind = table.c[column].type
    if isinstance(kind, Integer):
        return "INTEGER[]"
    if isinstance(kind, DateTime):
        return "TIMESTAMP[]"
    return "VARCHAR[]"


def _unnest_insert(table: Table, columns: list[str]) -> str:
    """PostgreSQL: many short rows in one statement, one array parameter per column (instead of
    one statement per row, or a statement with thousands of parameters)."""
    arrays = ", ".join(f"CAST(:{c} AS {_pg_array_type(table, c)})" for c in columns)
    return f"INSERT INTO {table.name} ({', '.join(columns)}) SELECT * FROM unnest({arrays})"


def _as_columns(rows: list[dict[str, Any]]) -> tuple[list[str], dict[str, list[Any]]]:
    columns = list(rows[0])
    return columns, {c: [row[c] for row in rows] for c in columns}


def _insert_documents(conn: Connection, rows: list[dict[str, Any]]) -> set[str]:
    """Insert in the given order, skipping any that conflict; the ids actually inserted.

    One multi-row statement (SQLAlchemy's "insertmanyvalues"); not unnest(), whose text arrays
    psycopg would have to escape character by character for every JSON payload."""
    return set(
        conn.execute(
            insert_ignoring_conflicts(conn, DOCUMENTS).returning(DOCUMENTS.c.doc_id), rows
        ).scalars()
    )


def _insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if conn.dialect.name == "postgresql":
        columns, values = _as_columns(rows)
        conn.execute(text(_unnest_insert(table, columns)), values)
    else:
        conn.execute(table.insert(), rows)


def _errors_text(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error["loc"])
        parts.append(f"{where}: {error['msg']}" if where else str(error["msg"]))
    return "; ".join(parts)


@dataclass(frozen=True)
class _Checked:
    item: BatchItem
    row: dict[str, Any]
    lines: list[dict[str, Any]]


def _check_item(
    item: BatchItem, device: DeviceInfo, batch_id: str, now: dt.datetime
) -> _Checked | str:
    """The document row to insert, or why the item is rejected."""
    model = DOC_MODELS.get(item.kind)
    if model is None:
        return f"unknown document kind {item.kind!r}"
    payload = canonical_json(item.doc)
    if sha256_hex(payload) != item.sha256:
        return "sha256 does not match the document (damaged on the way or on disk)"
    try:
        doc = model.model_validate(item.doc)
    except ValidationError as exc:
        return f"invalid {item.kind}: {_errors_text(exc)}"
    if doc.kind != item.kind or doc.seq != item.seq:
        return "the document's kind or seq differs from the item's"
    if device.till_id is None or doc.device_id.lower() != device.till_id.lower():
        return "the document was written by another till"
    id_field = DOC_ID_FIELD.get(item.kind)
    if id_field is not None and str(item.doc.get(id_field, "")).lower() != item.doc_id.lower():
        return f"the document's {id_field} differs from the item's doc_id"
    row: dict[str, Any] = {
        "doc_id": item.doc_id.lower(),
        "till_id": device.till_id.lower(),
        "device_id": device.id,
        "seq": item.seq,
        "kind": item.kind,
        "sha256": item.sha256,
        "payload": payload,
        "booth_code": device.booth_code,
        "receipt_no": None,
        "ref_doc_id": None,
        "amount_fen": 0,
        "occurred_at_device": None,
        "utc_offset_min": None,
        "catalog_version": item.catalog_version,
        "batch_id": batch_id,
        "received_at": now,
    }
    lines: list[dict[str, Any]] = []
    if isinstance(doc, SaleDoc):
        if doc.booth_code.upper() != device.booth_code.upper():
            return f"the sale is from booth {doc.booth_code}, not this till's {device.booth_code}"
        row.update(
            receipt_no=doc.receipt_no,
            amount_fen=doc.total_fen,
            occurred_at_device=naive_utc(doc.occurred_at),
            utc_offset_min=doc.utc_offset_min,
        )
        lines = [
            {
                "doc_id": row["doc_id"],
                "line_no": line.line_no,
                "device_id": device.id,
                "booth_code": device.booth_code,
                "plu": line.plu,
                "name_zh": line.name_zh,
                "name_en": line.name_en,
                "unit": line.unit,
                "item_label_zh": line.item_label_zh,
                "quantity": line.quantity,
                "unit_price_fen": line.unit_price_fen,
                "amount_fen": line.amount_fen,
                "household_name": line.household_name,
                "household_code": line.household_code,
            }
            for line in doc.lines
        ]
    elif isinstance(doc, VoidDoc | RefundDoc):
        row.update(
            receipt_no=doc.refund_no if isinstance(doc, RefundDoc) else doc.receipt_no,
            ref_doc_id=doc.sale_id.lower(),
            amount_fen=doc.amount_fen,
            occurred_at_device=naive_utc(doc.occurred_at),
            utc_offset_min=doc.utc_offset_min,
        )
    elif item.occurred_at_device is not None:
        row["occurred_at_device"] = naive_utc(item.occurred_at_device)
    return _Checked(item, row, lines)


def acked_through(conn: Connection, till_id: str | None) -> int:
    """The highest n such that documents 1..n of the till are all on the server."""
    if till_id is None:
        return 0
    count, top = conn.execute(
        select(func.count(), func.coalesce(func.max(DOCUMENTS.c.seq), 0)).where(
            DOCUMENTS.c.till_id == till_id
        )
    ).one()
    if count == top:
        return int(top)
    gaps = find_gaps(conn, till_id, limit=1)
    return gaps[0][0] - 1 if gaps else int(top)


def find_gaps(
    conn: Connection, till_id: str, limit: int = MAX_GAPS_LISTED
) -> list[tuple[int, int]]:
    """Missing seq ranges [first, last] below the till's highest seq, oldest first."""
    first = conn.execute(
        select(func.min(DOCUMENTS.c.seq)).where(DOCUMENTS.c.till_id == till_id)
    ).scalar()
    if first is None:
        return []
    gaps: list[tuple[int, int]] = []
    if first > 1:
        gaps.append((1, int(first) - 1))
    seqs = (
        select(
            DOCUMENTS.c.seq.label("seq"),
            func.lead(DOCUMENTS.c.seq).over(order_by=DOCUMENTS.c.seq).label("next_seq"),
        )
        .where(DOCUMENTS.c.till_id == till_id)
        .subquery()
    )
    rows = conn.execute(
        select(seqs.c.seq, seqs.c.next_seq)
        .where(seqs.c.next_seq > seqs.c.seq + 1)
        .order_by(seqs.c.seq)
        .limit(limit)
    ).all()
    gaps.extend((int(seq) + 1, int(next_seq) - 1) for seq, next_seq in rows)
    return gaps[:limit]


def ingest_batch(
    engine: Engine,
    device: DeviceInfo,
    batch: BatchRequest,
    protocol: int,
    now: dt.datetime | None = None,
) -> tuple[str, bool]:
    """Apply one batch; return the answer (JSON text) and whether it is a replay."""
    received = now or utcnow()
    batch_id = batch.batch_id.lower()
    fingerprint = batch.fingerprint()
    sent = naive_utc(batch.device_sent_at)
    # Clamped to fit the column; a clock years off is flagged all the same.
    skew = max(-MAX_SKEW_S, min(MAX_SKEW_S, round((sent - received).total_seconds())))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        created = conn.execute(
            insert_ignoring_conflicts(conn, BATCHES)
            .values(
                device_id=device.id,
                batch_id=batch_id,
                fingerprint=fingerprint,
                first_seq=batch.first_seq,
                last_seq=batch.last_seq,
                item_count=len(batch.items),
                protocol=protocol,
                received_at=received,
                device_sent_at=sent,
                clock_skew_s=skew,
                clock_skew_flagged=abs(skew) > CLOCK_SKEW_FLAG_S,
                response="",
            )
            .returning(BATCHES.c.batch_id)
        ).first()
        if created is None:
            known_fingerprint, response = conn.execute(
                select(BATCHES.c.fingerprint, BATCHES.c.response).where(
                    BATCHES.c.device_id == device.id, BATCHES.c.batch_id == batch_id
                )
            ).one()
            if known_fingerprint != fingerprint:
                raise BatchMismatch(batch_id)
            return str(response), True

        results = _apply_items(conn, device, batch_id, batch.items, received)
        answer = BatchResponse(
            batch_id=batch_id,
            results=results,
            acked_through_seq=acked_through(conn, device.till_id),
            received_at=received,
            clock_skew_s=skew,
            clock_skew_flagged=abs(skew) > CLOCK_SKEW_FLAG_S,
            protocol=protocol,
        )
        text = answer.model_dump_json()
        conn.execute(
            update(BATCHES)
            .where(BATCHES.c.device_id == device.id, BATCHES.c.batch_id == batch_id)
            .values(response=text)
        )
    return text, False


def _apply_items(
    conn: Connection,
    device: DeviceInfo,
    batch_id: str,
    items: Sequence[BatchItem],
    now: dt.datetime,
) -> list[ItemResult]:
    verdict: dict[str, tuple[ItemStatus, str]] = {}
    good: list[_Checked] = []
    for item in items:
        checked = _check_item(item, device, batch_id, now)
        if isinstance(checked, str):
            verdict[item.doc_id.lower()] = (ItemStatus.REJECTED, checked)
        else:
            good.append(checked)
    good.sort(key=lambda c: (c.item.seq, c.row["doc_id"]))

    inserted: set[str] = set()
    if good:
        inserted = _insert_documents(conn, [c.row for c in good])
    left = [c for c in good if c.row["doc_id"] not in inserted]
    if left:
        known = dict(
            conn.execute(
                select(DOCUMENTS.c.doc_id, DOCUMENTS.c.sha256).where(
                    DOCUMENTS.c.doc_id.in_([c.row["doc_id"] for c in left])
                )
            ).all()
        )
        seq_owner = dict(
            conn.execute(
                select(DOCUMENTS.c.seq, DOCUMENTS.c.doc_id).where(
                    DOCUMENTS.c.till_id == left[0].row["till_id"],
                    DOCUMENTS.c.seq.in_([c.item.seq for c in left]),
                )
            ).all()
        )
        for checked in left:
            doc_id = checked.row["doc_id"]
            found = known.get(doc_id)
            # The same hash is the same document of the same till (its id and seq are inside).
            if found is not None and found == checked.item.sha256:
                verdict[doc_id] = (ItemStatus.DUPLICATE, "")
            elif found is not None:
                verdict[doc_id] = (
                    ItemStatus.CONFLICT,
                    "this document id is already on the server with different content",
                )
            else:
                owner = seq_owner.get(checked.item.seq, "?")
                verdict[doc_id] = (
                    ItemStatus.CONFLICT,
                    f"seq {checked.item.seq} of this till is already document {owner}",
                )
    for checked in good:
        if checked.row["doc_id"] in inserted:
            verdict[checked.row["doc_id"]] = (ItemStatus.ACCEPTED, "")

    lines = [line for c in good if c.row["doc_id"] in inserted for line in c.lines]
    if lines:
        _insert_rows(conn, SALE_LINES, lines)
    quarantined = [
        {
            "device_id": device.id,
            "batch_id": batch_id,
            "doc_id": item.doc_id.lower(),
            "seq": item.seq,
            "kind": item.kind,
            "status": verdict[item.doc_id.lower()][0].value,
            "reason": verdict[item.doc_id.lower()][1],
            "sha256": item.sha256,
            "payload": canonical_json(item.doc),
            "received_at": now,
        }
        for item in items
        if verdict[item.doc_id.lower()][0] in (ItemStatus.REJECTED, ItemStatus.CONFLICT)
    ]
    if quarantined:
        conn.execute(QUARANTINE.insert(), quarantined)
    return [
        ItemResult(
            doc_id=item.doc_id.lower(),
            seq=item.seq,
            status=verdict[item.doc_id.lower()][0],
            reason=verdict[item.doc_id.lower()][1],
        )
        for item in items
    ]
