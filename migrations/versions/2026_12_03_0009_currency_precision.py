"""Money columns hold 3 fraction digits, what the finest currencies need (KWD, BHD, JOD…).

Every price and amount goes from NUMERIC(12, 2) to NUMERIC(13, 3): still 10 integer digits,
one more fraction digit. Each amount keeps its own currency's digits in the application;
the column only has to hold the finest. SQLite disregards NUMERIC's precision and scale, so
there the columns stay as they are.

Going down refuses to round: while any amount uses the third fraction digit, the downgrade
stops and names the column instead of silently changing what was charged.

Revision ID: 0009_currency_precision
Revises: 0008_token_revocation
Create Date: 2026-12-03 12:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from aquastream.adapters.sql.migration_ops import on_postgresql

revision: str = "0009_currency_precision"
down_revision: str | Sequence[str] | None = "0008_token_revocation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (schema, table, column, nullable)
MONEY_COLUMNS = (
    ("catalog", "events", "price", True),
    ("booking", "inventories", "price", True),
    ("booking", "bookings", "amount", False),
    ("payments", "payments", "amount", False),
    ("payments", "payments", "refunded_amount", False),
    ("payments", "refunds", "amount", False),
)
OLD_TYPE = sa.Numeric(12, 2)
NEW_TYPE = sa.Numeric(13, 3)


def upgrade() -> None:
    if not on_postgresql():
        return
    for schema, table, column, nullable in MONEY_COLUMNS:
        op.alter_column(
            table, column, schema=schema, type_=NEW_TYPE, existing_type=OLD_TYPE, existing_nullable=nullable
        )


def downgrade() -> None:
    if not on_postgresql():
        return
    for schema, table, column, _ in MONEY_COLUMNS:
        amount = sa.column(column, NEW_TYPE)
        finer = op.get_bind().scalar(
            sa.select(sa.func.count())
            .select_from(sa.table(table, amount, schema=schema))
            .where(amount != sa.func.round(amount, 2))
        )
        if finer:
            raise RuntimeError(
                f"{schema}.{table}.{column} has {finer} amount(s) with 3 fraction digits, which "
                "NUMERIC(12, 2) cannot hold; settle or convert them before downgrading."
            )
    for schema, table, column, nullable in MONEY_COLUMNS:
        op.alter_column(
            table, column, schema=schema, type_=OLD_TYPE, existing_type=NEW_TYPE, existing_nullable=nullable
        )
