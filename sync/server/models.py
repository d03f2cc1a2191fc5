"""The county's database: devices, the batches they sent, and every document exactly once.

Documents are keyed on their permanent UUID (``doc_id``) and unique per (till, seq); they are
never updated. Sales are also projected into ``sale_lines`` (what each household sold). Items the
server could not take stay in ``quarantine`` with the reason, for a person to look at.
Times are naive UTC.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Device(Base):
    """One till, added by the county (``county-server add-device``). Only a hash of its token."""

    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    booth_code: Mapped[str] = mapped_column(String(12), index=True)
    town: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Set when the till enrolls: its own device id (the one inside its documents) and the key
    # its receipt QR codes are made with.
    till_id: Mapped[str | None] = mapped_column(String(36))
    receipt_key: Mapped[str | None] = mapped_column(String(128))
    enrolled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    app_version: Mapped[str] = mapped_column(String(40), default="")


class Batch(Base):
    """A batch as first received; ``response`` is replayed for a repeated batch id."""

    __tablename__ = "batches"

    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    batch_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    first_seq: Mapped[int] = mapped_column(Integer)
    last_seq: Mapped[int] = mapped_column(Integer)
    item_count: Mapped[int] = mapped_column(Integer)
    protocol: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)
    device_sent_at: Mapped[dt.datetime] = mapped_column(DateTime)
    clock_skew_s: Mapped[int] = mapped_column(Integer)
    clock_skew_flagged: Mapped[bool] = mapped_column(Boolean)
    response: Mapped[str] = mapped_column(Text)


class Document(Base):
    """A sale, void, refund (or a stock / shift / day document), exactly as the booth froze it."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("till_id", "seq", name="uq_documents_till_seq"),)

    doc_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # The till that wrote it (its own device id, inside the document) and the county device
    # that carried it; a till given a new device after a revocation keeps one history.
    till_id: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    sha256: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON
    booth_code: Mapped[str] = mapped_column(String(12))
    receipt_no: Mapped[str | None] = mapped_column(String(32))
    # For a void or refund: the sale it points at.
    ref_doc_id: Mapped[str | None] = mapped_column(String(36), index=True)
    # Sale total, void or refund amount; 0 for other kinds.
    amount_fen: Mapped[int] = mapped_column(Integer)
    occurred_at_device: Mapped[dt.datetime | None] = mapped_column(DateTime)
    utc_offset_min: Mapped[int | None] = mapped_column(Integer)
    catalog_version: Mapped[int | None] = mapped_column(Integer)
    batch_id: Mapped[str] = mapped_column(String(36))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SaleLine(Base):
    """One line of a sale, for the receipt page and the households' takings."""

    __tablename__ = "sale_lines"

    doc_id: Mapped[str] = mapped_column(ForeignKey("documents.doc_id"), primary_key=True)
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    booth_code: Mapped[str] = mapped_column(String(12), index=True)
    plu: Mapped[str] = mapped_column(String(20))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(4))
    item_label_zh: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_fen: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(Integer)
    household_name: Mapped[str] = mapped_column(String(200))
    household_code: Mapped[str | None] = mapped_column(String(200))


class Quarantine(Base):
    """An item answered ``rejected`` or ``conflict``: kept with its reason, never applied."""

    __tablename__ = "quarantine"
    __table_args__ = (
        CheckConstraint("status IN ('rejected', 'conflict')", name="status"),
        Index("ix_quarantine_device_seq", "device_id", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    batch_id: Mapped[str] = mapped_column(String(36))
    doc_id: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)


class CatalogVersion(Base):
    """One imported catalogue. A till gets the newest of its booth's, else its town's, else the
    county's."""

    __tablename__ = "catalog_versions"

    version: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(120), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    snapshot: Mapped[str] = mapped_column(Text)  # JSON: {"households": [...], "products": [...]}
    product_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
