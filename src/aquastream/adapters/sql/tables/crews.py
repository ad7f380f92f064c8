"""Tables of the crews domain (PostgreSQL schema ``crews``).

``crews.size`` counts the ACTIVE assignments of a crew; it changes only by guarded
``UPDATE``s and the check constraint ``0 <= size <= capacity`` is the last line of defence.
Assignments are never deleted while their crew exists (history); one ACTIVE assignment per
participant (holder and party seat), crew type and event, and one per seat number in a crew,
are partial unique indexes.
Crews refer to their event and assignments to their user by id only (other domains); who takes
part is crews' own copy of booking's facts (``crew_participants``).
"""

from __future__ import annotations

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from aquastream.adapters.sql.tables.base import metadata
from aquastream.adapters.sql.tables.spine import deliveries_table, outbox_table

SCHEMA = "crews"

CREWS_NAME_UNIQUE = "uq_crews_event_id_crew_type_name"
ACTIVE_PLACE_UNIQUE = "uq_crew_assignments_active_user_type_event"
ACTIVE_SEAT_UNIQUE = "uq_crew_assignments_active_crew_seat"

# Literal predicates: the partial indexes and ON CONFLICT must state the same condition.
ACTIVE_ASSIGNMENT = text("status = 'ACTIVE'")
ACTIVE_SEAT = text("status = 'ACTIVE' AND seat_number IS NOT NULL")

crews = Table(
    "crews",
    metadata,
    Column("id", GUID(), primary_key=True),
    Column("event_id", GUID(), nullable=False),
    Column("crew_type", String(8), nullable=False),
    Column("name", String(100), nullable=False),
    Column("capacity", Integer(), nullable=False),
    Column("size", Integer(), nullable=False, server_default="0"),
    Column("description", Text(), nullable=True),
    Column("boat_type", String(100), nullable=True),
    Column("boat_number", String(50), nullable=True),
    Column("boat_condition", String(200), nullable=True),
    Column("tent_details", String(500), nullable=True),
    Column("created_at", DateTimeUTC(), nullable=False),
    Column("updated_at", DateTimeUTC(), nullable=False),
    CheckConstraint("capacity >= 1", name="capacity_positive"),
    CheckConstraint("size >= 0 AND size <= capacity", name="size_within_capacity"),
    CheckConstraint("crew_type IN ('CREW', 'TENT', 'TABLE', 'BUS')", name="crew_type_known"),
    UniqueConstraint("event_id", "crew_type", "name"),
    schema=SCHEMA,
)

assignments = Table(
    "crew_assignments",
    metadata,
    Column("id", GUID(), primary_key=True),
    # An empty crew is deleted with the history of its ended assignments.
    Column("crew_id", GUID(), ForeignKey(f"{SCHEMA}.crews.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", GUID(), nullable=False),
    Column("crew_type", String(8), nullable=False),
    Column("user_id", GUID(), nullable=False),
    Column("status", String(16), nullable=False),
    Column("seat_number", Integer(), nullable=True),
    Column("position", String(50), nullable=True),
    Column("assigned_at", DateTimeUTC(), nullable=False),
    Column("assigned_by", GUID(), nullable=True),
    Column("ended_at", DateTimeUTC(), nullable=True),
    Column("ended_by", GUID(), nullable=True),
    Column("transferred_to", GUID(), nullable=True),
    # The booking's seat the place is for: 0 the holder (``user_id``), 1, 2, … a companion.
    Column("party_seat", Integer(), nullable=False, server_default="0"),
    CheckConstraint("status IN ('ACTIVE', 'REMOVED', 'TRANSFERRED')", name="status_known"),
    CheckConstraint("seat_number IS NULL OR seat_number >= 1", name="seat_number_positive"),
    schema=SCHEMA,
)
Index(
    ACTIVE_PLACE_UNIQUE,
    assignments.c.event_id,
    assignments.c.crew_type,
    assignments.c.user_id,
    assignments.c.party_seat,
    unique=True,
    postgresql_where=ACTIVE_ASSIGNMENT,
    sqlite_where=ACTIVE_ASSIGNMENT,
)
Index(
    ACTIVE_SEAT_UNIQUE,
    assignments.c.crew_id,
    assignments.c.seat_number,
    unique=True,
    postgresql_where=ACTIVE_SEAT,
    sqlite_where=ACTIVE_SEAT,
)
Index("ix_crew_assignments_crew_id", assignments.c.crew_id)
Index("ix_crew_assignments_event_id_user_id", assignments.c.event_id, assignments.c.user_id)

preferences = Table(
    "crew_preferences",
    metadata,
    Column("event_id", GUID(), nullable=False),
    Column("user_id", GUID(), nullable=False),
    Column("other_user_id", GUID(), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("rank", Integer(), nullable=False),
    Column("updated_at", DateTimeUTC(), nullable=False),
    PrimaryKeyConstraint("event_id", "user_id", "other_user_id"),
    CheckConstraint("kind IN ('PREFER', 'AVOID')", name="kind_known"),
    schema=SCHEMA,
)

# Crews' read model of the bookings, filed from booking's facts, one row per seat of a booking
# (0 the holder, 1, 2, … named companions): who may be assigned (CONFIRMED) and who still sees
# the crews of an event that is over (COMPLETED).
participants = Table(
    "crew_participants",
    metadata,
    Column("booking_id", GUID(), primary_key=True),
    Column("seat", Integer(), primary_key=True, server_default="0"),
    Column("event_id", GUID(), nullable=False),
    Column("user_id", GUID(), nullable=False),
    Column("companion_name", String(200), nullable=True),
    Column("standing", String(16), nullable=False),
    CheckConstraint("standing IN ('CONFIRMED', 'COMPLETED', 'ENDED')", name="standing_known"),
    schema=SCHEMA,
)
Index("ix_crew_participants_event_id_user_id", participants.c.event_id, participants.c.user_id)

outbox = outbox_table("crews", SCHEMA)
deliveries = deliveries_table("crews", SCHEMA)
