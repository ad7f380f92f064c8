"""Tables of the media domain (PostgreSQL schema ``media``).

``files`` holds one row per stored object: what it belongs to (``owner_type`` and
``owner_id``: a user for ``avatar``, an organizer for ``organizer_logo``, a team member for
``team_photo``, an event for ``event_image``, a booking for ``payment_proof``), who
uploaded it, where the bytes are (``storage_key``) and what they were found to be. A
presigned upload starts ``PENDING`` and becomes ``READY`` once the stored object has been
checked; ``delete_after`` is set for types with a retention period (payment proofs).
Other domains ask about it through media's query ports (payments: a proof's owner and
uploader), never by reading it.

``image_variants`` holds the resized WebP copies of a picture, one per longest side; they
go with their file's row (``ON DELETE CASCADE``, inside media's schema).
"""

from __future__ import annotations

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from aquastream.adapters.sql.tables.base import metadata
from aquastream.adapters.sql.tables.spine import deliveries_table, outbox_table

SCHEMA = "media"

files = Table(
    "files",
    metadata,
    Column("id", GUID(), primary_key=True),
    Column("owner_type", String(32), nullable=False),
    Column("owner_id", GUID(), nullable=False),
    Column("uploaded_by", GUID(), nullable=False),
    Column("status", String(16), nullable=False),
    Column("storage_key", String(512), nullable=False),
    Column("original_name", String(255), nullable=True),
    Column("content_type", String(127), nullable=True),
    Column("size_bytes", BigInteger(), nullable=True),
    Column("created_at", DateTimeUTC(), nullable=False),
    Column("completed_at", DateTimeUTC(), nullable=True),
    Column("delete_after", DateTimeUTC(), nullable=True),
    CheckConstraint("status IN ('PENDING', 'READY')", name="status_known"),
    CheckConstraint("size_bytes IS NULL OR size_bytes >= 0", name="size_not_negative"),
    UniqueConstraint("storage_key"),
    Index("ix_files_owner", "owner_type", "owner_id"),
    Index("ix_files_delete_after", "delete_after"),
    schema=SCHEMA,
)

image_variants = Table(
    "image_variants",
    metadata,
    Column("file_id", GUID(), ForeignKey(f"{SCHEMA}.files.id", ondelete="CASCADE"), primary_key=True),
    Column("longest_side", Integer(), primary_key=True),
    Column("width", Integer(), nullable=False),
    Column("height", Integer(), nullable=False),
    Column("size_bytes", BigInteger(), nullable=False),
    Column("content_type", String(127), nullable=False),
    Column("storage_key", String(512), nullable=False),
    CheckConstraint("width > 0 AND height > 0 AND longest_side > 0", name="variant_size_positive"),
    UniqueConstraint("storage_key"),
    schema=SCHEMA,
)

outbox = outbox_table("media", SCHEMA)
deliveries = deliveries_table("media", SCHEMA)
