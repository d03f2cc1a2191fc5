"""printing: receipt QR key per device, print queue bookkeeping

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 20:00:00
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("receipt_key", sa.String(length=64), nullable=True))
    conn = op.get_bind()
    devices = sa.table("devices", sa.column("id", sa.String), sa.column("receipt_key", sa.String))
    for (device_id,) in conn.execute(sa.select(devices.c.id)).all():
        conn.execute(
            devices.update()
            .where(devices.c.id == device_id)
            .values(receipt_key=secrets.token_hex(32))
        )
    with op.batch_alter_table("print_jobs") as batch:
        batch.add_column(
            sa.Column("error_code", sa.String(length=32), server_default="", nullable=False)
        )
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime(), nullable=True))
        batch.add_column(
            sa.Column("printer", sa.String(length=200), server_default="", nullable=False)
        )
        batch.add_column(sa.Column("finished_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("print_jobs") as batch:
        batch.drop_column("finished_at")
        batch.drop_column("printer")
        batch.drop_column("next_attempt_at")
        batch.drop_column("error_code")
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("receipt_key")
