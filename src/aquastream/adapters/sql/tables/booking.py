"""Tables of the booking domain (PostgreSQL schema ``booking``).

``inventories.available`` is updated by every booking: it stays out of every index so that
the update is HOT (no index maintenance). Bookings and waitlist entries refer to their
event by id without a foreign key: a foreign key would take a KEY SHARE lock on the hot
inventory row with every insert, and the concurrent seat updates would then queue on
multixact bookkeeping.
"""

from __future__ import annotations

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from aquastream.adapters.sql.tables.base import metadata
from aquastream.adapters.sql.tables.request_keys import request_keys_table
from aquastream.adapters.sql.tables.spine import deliveries_table, outbox_table

SCHEMA = "booking"

BOOKINGS_ACTIVE_UNIQUE = "uq_bookings_active_user_event"
WAITLIST_LIVE_UNIQUE = "uq_waitlist_entries_live_user_event"

# Literal predicates: ON CONFLICT and the partial indexes must state the same condition.
ACTIVE_BOOKING = text("status IN ('PENDING', 'CONFIRMED')")
PENDING_BOOKING = text("status = 'PENDING'")
LIVE_ENTRY = text("status IN ('WAITING', 'NOTIFIED')")
NOTIFIED_ENTRY = text("status = 'NOTIFIED'")

inventories = Table(
    "inventories",
    metadata,
    Column("event_id", GUID(), primary_key=True),
    Column("organizer_id", GUID(), nullable=False),
    Column("title", String(500), nullable=False),
    Column("status", String(16), nullable=False),
    Column("starts_at", DateTimeUTC(), nullable=False),
    Column("ends_at", DateTimeUTC(), nullable=False),
    Column("capacity", Integer(), nullable=False),
    Column("available", Integer(), nullable=False),
    Column("reserved", Integer(), nullable=False, server_default="0"),
    Column("waiting", Integer(), nullable=False, server_default="0"),
    Column("next_position", BigInteger(), nullable=False, server_default="0"),
    Column("price", Numeric(13, 3), nullable=True),
    Column("currency", String(3), nullable=False),
    # The last line of defence behind the conditional updates: a counter never goes negative.
    CheckConstraint("available >= 0 AND reserved >= 0 AND waiting >= 0", name="counters_not_negative"),
    CheckConstraint("capacity > 0", name="capacity_positive"),
    schema=SCHEMA,
)

bookings = Table(
    "bookings",
    metadata,
    Column("id", GUID(), primary_key=True),
    Column("event_id", GUID(), nullable=False),
    Column("user_id", GUID(), nullable=False),
    Column("status", String(16), nullable=False),
    Column("payment_status", String(24), nullable=False),
    Column("amount", Numeric(13, 3), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("created_at", DateTimeUTC(), nullable=False),
    Column("updated_at", DateTimeUTC(), nullable=False),
    Column("expires_at", DateTimeUTC(), nullable=True),
    Column("waitlist_entry_id", GUID(), nullable=True),
    # Group bookings: the seats held now (the holder's and the active companions'), and every
    # companion ever booked as JSON (number, name, phone, cancelledAt). Companions are read and
    # written with their booking only, so they live on its row rather than in a table of their own.
    Column("party_size", Integer(), nullable=False, server_default="1"),
    Column("companions", Text(), nullable=False, server_default="[]"),
    schema=SCHEMA,
)
# One active booking per user and event, enforced by the database even between racing requests.
Index(
    BOOKINGS_ACTIVE_UNIQUE,
    bookings.c.user_id,
    bookings.c.event_id,
    unique=True,
    postgresql_where=ACTIVE_BOOKING,
    sqlite_where=ACTIVE_BOOKING,
)
Index("ix_bookings_user_id_created_at", bookings.c.user_id, bookings.c.created_at)
Index("ix_bookings_event_id_created_at", bookings.c.event_id, bookings.c.created_at)
# The expiry sweep reads only the holds.
Index(
    "ix_bookings_pending_expires_at",
    bookings.c.expires_at,
    postgresql_where=PENDING_BOOKING,
    sqlite_where=PENDING_BOOKING,
)

booking_log = Table(
    "booking_log",
    metadata,
    Column("id", GUID(), primary_key=True),
    Column("booking_id", GUID(), ForeignKey(f"{SCHEMA}.bookings.id"), nullable=False),
    Column("old_status", String(16), nullable=True),
    Column("new_status", String(16), nullable=False),
    Column("reason", String(40), nullable=False),
    Column("actor_id", GUID(), nullable=True),
    Column("created_at", DateTimeUTC(), nullable=False),
    schema=SCHEMA,
)
Index("ix_booking_log_booking_id_created_at", booking_log.c.booking_id, booking_log.c.created_at)

waitlist_entries = Table(
    "waitlist_entries",
    metadata,
    Column("id", GUID(), primary_key=True),
    Column("event_id", GUID(), nullable=False),
    Column("user_id", GUID(), nullable=False),
    Column("position", BigInteger(), nullable=False),
    Column("status", String(16), nullable=False),
    Column("joined_at", DateTimeUTC(), nullable=False),
    Column("notified_at", DateTimeUTC(), nullable=True),
    Column("window_expires_at", DateTimeUTC(), nullable=True),
    Column("party_size", Integer(), nullable=False, server_default="1"),
    UniqueConstraint("event_id", "position"),
    schema=SCHEMA,
)
Index(
    WAITLIST_LIVE_UNIQUE,
    waitlist_entries.c.event_id,
    waitlist_entries.c.user_id,
    unique=True,
    postgresql_where=LIVE_ENTRY,
    sqlite_where=LIVE_ENTRY,
)
Index("ix_waitlist_entries_user_id_joined_at", waitlist_entries.c.user_id, waitlist_entries.c.joined_at)
# The lapse sweep reads only the notified entries.
Index(
    "ix_waitlist_entries_notified_window",
    waitlist_entries.c.window_expires_at,
    postgresql_where=NOTIFIED_ENTRY,
    sqlite_where=NOTIFIED_ENTRY,
)

waitlist_audit = Table(
    "waitlist_audit",
    metadata,
    Column("id", GUID(), primary_key=True),
    Column("entry_id", GUID(), ForeignKey(f"{SCHEMA}.waitlist_entries.id"), nullable=False),
    Column("event_id", GUID(), nullable=False),
    Column("user_id", GUID(), nullable=False),
    Column("action", String(16), nullable=False),
    Column("created_at", DateTimeUTC(), nullable=False),
    Column("actor_id", GUID(), nullable=True),
    schema=SCHEMA,
)
Index("ix_waitlist_audit_event_id_created_at", waitlist_audit.c.event_id, waitlist_audit.c.created_at)
Index("ix_waitlist_audit_entry_id", waitlist_audit.c.entry_id)

idempotency_keys = request_keys_table("idempotency_keys", SCHEMA)

outbox = outbox_table("booking", SCHEMA)
deliveries = deliveries_table("booking", SCHEMA)
