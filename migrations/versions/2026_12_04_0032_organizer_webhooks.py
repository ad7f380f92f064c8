"""Organizer webhooks (schema ``webhooks``): the endpoints organizers register, the deliveries of
facts to them (one per endpoint and fact) with every attempt, and the domain's pair of event
spine tables (its outbox, and the inbox of booking's and payments' facts it reacts to).

Revision ID: 0032_organizer_webhooks
Revises: 0031_image_variants
Create Date: 2026-12-04 16:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

from aquastream.adapters.sql.migration_ops import create_schemas, drop_schemas

revision: str = "0032_organizer_webhooks"
down_revision: str | Sequence[str] | None = "0031_image_variants"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "webhooks"


def _create_spine() -> None:
    unrelayed = sa.text("relayed_at IS NULL")
    op.create_table(
        "webhooks_outbox",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("event_name", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("locked_until", DateTimeUTC(), nullable=True),
        sa.Column("relayed_at", DateTimeUTC(), nullable=True),
        sa.Column("trace_context", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_webhooks_outbox"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_webhooks_outbox_unrelayed",
        "webhooks_outbox",
        ["created_at", "id"],
        schema=SCHEMA,
        postgresql_where=unrelayed,
        sqlite_where=unrelayed,
    )
    pending = sa.text("delivered_at IS NULL AND NOT dead")
    dead = sa.text("dead")
    op.create_table(
        "webhooks_deliveries",
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
        sa.PrimaryKeyConstraint("id", name="pk_webhooks_deliveries"),
        sa.UniqueConstraint("message_id", "subscriber", name="uq_webhooks_deliveries_message_subscriber"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_webhooks_deliveries_pending",
        "webhooks_deliveries",
        ["created_at", "id"],
        schema=SCHEMA,
        postgresql_where=pending,
        sqlite_where=pending,
    )
    op.create_index(
        "ix_webhooks_deliveries_dead",
        "webhooks_deliveries",
        ["created_at"],
        schema=SCHEMA,
        postgresql_where=dead,
        sqlite_where=dead,
    )


def upgrade() -> None:
    create_schemas(SCHEMA)
    _create_spine()
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("organizer_id", GUID(), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("description", sa.String(200), nullable=True),
        sa.Column("event_types", sa.String(500), nullable=False),
        sa.Column("event_ids", sa.Text(), server_default="", nullable=False),
        sa.Column("secret_sealed", sa.Text(), nullable=False),
        sa.Column("previous_secret_sealed", sa.Text(), nullable=True),
        sa.Column("previous_secret_expires_at", DateTimeUTC(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("updated_at", DateTimeUTC(), nullable=False),
        sa.Column("rotated_at", DateTimeUTC(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_endpoints"),
        schema=SCHEMA,
    )
    op.create_index("ix_webhook_endpoints_organizer_id", "webhook_endpoints", ["organizer_id"], schema=SCHEMA)
    op.create_table(
        "endpoint_messages",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("endpoint_id", GUID(), nullable=False),
        sa.Column("message_id", GUID(), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", DateTimeUTC(), nullable=False),
        sa.Column("locked_until", DateTimeUTC(), nullable=True),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("delivered_at", DateTimeUTC(), nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_endpoint_messages"),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            [f"{SCHEMA}.webhook_endpoints.id"],
            name="fk_endpoint_messages_endpoint_id_webhook_endpoints",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("endpoint_id", "message_id", name="uq_endpoint_messages_endpoint_id_message_id"),
        sa.CheckConstraint(
            "status IN ('PENDING', 'DELIVERED', 'FAILED')", name="ck_endpoint_messages_status_known"
        ),
        schema=SCHEMA,
    )
    pending = sa.text("status = 'PENDING'")
    op.create_index(
        "ix_endpoint_messages_due",
        "endpoint_messages",
        ["next_attempt_at"],
        schema=SCHEMA,
        postgresql_where=pending,
        sqlite_where=pending,
    )
    op.create_index(
        "ix_endpoint_messages_endpoint_id_created_at_id",
        "endpoint_messages",
        ["endpoint_id", "created_at", "id"],
        schema=SCHEMA,
    )
    op.create_table(
        "endpoint_attempts",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("delivery_id", GUID(), nullable=False),
        sa.Column("attempted_at", DateTimeUTC(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(500), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_endpoint_attempts"),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            [f"{SCHEMA}.endpoint_messages.id"],
            name="fk_endpoint_attempts_delivery_id_endpoint_messages",
            ondelete="CASCADE",
        ),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_endpoint_attempts_delivery_id_attempted_at",
        "endpoint_attempts",
        ["delivery_id", "attempted_at"],
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_index(
        "ix_endpoint_attempts_delivery_id_attempted_at", table_name="endpoint_attempts", schema=SCHEMA
    )
    op.drop_table("endpoint_attempts", schema=SCHEMA)
    op.drop_index(
        "ix_endpoint_messages_endpoint_id_created_at_id", table_name="endpoint_messages", schema=SCHEMA
    )
    op.drop_index("ix_endpoint_messages_due", table_name="endpoint_messages", schema=SCHEMA)
    op.drop_table("endpoint_messages", schema=SCHEMA)
    op.drop_index("ix_webhook_endpoints_organizer_id", table_name="webhook_endpoints", schema=SCHEMA)
    op.drop_table("webhook_endpoints", schema=SCHEMA)
    op.drop_index("ix_webhooks_deliveries_dead", table_name="webhooks_deliveries", schema=SCHEMA)
    op.drop_index("ix_webhooks_deliveries_pending", table_name="webhooks_deliveries", schema=SCHEMA)
    op.drop_table("webhooks_deliveries", schema=SCHEMA)
    op.drop_index("ix_webhooks_outbox_unrelayed", table_name="webhooks_outbox", schema=SCHEMA)
    op.drop_table("webhooks_outbox", schema=SCHEMA)
    drop_schemas(SCHEMA)
