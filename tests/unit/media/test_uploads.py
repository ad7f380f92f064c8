"""Direct uploads: who may add files to which owner, and what the bytes must be."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from aquastream.adapters.memory.media import MemoryFileRepository, MemoryMediaUnitOfWork
from aquastream.domain.media.errors import (
    BookingNotPending,
    EmptyFile,
    FileTooLarge,
    MediaForbidden,
    OwnerNotFound,
    UnsupportedFileType,
)
from aquastream.domain.media.events import MediaUploaded
from aquastream.domain.media.model import FileStatus, MediaFile, OwnerType
from aquastream.domain.media.uploads import UploadFile
from aquastream.domain.shared.errors import DomainError
from aquastream.domain.shared.principal import Principal, Role

from .media_world import MAX_BYTES, NOW, MediaWorld
from .samples import GIF, HTML, JPEG, PDF, PNG, WEBP, sized


def assert_nothing_stored(world: MediaWorld) -> None:
    assert world.rows() == {}
    assert world.storage.objects == {}
    assert world.events("MediaUploaded") == []


async def test_a_user_uploads_their_avatar_and_it_is_ready_at_once(world: MediaWorld) -> None:
    file = await world.upload(world.ulla, OwnerType.AVATAR, world.ulla.user_id, PNG, file_name="me.png")

    assert file.status is FileStatus.READY
    assert (file.content_type, file.size_bytes, file.uploaded_by) == (
        "image/png",
        len(PNG),
        world.ulla.user_id,
    )
    assert (file.created_at, file.completed_at, file.delete_after) == (NOW, NOW, None)
    assert file.storage_key == f"avatar/{world.ulla.user_id}/{file.id}"
    assert world.storage.objects[file.storage_key] == PNG
    [event] = world.events("MediaUploaded")
    assert isinstance(event, MediaUploaded)
    assert (event.file_id, event.owner_type, event.content_type) == (file.id, OwnerType.AVATAR, "image/png")


@pytest.mark.parametrize(("data", "kind"), [(PNG, "image/png"), (JPEG, "image/jpeg"), (WEBP, "image/webp")])
async def test_pictures_are_recognised_from_their_bytes(world: MediaWorld, data: bytes, kind: str) -> None:
    file = await world.upload(world.olga, OwnerType.EVENT_IMAGE, world.event_id, data, file_name="x.bin")
    assert file.content_type == kind


async def test_the_client_name_is_a_label_without_folders(world: MediaWorld) -> None:
    file = await world.upload(
        world.ulla, OwnerType.AVATAR, world.ulla.user_id, PNG, file_name="..\\..\\etc/pass\x00wd.png"
    )
    assert file.original_name == "passwd.png"
    assert "passwd" not in file.storage_key


async def test_a_web_page_named_like_a_picture_is_refused_and_nothing_is_kept(world: MediaWorld) -> None:
    with pytest.raises(UnsupportedFileType) as refused:
        await world.upload(world.ulla, OwnerType.AVATAR, world.ulla.user_id, HTML, file_name="cat.png")
    assert refused.value.extra["detectedType"] is None
    assert_nothing_stored(world)


@pytest.mark.parametrize(
    ("owner_type", "data"),
    [(OwnerType.AVATAR, PDF), (OwnerType.ORGANIZER_LOGO, GIF), (OwnerType.EVENT_IMAGE, PDF)],
)
async def test_each_owner_type_takes_only_its_formats(
    world: MediaWorld, owner_type: OwnerType, data: bytes
) -> None:
    owner_id = world.olga.user_id if owner_type is OwnerType.AVATAR else world.organizer_id
    if owner_type is OwnerType.EVENT_IMAGE:
        owner_id = world.event_id
    with pytest.raises(UnsupportedFileType):
        await world.upload(world.olga, owner_type, owner_id, data)
    assert_nothing_stored(world)


async def test_a_payment_proof_may_be_a_pdf_and_is_kept_90_days(world: MediaWorld) -> None:
    file = await world.upload(
        world.paul, OwnerType.PAYMENT_PROOF, world.booking_id, PDF, file_name="bank.pdf"
    )
    assert file.content_type == "application/pdf"
    assert file.delete_after == NOW + timedelta(days=90)


async def test_an_empty_file_is_refused(world: MediaWorld) -> None:
    with pytest.raises(EmptyFile):
        await world.upload(world.ulla, OwnerType.AVATAR, world.ulla.user_id, b"")
    assert_nothing_stored(world)


async def test_the_size_limit_is_inclusive(world: MediaWorld) -> None:
    file = await world.upload(world.ulla, OwnerType.AVATAR, world.ulla.user_id, sized(PNG, MAX_BYTES))
    assert file.size_bytes == MAX_BYTES
    with pytest.raises(FileTooLarge) as refused:
        await world.upload(world.ulla, OwnerType.AVATAR, world.ulla.user_id, sized(PNG, MAX_BYTES + 1))
    assert refused.value.extra == {"maxBytes": MAX_BYTES}
    assert len(world.rows()) == 1


async def test_nobody_else_changes_a_users_avatar_but_an_admin(world: MediaWorld) -> None:
    with pytest.raises(MediaForbidden):
        await world.upload(world.paul, OwnerType.AVATAR, world.ulla.user_id, PNG)
    assert_nothing_stored(world)
    file = await world.upload(world.root, OwnerType.AVATAR, world.ulla.user_id, PNG)
    assert file.uploaded_by == world.root.user_id


@pytest.mark.parametrize(
    "owner_type", [OwnerType.ORGANIZER_LOGO, OwnerType.TEAM_PHOTO, OwnerType.EVENT_IMAGE]
)
async def test_organizer_pictures_are_added_by_its_owner_and_admins_only(
    world: MediaWorld, owner_type: OwnerType
) -> None:
    owner_id = {
        OwnerType.ORGANIZER_LOGO: world.organizer_id,
        OwnerType.TEAM_PHOTO: world.member_id,
        OwnerType.EVENT_IMAGE: world.event_id,
    }[owner_type]
    demoted_olga = Principal(world.olga.user_id, Role.USER)
    for outsider in (world.eve, world.ulla, demoted_olga):
        with pytest.raises(MediaForbidden):
            await world.upload(outsider, owner_type, owner_id, PNG)
    assert_nothing_stored(world)
    await world.upload(world.olga, owner_type, owner_id, PNG)
    await world.upload(world.root, owner_type, owner_id, PNG)
    assert len(world.rows()) == 2


@pytest.mark.parametrize("owner_type", list(OwnerType))
async def test_an_unknown_owner_is_not_found(world: MediaWorld, owner_type: OwnerType) -> None:
    with pytest.raises(OwnerNotFound):
        await world.upload(world.root, owner_type, uuid.uuid4(), PNG)
    assert_nothing_stored(world)


async def test_only_the_payer_adds_a_proof_to_their_booking(world: MediaWorld) -> None:
    for other in (world.ulla, world.olga, world.root):
        with pytest.raises(OwnerNotFound):
            await world.upload(other, OwnerType.PAYMENT_PROOF, world.booking_id, PNG)
    assert_nothing_stored(world)
    file = await world.upload(world.paul, OwnerType.PAYMENT_PROOF, world.booking_id, JPEG)
    assert file.uploaded_by == world.paul.user_id


async def test_a_proof_needs_a_booking_that_waits_for_payment(world: MediaWorld) -> None:
    world.set_booking(pending=False)
    with pytest.raises(BookingNotPending):
        await world.upload(world.paul, OwnerType.PAYMENT_PROOF, world.booking_id, PNG)
    assert_nothing_stored(world)


class _FailingFiles(MemoryFileRepository):
    async def add(self, file: MediaFile) -> None:
        raise RuntimeError("the database went away")


async def test_an_object_whose_row_cannot_be_written_is_removed_again(world: MediaWorld) -> None:
    uow = MemoryMediaUnitOfWork(world.db, world.owners)
    uow.files = _FailingFiles(world.db)
    upload = UploadFile(uow, world.storage, world.sniffer, world.images, world.clock, world.policy)
    with pytest.raises(RuntimeError):
        await upload(world.ulla, OwnerType.AVATAR, world.ulla.user_id, PNG)
    assert_nothing_stored(world)


async def test_refusals_are_domain_errors_with_stable_codes(world: MediaWorld) -> None:
    codes = set()
    attempts = [
        (world.ulla, OwnerType.AVATAR, world.ulla.user_id, HTML),
        (world.ulla, OwnerType.AVATAR, world.ulla.user_id, b""),
        (world.paul, OwnerType.AVATAR, world.ulla.user_id, PNG),
        (world.ulla, OwnerType.PAYMENT_PROOF, world.booking_id, PNG),
    ]
    for caller, owner_type, owner_id, data in attempts:
        with pytest.raises(DomainError) as refused:
            await world.upload(caller, owner_type, owner_id, data)
        codes.add(refused.value.code)
    assert codes == {"media.type_not_allowed", "media.empty", "media.forbidden", "media.owner_not_found"}
