"""Variant rows in ``media.image_variants``."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select

from aquastream.adapters.sql.statements import dialect_insert
from aquastream.adapters.sql.tables.media import files, image_variants
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.media.model import ImageVariant


class SqlVariantRepository(SqlRepository):
    async def add(self, file_id: uuid.UUID, variants: Sequence[ImageVariant]) -> bool:
        # FOR SHARE: a deletion of the file waits for this transaction, then its cascade
        # takes the rows written here (SQLite's one writer needs no lock).
        held = select(files.c.id).where(files.c.id == file_id).with_for_update(read=True)
        if (await self._connection.execute(held)).first() is None:
            return False
        if variants:
            await self._connection.execute(
                dialect_insert(self._connection, image_variants)
                .values(
                    [
                        {
                            "file_id": file_id,
                            "longest_side": variant.longest_side,
                            "width": variant.width,
                            "height": variant.height,
                            "size_bytes": variant.size_bytes,
                            "content_type": variant.content_type,
                            "storage_key": variant.storage_key,
                        }
                        for variant in variants
                    ]
                )
                .on_conflict_do_nothing(index_elements=["file_id", "longest_side"])
            )
        return True

    async def of_files(self, file_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[ImageVariant]]:
        if not file_ids:
            return {}
        c = image_variants.c
        rows = await self._connection.execute(
            select(image_variants).where(c.file_id.in_(list(file_ids))).order_by(c.file_id, c.longest_side)
        )
        found: dict[uuid.UUID, list[ImageVariant]] = {}
        for row in rows.mappings():
            found.setdefault(row["file_id"], []).append(
                ImageVariant(
                    file_id=row["file_id"],
                    longest_side=row["longest_side"],
                    width=row["width"],
                    height=row["height"],
                    size_bytes=row["size_bytes"],
                    storage_key=row["storage_key"],
                    content_type=row["content_type"],
                )
            )
        return found
