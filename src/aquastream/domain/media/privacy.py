"""The media domain's part of a user's data export (SPEC §2)."""

from __future__ import annotations

import uuid
from typing import Any

from aquastream.domain.media.model import MediaFile
from aquastream.domain.shared.privacy import iso
from aquastream.ports.media import MediaUnitOfWork


class ExportMyMediaData:
    """The metadata of every file the user uploaded or that is their avatar, oldest first:
    what it belongs to, its name, type and size, never the bytes (the user downloads those
    through the usual links) nor the storage key (an internal address)."""

    def __init__(self, uow: MediaUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, user_id: uuid.UUID) -> dict[str, Any]:
        async with self._uow:
            found = await self._uow.files.list_for_user(user_id)
        return {"files": [_file(f, user_id) for f in found]}


def _file(file: MediaFile, user_id: uuid.UUID) -> dict[str, Any]:
    return {
        "id": str(file.id),
        "ownerType": str(file.owner_type),
        "ownerId": str(file.owner_id),
        "uploadedByMe": file.uploaded_by == user_id,
        "status": str(file.status),
        "originalName": file.original_name,
        "contentType": file.content_type,
        "sizeBytes": file.size_bytes,
        "createdAt": iso(file.created_at),
        "completedAt": iso(file.completed_at),
        "deleteAfter": iso(file.delete_after),
    }
