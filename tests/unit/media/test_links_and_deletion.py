"""Who reads a file through a signed link, and who deletes it."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from aquastream.domain.media.errors import MediaForbidden, MediaNotFound
from aquastream.domain.media.events import MediaDeleted
from aquastream.domain.media.model import DeletionReason, MediaFile, OwnerType
from aquastream.domain.shared.principal import Principal, Role

from .media_world import NOW, MediaWorld
from .samples import PDF, PNG


async def avatar_of_ulla(world: MediaWorld) -> MediaFile:
    return await world.upload(world.ulla, OwnerType.AVATAR, world.ulla.user_id, PNG)


async def proof_of_paul(world: MediaWorld) -> MediaFile:
    return await world.upload(world.paul, OwnerType.PAYMENT_PROOF, world.booking_id, PDF)


async def test_anyone_reads_organizer_pictures_through_a_link_that_expires(world: MediaWorld) -> None:
    logo = await world.upload(world.olga, OwnerType.ORGANIZER_LOGO, world.organizer_id, PNG)

    link = await world.link(None, logo.id)

    assert link.file == logo
    assert link.download.expires_at == NOW + timedelta(minutes=15)
    assert logo.storage_key in link.download.url
    assert (await world.link(world.eve, logo.id)).file.id == logo.id


async def test_an_avatar_is_read_by_its_user_and_admins_only(world: MediaWorld) -> None:
    avatar = await avatar_of_ulla(world)
    assert (await world.link(world.ulla, avatar.id)).file.id == avatar.id
    assert (await world.link(world.root, avatar.id)).file.id == avatar.id
    for other in (None, world.paul, world.olga):
        with pytest.raises(MediaNotFound):
            await world.link(other, avatar.id)


async def test_a_proof_is_read_by_the_payer_the_events_organizer_and_admins(world: MediaWorld) -> None:
    proof = await proof_of_paul(world)
    for reader in (world.paul, world.olga, world.root):
        assert (await world.link(reader, proof.id)).file.id == proof.id
    demoted_olga = Principal(world.olga.user_id, Role.USER)
    for other in (None, world.ulla, world.eve, demoted_olga):
        with pytest.raises(MediaNotFound):
            await world.link(other, proof.id)


async def test_a_pending_upload_and_an_unknown_id_have_no_link(world: MediaWorld) -> None:
    pending = await world.start(world.olga, OwnerType.EVENT_IMAGE, world.event_id)
    for caller in (world.olga, world.root, None):
        with pytest.raises(MediaNotFound):
            await world.link(caller, pending.file.id)
    with pytest.raises(MediaNotFound):
        await world.link(world.root, uuid.uuid4())


async def test_the_owner_deletes_a_file_and_the_worker_removes_its_object(world: MediaWorld) -> None:
    avatar = await avatar_of_ulla(world)

    await world.delete(world.ulla, avatar.id)

    assert world.rows() == {}
    [event] = world.events("MediaDeleted")
    assert isinstance(event, MediaDeleted)
    assert (event.file_id, event.storage_key, event.reason) == (
        avatar.id,
        avatar.storage_key,
        DeletionReason.BY_OWNER,
    )
    assert avatar.storage_key in world.storage.objects
    await world.deliver_deletions()
    await world.deliver_deletions()  # a redelivery changes nothing
    assert world.storage.objects == {}
    with pytest.raises(MediaNotFound):
        await world.delete(world.ulla, avatar.id)


async def test_a_private_file_of_someone_else_cannot_be_deleted_nor_seen(world: MediaWorld) -> None:
    avatar = await avatar_of_ulla(world)
    with pytest.raises(MediaNotFound):
        await world.delete(world.paul, avatar.id)
    assert avatar.id in world.rows()


async def test_a_public_file_of_another_organizer_is_forbidden(world: MediaWorld) -> None:
    logo = await world.upload(world.olga, OwnerType.ORGANIZER_LOGO, world.organizer_id, PNG)
    with pytest.raises(MediaForbidden):
        await world.delete(world.eve, logo.id)
    await world.delete(world.root, logo.id)
    assert world.rows() == {}


async def test_a_proof_is_deleted_by_its_payer_or_an_admin_not_by_the_organizer(world: MediaWorld) -> None:
    first, second = await proof_of_paul(world), await proof_of_paul(world)
    with pytest.raises(MediaForbidden):
        await world.delete(world.olga, first.id)
    await world.delete(world.paul, first.id)
    await world.delete(world.root, second.id)
    assert world.rows() == {}


async def test_an_uploader_drops_their_pending_upload_which_nobody_else_sees(world: MediaWorld) -> None:
    pending = await world.start(world.ulla, OwnerType.AVATAR, world.ulla.user_id)
    with pytest.raises(MediaNotFound):
        await world.delete(world.paul, pending.file.id)
    await world.delete(world.ulla, pending.file.id)
    assert world.rows() == {}


async def test_the_uploader_deletes_a_file_whose_owner_is_gone(world: MediaWorld) -> None:
    logo = await world.upload(world.olga, OwnerType.ORGANIZER_LOGO, world.organizer_id, PNG)
    del world.owners.known[(OwnerType.ORGANIZER_LOGO, world.organizer_id)]
    with pytest.raises(MediaForbidden):
        await world.delete(world.eve, logo.id)
    await world.delete(world.olga, logo.id)
    assert world.rows() == {}
