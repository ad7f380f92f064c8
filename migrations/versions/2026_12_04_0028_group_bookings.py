"""Group bookings and the group waitlist (SPEC §12): a booking holds ``party_size`` seats (its
holder's and its active companions'), its companions as JSON on its row (number, name, phone,
cancelledAt), and a waitlist entry asks for ``party_size`` seats. Existing rows are parties of
one with no companion, which the server defaults give them.

Revision ID: 0028_group_bookings
Revises: 0027_notification_inbox
Create Date: 2026-12-04 16:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from aquastream.adapters.sql.migration_ops import alter_schema

revision: str = "0028_group_bookings"
down_revision: str | Sequence[str] | None = "0027_notification_inbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BOOKING = "booking"


def upgrade() -> None:
    # Columns with a constant default: an ALTER on both databases, no table copy.
    schema = alter_schema(BOOKING)
    op.add_column(
        "bookings", sa.Column("party_size", sa.Integer(), nullable=False, server_default="1"), schema=schema
    )
    op.add_column(
        "bookings", sa.Column("companions", sa.Text(), nullable=False, server_default="[]"), schema=schema
    )
    op.add_column(
        "waitlist_entries",
        sa.Column("party_size", sa.Integer(), nullable=False, server_default="1"),
        schema=schema,
    )


def downgrade() -> None:
    # SQLite (3.35+) drops in place a column that no index or constraint names.
    schema = alter_schema(BOOKING)
    op.drop_column("waitlist_entries", "party_size", schema=schema)
    op.drop_column("bookings", "companions", schema=schema)
    op.drop_column("bookings", "party_size", schema=schema)
