"""Resized WebP variants of pictures (``media.image_variants``): one row per file and longest
side, with what the copy is (width, height, bytes, type) and where it is stored. The rows go
with their file's (``ON DELETE CASCADE``, both tables in media's schema). Pictures uploaded
before this revision get no variants by it: the worker makes them for uploads from now on.

Revision ID: 0031_image_variants
Revises: 0030_account_verification
Create Date: 2026-12-04 16:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID
from alembic import op

revision: str = "0031_image_variants"
down_revision: str | Sequence[str] | None = "0030_account_verification"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "image_variants",
        sa.Column("file_id", GUID(), nullable=False),
        sa.Column("longest_side", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("content_type", sa.String(length=127), nullable=False),
        sa.Column("storage_key", sa.String(length=512), nullable=False),
        sa.CheckConstraint(
            "width > 0 AND height > 0 AND longest_side > 0", name="ck_image_variants_variant_size_positive"
        ),
        sa.ForeignKeyConstraint(
            ["file_id"], ["media.files.id"], name="fk_image_variants_file_id_files", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("file_id", "longest_side", name="pk_image_variants"),
        sa.UniqueConstraint("storage_key", name="uq_image_variants_storage_key"),
        schema="media",
    )


def downgrade() -> None:
    op.drop_table("image_variants", schema="media")
