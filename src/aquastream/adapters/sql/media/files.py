"""File rows in ``media.files``."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, Select, and_, bindparam, delete, exists, func, insert, or_, select, update

from aquastream.adapters.sql.tables.media import files, image_variants
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.media.model import FileStatus, MediaFile, OwnerType


def _file_from_row(row: RowMapping) -> MediaFile:
    return MediaFile(
        id=row["id"],
        owner_type=OwnerType(row["owner_type"]),
        owner_id=row["owner_id"],
        uploaded_by=row["uploaded_by"],
        status=FileStatus(row["status"]),
        storage_key=row["storage_key"],
        created_at=row["created_at"],
        original_name=row["original_name"],
        content_type=row["content_type"],
        size_bytes=row["size_bytes"],
        completed_at=row["completed_at"],
        delete_after=row["delete_after"],
    )


class SqlFileRepository(SqlRepository):
    async def _one(self, statement: Any) -> MediaFile | None:
        row = (await self._connection.execute(statement)).mappings().first()
        return _file_from_row(row) if row else None

    async def add(self, file: MediaFile) -> None:
        await self._connection.execute(
            insert(files).values(
                id=file.id,
                owner_type=file.owner_type.value,
                owner_id=file.owner_id,
                uploaded_by=file.uploaded_by,
                status=file.status.value,
                storage_key=file.storage_key,
                original_name=file.original_name,
                content_type=file.content_type,
                size_bytes=file.size_bytes,
                created_at=file.created_at,
                completed_at=file.completed_at,
                delete_after=file.delete_after,
            )
        )

    async def get(self, file_id: uuid.UUID) -> MediaFile | None:
        return await self._one(select(files).where(files.c.id == file_id))

    async def mark_ready(
        self,
        file_id: uuid.UUID,
        *,
        content_type: str,
        size_bytes: int,
        completed_at: datetime,
        delete_after: datetime | None,
    ) -> MediaFile | None:
        c = files.c
        return await self._one(
            update(files)
            .where(c.id == file_id, c.status == FileStatus.PENDING.value)
            .values(
                status=FileStatus.READY.value,
                content_type=content_type,
                size_bytes=size_bytes,
                completed_at=completed_at,
                delete_after=delete_after,
            )
            .returning(*files.c)
        )

    async def remove(self, file_id: uuid.UUID) -> MediaFile | None:
        return await self._one(delete(files).where(files.c.id == file_id).returning(*files.c))

    async def list_for_user(self, user_id: uuid.UUID) -> list[MediaFile]:
        c = files.c
        mine = or_(
            c.uploaded_by == user_id, and_(c.owner_type == OwnerType.AVATAR.value, c.owner_id == user_id)
        )
        rows = await self._connection.execute(select(files).where(mine).order_by(c.created_at, c.id))
        return [_file_from_row(row) for row in rows.mappings()]

    async def forget_names_uploaded_by(self, user_id: uuid.UUID) -> int:
        c = files.c
        result = await self._connection.execute(
            update(files)
            .where(c.uploaded_by == user_id, c.original_name.is_not(None))
            .values(original_name=None)
        )
        return int(result.rowcount or 0)

    async def remove_owned(self, owner_type: OwnerType, owner_id: uuid.UUID) -> list[MediaFile]:
        statement = (
            delete(files)
            .where(files.c.owner_type == owner_type.value, files.c.owner_id == owner_id)
            .returning(*files.c)
        )
        rows = (await self._connection.execute(statement)).mappings().all()
        return [_file_from_row(row) for row in rows]

    async def claim_due(self, *, now: datetime, abandoned_before: datetime, limit: int) -> list[MediaFile]:
        c = files.c
        statement = (
            select(files)
            .where(
                or_(
                    c.delete_after <= now,
                    and_(c.status == FileStatus.PENDING.value, c.created_at < abandoned_before),
                )
            )
            .order_by(c.created_at, c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = (await self._connection.execute(statement)).mappings().all()
        return [_file_from_row(row) for row in rows]

    async def newest_ready(self, owner_type: OwnerType, owner_id: uuid.UUID) -> MediaFile | None:
        c = files.c
        return await self._one(
            select(files)
            .where(
                c.owner_type == owner_type.value, c.owner_id == owner_id, c.status == FileStatus.READY.value
            )
            .order_by(c.completed_at.desc(), c.id.desc())
            .limit(1)
        )

    async def newest_ready_of(
        self, owner_type: OwnerType, owner_ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, MediaFile]:
        if not owner_ids:
            return {}
        parameters = {"owner_type": owner_type.value, "owner_ids": list(owner_ids)}
        rows = await self._connection.execute(_NEWEST_READY, parameters)
        return {row["owner_id"]: _file_from_row(row) for row in rows.mappings()}

    async def ready_of(self, file_ids: Collection[uuid.UUID]) -> list[MediaFile]:
        if not file_ids:
            return []
        c = files.c
        rows = await self._connection.execute(
            select(files).where(c.id.in_(list(file_ids)), c.status == FileStatus.READY.value).order_by(c.id)
        )
        return [_file_from_row(row) for row in rows.mappings()]

    async def lacking_variants(
        self, owner_types: Collection[OwnerType], *, after: uuid.UUID | None, limit: int
    ) -> list[MediaFile]:
        c = files.c
        statement = select(files).where(
            c.owner_type.in_(sorted(owner_type.value for owner_type in owner_types)),
            c.status == FileStatus.READY.value,
            ~exists().where(image_variants.c.file_id == c.id),
        )
        if after is not None:
            statement = statement.where(c.id > after)
        rows = await self._connection.execute(statement.order_by(c.id).limit(limit))
        return [_file_from_row(row) for row in rows.mappings()]


def _newest_ready() -> Select[Any]:
    """Each owner's newest finished upload of one kind: built once, bound per call (a catalog
    page asks it on every answer; building the ranked subquery and its columns each time was a
    fifth of an event page's time)."""
    c = files.c
    newest_first = func.row_number().over(
        partition_by=c.owner_id, order_by=(c.completed_at.desc(), c.id.desc())
    )
    ranked = (
        select(files, newest_first.label("rank"))
        .where(
            c.owner_type == bindparam("owner_type"),
            c.owner_id.in_(bindparam("owner_ids", expanding=True)),
            c.status == FileStatus.READY.value,
        )
        .subquery()
    )
    return select(ranked).where(ranked.c.rank == 1)


_NEWEST_READY = _newest_ready()
