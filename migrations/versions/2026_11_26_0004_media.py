"""Media: the stored files of every owner type and where their bytes are.

Revision ID: 0004_media
Revises: 0003_booking
Create Date: 2026-11-26 09:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

from aquastream.adapters.sql.migration_ops import create_schemas, drop_schemas

revision: str = "0004_media"
down_revision: str | Sequence[str] | None = "0003_booking"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "media"


def upgrade() -> None:
    create_schemas(SCHEMA)
    op.create_table(
        "files",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("owner_type", sa.String(32), nullable=False),
        sa.Column("owner_id", GUID(), nullable=False),
        sa.Column("uploaded_by", GUID(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("storage_key", sa.String(512), nullable=False),
        sa.Column("original_name", sa.String(255), nullable=True),
        sa.Column("content_type", sa.String(127), nullable=True),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("completed_at", DateTimeUTC(), nullable=True),
        sa.Column("delete_after", DateTimeUTC(), nullable=True),
        sa.CheckConstraint("status IN ('PENDING', 'READY')", name="ck_files_status_known"),
        sa.CheckConstraint("size_bytes IS NULL OR size_bytes >= 0", name="ck_files_size_not_negative"),
        sa.PrimaryKeyConstraint("id", name="pk_files"),
        sa.UniqueConstraint("storage_key", name="uq_files_storage_key"),
        schema=SCHEMA,
    )
    op.create_index("ix_files_owner", "files", ["owner_type", "owner_id"], schema=SCHEMA)
    op.create_index("ix_files_delete_after", "files", ["delete_after"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("files", schema=SCHEMA)
    drop_schemas(SCHEMA)
