"""Tables of the tickets domain (PostgreSQL schema ``tickets``).

``tickets`` is tickets' read model of booking's seats: one row per (booking, seat), with
its signed code, its short code (unique within the event) and its check-in, which only a
conditional ``UPDATE … WHERE checked_in_at IS NULL AND voided_at IS NULL`` sets.
``organizer_keys`` holds each organizer's Ed25519 key pair, the private key sealed.
Rows refer to events, bookings, organizers and users by id only (other domains).
"""

from __future__ import annotations

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import (
    CheckConstraint,
    Column,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from aquastream.adapters.sql.tables.base import metadata
from aquastream.adapters.sql.tables.spine import deliveries_table, outbox_table

SCHEMA = "tickets"

SEAT_UNIQUE = "uq_tickets_booking_id_seat"
SHORT_CODE_UNIQUE = "uq_tickets_event_id_short_code"

organizer_keys = Table(
    "organizer_keys",
    metadata,
    Column("organizer_id", GUID(), primary_key=True),
    Column("public_key", LargeBinary(), nullable=False),
    Column("sealed_private_key", LargeBinary(), nullable=False),
    Column("created_at", DateTimeUTC(), nullable=False),
    schema=SCHEMA,
)

tickets = Table(
    "tickets",
    metadata,
    Column("id", GUID(), primary_key=True),
    Column("event_id", GUID(), nullable=False),
    Column("organizer_id", GUID(), nullable=False),
    Column("booking_id", GUID(), nullable=False),
    Column("user_id", GUID(), nullable=False),
    Column("seat", Integer(), nullable=False),
    Column("companion_name", String(200), nullable=True),
    Column("companion_phone", String(32), nullable=True),
    Column("short_code", String(8), nullable=False),
    Column("code", Text(), nullable=False),
    Column("issued_at", DateTimeUTC(), nullable=False),
    Column("voided_at", DateTimeUTC(), nullable=True),
    Column("void_reason", String(16), nullable=True),
    Column("no_show_at", DateTimeUTC(), nullable=True),
    Column("checked_in_at", DateTimeUTC(), nullable=True),
    Column("checked_in_by", GUID(), nullable=True),
    Column("holder_name", String(200), nullable=True),
    CheckConstraint("seat >= 0", name="seat_not_negative"),
    CheckConstraint(
        "void_reason IS NULL OR void_reason IN ('CANCELLED', 'EXPIRED')", name="void_reason_known"
    ),
    UniqueConstraint("booking_id", "seat", name=SEAT_UNIQUE),
    UniqueConstraint("event_id", "short_code", name=SHORT_CODE_UNIQUE),
    schema=SCHEMA,
)
Index(
    "ix_tickets_event_id_issued_at",
    tickets.c.event_id,
    tickets.c.issued_at,
    tickets.c.booking_id,
    tickets.c.seat,
)
Index("ix_tickets_short_code", tickets.c.short_code)

outbox = outbox_table("tickets", SCHEMA)
deliveries = deliveries_table("tickets", SCHEMA)
