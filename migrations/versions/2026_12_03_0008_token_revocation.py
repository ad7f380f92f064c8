"""Revocable access tokens: the users' tokens-not-before mark, and indexes to read what was
revoked lately (users by their mark, sessions ended rather than rotated by when).

Revision ID: 0008_token_revocation
Revises: 0007_notifications
Create Date: 2026-12-03 12:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

from aquastream.adapters.sql.migration_ops import alter_schema

revision: str = "0008_token_revocation"
down_revision: str | Sequence[str] | None = "0007_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "identity"

# Written out here, not imported: a migration keeps the predicates of its day.
MARKED_USER = sa.text("tokens_not_before IS NOT NULL")
ENDED_SESSION = sa.text("revoked_at IS NOT NULL AND replaced_by IS NULL")


def upgrade() -> None:
    # A nullable column: an ALTER on both databases, no table copy.
    op.add_column(
        "users", sa.Column("tokens_not_before", DateTimeUTC(), nullable=True), schema=alter_schema(SCHEMA)
    )
    op.create_index(
        "ix_users_marked_tokens_not_before",
        "users",
        ["tokens_not_before"],
        schema=SCHEMA,
        postgresql_where=MARKED_USER,
        sqlite_where=MARKED_USER,
    )
    op.create_index(
        "ix_refresh_sessions_ended_revoked_at",
        "refresh_sessions",
        ["revoked_at"],
        schema=SCHEMA,
        postgresql_where=ENDED_SESSION,
        sqlite_where=ENDED_SESSION,
    )


def downgrade() -> None:
    op.drop_index("ix_refresh_sessions_ended_revoked_at", "refresh_sessions", schema=SCHEMA)
    op.drop_index("ix_users_marked_tokens_not_before", "users", schema=SCHEMA)
    # SQLite (3.35+) drops in place a column that no index or constraint names any more.
    op.drop_column("users", "tokens_not_before", schema=alter_schema(SCHEMA))
