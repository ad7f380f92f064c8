"""Team members linked to accounts (issue 12): the organizer's team checks seats in.

``catalog.team_members.user_id``: the account of the service (identity's user id, a bare id
across schemas) the organizer's manager linked the person to; NULL for every existing member,
who stays a name on the page until linked. A unique index keeps one member per account and
organizer (NULLs never collide). Going down forgets the links: the index goes, then the column.

Revision ID: 0034_team_accounts
Revises: 0033_crew_seats
Create Date: 2026-12-04 19:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID
from alembic import op

from aquastream.adapters.sql.migration_ops import alter_schema

revision: str = "0034_team_accounts"
down_revision: str | Sequence[str] | None = "0033_crew_seats"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "catalog"
ACCOUNT_UNIQUE = "uq_team_members_organizer_id_user_id"


def upgrade() -> None:
    # A nullable column and an index: an ALTER on both databases, no table copy.
    schema = alter_schema(SCHEMA)
    op.add_column("team_members", sa.Column("user_id", GUID(), nullable=True), schema=schema)
    op.create_index(ACCOUNT_UNIQUE, "team_members", ["organizer_id", "user_id"], unique=True, schema=schema)


def downgrade() -> None:
    schema = alter_schema(SCHEMA)
    op.drop_index(ACCOUNT_UNIQUE, table_name="team_members", schema=schema)
    # SQLite (3.35+) drops in place a column that no index or constraint names.
    op.drop_column("team_members", "user_id", schema=schema)
