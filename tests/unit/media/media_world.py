"""The media use cases on memory adapters, with the people and owners the tests talk about."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.database import MemoryDatabase
from aquastream.adapters.memory.media import MemoryMediaUnitOfWork, MemoryObjectStorage, MemoryOwnerDirectory
from aquastream.adapters.storage.images import PillowImages
from aquastream.adapters.storage.sniffing import FiletypeSniffer
from aquastream.domain.media.events import MediaDeleted, MediaUploaded
from aquastream.domain.media.files import DeleteFile, GetFileLink
from aquastream.domain.media.model import ImageVariant, MediaPolicy, OwnerType
from aquastream.domain.media.retention import PurgeDueFiles, RemoveStoredObject
from aquastream.domain.media.served import ServedAvatarLinks, ServedPictureVariants
from aquastream.domain.media.uploads import CompleteUpload, StartUpload, UploadFile
from aquastream.domain.media.variants import MakeImageVariants, MakeMissingVariants
from aquastream.domain.shared.events import decode_event
from aquastream.domain.shared.principal import Principal, Role
from aquastream.ports.media import ImageProcessor, OwnerFacts

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
MAX_BYTES = 4096


def person(role: Role = Role.USER) -> Principal:
    return Principal(uuid.uuid4(), role)


class MediaWorld:
    """``ulla`` (a user), ``olga`` (organizer of ``organizer_id``, its team member ``member_id``
    and event ``event_id``), ``paul`` (payer of the PENDING booking ``booking_id`` of that
    event), ``root`` (admin) and ``eve`` (another organizer)."""

    def __init__(self, *, max_bytes: int = MAX_BYTES) -> None:
        self.db = MemoryDatabase()
        self.owners = MemoryOwnerDirectory()
        self.storage = MemoryObjectStorage()
        self.clock = FrozenClock(NOW)
        self.policy = MediaPolicy(max_bytes=max_bytes)
        self.sniffer = FiletypeSniffer()
        self.images: ImageProcessor = PillowImages()
        self.ulla = person()
        self.olga = person(Role.ORGANIZER)
        self.paul = person()
        self.root = person(Role.ADMIN)
        self.eve = person(Role.ORGANIZER)
        self.organizer_id = uuid.uuid4()
        self.member_id = uuid.uuid4()
        self.event_id = uuid.uuid4()
        self.booking_id = uuid.uuid4()
        for user in (self.ulla, self.olga, self.paul, self.root, self.eve):
            self.owners.add(OwnerType.AVATAR, user.user_id, OwnerFacts(user_id=user.user_id))
        organizer = OwnerFacts(organizer_owner_id=self.olga.user_id)
        self.owners.add(OwnerType.ORGANIZER_LOGO, self.organizer_id, organizer)
        self.owners.add(OwnerType.TEAM_PHOTO, self.member_id, organizer)
        self.owners.add(OwnerType.EVENT_IMAGE, self.event_id, organizer)
        self.set_booking(pending=True)

    def set_booking(self, *, pending: bool) -> None:
        self.owners.add(
            OwnerType.PAYMENT_PROOF,
            self.booking_id,
            OwnerFacts(
                user_id=self.paul.user_id, organizer_owner_id=self.olga.user_id, booking_pending=pending
            ),
        )

    def uow(self) -> MemoryMediaUnitOfWork:
        return MemoryMediaUnitOfWork(self.db, self.owners)

    @property
    def upload(self) -> UploadFile:
        return UploadFile(self.uow(), self.storage, self.sniffer, self.images, self.clock, self.policy)

    @property
    def start(self) -> StartUpload:
        return StartUpload(self.uow(), self.storage, self.clock, self.policy)

    @property
    def complete(self) -> CompleteUpload:
        return CompleteUpload(self.uow(), self.storage, self.sniffer, self.images, self.clock, self.policy)

    @property
    def link(self) -> GetFileLink:
        return GetFileLink(self.uow(), self.storage, self.clock, self.policy)

    @property
    def delete(self) -> DeleteFile:
        return DeleteFile(self.uow(), self.clock)

    @property
    def make_variants(self) -> MakeImageVariants:
        return MakeImageVariants(self.uow(), self.storage, self.images, self.policy)

    @property
    def avatars(self) -> ServedAvatarLinks:
        return ServedAvatarLinks(self.uow(), self.storage, self.clock, self.policy)

    @property
    def pictures(self) -> ServedPictureVariants:
        return ServedPictureVariants(self.uow(), self.storage, self.clock, self.policy)

    @property
    def make_missing_variants(self) -> MakeMissingVariants:
        uow = self.uow()
        return MakeMissingVariants(uow, MakeImageVariants(uow, self.storage, self.images, self.policy))

    @property
    def purge(self) -> PurgeDueFiles:
        return PurgeDueFiles(self.uow(), self.clock, self.policy)

    def rows(self) -> dict[uuid.UUID, object]:
        return dict(self.db.table("media.files"))

    def events(self, name: str) -> list[object]:
        return [
            decode_event(row.event_name, row.payload)
            for row in self.db.table("outbox").values()
            if row.event_name == name
        ]

    async def variants(self, file_id: uuid.UUID) -> list[ImageVariant]:
        async with self.uow() as uow:
            return (await uow.variants.of_files([file_id])).get(file_id, [])

    async def deliver_uploads(self) -> int:
        """What the worker does with ``MediaUploaded``: make the variants (every fact so far,
        as a redelivering spine would hand them again)."""
        made = 0
        for event in self.events("MediaUploaded"):
            assert isinstance(event, MediaUploaded)
            made += await self.make_variants(event)
        return made

    async def deliver_deletions(self) -> None:
        """What the worker does with ``MediaDeleted``: remove the objects."""
        remove = RemoveStoredObject(self.storage)
        for event in self.events("MediaDeleted"):
            assert isinstance(event, MediaDeleted)
            await remove(event)
