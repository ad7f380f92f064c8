"""Tables of the notification domain (PostgreSQL schema ``notifications``).

``messages`` is the notification outbox: one row per rendered message, unique per (user,
category, subject) so that a fact delivered twice, or written by two workers at once, is
one message. ``inbox`` is the users' in-app inbox: one row per (user, category, subject) for
every notice addressed to a user, whether or not a message went out. Users, events and
bookings are referred to by bare id, as everywhere across domains.
"""

from __future__ import annotations

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import CheckConstraint, Column, Index, Integer, String, Table, Text, UniqueConstraint

from aquastream.adapters.sql.tables.base import metadata
from aquastream.adapters.sql.tables.spine import deliveries_table, outbox_table

SCHEMA = "notifications"

messages = Table(
    "messages",
    metadata,
    Column("id", GUID(), primary_key=True),
    Column("user_id", GUID(), nullable=False),
    Column("category", String(32), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("address", String(320), nullable=False),
    Column("language", String(8), nullable=False),
    Column("title", String(500), nullable=False),
    Column("body", Text(), nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer(), nullable=False, server_default="0"),
    Column("created_at", DateTimeUTC(), nullable=False),
    Column("next_attempt_at", DateTimeUTC(), nullable=False),
    Column("locked_until", DateTimeUTC(), nullable=True),
    Column("sent_at", DateTimeUTC(), nullable=True),
    Column("last_error", Text(), nullable=True),
    # Subject first: the reminder sweep asks who was already told of a subject.
    UniqueConstraint("category", "subject", "user_id"),
    CheckConstraint("status IN ('PENDING', 'SENT', 'FAILED')", name="status_known"),
    CheckConstraint("channel IN ('TELEGRAM', 'EMAIL', 'SMS')", name="channel_known"),
    schema=SCHEMA,
)
# A deleted account's messages are found by user.
Index(None, messages.c.user_id)
# The sender scans only the pending messages, by when they are due.
PENDING_MESSAGE = messages.c.status == "PENDING"
Index(
    "ix_messages_pending_next_attempt_at",
    messages.c.next_attempt_at,
    postgresql_where=PENDING_MESSAGE,
    sqlite_where=PENDING_MESSAGE,
)

inbox = Table(
    "inbox",
    metadata,
    Column("id", GUID(), primary_key=True),
    Column("user_id", GUID(), nullable=False),
    Column("category", String(32), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("template", String(64), nullable=True),
    Column("language", String(8), nullable=False),
    Column("title", String(500), nullable=False),
    Column("body", Text(), nullable=False),
    Column("event_id", GUID(), nullable=True),
    Column("booking_id", GUID(), nullable=True),
    Column("created_at", DateTimeUTC(), nullable=False),
    Column("read_at", DateTimeUTC(), nullable=True),
    # Subject first: the reminder sweep asks who was already told of a subject.
    UniqueConstraint("category", "subject", "user_id"),
    schema=SCHEMA,
)
# A user's page, newest first, and the deletion of a deleted account's entries.
Index(None, inbox.c.user_id, inbox.c.created_at, inbox.c.id)
# The unread count scans only the unread entries of the user.
UNREAD_ENTRY = inbox.c.read_at.is_(None)
Index("ix_inbox_unread_user_id", inbox.c.user_id, postgresql_where=UNREAD_ENTRY, sqlite_where=UNREAD_ENTRY)
# The retention job deletes the oldest entries first.
Index(None, inbox.c.created_at)

user_settings = Table(
    "user_settings",
    metadata,
    Column("user_id", GUID(), primary_key=True),
    Column("language", String(8), nullable=False),
    Column("updated_at", DateTimeUTC(), nullable=False),
    schema=SCHEMA,
)

# One row per optional (category, channel) a user switched off; no row means on.
opt_outs = Table(
    "opt_outs",
    metadata,
    Column("user_id", GUID(), primary_key=True),
    Column("category", String(32), primary_key=True),
    Column("channel", String(16), primary_key=True),
    schema=SCHEMA,
)

# One row per (user, channel) whose address stopped reaching the user for good (a Telegram
# chat that blocked the bot): messages skip that address until the mark is lifted.
unreachable_addresses = Table(
    "unreachable_addresses",
    metadata,
    Column("user_id", GUID(), primary_key=True),
    Column("channel", String(16), primary_key=True),
    Column("address", String(320), nullable=False),
    Column("reason", Text(), nullable=False),
    Column("marked_at", DateTimeUTC(), nullable=False),
    schema=SCHEMA,
)

outbox = outbox_table("notifications", SCHEMA)
deliveries = deliveries_table("notifications", SCHEMA)
