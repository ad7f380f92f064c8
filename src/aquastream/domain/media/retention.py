"""Keeping storage tidy: payment proofs past their retention, uploads never completed, the
avatars of deleted accounts, and the objects of deleted rows."""

from __future__ import annotations

import uuid

from aquastream.domain.media.events import MediaDeleted
from aquastream.domain.media.files import deleted
from aquastream.domain.media.model import DeletionReason, FileStatus, MediaPolicy, OwnerType, variants_folder
from aquastream.ports.clock import Clock
from aquastream.ports.media import MediaUnitOfWork, ObjectStorage


class PurgeDueFiles:
    """Delete the rows of files that are due (a scheduled job).

    Rules:
    - a file whose ``delete_after`` has passed goes (payment proofs, 90 days after upload);
    - a PENDING upload older than ``policy.abandoned_after`` goes;
    - at most ``policy.purge_batch_size`` per run, claimed with row locks other workers skip
      (``FOR UPDATE SKIP LOCKED``), so each file is deleted once however many workers run;
    - each deletion raises ``MediaDeleted``, whose subscriber removes the object.
    Returns how many files were deleted.
    """

    def __init__(self, uow: MediaUnitOfWork, clock: Clock, policy: MediaPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy

    async def __call__(self) -> int:
        purged = 0
        async with self._uow:
            now = self._clock.now()
            due = await self._uow.files.claim_due(
                now=now,
                abandoned_before=now - self._policy.abandoned_after,
                limit=self._policy.purge_batch_size,
            )
            for file in due:
                if await self._uow.files.remove(file.id) is None:
                    continue
                reason = (
                    DeletionReason.ABANDONED
                    if file.status is FileStatus.PENDING
                    else DeletionReason.RETENTION
                )
                self._uow.collect(deleted(file, reason, at=now))
                purged += 1
            await self._uow.commit()
        return purged


class DeleteAvatarsOfDeletedUser:
    """Delete the avatars of a user who deleted their account; the handler of identity's
    ``UserDeleted`` (the account is anonymised, so its picture goes too). Payment proofs
    stay until their retention ends: they are the payments domain's evidence; they and the
    other files the user uploaded (logos, photos of an organizer's page) lose their original
    file name, which can name the person. Idempotent. Returns how many files were deleted."""

    def __init__(self, uow: MediaUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, user_id: uuid.UUID) -> int:
        async with self._uow:
            now = self._clock.now()
            removed = await self._uow.files.remove_owned(OwnerType.AVATAR, user_id)
            await self._uow.files.forget_names_uploaded_by(user_id)
            self._uow.collect(*(deleted(file, DeletionReason.ACCOUNT_DELETED, at=now) for file in removed))
            await self._uow.commit()
        return len(removed)


class RemoveStoredObject:
    """Remove the object of a deleted file and the folder of its variants; the handler of
    ``MediaDeleted``. Idempotent: an object already gone is no error, so a redelivered event
    changes nothing."""

    def __init__(self, storage: ObjectStorage) -> None:
        self._storage = storage

    async def __call__(self, event: MediaDeleted) -> None:
        await self._storage.delete(event.storage_key)
        await self._storage.delete_folder(variants_folder(event.storage_key))
