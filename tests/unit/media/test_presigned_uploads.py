"""Presigned uploads: start, PUT (done here straight into the storage), complete."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest

from aquastream.domain.media.errors import (
    BookingNotPending,
    FileTooLarge,
    MediaForbidden,
    MediaNotFound,
    ObjectNotUploaded,
    UnsupportedFileType,
)
from aquastream.domain.media.model import FileStatus, MediaFile, OwnerType

from .media_world import MAX_BYTES, NOW, MediaWorld
from .samples import HTML, PDF, PNG, sized


async def started(world: MediaWorld, owner_type: OwnerType = OwnerType.AVATAR) -> MediaFile:
    caller = world.paul
    owner_id = world.booking_id if owner_type is OwnerType.PAYMENT_PROOF else caller.user_id
    pending = await world.start(caller, owner_type, owner_id, file_name="scan.pdf")
    return pending.file


async def test_starting_reserves_a_pending_file_and_a_put_url(world: MediaWorld) -> None:
    pending = await world.start(world.ulla, OwnerType.AVATAR, world.ulla.user_id, file_name="me.png")

    assert pending.file.status is FileStatus.PENDING
    assert (pending.file.content_type, pending.file.size_bytes) == (None, None)
    assert pending.upload.method == "PUT"
    assert pending.upload.expires_at == NOW + timedelta(minutes=15)
    assert pending.file.storage_key in pending.upload.url
    assert world.storage.objects == {}
    assert world.events("MediaUploaded") == []


async def test_starting_follows_the_upload_rules(world: MediaWorld) -> None:
    with pytest.raises(MediaForbidden):
        await world.start(world.eve, OwnerType.ORGANIZER_LOGO, world.organizer_id)
    assert world.rows() == {}


async def test_completing_before_the_put_leaves_the_upload_open(world: MediaWorld) -> None:
    file = await started(world)
    with pytest.raises(ObjectNotUploaded):
        await world.complete(world.paul, file.id)
    [row] = world.rows().values()
    assert isinstance(row, MediaFile)
    assert row.status is FileStatus.PENDING


async def test_completing_checks_the_stored_bytes_and_makes_the_file_ready(world: MediaWorld) -> None:
    file = await started(world, OwnerType.PAYMENT_PROOF)
    world.storage.objects[file.storage_key] = PDF
    world.clock.advance(minutes=5)

    ready = await world.complete(world.paul, file.id)

    assert ready.status is FileStatus.READY
    assert (ready.content_type, ready.size_bytes) == ("application/pdf", len(PDF))
    assert ready.completed_at == NOW + timedelta(minutes=5)
    assert ready.delete_after == ready.completed_at + timedelta(days=90)
    assert len(world.events("MediaUploaded")) == 1


async def test_completing_again_answers_the_ready_file_and_raises_nothing_new(world: MediaWorld) -> None:
    file = await started(world)
    world.storage.objects[file.storage_key] = PNG
    first = await world.complete(world.paul, file.id)
    again = await world.complete(world.paul, file.id)
    assert again == first
    assert len(world.events("MediaUploaded")) == 1


async def test_racing_completions_make_the_file_ready_once(world: MediaWorld) -> None:
    file = await started(world)
    world.storage.objects[file.storage_key] = PNG
    results = await asyncio.gather(*(world.complete(world.paul, file.id) for _ in range(10)))
    assert {r.status for r in results} == {FileStatus.READY}
    assert len(world.events("MediaUploaded")) == 1


async def test_only_the_uploader_completes(world: MediaWorld) -> None:
    file = await started(world)
    world.storage.objects[file.storage_key] = PNG
    for other in (world.ulla, world.root):
        with pytest.raises(MediaNotFound):
            await world.complete(other, file.id)
    with pytest.raises(MediaNotFound):
        await world.complete(world.paul, uuid.uuid4())


@pytest.mark.parametrize(
    ("stored", "error"), [(HTML, UnsupportedFileType), (sized(PNG, MAX_BYTES + 1), FileTooLarge)]
)
async def test_a_stored_object_that_fails_the_checks_is_removed_and_may_be_sent_again(
    world: MediaWorld, stored: bytes, error: type[Exception]
) -> None:
    file = await started(world)
    world.storage.objects[file.storage_key] = stored
    with pytest.raises(error):
        await world.complete(world.paul, file.id)
    assert world.storage.objects == {}
    assert world.events("MediaUploaded") == []
    [row] = world.rows().values()
    assert isinstance(row, MediaFile)
    assert row.status is FileStatus.PENDING

    world.storage.objects[file.storage_key] = PNG
    assert (await world.complete(world.paul, file.id)).content_type == "image/png"


async def test_a_proof_of_a_booking_paid_meanwhile_is_not_completed(world: MediaWorld) -> None:
    file = await started(world, OwnerType.PAYMENT_PROOF)
    world.storage.objects[file.storage_key] = PNG
    world.set_booking(pending=False)
    with pytest.raises(BookingNotPending):
        await world.complete(world.paul, file.id)
    [row] = world.rows().values()
    assert isinstance(row, MediaFile)
    assert row.status is FileStatus.PENDING
