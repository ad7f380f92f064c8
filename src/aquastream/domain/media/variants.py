"""Resized WebP variants of pictures: which sizes are made, making them after an upload (the
worker, on ``MediaUploaded``), and their signed links. They go with their file: the row
deletion removes their rows, and the removal of the file's object removes their folder."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from aquastream.domain.media.checks import checked_header
from aquastream.domain.media.errors import ImageTooLarge, UnreadableImage
from aquastream.domain.media.events import MediaUploaded
from aquastream.domain.media.model import (
    IMAGE_OWNER_TYPES,
    FileStatus,
    ImageVariant,
    MediaPolicy,
    SignedLink,
    storage_key_for,
    variant_key,
    variants_folder,
)
from aquastream.ports.media import ImageProcessor, MediaUnitOfWork, ObjectStorage

logger = logging.getLogger("aquastream.media")


def variant_sides(width: int, height: int, sizes: Sequence[int]) -> list[int]:
    """The longest sides of the variants of a ``width`` by ``height`` picture, smallest first:
    each of ``sizes`` capped at the picture's own longest side, each once. A picture is never
    enlarged: one smaller than every size gets one variant of its own size (every picture
    then has a WebP copy without metadata), one between two sizes gets the smaller sizes and
    one of its own size."""
    longest = max(width, height)
    return sorted({min(size, longest) for size in sizes})


@dataclass(frozen=True, slots=True)
class VariantLink:
    variant: ImageVariant
    download: SignedLink


async def variant_links(
    storage: ObjectStorage, variants: Sequence[ImageVariant], *, expires_in: timedelta, now: datetime
) -> tuple[VariantLink, ...]:
    """Signed GET links of ``variants``, each living ``expires_in``."""
    return tuple(
        [
            VariantLink(
                variant,
                await storage.download_link(
                    variant.storage_key, expires_in=expires_in, now=now, content_type=variant.content_type
                ),
            )
            for variant in variants
        ]
    )


class MakeImageVariants:
    """Make the WebP variants of an uploaded picture; the handler of ``MediaUploaded``.

    Rules:
    - only READY avatars, organizer logos, team photos and event images get variants;
    - their sizes are ``variant_sides`` of the picture as shown (EXIF orientation applied) and
      ``policy.variant_sizes``; each is upright, without any metadata (EXIF, XMP, colour
      profile), stored next to the original (``variants_folder``) and recorded with its
      dimensions and bytes;
    - idempotent: a file that has its variants, or is gone, is left alone, and the keys are
      fixed by the file and the size, so a redelivered fact makes nothing twice;
    - a stored picture that no longer passes the checks (kept from before they existed) gets
      none: logged, not retried;
    - a file deleted while its variants were made: they are removed again (the recording
      holds the file's row, so the deletion either waits and takes them, or came first);
      a file found gone has its variants' folder emptied, in case an earlier attempt that
      failed halfway stored some after the file's objects were removed.
    Returns how many variants were recorded.
    """

    def __init__(
        self, uow: MediaUnitOfWork, storage: ObjectStorage, images: ImageProcessor, policy: MediaPolicy
    ) -> None:
        self._uow = uow
        self._storage = storage
        self._images = images
        self._policy = policy

    async def __call__(self, uploaded: MediaUploaded) -> int:
        if uploaded.owner_type not in IMAGE_OWNER_TYPES:
            return 0
        key = storage_key_for(uploaded.owner_type, uploaded.owner_id, uploaded.file_id)
        return await self.of_file(uploaded.file_id, key)

    async def of_file(self, file_id: uuid.UUID, storage_key: str) -> int:
        """Make the variants of the picture ``file_id`` stored under ``storage_key``, by the
        rules above."""
        async with self._uow:
            file = await self._uow.files.get(file_id)
            made = await self._uow.variants.of_files([file_id])
        if file is None:
            # Deleted before (or while) its variants were made: whatever an earlier attempt
            # stored goes, as the removal of the file's objects may have run before it.
            await self._storage.delete_folder(variants_folder(storage_key))
            return 0
        if file.status is not FileStatus.READY or made:
            return 0
        data = await self._storage.read(file.storage_key)
        if data is None:
            return 0
        try:
            header = await checked_header(self._policy, self._images, file.content_type, data)
            sides = variant_sides(header.width, header.height, self._policy.variant_sizes)
            rendered = await self._images.render(data, sides)
        except (ImageTooLarge, UnreadableImage) as error:
            logger.warning(
                "no variants of an unreadable picture", extra={"file_id": str(file.id), "code": error.code}
            )
            return 0
        variants = []
        for side, image in zip(sides, rendered, strict=True):
            key = variant_key(file.storage_key, side)
            await self._storage.put(key, image.data, content_type=image.content_type)
            variants.append(
                ImageVariant(
                    file.id, side, image.width, image.height, len(image.data), key, image.content_type
                )
            )
        async with self._uow:
            recorded = await self._uow.variants.add(file.id, variants)
            await self._uow.commit()
        if not recorded:
            await self._storage.delete_folder(variants_folder(file.storage_key))
            return 0
        return len(variants)


@dataclass(frozen=True, slots=True)
class VariantsBackfill:
    """What a run of ``MakeMissingVariants`` did: ``pictures`` found without variants,
    ``given`` of them variants now, ``variants`` made in all. The others (``skipped``) could
    not be read, had lost their object, or were given variants (by a worker) or deleted
    meanwhile."""

    pictures: int = 0
    given: int = 0
    variants: int = 0

    @property
    def skipped(self) -> int:
        return self.pictures - self.given


class MakeMissingVariants:
    """Make the variants of the pictures that have none: those uploaded before variants were
    made (``aquastream media make-variants``).

    Rules:
    - READY avatars, logos, team photos and event images without any variant, walked by id in
      batches of ``batch_size`` (one short read each; the pictures are made one by one
      outside it, as after an upload);
    - each is made as ``MakeImageVariants`` makes it after an upload, so a second run, or the
      worker making the same picture meanwhile, makes nothing twice;
    - a picture that gets none (unreadable, its object gone) is counted and passed over, so
      the run ends; a later run finds it again.
    """

    def __init__(self, uow: MediaUnitOfWork, make: MakeImageVariants) -> None:
        self._uow = uow
        self._make = make

    async def __call__(self, *, batch_size: int = 100) -> VariantsBackfill:
        done = VariantsBackfill()
        after: uuid.UUID | None = None
        while True:
            async with self._uow.reading():
                batch = await self._uow.files.lacking_variants(
                    IMAGE_OWNER_TYPES, after=after, limit=batch_size
                )
            for file in batch:
                made = await self._make.of_file(file.id, file.storage_key)
                done = VariantsBackfill(
                    done.pictures + 1, done.given + (1 if made else 0), done.variants + made
                )
            if len(batch) < batch_size:
                return done
            after = batch[-1].id
