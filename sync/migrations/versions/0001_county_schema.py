"""county schema: devices, batches, documents, sale lines, quarantine, catalogues

Revision ID: 0001
Revises:
Create Date: 2026-11-29 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "catalog_versions",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=120), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.Column("product_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_catalog_versions")),
    )
    op.create_index(op.f("ix_catalog_versions_scope"), "catalog_versions", ["scope"], unique=False)

    op.create_table(
        "devices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("booth_code", sa.String(length=12), nullable=False),
        sa.Column("town", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("till_id", sa.String(length=36), nullable=True),
        sa.Column("receipt_key", sa.String(length=128), nullable=True),
        sa.Column("enrolled_at", sa.DateTime(), nullable=True),
        sa.Column("app_version", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_devices")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_devices_token_hash")),
    )
    op.create_index(op.f("ix_devices_booth_code"), "devices", ["booth_code"], unique=False)

    op.create_table(
        "batches",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("batch_id", sa.String(length=36), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("first_seq", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("protocol", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("device_sent_at", sa.DateTime(), nullable=False),
        sa.Column("clock_skew_s", sa.Integer(), nullable=False),
        sa.Column("clock_skew_flagged", sa.Boolean(), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_batches_device_id_devices")
        ),
        sa.PrimaryKeyConstraint("device_id", "batch_id", name=op.f("pk_batches")),
    )
    op.create_table(
        "documents",
        sa.Column("doc_id", sa.String(length=36), nullable=False),
        sa.Column("till_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("booth_code", sa.String(length=12), nullable=False),
        sa.Column("receipt_no", sa.String(length=32), nullable=True),
        sa.Column("ref_doc_id", sa.String(length=36), nullable=True),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("occurred_at_device", sa.DateTime(), nullable=True),
        sa.Column("utc_offset_min", sa.Integer(), nullable=True),
        sa.Column("catalog_version", sa.Integer(), nullable=True),
        sa.Column("batch_id", sa.String(length=36), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_documents_device_id_devices")
        ),
        sa.PrimaryKeyConstraint("doc_id", name=op.f("pk_documents")),
        sa.UniqueConstraint("till_id", "seq", name="uq_documents_till_seq"),
    )
    op.create_index(op.f("ix_documents_device_id"), "documents", ["device_id"], unique=False)
    op.create_index(op.f("ix_documents_ref_doc_id"), "documents", ["ref_doc_id"], unique=False)

    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("batch_id", sa.String(length=36), nullable=False),
        sa.Column("doc_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('rejected', 'conflict')", name=op.f("ck_quarantine_status")),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_quarantine_device_id_devices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantine")),
    )
    op.create_index("ix_quarantine_device_seq", "quarantine", ["device_id", "seq"], unique=False)

    op.create_table(
        "sale_lines",
        sa.Column("doc_id", sa.String(length=36), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("booth_code", sa.String(length=12), nullable=False),
        sa.Column("plu", sa.String(length=20), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=4), nullable=False),
        sa.Column("item_label_zh", sa.String(length=20), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_fen", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("household_name", sa.String(length=200), nullable=False),
        sa.Column("household_code", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["doc_id"], ["documents.doc_id"], name=op.f("fk_sale_lines_doc_id_documents")
        ),
        sa.PrimaryKeyConstraint("doc_id", "line_no", name=op.f("pk_sale_lines")),
    )
    op.create_index(op.f("ix_sale_lines_booth_code"), "sale_lines", ["booth_code"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sale_lines_booth_code"), table_name="sale_lines")

    op.drop_table("sale_lines")
    op.drop_index("ix_quarantine_device_seq", table_name="quarantine")

    op.drop_table("quarantine")
    op.drop_index(op.f("ix_documents_ref_doc_id"), table_name="documents")
    op.drop_index(op.f("ix_documents_device_id"), table_name="documents")

    op.drop_table("documents")
    op.drop_table("batches")
    op.drop_index(op.f("ix_devices_booth_code"), table_name="devices")

    op.drop_table("devices")
    op.drop_index(op.f("ix_catalog_versions_scope"), table_name="catalog_versions")

    op.drop_table("catalog_versions")
