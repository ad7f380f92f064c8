"""Companions in crews (issue 12): every seat of a booking is a crew participant.

Crews' read model of the bookings (``crews.crew_participants``) keeps one row per seat —
``seat`` 0 the holder, 1, 2, … a companion with the ``companion_name`` their booking gave —
keyed by booking and seat; the rows filed so far become the holders' seats 0. Companions'
seats are filed from the next facts. An assignment names its seat (``party_seat``, 0 for every
existing one), and one ACTIVE place per participant, crew type and event is now per holder and
seat. Going down forgets the companions' rows and ends nothing: a companion's active place
would break the narrower unique index, so those places are REMOVED first (their crews' sizes
drop with them).

Revision ID: 0033_crew_seats
Revises: 0032_organizer_webhooks
Create Date: 2026-12-04 17:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from aquastream.adapters.sql.migration_ops import alter_schema

revision: str = "0033_crew_seats"
down_revision: str | Sequence[str] | None = "0032_organizer_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "crews"
ACTIVE = sa.text("status = 'ACTIVE'")
PLACE_UNIQUE = "uq_crew_assignments_active_user_type_event"


def upgrade() -> None:
    with op.batch_alter_table("crew_participants", schema=alter_schema(SCHEMA), recreate="auto") as batch:
        batch.add_column(sa.Column("seat", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("companion_name", sa.String(200), nullable=True))
        batch.drop_constraint("pk_crew_participants", type_="primary")
        batch.create_primary_key("pk_crew_participants", ["booking_id", "seat"])

    op.add_column(
        "crew_assignments",
        sa.Column("party_seat", sa.Integer(), nullable=False, server_default="0"),
        schema=alter_schema(SCHEMA),
    )
    op.drop_index(PLACE_UNIQUE, table_name="crew_assignments", schema=alter_schema(SCHEMA))
    op.create_index(
        PLACE_UNIQUE,
        "crew_assignments",
        ["event_id", "crew_type", "user_id", "party_seat"],
        unique=True,
        schema=alter_schema(SCHEMA),
        postgresql_where=ACTIVE,
        sqlite_where=ACTIVE,
    )


def downgrade() -> None:
    crews = sa.table("crews", sa.column("id"), sa.column("size"), schema=alter_schema(SCHEMA))
    assignments = sa.table(
        "crew_assignments",
        sa.column("crew_id"),
        sa.column("status"),
        sa.column("party_seat"),
        schema=alter_schema(SCHEMA),
    )
    companions_active = sa.and_(assignments.c.status == "ACTIVE", assignments.c.party_seat != 0)
    held = (
        sa.select(sa.func.count())
        .where(assignments.c.crew_id == crews.c.id, companions_active)
        .scalar_subquery()
    )
    op.execute(crews.update().values(size=crews.c.size - held))
    op.execute(assignments.update().where(companions_active).values(status="REMOVED"))
    op.drop_index(PLACE_UNIQUE, table_name="crew_assignments", schema=alter_schema(SCHEMA))
    op.create_index(
        PLACE_UNIQUE,
        "crew_assignments",
        ["event_id", "crew_type", "user_id"],
        unique=True,
        schema=alter_schema(SCHEMA),
        postgresql_where=ACTIVE,
        sqlite_where=ACTIVE,
    )
    with op.batch_alter_table("crew_assignments", schema=alter_schema(SCHEMA)) as batch:
        batch.drop_column("party_seat")

    participants = sa.table("crew_participants", sa.column("seat"), schema=alter_schema(SCHEMA))
    op.execute(participants.delete().where(participants.c.seat != 0))
    with op.batch_alter_table("crew_participants", schema=alter_schema(SCHEMA), recreate="auto") as batch:
        batch.drop_constraint("pk_crew_participants", type_="primary")
        batch.create_primary_key("pk_crew_participants", ["booking_id"])
        batch.drop_column("companion_name")
        batch.drop_column("seat")
