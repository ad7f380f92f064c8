"""Payments: payments (card and QR), their refunds, accepted provider notifications, payees.

Revision ID: 0005_payments
Revises: 0004_media
Create Date: 2026-11-26 10:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from alembic import op

from aquastream.adapters.sql.migration_ops import create_schemas, drop_schemas

revision: str = "0005_payments"
down_revision: str | Sequence[str] | None = "0004_media"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "payments"

# Written out here, not imported: a migration keeps the predicates of its day.
LIVE_PAYMENT = sa.text("status IN ('PENDING', 'PROCESSING', 'SUBMITTED', 'REJECTED')")
SUBMITTED_PAYMENT = sa.text("status = 'SUBMITTED'")


def upgrade() -> None:
    create_schemas(SCHEMA)
    op.create_table(
        "payments",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("booking_id", GUID(), nullable=False),
        sa.Column("event_id", GUID(), nullable=False),
        sa.Column("organizer_id", GUID(), nullable=False),
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("amount", sa.Numeric(12, 2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("updated_at", DateTimeUTC(), nullable=False),
        sa.Column("provider_payment_id", sa.String(255), nullable=True),
        sa.Column("confirmation", JsonB, nullable=False),
        sa.Column("qr_payload", sa.Text(), nullable=True),
        sa.Column("proof_file_id", GUID(), nullable=True),
        sa.Column("submitted_at", DateTimeUTC(), nullable=True),
        sa.Column("decided_at", DateTimeUTC(), nullable=True),
        sa.Column("rejection_reason", sa.String(1000), nullable=True),
        sa.Column("refunded_amount", sa.Numeric(12, 2), server_default="0", nullable=False),
        sa.CheckConstraint(
            "refunded_amount >= 0 AND refunded_amount <= amount", name="ck_payments_refunds_within_amount"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_payments"),
        sa.UniqueConstraint(
            "provider", "provider_payment_id", name="uq_payments_provider_provider_payment_id"
        ),
        schema=SCHEMA,
    )
    op.create_index(
        "uq_payments_live_booking",
        "payments",
        ["booking_id"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=LIVE_PAYMENT,
        sqlite_where=LIVE_PAYMENT,
    )
    op.create_index("ix_payments_booking_id", "payments", ["booking_id"], schema=SCHEMA)
    op.create_index("ix_payments_user_id_created_at", "payments", ["user_id", "created_at"], schema=SCHEMA)
    op.create_index("ix_payments_event_id_created_at", "payments", ["event_id", "created_at"], schema=SCHEMA)
    op.create_index(
        "ix_payments_submitted_organizer",
        "payments",
        ["organizer_id", "submitted_at"],
        schema=SCHEMA,
        postgresql_where=SUBMITTED_PAYMENT,
        sqlite_where=SUBMITTED_PAYMENT,
    )
    op.create_table(
        "refunds",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("payment_id", GUID(), nullable=False),
        sa.Column("amount", sa.Numeric(12, 2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("actor_id", GUID(), nullable=True),
        sa.Column("provider_refund_id", sa.String(255), nullable=True),
        sa.CheckConstraint("amount > 0", name="ck_refunds_amount_positive"),
        sa.ForeignKeyConstraint(
            ["payment_id"], [f"{SCHEMA}.payments.id"], name="fk_refunds_payment_id_payments"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_refunds"),
        schema=SCHEMA,
    )
    op.create_index("ix_refunds_payment_id", "refunds", ["payment_id"], schema=SCHEMA)
    op.create_table(
        "webhook_events",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("provider_event_id", sa.String(255), nullable=False),
        sa.Column("received_at", DateTimeUTC(), nullable=False),
        sa.Column("payload", JsonB, nullable=False),
        sa.Column("outcome", sa.String(24), nullable=False),
        sa.Column("payment_id", GUID(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_events"),
        sa.UniqueConstraint(
            "provider", "provider_event_id", name="uq_webhook_events_provider_provider_event_id"
        ),
        schema=SCHEMA,
    )
    op.create_index("ix_webhook_events_payment_id", "webhook_events", ["payment_id"], schema=SCHEMA)
    op.create_table(
        "payee_accounts",
        sa.Column("organizer_id", GUID(), nullable=False),
        sa.Column("name", sa.String(160), nullable=False),
        sa.Column("account", sa.String(20), nullable=False),
        sa.Column("bank_name", sa.String(160), nullable=False),
        sa.Column("bic", sa.String(9), nullable=False),
        sa.Column("correspondent_account", sa.String(20), nullable=False),
        sa.Column("updated_at", DateTimeUTC(), nullable=False),
        sa.Column("updated_by", GUID(), nullable=False),
        sa.PrimaryKeyConstraint("organizer_id", name="pk_payee_accounts"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    # Dropping a table drops its indexes; children go before the tables they point at.
    for table in ("payee_accounts", "webhook_events", "refunds", "payments"):
        op.drop_table(table, schema=SCHEMA)
    drop_schemas(SCHEMA)
