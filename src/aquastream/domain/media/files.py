"""Reading a file through a signed link, and deleting it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from aquastream.domain.media.access import authorize_delete, visible_file
from aquastream.domain.media.base import StorageUseCase
from aquastream.domain.media.errors import MediaForbidden, MediaNotFound
from aquastream.domain.media.events import MediaDeleted
from aquastream.domain.media.model import DeletionReason, ImageVariant, MediaFile, MediaPolicy, SignedLink
from aquastream.domain.media.variants import VariantLink, variant_links
from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.principal import Principal
from aquastream.ports.clock import Clock
from aquastream.ports.media import MediaUnitOfWork, ObjectStorage


@dataclass(frozen=True, slots=True)
class FileLink:
    """A file, a link to its bytes and links to its resized variants (none until the worker
    made them, and none for payment proofs)."""

    file: MediaFile
    download: SignedLink
    variants: tuple[VariantLink, ...] = ()


def deleted(file: MediaFile, reason: DeletionReason, *, at: datetime) -> MediaDeleted:
    return MediaDeleted(
        occurred_at=at,
        file_id=file.id,
        owner_type=file.owner_type,
        owner_id=file.owner_id,
        storage_key=file.storage_key,
        reason=reason,
    )


class GetFileLink(StorageUseCase):
    """A signed GET link of a READY file that expires after ``policy.link_ttl``.

    Rules: public owner types for anyone, even anonymous; avatars for their user and
    admins; payment proofs for the payer, the event's organizer and admins. Anything else,
    and PENDING uploads, is not found. The variants made so far are linked the same way.
    """

    raises: ClassVar[Raises] = (MediaNotFound,)

    async def __call__(self, principal: Principal | None, file_id: uuid.UUID) -> FileLink:
        async with self._uow:
            found = await self._uow.files.get(file_id)
            variants = await self._uow.variants.of_files([file_id]) if found and found.has_variants else {}
        file = await visible_file(self._uow.owners, principal, found)
        return await file_link(
            self._storage, self._policy, file, variants.get(file.id, []), now=self._clock.now()
        )


async def file_link(
    storage: ObjectStorage,
    policy: MediaPolicy,
    file: MediaFile,
    variants: list[ImageVariant],
    *,
    now: datetime,
) -> FileLink:
    """Links to a file the caller may read, and to its variants, living ``policy.link_ttl``."""
    link = await storage.download_link(
        file.storage_key, expires_in=policy.link_ttl, now=now, content_type=file.content_type
    )
    return FileLink(file, link, await variant_links(storage, variants, expires_in=policy.link_ttl, now=now))


class DeleteFile:
    """Delete a file (``DELETE /media/{id}``): its row (and its variants' rows) at once, its
    object and its variants' by the subscriber of ``MediaDeleted``. Who may: see
    ``access.authorize_delete``."""

    raises: ClassVar[Raises] = (MediaForbidden, MediaNotFound)

    def __init__(self, uow: MediaUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, principal: Principal, file_id: uuid.UUID) -> None:
        async with self._uow:
            file = await self._uow.files.get(file_id)
        if file is None:
            raise MediaNotFound()
        await authorize_delete(self._uow.owners, principal, file)
        async with self._uow:
            if await self._uow.files.remove(file_id) is None:
                raise MediaNotFound()
            self._uow.collect(deleted(file, DeletionReason.BY_OWNER, at=self._clock.now()))
            await self._uow.commit()
