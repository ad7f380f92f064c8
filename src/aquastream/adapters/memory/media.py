"""In-memory media adapters: file rows in the memory database, owners known by hand, and an
object storage in a dictionary."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from urllib.parse import quote

from aquastream.adapters.memory.database import MemoryDatabase, MemoryUnitOfWork
from aquastream.domain.media.model import (
    FileStatus,
    ImageVariant,
    MediaFile,
    OwnerType,
    SignedLink,
    StoredObject,
)
from aquastream.ports.media import OwnerFacts

FILES = "media.files"
VARIANTS = "media.image_variants"


class MemoryFileRepository:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    @property
    def _rows(self) -> dict[uuid.UUID, MediaFile]:
        # Looked up on every use: a rollback replaces the database's tables.
        return self._db.table(FILES)

    async def add(self, file: MediaFile) -> None:
        if file.id in self._rows or any(f.storage_key == file.storage_key for f in self._rows.values()):
            raise ValueError(f"file {file.id} or its storage key exists already")
        self._rows[file.id] = dataclasses.replace(file)

    async def get(self, file_id: uuid.UUID) -> MediaFile | None:
        file = self._rows.get(file_id)
        return dataclasses.replace(file) if file else None

    async def mark_ready(
        self,
        file_id: uuid.UUID,
        *,
        content_type: str,
        size_bytes: int,
        completed_at: datetime,
        delete_after: datetime | None,
    ) -> MediaFile | None:
        file = self._rows.get(file_id)
        if file is None or file.status is not FileStatus.PENDING:
            return None
        ready = dataclasses.replace(
            file,
            status=FileStatus.READY,
            content_type=content_type,
            size_bytes=size_bytes,
            completed_at=completed_at,
            delete_after=delete_after,
        )
        self._rows[file_id] = ready
        return dataclasses.replace(ready)

    async def remove(self, file_id: uuid.UUID) -> MediaFile | None:
        return self._rows.pop(file_id, None)

    async def list_for_user(self, user_id: uuid.UUID) -> list[MediaFile]:
        mine = [
            f
            for f in self._rows.values()
            if f.uploaded_by == user_id or (f.owner_type, f.owner_id) == (OwnerType.AVATAR, user_id)
        ]
        return sorted(mine, key=lambda f: (f.created_at, f.id))

    async def forget_names_uploaded_by(self, user_id: uuid.UUID) -> int:
        named = [f for f in self._rows.values() if f.uploaded_by == user_id and f.original_name is not None]
        for file in named:
            self._rows[file.id] = dataclasses.replace(file, original_name=None)
        return len(named)

    async def remove_owned(self, owner_type: OwnerType, owner_id: uuid.UUID) -> list[MediaFile]:
        owned = [f for f in self._rows.values() if (f.owner_type, f.owner_id) == (owner_type, owner_id)]
        for file in owned:
            del self._rows[file.id]
        return owned

    async def claim_due(self, *, now: datetime, abandoned_before: datetime, limit: int) -> list[MediaFile]:
        due = [
            f
            for f in self._rows.values()
            if (f.delete_after is not None and f.delete_after <= now)
            or (f.status is FileStatus.PENDING and f.created_at < abandoned_before)
        ]
        return [dataclasses.replace(f) for f in sorted(due, key=lambda f: (f.created_at, f.id))[:limit]]

    async def newest_ready(self, owner_type: OwnerType, owner_id: uuid.UUID) -> MediaFile | None:
        ready = [
            f
            for f in self._rows.values()
            if (f.owner_type, f.owner_id, f.status) == (owner_type, owner_id, FileStatus.READY)
        ]
        newest = max(ready, key=lambda f: (f.completed_at or f.created_at, f.id), default=None)
        return dataclasses.replace(newest) if newest else None

    async def newest_ready_of(
        self, owner_type: OwnerType, owner_ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, MediaFile]:
        found = {}
        for owner_id in owner_ids:
            newest = await self.newest_ready(owner_type, owner_id)
            if newest is not None:
                found[owner_id] = newest
        return found

    async def ready_of(self, file_ids: Collection[uuid.UUID]) -> list[MediaFile]:
        ready = [f for f in self._rows.values() if f.id in file_ids and f.status is FileStatus.READY]
        return [dataclasses.replace(f) for f in sorted(ready, key=lambda f: f.id)]

    async def lacking_variants(
        self, owner_types: Collection[OwnerType], *, after: uuid.UUID | None, limit: int
    ) -> list[MediaFile]:
        with_variants = {file_id for file_id, _ in self._db.table(VARIANTS)}
        lacking = [
            f
            for f in self._rows.values()
            if f.owner_type in owner_types
            and f.status is FileStatus.READY
            and f.id not in with_variants
            and (after is None or f.id > after)
        ]
        return [dataclasses.replace(f) for f in sorted(lacking, key=lambda f: f.id)[:limit]]


class MemoryVariantRepository:
    """Variants keyed by (file id, longest side); those of a file gone from ``media.files``
    are gone too, as the SQL rows go with their file's."""

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    @property
    def _rows(self) -> dict[tuple[uuid.UUID, int], ImageVariant]:
        rows: dict[tuple[uuid.UUID, int], ImageVariant] = self._db.table(VARIANTS)
        files = self._db.table(FILES)
        for key in [key for key in rows if key[0] not in files]:
            del rows[key]
        return rows

    async def add(self, file_id: uuid.UUID, variants: Sequence[ImageVariant]) -> bool:
        if file_id not in self._db.table(FILES):
            return False
        rows = self._rows
        for variant in variants:
            rows.setdefault((file_id, variant.longest_side), variant)
        return True

    async def of_files(self, file_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[ImageVariant]]:
        found: dict[uuid.UUID, list[ImageVariant]] = {}
        for (file_id, _), variant in sorted(self._rows.items(), key=lambda item: item[0]):
            if file_id in file_ids:
                found.setdefault(file_id, []).append(variant)
        return found


class MemoryOwnerDirectory:
    """Owners known by hand: ``known[(owner_type, owner_id)]`` are their facts."""

    def __init__(self) -> None:
        self.known: dict[tuple[OwnerType, uuid.UUID], OwnerFacts] = {}

    def add(self, owner_type: OwnerType, owner_id: uuid.UUID, facts: OwnerFacts) -> None:
        self.known[(owner_type, owner_id)] = facts

    async def facts(self, owner_type: OwnerType, owner_id: uuid.UUID) -> OwnerFacts | None:
        return self.known.get((owner_type, owner_id))


class MemoryMediaUnitOfWork(MemoryUnitOfWork):
    domain = "media"

    def __init__(self, db: MemoryDatabase, owners: MemoryOwnerDirectory) -> None:
        super().__init__(db)
        self.files = MemoryFileRepository(db)
        self.variants = MemoryVariantRepository(db)
        self.owners = owners


class MemoryObjectStorage:
    """Objects in a dictionary; its links name the key and expiry but lead nowhere."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        self.objects[key] = bytes(data)

    async def stat(self, key: str) -> StoredObject | None:
        data = self.objects.get(key)
        return None if data is None else StoredObject(len(data))

    async def read_start(self, key: str, length: int) -> bytes:
        return self.objects.get(key, b"")[:length]

    async def read(self, key: str) -> bytes | None:
        return self.objects.get(key)

    async def delete(self, key: str) -> None:
        self.objects.pop(key, None)

    async def delete_folder(self, folder: str) -> None:
        for key in [key for key in self.objects if key.startswith(f"{folder}/")]:
            del self.objects[key]

    async def download_link(
        self, key: str, *, expires_in: timedelta, now: datetime, content_type: str | None
    ) -> SignedLink:
        expires_at = now + expires_in
        return SignedLink(f"memory://{quote(key)}?expires={int(expires_at.timestamp())}", expires_at)

    async def upload_link(self, key: str, *, expires_in: timedelta, now: datetime) -> SignedLink:
        expires_at = now + expires_in
        return SignedLink(f"memory://{quote(key)}?expires={int(expires_at.timestamp())}", expires_at, "PUT")
