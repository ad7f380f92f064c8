"""Booking: seat inventories, bookings and their log, the FIFO waitlist and its audit, idempotency keys.

Revision ID: 0003_booking
Revises: 0002_catalog
Create Date: 2026-11-26 06:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

from aquastream.adapters.sql.migration_ops import create_schemas, drop_schemas, on_postgresql

revision: str = "0003_booking"
down_revision: str | Sequence[str] | None = "0002_catalog"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "booking"

# Written out here, not imported: a migration keeps the predicates of its day.
ACTIVE_BOOKING = sa.text("status IN ('PENDING', 'CONFIRMED')")
PENDING_BOOKING = sa.text("status = 'PENDING'")
LIVE_ENTRY = sa.text("status IN ('WAITING', 'NOTIFIED')")
NOTIFIED_ENTRY = sa.text("status = 'NOTIFIED'")


def upgrade() -> None:
    create_schemas(SCHEMA)
    _create_inventories()
    _create_bookings()
    _create_waitlist()
    _create_idempotency_keys()


def _create_inventories() -> None:
    op.create_table(
        "inventories",
        sa.Column("event_id", GUID(), nullable=False),
        sa.Column("organizer_id", GUID(), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("starts_at", DateTimeUTC(), nullable=False),
        sa.Column("ends_at", DateTimeUTC(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("available", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Integer(), server_default="0", nullable=False),
        sa.Column("waiting", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_position", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("price", sa.Numeric(12, 2), nullable=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.CheckConstraint(
            "available >= 0 AND reserved >= 0 AND waiting >= 0", name="ck_inventories_counters_not_negative"
        ),
        sa.CheckConstraint("capacity > 0", name="ck_inventories_capacity_positive"),
        sa.PrimaryKeyConstraint("event_id", name="pk_inventories"),
        schema=SCHEMA,
    )
    if on_postgresql():
        # Room on each page for the new row versions of the seat counters: updates stay HOT.
        op.execute(f"ALTER TABLE {SCHEMA}.inventories SET (fillfactor = 70)")


def _create_bookings() -> None:
    op.create_table(
        "bookings",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("event_id", GUID(), nullable=False),
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("payment_status", sa.String(16), nullable=False),
        sa.Column("amount", sa.Numeric(12, 2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("updated_at", DateTimeUTC(), nullable=False),
        sa.Column("expires_at", DateTimeUTC(), nullable=True),
        sa.Column("waitlist_entry_id", GUID(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_bookings"),
        schema=SCHEMA,
    )
    op.create_index(
        "uq_bookings_active_user_event",
        "bookings",
        ["user_id", "event_id"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=ACTIVE_BOOKING,
        sqlite_where=ACTIVE_BOOKING,
    )
    op.create_index("ix_bookings_user_id_created_at", "bookings", ["user_id", "created_at"], schema=SCHEMA)
    op.create_index("ix_bookings_event_id_created_at", "bookings", ["event_id", "created_at"], schema=SCHEMA)
    op.create_index(
        "ix_bookings_pending_expires_at",
        "bookings",
        ["expires_at"],
        schema=SCHEMA,
        postgresql_where=PENDING_BOOKING,
        sqlite_where=PENDING_BOOKING,
    )
    op.create_table(
        "booking_log",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("booking_id", GUID(), nullable=False),
        sa.Column("old_status", sa.String(16), nullable=True),
        sa.Column("new_status", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("actor_id", GUID(), nullable=True),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"], [f"{SCHEMA}.bookings.id"], name="fk_booking_log_booking_id_bookings"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_booking_log"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_booking_log_booking_id_created_at", "booking_log", ["booking_id", "created_at"], schema=SCHEMA
    )


def _create_waitlist() -> None:
    op.create_table(
        "waitlist_entries",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("event_id", GUID(), nullable=False),
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("joined_at", DateTimeUTC(), nullable=False),
        sa.Column("notified_at", DateTimeUTC(), nullable=True),
        sa.Column("window_expires_at", DateTimeUTC(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_waitlist_entries"),
        sa.UniqueConstraint("event_id", "position", name="uq_waitlist_entries_event_id_position"),
        schema=SCHEMA,
    )
    op.create_index(
        "uq_waitlist_entries_live_user_event",
        "waitlist_entries",
        ["event_id", "user_id"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=LIVE_ENTRY,
        sqlite_where=LIVE_ENTRY,
    )
    op.create_index(
        "ix_waitlist_entries_user_id_joined_at", "waitlist_entries", ["user_id", "joined_at"], schema=SCHEMA
    )
    op.create_index(
        "ix_waitlist_entries_notified_window",
        "waitlist_entries",
        ["window_expires_at"],
        schema=SCHEMA,
        postgresql_where=NOTIFIED_ENTRY,
        sqlite_where=NOTIFIED_ENTRY,
    )
    op.create_table(
        "waitlist_audit",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("entry_id", GUID(), nullable=False),
        sa.Column("event_id", GUID(), nullable=False),
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("actor_id", GUID(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            [f"{SCHEMA}.waitlist_entries.id"],
            name="fk_waitlist_audit_entry_id_waitlist_entries",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_waitlist_audit"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_waitlist_audit_event_id_created_at", "waitlist_audit", ["event_id", "created_at"], schema=SCHEMA
    )
    op.create_index("ix_waitlist_audit_entry_id", "waitlist_audit", ["entry_id"], schema=SCHEMA)


def _create_idempotency_keys() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("request_hash", sa.String(128), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("user_id", "key", name="pk_idempotency_keys"),
        schema=SCHEMA,
    )
    op.create_index("ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"], schema=SCHEMA)


def downgrade() -> None:
    # Dropping a table drops its indexes; children go before the tables they point at.
    for table in (
        "idempotency_keys",
        "waitlist_audit",
        "waitlist_entries",
        "booking_log",
        "bookings",
        "inventories",
    ):
        op.drop_table(table, schema=SCHEMA)
    drop_schemas(SCHEMA)
