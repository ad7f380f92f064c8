"""Tables of the payments domain (PostgreSQL schema ``payments``).

Payments refer to their booking, event, organizer and payer by id only (no cross-schema
foreign keys); an organizer's own QR payee details are keyed by its id. One live payment per
booking is a partial unique index; a provider's payment id and a provider's event id are
unique per provider, which makes duplicate notifications (even concurrent ones) collide in
the database.
"""

from __future__ import annotations

from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
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

SCHEMA = "payments"

PAYMENTS_LIVE_UNIQUE = "uq_payments_live_booking"
# Literal predicates: the partial indexes and the statements must state the same condition.
LIVE_PAYMENT = text("status IN ('PENDING', 'PROCESSING', 'SUBMITTED', 'REJECTED')")
SUBMITTED_PAYMENT = text("status = 'SUBMITTED'")

payments = Table(
    "payments",
    metadata,
    Column("id", GUID(), primary_key=True),
    Column("booking_id", GUID(), nullable=False),
    Column("event_id", GUID(), nullable=False),
    Column("organizer_id", GUID(), nullable=False),
    Column("user_id", GUID(), nullable=False),
    Column("method", String(16), nullable=False),
    Column("provider", String(32), nullable=False),
    Column("amount", Numeric(13, 3), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(24), nullable=False),
    Column("created_at", DateTimeUTC(), nullable=False),
    Column("updated_at", DateTimeUTC(), nullable=False),
    Column("provider_payment_id", String(255), nullable=True),
    Column("confirmation", JsonB, nullable=False),
    Column("qr_payload", Text(), nullable=True),
    Column("proof_file_id", GUID(), nullable=True),
    Column("submitted_at", DateTimeUTC(), nullable=True),
    Column("decided_at", DateTimeUTC(), nullable=True),
    Column("rejection_reason", String(1000), nullable=True),
    Column("refunded_amount", Numeric(13, 3), nullable=False, server_default="0"),
    CheckConstraint("refunded_amount >= 0 AND refunded_amount <= amount", name="refunds_within_amount"),
    UniqueConstraint("provider", "provider_payment_id"),
    schema=SCHEMA,
)
Index(
    PAYMENTS_LIVE_UNIQUE,
    payments.c.booking_id,
    unique=True,
    postgresql_where=LIVE_PAYMENT,
    sqlite_where=LIVE_PAYMENT,
)
Index("ix_payments_booking_id", payments.c.booking_id)
Index("ix_payments_user_id_created_at", payments.c.user_id, payments.c.created_at)
Index("ix_payments_event_id_created_at", payments.c.event_id, payments.c.created_at)
# The moderation queue reads only the submitted receipts.
Index(
    "ix_payments_submitted_organizer",
    payments.c.organizer_id,
    payments.c.submitted_at,
    postgresql_where=SUBMITTED_PAYMENT,
    sqlite_where=SUBMITTED_PAYMENT,
)

refunds = Table(
    "refunds",
    metadata,
    Column("id", GUID(), primary_key=True),
    Column("payment_id", GUID(), ForeignKey(f"{SCHEMA}.payments.id"), nullable=False),
    Column("amount", Numeric(13, 3), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(16), nullable=False),
    Column("reason", String(200), nullable=False),
    Column("created_at", DateTimeUTC(), nullable=False),
    Column("actor_id", GUID(), nullable=True),
    Column("provider_refund_id", String(255), nullable=True),
    CheckConstraint("amount > 0", name="amount_positive"),
    schema=SCHEMA,
)
Index("ix_refunds_payment_id", refunds.c.payment_id)

webhook_events = Table(
    "webhook_events",
    metadata,
    Column("id", GUID(), primary_key=True),
    Column("provider", String(32), nullable=False),
    Column("provider_event_id", String(255), nullable=False),
    Column("received_at", DateTimeUTC(), nullable=False),
    Column("payload", JsonB, nullable=False),
    Column("outcome", String(24), nullable=False),
    Column("payment_id", GUID(), nullable=True),
    UniqueConstraint("provider", "provider_event_id"),
    schema=SCHEMA,
)
Index("ix_webhook_events_payment_id", webhook_events.c.payment_id)
# The retention job deletes the oldest notifications first.
Index("ix_webhook_events_received_at", webhook_events.c.received_at)

payee_accounts = Table(
    "payee_accounts",
    metadata,
    Column("organizer_id", GUID(), primary_key=True),
    Column("name", String(160), nullable=False),
    Column("account", String(20), nullable=False),
    Column("bank_name", String(160), nullable=False),
    Column("bic", String(9), nullable=False),
    Column("correspondent_account", String(20), nullable=False),
    Column("updated_at", DateTimeUTC(), nullable=False),
    Column("updated_by", GUID(), nullable=False),
    schema=SCHEMA,
)

idempotency_keys = request_keys_table("payment_idempotency_keys", SCHEMA)

outbox = outbox_table("payments", SCHEMA)
deliveries = deliveries_table("payments", SCHEMA)
