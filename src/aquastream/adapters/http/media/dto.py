"""Request and response bodies of the media routes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, TypedDict

from msgspec import Meta

from aquastream.adapters.http.pictures import PictureVariantOut
from aquastream.adapters.http.structs import CamelStruct
from aquastream.domain.media.files import FileLink
from aquastream.domain.media.model import FileStatus, MediaFile, OwnerType
from aquastream.domain.media.uploads import PendingUpload

FileName = Annotated[str, Meta(max_length=1000, description="The client's name of the file, a label only.")]


class UploadStartIn(CamelStruct, forbid_unknown_fields=True):
    """Reserve a file of ``ownerType`` for ``ownerId``; the bytes go to the returned URL."""

    owner_type: OwnerType
    owner_id: uuid.UUID
    file_name: FileName | None = None


class MediaFields(TypedDict):
    """The fields of ``MediaOut``, typed, so that the responses that extend it are built from
    one mapping of a file and the type checker still sees every field."""

    id: uuid.UUID
    owner_type: OwnerType
    owner_id: uuid.UUID
    uploaded_by: uuid.UUID
    status: FileStatus
    content_type: str | None
    size_bytes: int | None
    original_name: str | None
    created_at: datetime
    completed_at: datetime | None
    delete_after: datetime | None


class MediaOut(CamelStruct):
    """A file. ``contentType`` and ``sizeBytes`` are what its bytes were found to be (null while
    PENDING); ``deleteAfter`` is when retention deletes it (payment proofs)."""

    id: uuid.UUID
    owner_type: OwnerType
    owner_id: uuid.UUID
    uploaded_by: uuid.UUID
    status: FileStatus
    content_type: str | None
    size_bytes: int | None
    original_name: str | None
    created_at: datetime
    completed_at: datetime | None
    delete_after: datetime | None

    @classmethod
    def fields_of(cls, file: MediaFile) -> MediaFields:
        return {
            "id": file.id,
            "owner_type": file.owner_type,
            "owner_id": file.owner_id,
            "uploaded_by": file.uploaded_by,
            "status": file.status,
            "content_type": file.content_type,
            "size_bytes": file.size_bytes,
            "original_name": file.original_name,
            "created_at": file.created_at,
            "completed_at": file.completed_at,
            "delete_after": file.delete_after,
        }

    @classmethod
    def of(cls, file: MediaFile) -> MediaOut:
        return cls(**cls.fields_of(file))


class MediaLinkOut(MediaOut, kw_only=True):
    """A file and a signed link to its bytes, good until ``expiresAt``; for an avatar, logo,
    team photo or event image also its resized WebP ``variants`` (upright, without metadata),
    smallest first, with links that expire with the file's; empty until the worker made them
    (moments after the upload) and for payment proofs."""

    url: str
    expires_at: datetime
    variants: list[PictureVariantOut]

    @classmethod
    def of_link(cls, link: FileLink) -> MediaLinkOut:
        return cls(
            **cls.fields_of(link.file),
            url=link.download.url,
            expires_at=link.download.expires_at,
            variants=[
                PictureVariantOut(v.variant.width, v.variant.height, v.download.url, v.variant.content_type)
                for v in link.variants
            ],
        )


class UploadStartOut(MediaOut, kw_only=True):
    """A PENDING file: send its bytes with ``uploadMethod`` to ``uploadUrl`` before
    ``expiresAt``, then call ``POST /media/{id}/complete``."""

    upload_url: str
    upload_method: str
    expires_at: datetime

    @classmethod
    def of_pending(cls, pending: PendingUpload) -> UploadStartOut:
        link = pending.upload
        return cls(
            **cls.fields_of(pending.file),
            upload_url=link.url,
            upload_method=link.method,
            expires_at=link.expires_at,
        )
