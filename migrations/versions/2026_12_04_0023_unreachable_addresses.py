"""Notifications remembers addresses that stopped reaching a user for good
(``notifications.unreachable_addresses``): a Telegram chat whose user blocked the bot is
skipped, and its messages fall back to the next channel, until the user talks to the bot
again.

Revision ID: 0023_unreachable_addresses
Revises: 0016_satellites_own_their_data
Create Date: 2026-12-04 09:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0023_unreachable_addresses"
down_revision: str | Sequence[str] | None = "0016_satellites_own_their_data"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unreachable_addresses",
        sa.Column("user_id", GUID(), primary_key=True),
        sa.Column("channel", sa.String(16), primary_key=True),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("marked_at", DateTimeUTC(), nullable=False),
        schema="notifications",
    )


def downgrade() -> None:
    op.drop_table("unreachable_addresses", schema="notifications")
