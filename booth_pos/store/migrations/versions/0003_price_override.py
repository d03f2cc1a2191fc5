"""price overrides on sale lines

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 19:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("sale_lines") as batch:
        batch.add_column(sa.Column("list_price_fen", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("override_by", sa.String(length=50), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sale_lines") as batch:
        batch.drop_column("override_by")
        batch.drop_column("list_price_fen")
