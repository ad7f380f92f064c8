"""Refresh sessions record their device (user agent, IP) and the time of their login; the audit
log and the payment notifications get an index on their time, which the retention jobs
delete by, oldest first.

Sessions stored before keep no device; their login time is taken to be their own creation.

Revision ID: 0024_session_device
Revises: 0023_unreachable_addresses
Create Date: 2026-12-04 09:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

from aquastream.adapters.sql.migration_ops import alter_schema

revision: str = "0024_session_device"
down_revision: str | Sequence[str] | None = "0023_unreachable_addresses"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IDENTITY = "identity"
PAYMENTS = "payments"
# Written out here, not imported: a migration keeps the sizes of its day.
USER_AGENT_MAX_LENGTH = 512
SESSION_COLUMNS = ("signed_in_at", "user_agent", "ip")


def upgrade() -> None:
    # Nullable columns: an ALTER on both databases, no table copy.
    schema = alter_schema(IDENTITY)
    op.add_column("refresh_sessions", sa.Column("signed_in_at", DateTimeUTC(), nullable=True), schema=schema)
    op.add_column(
        "refresh_sessions",
        sa.Column("user_agent", sa.String(USER_AGENT_MAX_LENGTH), nullable=True),
        schema=schema,
    )
    op.add_column("refresh_sessions", sa.Column("ip", sa.String(64), nullable=True), schema=schema)
    sessions = sa.table("refresh_sessions", sa.column("signed_in_at"), sa.column("created_at"), schema=schema)
    op.execute(sessions.update().values(signed_in_at=sessions.c.created_at))
    op.create_index("ix_audit_log_created_at", "audit_log", ["created_at"], schema=IDENTITY)
    op.create_index("ix_webhook_events_received_at", "webhook_events", ["received_at"], schema=PAYMENTS)


def downgrade() -> None:
    op.drop_index("ix_webhook_events_received_at", "webhook_events", schema=PAYMENTS)
    op.drop_index("ix_audit_log_created_at", "audit_log", schema=IDENTITY)
    # SQLite (3.35+) drops in place a column that no index or constraint names.
    for column in reversed(SESSION_COLUMNS):
        op.drop_column("refresh_sessions", column, schema=alter_schema(IDENTITY))
