"""The media domain's part of a user's data export: metadata of their files, never bytes."""

from __future__ import annotations

from aquastream.domain.media.model import OwnerType
from aquastream.domain.media.privacy import ExportMyMediaData

from .media_world import MediaWorld
from .samples import PDF, PNG


async def test_export_lists_the_files_a_user_uploaded_or_that_are_their_avatar(world: MediaWorld) -> None:
    avatar = await world.upload(world.paul, OwnerType.AVATAR, world.paul.user_id, PNG, file_name="me.png")
    proof = await world.upload(world.paul, OwnerType.PAYMENT_PROOF, world.booking_id, PDF)
    await world.upload(world.ulla, OwnerType.AVATAR, world.ulla.user_id, PNG)
    await world.upload(world.olga, OwnerType.EVENT_IMAGE, world.event_id, PNG)

    section = await ExportMyMediaData(world.uow())(world.paul.user_id)

    assert [(f["id"], f["ownerType"], f["uploadedByMe"]) for f in section["files"]] == [
        (str(avatar.id), "avatar", True),
        (str(proof.id), "payment_proof", True),
    ]
    first = section["files"][0]
    assert (first["originalName"], first["contentType"], first["sizeBytes"]) == (
        "me.png",
        "image/png",
        len(PNG),
    )
    assert first["createdAt"].endswith("Z")
    assert avatar.storage_key not in str(section)


async def test_a_user_without_files_exports_an_empty_list(world: MediaWorld) -> None:
    assert await ExportMyMediaData(world.uow())(world.root.user_id) == {"files": []}
