"""Tables of the webhooks domain (PostgreSQL schema ``webhooks``).

Endpoints refer to their organizer by id only (the catalog's). A delivery is unique per
endpoint and fact (``message_id``), so a fact heard twice is sent once; deliveries and their
attempts go with their endpoint. Signing secrets are stored sealed (``adapters.crypto.sealing``),
never in clear.
"""

from __future__ import annotations

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from aquastream.adapters.sql.tables.base import metadata
from aquastream.adapters.sql.tables.spine import deliveries_table, outbox_table

SCHEMA = "webhooks"

PENDING_DELIVERY = text("status = 'PENDING'")

endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", GUID(), primary_key=True),
    Column("organizer_id", GUID(), nullable=False),
    Column("url", String(2000), nullable=False),
    Column("description", String(200), nullable=True),
    Column("event_types", String(500), nullable=False),  # comma-separated, in the table's order
    Column("event_ids", Text(), nullable=False, server_default=""),  # comma-separated; empty: all
    Column("secret_sealed", Text(), nullable=False),
    Column("previous_secret_sealed", Text(), nullable=True),
    Column("previous_secret_expires_at", DateTimeUTC(), nullable=True),
    Column("active", Boolean(), nullable=False),
    Column("created_at", DateTimeUTC(), nullable=False),
    Column("updated_at", DateTimeUTC(), nullable=False),
    Column("rotated_at", DateTimeUTC(), nullable=True),
    schema=SCHEMA,
)
Index("ix_webhook_endpoints_organizer_id", endpoints.c.organizer_id)

endpoint_messages = Table(
    "endpoint_messages",
    metadata,
    Column("id", GUID(), primary_key=True),
    Column(
        "endpoint_id",
        GUID(),
        ForeignKey(f"{SCHEMA}.webhook_endpoints.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("message_id", GUID(), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("payload", Text(), nullable=False),  # the JSON body exactly as sent
    Column("status", String(16), nullable=False),
    Column("attempts", Integer(), nullable=False, server_default="0"),
    Column("next_attempt_at", DateTimeUTC(), nullable=False),
    Column("locked_until", DateTimeUTC(), nullable=True),
    Column("created_at", DateTimeUTC(), nullable=False),
    Column("delivered_at", DateTimeUTC(), nullable=True),
    Column("last_error", String(500), nullable=True),
    UniqueConstraint("endpoint_id", "message_id"),
    CheckConstraint("status IN ('PENDING', 'DELIVERED', 'FAILED')", name="status_known"),
    schema=SCHEMA,
)
Index(
    "ix_endpoint_messages_due",
    endpoint_messages.c.next_attempt_at,
    postgresql_where=PENDING_DELIVERY,
    sqlite_where=PENDING_DELIVERY,
)
Index(
    "ix_endpoint_messages_endpoint_id_created_at_id",
    endpoint_messages.c.endpoint_id,
    endpoint_messages.c.created_at,
    endpoint_messages.c.id,
)

endpoint_attempts = Table(
    "endpoint_attempts",
    metadata,
    Column("id", GUID(), primary_key=True),
    Column(
        "delivery_id",
        GUID(),
        ForeignKey(f"{SCHEMA}.endpoint_messages.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("attempted_at", DateTimeUTC(), nullable=False),
    Column("duration_ms", Integer(), nullable=False),
    Column("status_code", Integer(), nullable=True),
    Column("error", String(500), nullable=True),
    schema=SCHEMA,
)
Index(
    "ix_endpoint_attempts_delivery_id_attempted_at",
    endpoint_attempts.c.delivery_id,
    endpoint_attempts.c.attempted_at,
)

outbox = outbox_table("webhooks", SCHEMA)
deliveries = deliveries_table("webhooks", SCHEMA)
