"""Notifications: the outbox of rendered messages, users' languages and opted-out categories.

Revision ID: 0007_notifications
Revises: 0006_crews
Create Date: 2026-11-26 12:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

from aquastream.adapters.sql.migration_ops import create_schemas, drop_schemas

revision: str = "0007_notifications"
down_revision: str | Sequence[str] | None = "0006_crews"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "notifications"

# Written out here, not imported: a migration keeps the predicates of its day.
PENDING_MESSAGE = sa.text("status = 'PENDING'")


def upgrade() -> None:
    create_schemas(SCHEMA)
    op.create_table(
        "messages",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("next_attempt_at", DateTimeUTC(), nullable=False),
        sa.Column("locked_until", DateTimeUTC(), nullable=True),
        sa.Column("sent_at", DateTimeUTC(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.CheckConstraint("status IN ('PENDING', 'SENT', 'FAILED')", name="ck_messages_status_known"),
        sa.CheckConstraint("channel IN ('TELEGRAM', 'EMAIL', 'SMS')", name="ck_messages_channel_known"),
        sa.PrimaryKeyConstraint("id", name="pk_messages"),
        sa.UniqueConstraint("category", "subject", "user_id", name="uq_messages_category_subject_user_id"),
        schema=SCHEMA,
    )
    op.create_index("ix_messages_user_id", "messages", ["user_id"], schema=SCHEMA)
    op.create_index(
        "ix_messages_pending_next_attempt_at",
        "messages",
        ["next_attempt_at"],
        schema=SCHEMA,
        postgresql_where=PENDING_MESSAGE,
        sqlite_where=PENDING_MESSAGE,
    )
    op.create_table(
        "user_settings",
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("updated_at", DateTimeUTC(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_user_settings"),
        schema=SCHEMA,
    )
    op.create_table(
        "opt_outs",
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "category", "channel", name="pk_opt_outs"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("opt_outs", schema=SCHEMA)
    op.drop_table("user_settings", schema=SCHEMA)
    op.drop_index("ix_messages_pending_next_attempt_at", table_name="messages", schema=SCHEMA)
    op.drop_index("ix_messages_user_id", table_name="messages", schema=SCHEMA)
    op.drop_table("messages", schema=SCHEMA)
    drop_schemas(SCHEMA)
