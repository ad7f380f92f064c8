"""Crews: crews of an event, the assignments of participants (with history), preferences.

Revision ID: 0006_crews
Revises: 0005_payments
Create Date: 2026-11-26 11:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

from aquastream.adapters.sql.migration_ops import create_schemas, drop_schemas

revision: str = "0006_crews"
down_revision: str | Sequence[str] | None = "0005_payments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "crews"
ACTIVE = sa.text("status = 'ACTIVE'")
ACTIVE_SEAT = sa.text("status = 'ACTIVE' AND seat_number IS NOT NULL")


def upgrade() -> None:
    create_schemas(SCHEMA)
    op.create_table(
        "crews",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("event_id", GUID(), nullable=False),
        sa.Column("crew_type", sa.String(8), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), server_default="0", nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("boat_type", sa.String(100), nullable=True),
        sa.Column("boat_number", sa.String(50), nullable=True),
        sa.Column("boat_condition", sa.String(200), nullable=True),
        sa.Column("tent_details", sa.String(500), nullable=True),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("updated_at", DateTimeUTC(), nullable=False),
        sa.CheckConstraint("capacity >= 1", name="ck_crews_capacity_positive"),
        sa.CheckConstraint("size >= 0 AND size <= capacity", name="ck_crews_size_within_capacity"),
        sa.CheckConstraint("crew_type IN ('CREW', 'TENT', 'TABLE', 'BUS')", name="ck_crews_crew_type_known"),
        sa.PrimaryKeyConstraint("id", name="pk_crews"),
        sa.UniqueConstraint("event_id", "crew_type", "name", name="uq_crews_event_id_crew_type_name"),
        schema=SCHEMA,
    )
    op.create_table(
        "crew_assignments",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("crew_id", GUID(), nullable=False),
        sa.Column("event_id", GUID(), nullable=False),
        sa.Column("crew_type", sa.String(8), nullable=False),
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("seat_number", sa.Integer(), nullable=True),
        sa.Column("position", sa.String(50), nullable=True),
        sa.Column("assigned_at", DateTimeUTC(), nullable=False),
        sa.Column("assigned_by", GUID(), nullable=True),
        sa.Column("ended_at", DateTimeUTC(), nullable=True),
        sa.Column("ended_by", GUID(), nullable=True),
        sa.Column("transferred_to", GUID(), nullable=True),
        sa.CheckConstraint(
            "status IN ('ACTIVE', 'REMOVED', 'TRANSFERRED')", name="ck_crew_assignments_status_known"
        ),
        sa.CheckConstraint(
            "seat_number IS NULL OR seat_number >= 1", name="ck_crew_assignments_seat_number_positive"
        ),
        sa.ForeignKeyConstraint(
            ["crew_id"],
            [f"{SCHEMA}.crews.id"],
            name="fk_crew_assignments_crew_id_crews",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_crew_assignments"),
        schema=SCHEMA,
    )
    op.create_index(
        "uq_crew_assignments_active_user_type_event",
        "crew_assignments",
        ["event_id", "crew_type", "user_id"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=ACTIVE,
        sqlite_where=ACTIVE,
    )
    op.create_index(
        "uq_crew_assignments_active_crew_seat",
        "crew_assignments",
        ["crew_id", "seat_number"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=ACTIVE_SEAT,
        sqlite_where=ACTIVE_SEAT,
    )
    op.create_index("ix_crew_assignments_crew_id", "crew_assignments", ["crew_id"], schema=SCHEMA)
    op.create_index(
        "ix_crew_assignments_event_id_user_id", "crew_assignments", ["event_id", "user_id"], schema=SCHEMA
    )
    op.create_table(
        "crew_preferences",
        sa.Column("event_id", GUID(), nullable=False),
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("other_user_id", GUID(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("updated_at", DateTimeUTC(), nullable=False),
        sa.CheckConstraint("kind IN ('PREFER', 'AVOID')", name="ck_crew_preferences_kind_known"),
        sa.PrimaryKeyConstraint("event_id", "user_id", "other_user_id", name="pk_crew_preferences"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("crew_preferences", schema=SCHEMA)
    op.drop_table("crew_assignments", schema=SCHEMA)
    op.drop_table("crews", schema=SCHEMA)
    drop_schemas(SCHEMA)
