"""Facts keep the trace that raised them: a ``trace_context`` column (the W3C ``traceparent``,
nullable: facts raised outside a trace, and those of before, have none) on every domain's
outbox and deliveries, so that a subscriber's handling continues the request's trace.

Revision ID: 0025_outbox_trace_context
Revises: 0024_session_device
Create Date: 2026-12-04 09:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from aquastream.adapters.sql.migration_ops import alter_schema

revision: str = "0025_outbox_trace_context"
down_revision: str | Sequence[str] | None = "0024_session_device"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOMAINS = ("identity", "catalog", "booking", "payments", "notifications", "crews", "media")
# "00-<32 hex>-<16 hex>-<2 hex>" is 55 characters; later versions of the format may be longer.
TRACE_CONTEXT_LENGTH = 128


def upgrade() -> None:
    for domain in DOMAINS:
        for table in (f"{domain}_outbox", f"{domain}_deliveries"):
            op.add_column(
                table,
                sa.Column("trace_context", sa.String(TRACE_CONTEXT_LENGTH), nullable=True),
                schema=alter_schema(domain),
            )


def downgrade() -> None:
    for domain in DOMAINS:
        for table in (f"{domain}_outbox", f"{domain}_deliveries"):
            op.drop_column(table, "trace_context", schema=alter_schema(domain))
