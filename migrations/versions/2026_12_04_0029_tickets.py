"""Tickets and check-in (schema ``tickets``): one ticket per confirmed seat with its signed
code, short code and check-in; each organizer's Ed25519 key pair (private key sealed); and
the domain's spine (outbox and deliveries).

Tickets are issued from booking's facts from now on; bookings confirmed before this
revision have none until a fact about them arrives (no back-fill: booking's tables are not
tickets' to read).

Revision ID: 0029_tickets
Revises: 0028_group_bookings
Create Date: 2026-12-04 16:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

from aquastream.adapters.sql.migration_ops import create_schemas, drop_schemas

revision: str = "0029_tickets"
down_revision: str | Sequence[str] | None = "0028_group_bookings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "tickets"


def upgrade() -> None:
    create_schemas(SCHEMA)
    op.create_table(
        "organizer_keys",
        sa.Column("organizer_id", GUID(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("sealed_private_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.PrimaryKeyConstraint("organizer_id", name="pk_organizer_keys"),
        schema=SCHEMA,
    )
    op.create_table(
        "tickets",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("event_id", GUID(), nullable=False),
        sa.Column("organizer_id", GUID(), nullable=False),
        sa.Column("booking_id", GUID(), nullable=False),
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=False),
        sa.Column("companion_name", sa.String(200), nullable=True),
        sa.Column("companion_phone", sa.String(32), nullable=True),
        sa.Column("short_code", sa.String(8), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("issued_at", DateTimeUTC(), nullable=False),
        sa.Column("voided_at", DateTimeUTC(), nullable=True),
        sa.Column("void_reason", sa.String(16), nullable=True),
        sa.Column("no_show_at", DateTimeUTC(), nullable=True),
        sa.Column("checked_in_at", DateTimeUTC(), nullable=True),
        sa.Column("checked_in_by", GUID(), nullable=True),
        sa.Column("holder_name", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_tickets"),
        sa.CheckConstraint("seat >= 0", name="ck_tickets_seat_not_negative"),
        sa.CheckConstraint(
            "void_reason IS NULL OR void_reason IN ('CANCELLED', 'EXPIRED')",
            name="ck_tickets_void_reason_known",
        ),
        sa.UniqueConstraint("booking_id", "seat", name="uq_tickets_booking_id_seat"),
        sa.UniqueConstraint("event_id", "short_code", name="uq_tickets_event_id_short_code"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_tickets_event_id_issued_at",
        "tickets",
        ["event_id", "issued_at", "booking_id", "seat"],
        schema=SCHEMA,
    )
    op.create_index("ix_tickets_short_code", "tickets", ["short_code"], schema=SCHEMA)
    _create_spine()


def _create_spine() -> None:
    unrelayed = sa.text("relayed_at IS NULL")
    op.create_table(
        "tickets_outbox",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("event_name", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("locked_until", DateTimeUTC(), nullable=True),
        sa.Column("relayed_at", DateTimeUTC(), nullable=True),
        sa.Column("trace_context", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_tickets_outbox"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_tickets_outbox_unrelayed",
        "tickets_outbox",
        ["created_at", "id"],
        schema=SCHEMA,
        postgresql_where=unrelayed,
        sqlite_where=unrelayed,
    )
    pending = sa.text("delivered_at IS NULL AND NOT dead")
    dead = sa.text("dead")
    op.create_table(
        "tickets_deliveries",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("message_id", GUID(), nullable=False),
        sa.Column("subscriber", sa.String(200), nullable=False),
        sa.Column("event_name", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("available_at", DateTimeUTC(), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", DateTimeUTC(), nullable=True),
        sa.Column("delivered_at", DateTimeUTC(), nullable=True),
        sa.Column("dead", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("trace_context", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_tickets_deliveries"),
        sa.UniqueConstraint("message_id", "subscriber", name="uq_tickets_deliveries_message_subscriber"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_tickets_deliveries_pending",
        "tickets_deliveries",
        ["created_at", "id"],
        schema=SCHEMA,
        postgresql_where=pending,
        sqlite_where=pending,
    )
    op.create_index(
        "ix_tickets_deliveries_dead",
        "tickets_deliveries",
        ["created_at"],
        schema=SCHEMA,
        postgresql_where=dead,
        sqlite_where=dead,
    )


def downgrade() -> None:
    op.drop_index("ix_tickets_deliveries_dead", table_name="tickets_deliveries", schema=SCHEMA)
    op.drop_index("ix_tickets_deliveries_pending", table_name="tickets_deliveries", schema=SCHEMA)
    op.drop_table("tickets_deliveries", schema=SCHEMA)
    op.drop_index("ix_tickets_outbox_unrelayed", table_name="tickets_outbox", schema=SCHEMA)
    op.drop_table("tickets_outbox", schema=SCHEMA)
    op.drop_index("ix_tickets_short_code", table_name="tickets", schema=SCHEMA)
    op.drop_index("ix_tickets_event_id_issued_at", table_name="tickets", schema=SCHEMA)
    op.drop_table("tickets", schema=SCHEMA)
    op.drop_table("organizer_keys", schema=SCHEMA)
    drop_schemas(SCHEMA)
