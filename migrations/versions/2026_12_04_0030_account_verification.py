"""Email verification: when a user proved their email theirs, and one-time codes with a purpose.

``identity.users.email_verified_at``: None until the owner of the account types the code
sent to the address (and again after the email changes). Only a verified email carries
fallback messages and recovery codes.

Existing accounts: their emails count as verified, as of the account's creation. They have
received recovery codes and messages at that address all along, and users who never linked
Telegram would otherwise be locked out of password recovery the moment this ships, with no
message able to tell them why. Accounts made from now on start unverified.

``identity.recovery_requests`` now holds every one-time code: ``purpose`` (existing rows are
password-recovery codes) and, for an email-verification code, the ``email`` it was sent to.

Revision ID: 0030_account_verification
Revises: 0029_tickets
Create Date: 2026-12-04 16:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

from aquastream.adapters.sql.migration_ops import alter_schema

revision: str = "0030_account_verification"
down_revision: str | Sequence[str] | None = "0029_tickets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IDENTITY = "identity"
# Written out here, not imported: a migration keeps the sizes of its day.
EMAIL_MAX_LENGTH = 320


def upgrade() -> None:
    # Nullable columns, or one with a server default: an ALTER on both databases, no table copy.
    schema = alter_schema(IDENTITY)
    op.add_column("users", sa.Column("email_verified_at", DateTimeUTC(), nullable=True), schema=schema)
    users = sa.table("users", sa.column("email_verified_at"), sa.column("created_at"), schema=schema)
    op.execute(users.update().values(email_verified_at=users.c.created_at))
    op.add_column(
        "recovery_requests",
        sa.Column("purpose", sa.String(24), nullable=False, server_default="PASSWORD_RESET"),
        schema=schema,
    )
    op.add_column(
        "recovery_requests", sa.Column("email", sa.String(EMAIL_MAX_LENGTH), nullable=True), schema=schema
    )


def downgrade() -> None:
    # Email-verification codes have no meaning in the older schema; recovery codes stay.
    schema = alter_schema(IDENTITY)
    requests = sa.table("recovery_requests", sa.column("purpose"), schema=schema)
    op.execute(requests.delete().where(requests.c.purpose != "PASSWORD_RESET"))
    # SQLite (3.35+) drops in place a column that no index or constraint names.
    op.drop_column("recovery_requests", "email", schema=schema)
    op.drop_column("recovery_requests", "purpose", schema=schema)
    op.drop_column("users", "email_verified_at", schema=schema)
