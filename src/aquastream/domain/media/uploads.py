"""Uploading a file: in one request (multipart), or by a presigned PUT that a second call
completes after checking what was stored.

The owner is checked before any byte is handled, and the storage is written outside any
transaction (a 25 MB upload never holds a database connection). Bytes that fail the
checks are never kept: a direct upload leaves no row and no object; a presigned one has
its object removed (its PENDING row waits for a corrected file or the retention job).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import ClassVar

from aquastream.domain.media.access import authorize_upload
from aquastream.domain.media.base import CheckingUseCase, StorageUseCase
from aquastream.domain.media.checks import check_picture, checked_format, clean_name
from aquastream.domain.media.errors import (
    BookingNotPending,
    EmptyFile,
    FileTooLarge,
    ImageTooLarge,
    MediaForbidden,
    MediaNotFound,
    ObjectNotUploaded,
    OwnerNotFound,
    UnreadableImage,
    UnsupportedFileType,
)
from aquastream.domain.media.events import MediaUploaded
from aquastream.domain.media.model import (
    FileStatus,
    MediaFile,
    OwnerType,
    SignedLink,
    storage_key_for,
)
from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal


def _uploaded(file: MediaFile) -> MediaUploaded:
    assert file.completed_at is not None
    assert file.content_type is not None
    return MediaUploaded(
        occurred_at=file.completed_at,
        file_id=file.id,
        owner_type=file.owner_type,
        owner_id=file.owner_id,
        uploaded_by=file.uploaded_by,
        content_type=file.content_type,
    )


class UploadFile(CheckingUseCase):
    """Store a file sent in the request (multipart ``POST /media``).

    Rules: the caller may add files to the owner (see ``access``); the bytes are at most
    ``policy.max_bytes``, not empty, and of a format the owner type accepts, recognised
    from the bytes; a picture of an avatar, logo, team photo or event image must decode
    within the pixel limits (``checks.check_picture``). The object is written first, then the
    row (READY); if the row cannot be written the object is removed again. Raises
    ``MediaUploaded``, on which the worker makes the picture's variants.
    """

    raises: ClassVar[Raises] = (
        BookingNotPending,
        EmptyFile,
        FileTooLarge,
        ImageTooLarge,
        MediaForbidden,
        OwnerNotFound,
        UnreadableImage,
        UnsupportedFileType,
    )

    async def __call__(
        self,
        principal: Principal,
        owner_type: OwnerType,
        owner_id: uuid.UUID,
        data: bytes,
        *,
        file_name: str | None = None,
    ) -> MediaFile:
        await authorize_upload(self._uow.owners, principal, owner_type, owner_id)
        content_type = checked_format(
            self._policy,
            self._sniffer,
            owner_type,
            size_bytes=len(data),
            head=data[: self._sniffer.bytes_needed],
        )
        await check_picture(self._policy, self._images, owner_type, content_type, data)
        file_id = new_id()
        key = storage_key_for(owner_type, owner_id, file_id)
        await self._storage.put(key, data, content_type=content_type)
        try:
            async with self._uow:
                now = self._clock.now()
                file = MediaFile(
                    id=file_id,
                    owner_type=owner_type,
                    owner_id=owner_id,
                    uploaded_by=principal.user_id,
                    status=FileStatus.READY,
                    storage_key=key,
                    created_at=now,
                    original_name=clean_name(file_name),
                    content_type=content_type,
                    size_bytes=len(data),
                    completed_at=now,
                    delete_after=self._policy.delete_after(owner_type, now),
                )
                await self._uow.files.add(file)
                self._uow.collect(_uploaded(file))
                await self._uow.commit()
        except BaseException:
            await self._storage.delete(key)
            raise
        return file


@dataclass(frozen=True, slots=True)
class PendingUpload:
    file: MediaFile
    upload: SignedLink


class StartUpload(StorageUseCase):
    """Reserve a file and hand out a presigned PUT URL (``POST /media/uploads``).

    Rules: the caller may add files to the owner; the row is PENDING, seen by its uploader
    alone, until ``CompleteUpload``; the URL lives ``policy.link_ttl``, and an upload never
    completed is dropped by the retention job after ``policy.abandoned_after``.
    """

    raises: ClassVar[Raises] = (BookingNotPending, MediaForbidden, OwnerNotFound)

    async def __call__(
        self,
        principal: Principal,
        owner_type: OwnerType,
        owner_id: uuid.UUID,
        *,
        file_name: str | None = None,
    ) -> PendingUpload:
        await authorize_upload(self._uow.owners, principal, owner_type, owner_id)
        async with self._uow:
            file_id = new_id()
            file = MediaFile(
                id=file_id,
                owner_type=owner_type,
                owner_id=owner_id,
                uploaded_by=principal.user_id,
                status=FileStatus.PENDING,
                storage_key=storage_key_for(owner_type, owner_id, file_id),
                created_at=self._clock.now(),
                original_name=clean_name(file_name),
            )
            await self._uow.files.add(file)
            await self._uow.commit()
        link = await self._storage.upload_link(
            file.storage_key, expires_in=self._policy.link_ttl, now=file.created_at
        )
        return PendingUpload(file, link)


class CompleteUpload(CheckingUseCase):
    """Check what was PUT to a presigned URL and make the file READY (``POST /media/{id}/complete``).

    Rules: only the uploader completes (anyone else: not found); nothing stored yet is 409
    ``media.not_uploaded``; the stored object must pass the same checks as a direct upload
    (a picture is read whole for them).
    An object that fails them is removed at once, and the upload stays open: while its URL
    lives the client may PUT a corrected file and complete again, and a PUT after the
    refusal never leaves an object that no row names (the retention job drops the
    upload, with whatever it holds, once abandoned). Completing a READY file again answers
    it unchanged; of two racing completions exactly one makes the file READY and raises
    ``MediaUploaded``.
    """

    raises: ClassVar[Raises] = (
        BookingNotPending,
        EmptyFile,
        FileTooLarge,
        ImageTooLarge,
        MediaForbidden,
        MediaNotFound,
        ObjectNotUploaded,
        OwnerNotFound,
        UnreadableImage,
        UnsupportedFileType,
    )

    async def __call__(self, principal: Principal, file_id: uuid.UUID) -> MediaFile:
        async with self._uow:
            file = await self._uow.files.get(file_id)
        if file is None or file.uploaded_by != principal.user_id:
            raise MediaNotFound()
        if file.status is FileStatus.READY:
            return file
        await authorize_upload(self._uow.owners, principal, file.owner_type, file.owner_id)
        stored = await self._storage.stat(file.storage_key)
        if stored is None:
            raise ObjectNotUploaded()
        try:
            content_type = checked_format(
                self._policy,
                self._sniffer,
                file.owner_type,
                size_bytes=stored.size_bytes,
                head=await self._storage.read_start(file.storage_key, self._sniffer.bytes_needed),
            )
            if file.has_variants:
                data = await self._storage.read(file.storage_key)
                if data is None:
                    raise ObjectNotUploaded()
                await check_picture(self._policy, self._images, file.owner_type, content_type, data)
        except (EmptyFile, FileTooLarge, ImageTooLarge, UnreadableImage, UnsupportedFileType):
            await self._storage.delete(file.storage_key)
            raise
        return await self._make_ready(file, content_type, stored.size_bytes)

    async def _make_ready(self, file: MediaFile, content_type: str, size_bytes: int) -> MediaFile:
        async with self._uow:
            now = self._clock.now()
            ready = await self._uow.files.mark_ready(
                file.id,
                content_type=content_type,
                size_bytes=size_bytes,
                completed_at=now,
                delete_after=self._policy.delete_after(file.owner_type, now),
            )
            if ready is None:
                # Another completion won (or the upload was dropped meanwhile).
                current = await self._uow.files.get(file.id)
                if current is None:
                    raise MediaNotFound()
                return current
            self._uow.collect(_uploaded(ready))
            await self._uow.commit()
        return ready
