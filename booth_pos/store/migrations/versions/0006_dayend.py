"""day end: shifts, cash movements, stock entries and levels, commission rates, day closes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 20:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "commission_rates",
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.CheckConstraint(
            "rate_bp >= 0 AND rate_bp <= 10000", name=op.f("ck_commission_rates_rate")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_commission_rates_household_id_households"),
        ),
        sa.PrimaryKeyConstraint("household_id", name=op.f("pk_commission_rates")),
    )
    op.create_table(
        "day_closes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("z_no", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=False),
        sa.Column("utc_offset_min", sa.Integer(), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), nullable=False),
        sa.Column("closed_by_name", sa.String(length=50), nullable=False),
        sa.Column("count_json", sa.Text(), nullable=True),
        sa.Column("net_fen", sa.Integer(), nullable=False),
        sa.Column("cash_variance_fen", sa.Integer(), nullable=True),
        sa.Column("mobile_variance_fen", sa.Integer(), nullable=True),
        sa.Column("report", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["operators.id"], name=op.f("fk_day_closes_closed_by_id_operators")
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_day_closes_device_id_devices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_day_closes")),
        sa.UniqueConstraint("day", name=op.f("uq_day_closes_day")),
        sa.UniqueConstraint("z_no", name=op.f("uq_day_closes_z_no")),
    )
    op.create_table(
        "shifts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("utc_offset_min", sa.Integer(), nullable=False),
        sa.Column("opened_by", sa.String(length=50), nullable=False),
        sa.Column("float_fen", sa.Integer(), nullable=False),
        sa.Column("open_seq", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by", sa.String(length=50), nullable=True),
        sa.Column("close_seq", sa.Integer(), nullable=True),
        sa.Column("close_doc_id", sa.String(length=36), nullable=True),
        sa.Column("count_json", sa.Text(), nullable=True),
        sa.Column("counted_fen", sa.Integer(), nullable=True),
        sa.Column("expected_fen", sa.Integer(), nullable=True),
        sa.Column("variance_fen", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "counted_fen IS NULL OR counted_fen >= 0", name=op.f("ck_shifts_counted")
        ),
        sa.CheckConstraint("float_fen >= 0", name=op.f("ck_shifts_float")),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_shifts_device_id_devices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shifts")),
    )
    with op.batch_alter_table("shifts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shifts_day"), ["day"], unique=False)

    op.create_table(
        "stock_alerts",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("low_level", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.CheckConstraint("low_level >= 0", name=op.f("ck_stock_alerts_low_level")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_stock_alerts_product_id_products")
        ),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_stock_alerts")),
    )
    op.create_table(
        "cash_movements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.String(length=36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("utc_offset_min", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by_name", sa.String(length=50), nullable=False),
        sa.CheckConstraint("kind IN ('pay_in', 'pay_out')", name=op.f("ck_cash_movements_kind")),
        sa.CheckConstraint("amount_fen > 0", name=op.f("ck_cash_movements_amount_positive")),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shifts.id"], name=op.f("fk_cash_movements_shift_id_shifts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cash_movements")),
    )
    with op.batch_alter_table("cash_movements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cash_movements_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_cash_movements_shift_id"), ["shift_id"], unique=False)

    op.create_table(
        "stock_closings",
        sa.Column("day_close_id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("closing", sa.Integer(), nullable=False),
        sa.Column("tracked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["day_close_id"],
            ["day_closes.id"],
            name=op.f("fk_stock_closings_day_close_id_day_closes"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_stock_closings_product_id_products")
        ),
        sa.PrimaryKeyConstraint("day_close_id", "product_id", name=op.f("pk_stock_closings")),
    )
    op.create_table(
        "stock_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("movement_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("utc_offset_min", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("counted", sa.Integer(), nullable=True),
        sa.Column("expected", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by_name", sa.String(length=50), nullable=False),
        sa.CheckConstraint(
            "kind IN ('receive', 'waste', 'count')", name=op.f("ck_stock_entries_kind")
        ),
        sa.CheckConstraint(
            "counted IS NULL OR counted >= 0", name=op.f("ck_stock_entries_counted")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_stock_entries_household_id_households"),
        ),
        sa.ForeignKeyConstraint(
            ["movement_id"],
            ["stock_movements.id"],
            name=op.f("fk_stock_entries_movement_id_stock_movements"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_stock_entries_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_entries")),
        sa.UniqueConstraint("movement_id", name=op.f("uq_stock_entries_movement_id")),
    )
    with op.batch_alter_table("stock_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stock_entries_day"), ["day"], unique=False)

    # A day's documents are found by (utc_offset_min, occurred_at) ranges.
    with op.batch_alter_table("sales", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sales_local_time", ["utc_offset_min", "occurred_at"], unique=False
        )
    with op.batch_alter_table("voids", schema=None) as batch_op:
        batch_op.create_index(
            "ix_voids_local_time", ["utc_offset_min", "occurred_at"], unique=False
        )
    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.create_index(
            "ix_refunds_local_time", ["utc_offset_min", "occurred_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.drop_index("ix_refunds_local_time")
    with op.batch_alter_table("voids", schema=None) as batch_op:
        batch_op.drop_index("ix_voids_local_time")
    with op.batch_alter_table("sales", schema=None) as batch_op:
        batch_op.drop_index("ix_sales_local_time")

    with op.batch_alter_table("stock_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_entries_day"))
    op.drop_table("stock_entries")
    op.drop_table("stock_closings")
    with op.batch_alter_table("cash_movements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cash_movements_shift_id"))
        batch_op.drop_index(batch_op.f("ix_cash_movements_day"))
    op.drop_table("cash_movements")
    op.drop_table("stock_alerts")
    with op.batch_alter_table("shifts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shifts_day"))
    op.drop_table("shifts")
    op.drop_table("day_closes")
    op.drop_table("commission_rates")
