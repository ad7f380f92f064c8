"""Satellite domains keep their own copies of what they need of others: crews files who takes
part in an event (``crews.crew_participants``) from booking's facts instead of reading
booking's table.

The copy is seeded from today's bookings (a migration runs as the owner of every schema):
CONFIRMED and COMPLETED bookings, the only standings crews asks about.

Revision ID: 0016_satellites_own_their_data
Revises: 0014_event_spine
Create Date: 2026-12-03 23:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID
from alembic import op

from aquastream.adapters.sql.migration_ops import on_postgresql

revision: str = "0016_satellites_own_their_data"
down_revision: str | Sequence[str] | None = "0014_event_spine"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _schema(name: str) -> str | None:
    return name if on_postgresql() else None


def upgrade() -> None:
    op.create_table(
        "crew_participants",
        sa.Column("booking_id", GUID(), primary_key=True),
        sa.Column("event_id", GUID(), nullable=False),
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("standing", sa.String(16), nullable=False),
        sa.CheckConstraint("standing IN ('CONFIRMED', 'COMPLETED', 'ENDED')", name="standing_known"),
        schema="crews",
    )
    op.create_index(
        "ix_crew_participants_event_id_user_id",
        "crew_participants",
        ["event_id", "user_id"],
        schema="crews",
    )
    bookings = sa.table(
        "bookings",
        sa.column("id"),
        sa.column("event_id"),
        sa.column("user_id"),
        sa.column("status"),
        schema=_schema("booking"),
    )
    copy = sa.table(
        "crew_participants",
        sa.column("booking_id"),
        sa.column("event_id"),
        sa.column("user_id"),
        sa.column("standing"),
        schema=_schema("crews"),
    )
    taking_part = sa.select(bookings.c.id, bookings.c.event_id, bookings.c.user_id, bookings.c.status).where(
        bookings.c.status.in_(["CONFIRMED", "COMPLETED"])
    )
    op.execute(copy.insert().from_select(["booking_id", "event_id", "user_id", "standing"], taking_part))


def downgrade() -> None:
    op.drop_index("ix_crew_participants_event_id_user_id", table_name="crew_participants", schema="crews")
    op.drop_table("crew_participants", schema="crews")
