"""sync with the county: enrollment, frozen batches, outbox results

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 20:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "sync_enrollment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("server_url", sa.String(length=300), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("token", sa.String(length=200), nullable=False),
        sa.Column("ca_file", sa.String(length=500), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("catalog_version", sa.Integer(), nullable=True),
        sa.Column("catalog_etag", sa.String(length=100), nullable=False),
        sa.Column("catalog_pulled_at", sa.DateTime(), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("last_success_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=40), nullable=False),
        sa.Column("last_error_detail", sa.Text(), nullable=False),
        sa.Column("last_error_at", sa.DateTime(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("halted", sa.String(length=20), nullable=False),
        sa.Column("server_acked_seq", sa.Integer(), nullable=False),
        sa.Column("clock_skew_s", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_enrollment")),
    )
    op.create_table(
        "sync_batches",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("first_seq", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "state IN ('open', 'done', 'split', 'refused')", name=op.f("ck_sync_batches_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_batches")),
    )
    op.create_index(op.f("ix_sync_batches_state"), "sync_batches", ["state"], unique=False)
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("sync_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("synced_at", sa.DateTime(), nullable=True))
    op.create_index(op.f("ix_outbox_batch_id"), "outbox", ["batch_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_outbox_batch_id"), table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("synced_at")
        batch.drop_column("sync_reason")
    op.drop_index(op.f("ix_sync_batches_state"), table_name="sync_batches")
    op.drop_table("sync_batches")
    op.drop_table("sync_enrollment")
