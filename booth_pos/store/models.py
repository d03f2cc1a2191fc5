"""The booth ledger. Sales and their children are written once and never updated.

Each table's row classes use the trade's names. Money columns end in ``_fen``;
quantities are grams for weighed goods and units for counted goods.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Booth(Base):
    __tablename__ = "booths"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    town: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Device(Base):
    """This till. `next_seq` hands out the gap-free document numbers (every outbox document);
    `next_receipt` the sales' own receipt numbers, gap-free among sales."""

    __tablename__ = "devices"
    __table_args__ = (CheckConstraint("next_seq >= 1", name="seq_positive"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    booth_id: Mapped[int] = mapped_column(ForeignKey("booths.id"))
    next_seq: Mapped[int] = mapped_column(Integer, default=1)
    next_receipt: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # The secret behind the receipt QR's code (booth_pos.printing.qrcode_url); 64 hex digits.
    receipt_key: Mapped[str | None] = mapped_column(
        String(64), default=lambda: secrets.token_hex(32)
    )

    booth: Mapped[Booth] = relationship()


class Household(Base):
    __tablename__ = "households"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('poverty_registered', 'family_farm', 'cooperative')", name="kind"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    village: Mapped[str] = mapped_column(String(100), default="")
    town: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(20))


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("unit IN ('kg', 'jin', 'item')", name="unit"),
        CheckConstraint("price_fen > 0", name="price_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plu: Mapped[str] = mapped_column(String(20), unique=True)
    barcode: Mapped[str | None] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100), default="")
    category: Mapped[str] = mapped_column(String(50), default="")
    unit: Mapped[str] = mapped_column(String(4))
    # A measure word for counted goods (罐 jar, 只 each, 瓶 bottle); empty for weighed goods.
    item_label_zh: Mapped[str] = mapped_column(String(10), default="")
    item_label_en: Mapped[str] = mapped_column(String(20), default="")
    price_fen: Mapped[int] = mapped_column(Integer)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # Migration 0007: the button colour (#RRGGBB or empty), where the price came from
    # ("local" or "county") and the local day a coordinator last set it at the booth.
    colour: Mapped[str] = mapped_column(String(7), default="", server_default="")
    price_source: Mapped[str] = mapped_column(String(8), default="local", server_default="local")
    local_override_on: Mapped[dt.date | None] = mapped_column(Date)

    household: Mapped[Household] = relationship()


class Operator(Base):
    __tablename__ = "operators"
    __table_args__ = (CheckConstraint("role IN ('operator', 'coordinator')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    role: Mapped[str] = mapped_column(String(12))
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)


class Sale(Base):
    __tablename__ = "sales"
    __table_args__ = (
        UniqueConstraint("device_id", "seq", name="uq_sales_device_seq"),
        CheckConstraint("total_fen = subtotal_fen - round_down_fen", name="total"),
        CheckConstraint("round_down_fen >= 0", name="round_down"),
        CheckConstraint("change_fen = paid_fen - total_fen", name="change"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    seq: Mapped[int] = mapped_column(Integer)
    receipt_no: Mapped[str] = mapped_column(String(32), unique=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    utc_offset_min: Mapped[int] = mapped_column(Integer)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    operator_name: Mapped[str] = mapped_column(String(50))
    subtotal_fen: Mapped[int] = mapped_column(Integer)
    round_down: Mapped[str] = mapped_column(String(4))
    round_down_fen: Mapped[int] = mapped_column(Integer)
    total_fen: Mapped[int] = mapped_column(Integer)
    paid_fen: Mapped[int] = mapped_column(Integer)
    change_fen: Mapped[int] = mapped_column(Integer)

    lines: Mapped[list[SaleLine]] = relationship(order_by="SaleLine.line_no", back_populates="sale")
    tenders: Mapped[list[Tender]] = relationship(order_by="Tender.id", back_populates="sale")


class SaleLine(Base):
    """A snapshot of what was sold, so history never moves when the catalogue does."""

    __tablename__ = "sale_lines"
    __table_args__ = (
        UniqueConstraint("sale_id", "line_no", name="uq_sale_lines_sale_line"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("amount_fen >= 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    plu: Mapped[str] = mapped_column(String(20))
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(4))
    item_label_zh: Mapped[str] = mapped_column(String(10))
    unit_price_fen: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(Integer)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    household_name: Mapped[str] = mapped_column(String(100))
    # Set only when a coordinator overrode the catalogue price for this line.
    list_price_fen: Mapped[int | None] = mapped_column(Integer)
    override_by: Mapped[str | None] = mapped_column(String(50))

    sale: Mapped[Sale] = relationship(back_populates="lines")


class Tender(Base):
    __tablename__ = "tenders"
    __table_args__ = (
        CheckConstraint("method IN ('cash', 'mobile', 'other')", name="method"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("change_fen >= 0 AND change_fen <= amount_fen", name="change_range"),
        CheckConstraint("method = 'cash' OR change_fen = 0", name="change_cash_only"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), index=True)
    method: Mapped[str] = mapped_column(String(8))
    amount_fen: Mapped[int] = mapped_column(Integer)
    change_fen: Mapped[int] = mapped_column(Integer, default=0)

    sale: Mapped[Sale] = relationship(back_populates="tenders")


class Void(Base):
    """Cancels a whole sale. One per sale at most (the unique sale_id)."""

    __tablename__ = "voids"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), unique=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    seq: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime)
    utc_offset_min: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    authorised_by_id: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    authorised_by_name: Mapped[str] = mapped_column(String(50))
    amount_fen: Mapped[int] = mapped_column(Integer)


class Refund(Base):
    """Gives back some or all lines of a sale; several refunds may follow one sale."""

    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount_fen >= 0", name="amount"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), index=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    seq: Mapped[int] = mapped_column(Integer)
    receipt_no: Mapped[str] = mapped_column(String(32), unique=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime)
    utc_offset_min: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    authorised_by_id: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    authorised_by_name: Mapped[str] = mapped_column(String(50))
    method: Mapped[str] = mapped_column(String(8))
    amount_fen: Mapped[int] = mapped_column(Integer)

    lines: Mapped[list[RefundLine]] = relationship(order_by="RefundLine.id")


class RefundLine(Base):
    __tablename__ = "refund_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    refund_id: Mapped[str] = mapped_column(ForeignKey("refunds.id"), index=True)
    sale_line_id: Mapped[int] = mapped_column(ForeignKey("sale_lines.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(Integer)


class StockMovement(Base):
    """Signed change of stock: sales and waste negative, receipts and refunds positive."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('receive', 'sale', 'refund', 'void', 'waste', 'count')", name="kind"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    kind: Mapped[str] = mapped_column(String(8))
    quantity: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime)
    sale_id: Mapped[str | None] = mapped_column(ForeignKey("sales.id"), index=True)
    refund_id: Mapped[str | None] = mapped_column(ForeignKey("refunds.id"))
    void_id: Mapped[str | None] = mapped_column(ForeignKey("voids.id"))
    reason: Mapped[str] = mapped_column(Text, default="")


class PrintJob(Base):
    """A receipt waiting for the printer; the print worker moves its state on."""

    __tablename__ = "print_jobs"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'printing', 'done', 'failed')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_kind: Mapped[str] = mapped_column(String(8))
    doc_id: Mapped[str] = mapped_column(String(36), index=True)
    reprint: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(8), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    payload: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The print worker's bookkeeping: why the last attempt failed (a domain.errors code),
    # when to try again by itself (None: only when someone asks), where and when it printed.
    error_code: Mapped[str] = mapped_column(String(32), default="", server_default="")
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    printer: Mapped[str] = mapped_column(String(200), default="", server_default="")
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class OutboxEntry(Base):
    """One document for the county, frozen at commit. The seq is the device's document number."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("device_id", "seq", name="uq_outbox_device_seq"),
        CheckConstraint("state IN ('pending', 'synced', 'rejected', 'conflict')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    seq: Mapped[int] = mapped_column(Integer)
    doc_kind: Mapped[str] = mapped_column(String(8))
    doc_id: Mapped[str] = mapped_column(String(36), unique=True)
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON
    sha256: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    batch_id: Mapped[str | None] = mapped_column(String(36), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # Set by the sync client (migration 0005): why the county rejected it, when it was acked.
    sync_reason: Mapped[str | None] = mapped_column(Text)
    synced_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SyncEnrollment(Base):
    """The county server this till syncs with, and the sync worker's state. One row (id 1).

    The token is kept as given (the client must send it); it is never printed or logged.
    `next_attempt_at` and `failures` carry the back-off across restarts.
    """

    __tablename__ = "sync_enrollment"

    id: Mapped[int] = mapped_column(primary_key=True)
    server_url: Mapped[str] = mapped_column(String(300))
    device_id: Mapped[str] = mapped_column(String(36))  # the county's id for this till
    token: Mapped[str] = mapped_column(String(200))
    ca_file: Mapped[str] = mapped_column(String(500), default="")
    enrolled_at: Mapped[dt.datetime] = mapped_column(DateTime)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    catalog_version: Mapped[int | None] = mapped_column(Integer)
    catalog_etag: Mapped[str] = mapped_column(String(100), default="")
    catalog_pulled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_success_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str] = mapped_column(String(40), default="")  # a domain.errors code
    last_error_detail: Mapped[str] = mapped_column(Text, default="")
    last_error_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    halted: Mapped[str] = mapped_column(String(20), default="")
    server_acked_seq: Mapped[int] = mapped_column(Integer, default=0)
    clock_skew_s: Mapped[int | None] = mapped_column(Integer)


class SyncBatch(Base):
    """A batch frozen before its first send, so every retry is the same batch."""

    __tablename__ = "sync_batches"
    __table_args__ = (
        CheckConstraint("state IN ('open', 'done', 'split', 'refused')", name="state"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the Idempotency-Key
    first_seq: Mapped[int] = mapped_column(Integer)
    last_seq: Mapped[int] = mapped_column(Integer)
    item_count: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(8), default="open", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Setting(Base):
    """Booth settings chosen by the coordinator (language, round-down policy, tare presets...)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(50), default="")


# --- Day end: shifts, stock entries, commission rates, day closes (migration 0006) ---------
#
# A document's "day" is its local calendar date: occurred_at (UTC) plus its own
# utc_offset_min. Sales, voids and refunds carry both; the day-end tables also store the day.

# Day-end reports find a day's documents by (offset, time) ranges; see services/dayend.py.
Index("ix_sales_local_time", Sale.utc_offset_min, Sale.occurred_at)
Index("ix_voids_local_time", Void.utc_offset_min, Void.occurred_at)
Index("ix_refunds_local_time", Refund.utc_offset_min, Refund.occurred_at)


class Shift(Base):
    """One till's cash box from opening float to counted close. One open shift at a time."""

    __tablename__ = "shifts"
    __table_args__ = (
        CheckConstraint("float_fen >= 0", name="float"),
        CheckConstraint("counted_fen IS NULL OR counted_fen >= 0", name="counted"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    utc_offset_min: Mapped[int] = mapped_column(Integer)
    opened_by: Mapped[str] = mapped_column(String(50))
    float_fen: Mapped[int] = mapped_column(Integer)
    open_seq: Mapped[int] = mapped_column(Integer)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_by: Mapped[str | None] = mapped_column(String(50))
    close_seq: Mapped[int | None] = mapped_column(Integer)
    close_doc_id: Mapped[str | None] = mapped_column(String(36))
    count_json: Mapped[str | None] = mapped_column(Text)  # {"10000": 3, "5000": 1, ...}
    counted_fen: Mapped[int | None] = mapped_column(Integer)
    expected_fen: Mapped[int | None] = mapped_column(Integer)
    variance_fen: Mapped[int | None] = mapped_column(Integer)


class CashMovement(Base):
    """Cash put into (pay-in) or taken out of (pay-out) the box during a shift, with a reason."""

    __tablename__ = "cash_movements"
    __table_args__ = (
        CheckConstraint("kind IN ('pay_in', 'pay_out')", name="kind"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[str] = mapped_column(ForeignKey("shifts.id"), index=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime)
    utc_offset_min: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))
    amount_fen: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    by_name: Mapped[str] = mapped_column(String(50))


class StockEntry(Base):
    """A receipt, waste or count entered at the booth, and the stock movement it wrote.

    `quantity` is the signed change (as on the movement); a count also keeps what was
    expected (the book stock at that moment) and what was counted: quantity = counted - expected.
    """

    __tablename__ = "stock_entries"
    __table_args__ = (
        CheckConstraint("kind IN ('receive', 'waste', 'count')", name="kind"),
        CheckConstraint("counted IS NULL OR counted >= 0", name="counted"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("stock_movements.id"), unique=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime)
    utc_offset_min: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    counted: Mapped[int | None] = mapped_column(Integer)
    expected: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    by_name: Mapped[str] = mapped_column(String(50), default="")


class StockAlert(Base):
    """The stock level (grams or units) at or below which the till's button warns."""

    __tablename__ = "stock_alerts"
    __table_args__ = (CheckConstraint("low_level >= 0", name="low_level"),)

    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    low_level: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(50))


class CommissionRate(Base):
    """The booth's commission on a household's goods, in basis points (500 = 5%)."""

    __tablename__ = "commission_rates"
    __table_args__ = (CheckConstraint("rate_bp >= 0 AND rate_bp <= 10000", name="rate"),)

    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), primary_key=True)
    rate_bp: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(50))


class DayClose(Base):
    """A closed day and its numbered Z report, frozen as the JSON the county is sent."""

    __tablename__ = "day_closes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    z_no: Mapped[int] = mapped_column(Integer, unique=True)
    day: Mapped[dt.date] = mapped_column(Date, unique=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    seq: Mapped[int] = mapped_column(Integer)
    closed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    utc_offset_min: Mapped[int] = mapped_column(Integer)
    closed_by_id: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    closed_by_name: Mapped[str] = mapped_column(String(50))
    count_json: Mapped[str | None] = mapped_column(Text)  # a count taken with no shift open
    net_fen: Mapped[int] = mapped_column(Integer)
    cash_variance_fen: Mapped[int | None] = mapped_column(Integer)
    mobile_variance_fen: Mapped[int | None] = mapped_column(Integer)
    report: Mapped[str] = mapped_column(Text)  # canonical JSON of the Z report


class StockClosing(Base):
    """Book stock of a product at the end of a closed day: the next day's opening stock."""

    __tablename__ = "stock_closings"

    day_close_id: Mapped[str] = mapped_column(ForeignKey("day_closes.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    closing: Mapped[int] = mapped_column(Integer)
    tracked: Mapped[bool] = mapped_column()


# --- Audit trail and price history (migration 0007) ---------------------------------------


class AuditEntry(Base):
    """One sensitive action. Append-only: triggers in migration 0007 refuse UPDATE and DELETE."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    utc_offset_min: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    operator: Mapped[str] = mapped_column(String(50))
    details: Mapped[str] = mapped_column(Text)  # JSON object
    doc_id: Mapped[str] = mapped_column(String(36), unique=True)  # its outbox document


Index("ix_audit_log_action_at", AuditEntry.action, AuditEntry.at)
Index("ix_audit_log_operator_at", AuditEntry.operator, AuditEntry.at)


class PriceChange(Base):
    """A product's price moved: old (None for a new product), new, who, when, from where."""

    __tablename__ = "price_changes"
    __table_args__ = (CheckConstraint("source IN ('local', 'county')", name="source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    plu: Mapped[str] = mapped_column(String(20))
    old_fen: Mapped[int | None] = mapped_column(Integer)
    new_fen: Mapped[int] = mapped_column(Integer)
    by_name: Mapped[str] = mapped_column(String(50))
    at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    source: Mapped[str] = mapped_column(String(8))
