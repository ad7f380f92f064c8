"""Idempotency keys kept with what their request created: booking's keys name their booking,
and payments keeps its own (until now its keys were booking's table).

Keys last 24 h and only spare a client a repeated action: the keys in flight at the upgrade
(or the downgrade) are forgotten rather than converted.

Revision ID: 0011_idempotency_keys_per_domain
Revises: 0010_booking_partial_refunds
Create Date: 2026-12-03 15:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0011_idempotency_keys_per_domain"
down_revision: str | Sequence[str] | None = "0010_booking_partial_refunds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BOOKING_KEYS = "idempotency_keys"
PAYMENT_KEYS = "payment_idempotency_keys"  # named apart: SQLite keeps all schemas in one


def _create(table: str, schema: str, *, with_resource: bool) -> None:
    op.create_table(
        table,
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("request_hash", sa.String(128), nullable=False),
        *([sa.Column("resource_id", GUID(), nullable=False)] if with_resource else []),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("user_id", "key", name=f"pk_{table}"),
        schema=schema,
    )
    op.create_index(f"ix_{table}_created_at", table, ["created_at"], schema=schema)


def upgrade() -> None:
    op.drop_table(BOOKING_KEYS, schema="booking")
    _create(BOOKING_KEYS, "booking", with_resource=True)
    _create(PAYMENT_KEYS, "payments", with_resource=True)


def downgrade() -> None:
    op.drop_table(PAYMENT_KEYS, schema="payments")
    op.drop_table(BOOKING_KEYS, schema="booking")
    _create(BOOKING_KEYS, "booking", with_resource=False)
