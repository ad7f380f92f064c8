"""Ports of the media domain: its unit of work and file rows, what it asks other domains
about owners, where the bytes are stored and how their format is recognised."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from aquastream.domain.media.model import ImageVariant, MediaFile, OwnerType, SignedLink, StoredObject
from aquastream.ports.uow import UnitOfWork


class FileRepository(Protocol):
    async def add(self, file: MediaFile) -> None: ...

    async def get(self, file_id: uuid.UUID) -> MediaFile | None: ...

    async def mark_ready(
        self,
        file_id: uuid.UUID,
        *,
        content_type: str,
        size_bytes: int,
        completed_at: datetime,
        delete_after: datetime | None,
    ) -> MediaFile | None:
        """PENDING → READY with what the bytes were found to be: one conditional statement,
        so of two racing completions one wins; the updated file, or None when the file is
        gone or no longer PENDING."""
        ...

    async def remove(self, file_id: uuid.UUID) -> MediaFile | None:
        """Delete the row; the deleted file, or None when another transaction deleted it first."""
        ...

    async def list_for_user(self, user_id: uuid.UUID) -> list[MediaFile]:
        """Every file (any status) the user uploaded or that is their avatar, oldest first
        (for their data export)."""
        ...

    async def forget_names_uploaded_by(self, user_id: uuid.UUID) -> int:
        """Clear the original file name of every file the user uploaded (a name can say who
        they are); how many files had one."""
        ...

    async def remove_owned(self, owner_type: OwnerType, owner_id: uuid.UUID) -> list[MediaFile]:
        """Delete every file of the owner (any status); the deleted files."""
        ...

    async def claim_due(self, *, now: datetime, abandoned_before: datetime, limit: int) -> list[MediaFile]:
        """Up to ``limit`` files due for deletion, oldest first, locked for this transaction
        (rows another transaction holds are skipped, ``SKIP LOCKED``): those whose
        ``delete_after`` has passed and PENDING ones created before ``abandoned_before``."""
        ...

    async def newest_ready(self, owner_type: OwnerType, owner_id: uuid.UUID) -> MediaFile | None:
        """The owner's most recently completed READY file (a user's current avatar); None when
        it has none."""
        ...

    async def newest_ready_of(
        self, owner_type: OwnerType, owner_ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, MediaFile]:
        """Each owner's most recently completed READY file of ``owner_type`` (the cover of
        each event of a page), in one statement; owners without one are left out."""
        ...

    async def ready_of(self, file_ids: Collection[uuid.UUID]) -> list[MediaFile]:
        """The READY files among ``file_ids``, in one statement (unknown and PENDING ones
        are left out)."""
        ...

    async def lacking_variants(
        self, owner_types: Collection[OwnerType], *, after: uuid.UUID | None, limit: int
    ) -> list[MediaFile]:
        """Up to ``limit`` READY files of ``owner_types`` that have no variant, by id, those
        after ``after`` only (a walk through them in batches)."""
        ...


class VariantRepository(Protocol):
    """The rows of image variants. A file's variants go with its row (deleting the file
    deletes them, in the same statement)."""

    async def add(self, file_id: uuid.UUID, variants: Sequence[ImageVariant]) -> bool:
        """Record the variants of one file, each size once (one recorded already is kept as
        it is). False, and nothing recorded, when the file is gone; the file's row is held
        until the commit, so a deletion racing with this waits for it, then removes the
        variants with the file."""
        ...

    async def of_files(self, file_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[ImageVariant]]:
        """The variants of each file that has any, smallest first."""
        ...


@dataclass(frozen=True, slots=True)
class OwnerFacts:
    """Who stands behind an owner, as the other domains' tables say.

    - ``user_id``: the user of an avatar; the payer of a booking;
    - ``organizer_owner_id``: the owner of the organizer that a logo, a team photo or an
      event image belongs to; for a booking, the owner of its event's organizer;
    - ``booking_pending``: whether a booking waits for payment (PENDING).
    """

    user_id: uuid.UUID | None = None
    organizer_owner_id: uuid.UUID | None = None
    booking_pending: bool = False


class OwnerDirectory(Protocol):
    """What media asks about owners, from inside media's unit of work: composed of the
    questions below, each served by the owner's domain on its own connection
    (``domain.media.owners.OwnersOfTheirDomains``)."""

    async def facts(self, owner_type: OwnerType, owner_id: uuid.UUID) -> OwnerFacts | None:
        """The facts of an existing owner; None when there is none (a deleted user, an
        unknown organizer, team member, event or booking)."""
        ...


class AvatarOwners(Protocol):
    """What media asks identity (served by identity on its own connection)."""

    async def account_exists(self, user_id: uuid.UUID) -> bool:
        """Whether the user's account exists and is not deleted (a blocked one still does:
        its files stay its own)."""
        ...


class CatalogOwners(Protocol):
    """What media asks the catalog (served by the catalog on its own connection)."""

    async def organizer_owner(self, owner_type: OwnerType, owner_id: uuid.UUID) -> OwnerFacts | None:
        """For an organizer's logo, a team member's photo or an event's image: the owner of
        the organizer they belong to (``organizer_owner_id``); None when the organizer, team
        member or event is unknown, and for every other owner type."""
        ...


@dataclass(frozen=True, slots=True)
class ProofBooking:
    """The booking a payment proof belongs to: its payer, its event and whether it waits
    for payment (PENDING)."""

    user_id: uuid.UUID
    event_id: uuid.UUID
    pending: bool


class ProofOwners(Protocol):
    """What media asks booking (served by booking on its own connection)."""

    async def booking(self, booking_id: uuid.UUID) -> ProofBooking | None:
        """None for an unknown booking."""
        ...


class MediaUnitOfWork(UnitOfWork, Protocol):
    @property
    def files(self) -> FileRepository: ...

    @property
    def variants(self) -> VariantRepository: ...

    @property
    def owners(self) -> OwnerDirectory:
        """Asked while no transaction of this unit of work is open: the owners' domains
        answer on connections of their own."""
        ...


class ObjectStorage(Protocol):
    """Where the bytes live (S3-compatible storage, or a local directory). Keys are made by
    the domain (``storage_key_for``), never by clients."""

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        """Store ``data`` under ``key``, replacing whatever was there."""
        ...

    async def stat(self, key: str) -> StoredObject | None:
        """The object's size; None when nothing is stored under ``key``."""
        ...

    async def read_start(self, key: str, length: int) -> bytes:
        """The first ``length`` bytes (fewer when the object is shorter); what sniffing needs."""
        ...

    async def read(self, key: str) -> bytes | None:
        """The whole object; None when nothing is stored under ``key``."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the object; nothing happens when there is none."""
        ...

    async def delete_folder(self, folder: str) -> None:
        """Remove every object whose key starts with ``folder + "/"``; nothing happens when
        there is none."""
        ...

    async def download_link(
        self, key: str, *, expires_in: timedelta, now: datetime, content_type: str | None
    ) -> SignedLink:
        """A GET URL of the object that stops working after ``expires_in``."""
        ...

    async def upload_link(self, key: str, *, expires_in: timedelta, now: datetime) -> SignedLink:
        """A PUT URL that stores the request body under ``key`` until ``expires_in`` passes."""
        ...


class FormatSniffer(Protocol):
    """Recognises a file's format from its first bytes, never from a name or a header."""

    @property
    def bytes_needed(self) -> int:
        """How many leading bytes ``sniff`` looks at."""
        ...

    def sniff(self, head: bytes) -> str | None:
        """The MIME type the bytes are, or None when they are no format it knows."""
        ...


@dataclass(frozen=True, slots=True)
class ImageHeader:
    """What a picture's header says: its format (a MIME type, or None when the image reader
    knows no such format) and its size as shown, upright (EXIF orientation applied)."""

    content_type: str | None
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class RenderedImage:
    """A resized copy of a picture, encoded."""

    width: int
    height: int
    data: bytes
    content_type: str


class ImageProcessor(Protocol):
    """Reads and resizes pictures. The work is CPU-bound: implementations run it off the event
    loop."""

    async def read_header(self, data: bytes) -> ImageHeader:
        """The header only, no pixel decoded. Raises ``UnreadableImage`` when the bytes are
        no picture it can read, ``DecompressionBomb`` when the header announces more pixels
        than it will look at."""
        ...

    async def check_decodes(self, data: bytes) -> None:
        """Raise ``UnreadableImage`` unless the whole picture decodes (damaged or truncated
        data). Call it only after the header passed the size limits."""
        ...

    async def render(self, data: bytes, longest_sides: Sequence[int]) -> list[RenderedImage]:
        """One WebP copy per longest side, in that order: upright (EXIF orientation applied),
        scaled to fit ``side`` by ``side`` (never enlarged), without any metadata."""
        ...
