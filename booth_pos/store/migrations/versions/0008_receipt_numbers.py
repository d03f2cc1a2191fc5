"""sales get receipt numbers of their own

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 20:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.add_column(
            sa.Column("next_receipt", sa.Integer(), nullable=False, server_default="1")
        )
    # Existing receipts were numbered by the document sequence: carry on above the highest,
    # so no receipt number is ever issued twice.
    op.execute(
        "UPDATE devices SET next_receipt = "
        "coalesce((SELECT max(seq) FROM sales WHERE sales.device_id = devices.id), 0) + 1"
    )


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("next_receipt")
