"""The booth ledger. Sales and their children are written once and never updated.

Each table's row classes use the trade's names. Money columns end in ``_fen``;
quantities are grams for weighed goods and units for counted goods.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
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
    """This till. `next_seq` hands out the gap-free document numbers."""

    __tablename__ = "devices"
    __table_args__ = (CheckConstraint("next_seq >= 1", name="seq_positive"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    booth_id: Mapped[int] = mapped_column(ForeignKey("booths.id"))
    next_seq: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

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
    batch_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Setting(Base):
    """Booth settings chosen by the coordinator (language, round-down policy, tare presets...)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(50), default="")
