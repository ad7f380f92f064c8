"""Stored files, their owner types and the rules of each type (allowed formats, retention)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class OwnerType(StrEnum):
    """What a file belongs to; ``owner_id`` is then a user, an organizer, a team member, an
    event or a booking."""

    AVATAR = "avatar"
    ORGANIZER_LOGO = "organizer_logo"
    TEAM_PHOTO = "team_photo"
    EVENT_IMAGE = "event_image"
    PAYMENT_PROOF = "payment_proof"


class FileStatus(StrEnum):
    """``PENDING``: a presigned upload not yet completed; ``READY``: checked and served."""

    PENDING = "PENDING"
    READY = "READY"


class DeletionReason(StrEnum):
    BY_OWNER = "BY_OWNER"
    RETENTION = "RETENTION"
    ABANDONED = "ABANDONED"
    ACCOUNT_DELETED = "ACCOUNT_DELETED"


# Anyone may read these (brand pages and event pages are public).
PUBLIC_OWNER_TYPES = frozenset({OwnerType.ORGANIZER_LOGO, OwnerType.TEAM_PHOTO, OwnerType.EVENT_IMAGE})

IMAGES = frozenset({"image/jpeg", "image/png", "image/webp"})
# Proofs are phone photos (HEIC on iPhones) and bank statements (PDF) as well.
PROOF_FORMATS = IMAGES | {"image/heic", "application/pdf"}

# What the bytes of each owner type may be. No SVG (it is a document that can run
# script in a browser) and no GIF (nothing here animates).
# The owner types whose pictures get resized variants after upload (and whose bytes are
# decoded at upload to refuse malformed images and decompression bombs). Proofs are evidence
# kept as sent, and may be PDF or HEIC.
IMAGE_OWNER_TYPES = frozenset(
    {OwnerType.AVATAR, OwnerType.ORGANIZER_LOGO, OwnerType.TEAM_PHOTO, OwnerType.EVENT_IMAGE}
)

# Longest sides of the variants: a list thumbnail and a phone screen.
VARIANT_SIZES: tuple[int, ...] = (256, 1024)
VARIANT_CONTENT_TYPE = "image/webp"
# 50 megapixels decode to about 200 MB of RGBA; phone cameras stay below (48 MP sensors save
# 12 or 24 MP by default). No side may pass 20 000 px, whatever the total.
MAX_IMAGE_PIXELS = 50_000_000
MAX_IMAGE_SIDE = 20_000

ALLOWED_FORMATS: dict[OwnerType, frozenset[str]] = {
    OwnerType.AVATAR: IMAGES,
    OwnerType.ORGANIZER_LOGO: IMAGES,
    OwnerType.TEAM_PHOTO: IMAGES,
    OwnerType.EVENT_IMAGE: IMAGES,
    OwnerType.PAYMENT_PROOF: PROOF_FORMATS,
}


@dataclass(frozen=True, slots=True)
class MediaPolicy:
    """The limits of uploads and links.

    - ``max_bytes``: the largest file (25 MB by default);
    - ``link_ttl``: how long a signed read link (and a presigned upload URL) lives;
    - ``proof_retention``: payment proofs are deleted this long after upload (SPEC: 90 days);
    - ``abandoned_after``: a presigned upload not completed within this time is dropped, row
      and any object the client did PUT. A day is far past the upload URL's life, so no
      client still holding a valid URL loses its upload;
    - ``purge_batch_size``: rows one retention run deletes in one transaction;
    - ``variant_sizes``: the longest sides, in pixels, of the WebP variants made of each
      picture (see ``variants.variant_sides`` for small originals);
    - ``max_image_pixels`` and ``max_image_side``: the largest picture accepted, counted from
      its header before any pixel is decoded (a decompression bomb is refused unread).
    """

    max_bytes: int = 25 * 1024 * 1024
    link_ttl: timedelta = timedelta(minutes=15)
    proof_retention: timedelta = timedelta(days=90)
    abandoned_after: timedelta = timedelta(days=1)
    purge_batch_size: int = 100
    variant_sizes: tuple[int, ...] = VARIANT_SIZES
    max_image_pixels: int = MAX_IMAGE_PIXELS
    max_image_side: int = MAX_IMAGE_SIDE
    allowed_formats: dict[OwnerType, frozenset[str]] = field(default_factory=lambda: dict(ALLOWED_FORMATS))

    def delete_after(self, owner_type: OwnerType, uploaded_at: datetime) -> datetime | None:
        """When a file of ``owner_type`` uploaded at ``uploaded_at`` is due for deletion; None
        for the types kept until their owner deletes them."""
        return uploaded_at + self.proof_retention if owner_type is OwnerType.PAYMENT_PROOF else None


@dataclass(slots=True)
class MediaFile:
    """One stored object and what it belongs to. ``storage_key`` names the bytes in the
    object storage; ``content_type`` and ``size_bytes`` are what the bytes were found to be
    (unknown while PENDING)."""

    id: uuid.UUID
    owner_type: OwnerType
    owner_id: uuid.UUID
    uploaded_by: uuid.UUID
    status: FileStatus
    storage_key: str
    created_at: datetime
    original_name: str | None = None
    content_type: str | None = None
    size_bytes: int | None = None
    completed_at: datetime | None = None
    delete_after: datetime | None = None

    @property
    def is_public(self) -> bool:
        return self.owner_type in PUBLIC_OWNER_TYPES

    @property
    def has_variants(self) -> bool:
        """Whether variants are made of this file (a picture of an image owner type)."""
        return self.owner_type in IMAGE_OWNER_TYPES


@dataclass(frozen=True, slots=True)
class ImageVariant:
    """A resized copy of a picture: ``longest_side`` is the size it was made for (one of the
    policy's sizes, or the original's own when that is smaller), ``width`` and ``height`` what
    it is, upright (EXIF orientation applied), without metadata."""

    file_id: uuid.UUID
    longest_side: int
    width: int
    height: int
    size_bytes: int
    storage_key: str
    content_type: str = VARIANT_CONTENT_TYPE


def storage_key_for(owner_type: OwnerType, owner_id: uuid.UUID, file_id: uuid.UUID) -> str:
    """Where a file's bytes live: grouped by owner, unique by file id, no client input."""
    return f"{owner_type.value}/{owner_id}/{file_id}"


def variants_folder(storage_key: str) -> str:
    """The folder of a file's variants, next to its object: removing the folder removes every
    variant ever made of it, whatever the sizes were then."""
    return f"{storage_key}.variants"


def variant_key(storage_key: str, longest_side: int) -> str:
    return f"{variants_folder(storage_key)}/{longest_side}.webp"


@dataclass(frozen=True, slots=True)
class SignedLink:
    """A URL that works until ``expires_at``, with the HTTP method it is signed for."""

    url: str
    expires_at: datetime
    method: str = "GET"


@dataclass(frozen=True, slots=True)
class StoredObject:
    """What the object storage says about an object."""

    size_bytes: int
