"""The retention job: payment proofs go 90 days after upload, abandoned uploads after a day."""

from __future__ import annotations

from datetime import timedelta

from aquastream.domain.media.events import MediaDeleted
from aquastream.domain.media.model import DeletionReason, MediaFile, MediaPolicy, OwnerType
from aquastream.domain.media.retention import DeleteAvatarsOfDeletedUser, PurgeDueFiles

from .media_world import MediaWorld
from .samples import PDF, PNG


async def test_a_proof_is_deleted_90_days_after_upload_object_and_row(world: MediaWorld) -> None:
    proof = await world.upload(world.paul, OwnerType.PAYMENT_PROOF, world.booking_id, PDF)

    world.clock.advance(timedelta(days=90) - timedelta(seconds=1))
    assert await world.purge() == 0
    world.clock.advance(seconds=1)
    assert await world.purge() == 1

    assert world.rows() == {}
    [event] = world.events("MediaDeleted")
    assert isinstance(event, MediaDeleted)
    assert (event.file_id, event.reason) == (proof.id, DeletionReason.RETENTION)
    await world.deliver_deletions()
    assert world.storage.objects == {}


async def test_other_files_are_kept_until_their_owner_deletes_them(world: MediaWorld) -> None:
    await world.upload(world.ulla, OwnerType.AVATAR, world.ulla.user_id, PNG)
    await world.upload(world.olga, OwnerType.EVENT_IMAGE, world.event_id, PNG)
    world.clock.advance(days=3650)
    assert await world.purge() == 0
    assert len(world.rows()) == 2


async def test_an_upload_never_completed_is_dropped_after_a_day(world: MediaWorld) -> None:
    pending = await world.start(world.ulla, OwnerType.AVATAR, world.ulla.user_id)
    world.storage.objects[pending.file.storage_key] = PNG  # PUT, but never completed

    world.clock.advance(hours=23)
    assert await world.purge() == 0
    world.clock.advance(hours=1, seconds=1)
    assert await world.purge() == 1

    [event] = world.events("MediaDeleted")
    assert isinstance(event, MediaDeleted)
    assert event.reason is DeletionReason.ABANDONED
    await world.deliver_deletions()
    assert world.rows() == {}
    assert world.storage.objects == {}


async def test_one_run_deletes_at_most_a_batch(world: MediaWorld) -> None:
    for _ in range(5):
        await world.upload(world.paul, OwnerType.PAYMENT_PROOF, world.booking_id, PDF)
    world.clock.advance(days=91)
    purge = PurgeDueFiles(world.uow(), world.clock, MediaPolicy(purge_batch_size=2))
    assert [await purge() for _ in range(4)] == [2, 2, 1, 0]
    assert world.rows() == {}


async def test_a_deleted_account_loses_its_avatars_and_file_names_but_not_its_proofs(
    world: MediaWorld,
) -> None:
    await world.upload(world.paul, OwnerType.AVATAR, world.paul.user_id, PNG)
    await world.upload(world.paul, OwnerType.AVATAR, world.paul.user_id, PNG)
    proof = await world.upload(
        world.paul, OwnerType.PAYMENT_PROOF, world.booking_id, PDF, file_name="Paul.pdf"
    )
    others = await world.upload(world.ulla, OwnerType.AVATAR, world.ulla.user_id, PNG, file_name="Ulla.png")
    delete_avatars = DeleteAvatarsOfDeletedUser(world.uow(), world.clock)

    assert await delete_avatars(world.paul.user_id) == 2
    assert await delete_avatars(world.paul.user_id) == 0

    assert set(world.rows()) == {proof.id, others.id}
    stored = [f for f in world.rows().values() if isinstance(f, MediaFile)]
    assert {f.id: f.original_name for f in stored} == {proof.id: None, others.id: "Ulla.png"}
    reasons = {e.reason for e in world.events("MediaDeleted") if isinstance(e, MediaDeleted)}
    assert reasons == {DeletionReason.ACCOUNT_DELETED}
    await world.deliver_deletions()
    assert set(world.storage.objects) == {proof.storage_key, others.storage_key}
