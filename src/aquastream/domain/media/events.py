"""Facts of the media domain other domains may care about (payments: a new proof)."""

from __future__ import annotations

import uuid

from aquastream.domain.media.model import DeletionReason, OwnerType
from aquastream.domain.shared.events import DomainEvent


class MediaUploaded(DomainEvent, frozen=True, kw_only=True):
    """A file became READY: its bytes were checked and it can be served."""

    file_id: uuid.UUID
    owner_type: OwnerType
    owner_id: uuid.UUID
    uploaded_by: uuid.UUID
    content_type: str


class MediaDeleted(DomainEvent, frozen=True, kw_only=True):
    """A file's row is gone; its object is removed by the subscriber of this event (at least
    once, so a storage outage delays the removal but never forgets it)."""

    file_id: uuid.UUID
    owner_type: OwnerType
    owner_id: uuid.UUID
    storage_key: str
    reason: DeletionReason
