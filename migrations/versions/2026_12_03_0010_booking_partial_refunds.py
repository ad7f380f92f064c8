"""Booking: a payment status long enough for PARTIALLY_REFUNDED.

Revision ID: 0010_booking_partial_refunds
Revises: 0009_currency_precision
Create Date: 2026-12-03 12:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from aquastream.adapters.sql.migration_ops import alter_schema, on_postgresql

revision: str = "0010_booking_partial_refunds"
down_revision: str | Sequence[str] | None = "0009_currency_precision"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _payment_status_length(old: int, new: int) -> None:
    # SQLite does not enforce a VARCHAR's length: only PostgreSQL needs the wider column.
    if on_postgresql():
        op.alter_column(
            "bookings",
            "payment_status",
            type_=sa.String(new),
            existing_type=sa.String(old),
            existing_nullable=False,
            schema="booking",
        )


def upgrade() -> None:
    _payment_status_length(16, 24)


def downgrade() -> None:
    # The older code knows no partial refund: the booking reads as paid, as it did then.
    bookings = sa.table("bookings", sa.column("payment_status"), schema=alter_schema("booking"))
    op.execute(
        bookings.update()
        .where(bookings.c.payment_status == "PARTIALLY_REFUNDED")
        .values(payment_status="PAID")
    )
    _payment_status_length(24, 16)
