"""The variants of the pictures the catalog's pages show (logos, team photos, covers), one
lookup per page, and the back-fill of pictures uploaded before variants were made."""

from __future__ import annotations

import uuid

import pytest

from aquastream.domain.media.model import MediaFile, OwnerType
from aquastream.ports.pictures import PictureOf, PictureVariantLink, PublicPicture

from .media_world import MediaWorld
from .samples import DAMAGED_PNG, picture

LARGE = 8 * 1024 * 1024


@pytest.fixture
def world() -> MediaWorld:
    return MediaWorld(max_bytes=LARGE)


async def uploaded(
    world: MediaWorld, owner_type: OwnerType, owner_id: uuid.UUID, size: tuple[int, int]
) -> MediaFile:
    return await world.upload(world.olga, owner_type, owner_id, picture("PNG", size))


def sizes(variants: tuple[PictureVariantLink, ...]) -> list[tuple[int, int]]:
    return [(v.width, v.height) for v in variants]


async def test_a_page_gets_the_variants_of_its_logo_team_photo_and_cover_in_one_answer(
    world: MediaWorld,
) -> None:
    logo = await uploaded(world, OwnerType.ORGANIZER_LOGO, world.organizer_id, (300, 300))
    await uploaded(world, OwnerType.TEAM_PHOTO, world.member_id, (600, 400))
    old_cover = await uploaded(world, OwnerType.EVENT_IMAGE, world.event_id, (2000, 1000))
    world.clock.advance(seconds=60)
    await uploaded(world, OwnerType.EVENT_IMAGE, world.event_id, (1500, 1000))
    await world.deliver_uploads()
    asked = {
        "logo": PictureOf(PublicPicture.ORGANIZER_LOGO, world.organizer_id, logo.id),
        "photo": PictureOf(PublicPicture.TEAM_PHOTO, world.member_id),
        "cover": PictureOf(PublicPicture.EVENT_IMAGE, world.event_id),
        "old cover by id": PictureOf(PublicPicture.EVENT_IMAGE, world.event_id, old_cover.id),
        "nobody's": PictureOf(PublicPicture.EVENT_IMAGE, uuid.uuid4()),
    }

    found = await world.pictures.variants(set(asked.values()))

    assert {name: sizes(found[picture]) for name, picture in asked.items() if picture in found} == {
        "logo": [(256, 256), (300, 300)],
        "photo": [(256, 171), (600, 400)],
        "cover": [(256, 171), (1024, 683)],  # the newest
        "old cover by id": [(256, 128), (1024, 512)],
    }
    variant = found[asked["cover"]][0]
    assert variant.content_type == "image/webp"
    assert variant.url.startswith("memory://")
    assert await world.pictures.variants(set()) == {}


async def test_a_file_id_of_another_owner_or_of_a_private_kind_links_nothing(world: MediaWorld) -> None:
    avatar = await world.upload(world.ulla, OwnerType.AVATAR, world.ulla.user_id, picture("PNG", (300, 300)))
    photo = await uploaded(world, OwnerType.TEAM_PHOTO, world.member_id, (300, 300))
    await world.deliver_uploads()

    found = await world.pictures.variants(
        {
            PictureOf(PublicPicture.ORGANIZER_LOGO, world.organizer_id, avatar.id),
            PictureOf(PublicPicture.ORGANIZER_LOGO, world.organizer_id, photo.id),
            PictureOf(PublicPicture.TEAM_PHOTO, uuid.uuid4(), photo.id),
        }
    )

    assert found == {}
    assert PictureOf(PublicPicture.TEAM_PHOTO, world.member_id, photo.id) in await world.pictures.variants(
        {PictureOf(PublicPicture.TEAM_PHOTO, world.member_id, photo.id)}
    )


async def test_a_picture_without_variants_yet_or_deleted_is_left_out(world: MediaWorld) -> None:
    cover = PictureOf(PublicPicture.EVENT_IMAGE, world.event_id)
    file = await uploaded(world, OwnerType.EVENT_IMAGE, world.event_id, (300, 200))
    assert await world.pictures.variants({cover}) == {}

    await world.deliver_uploads()
    assert cover in await world.pictures.variants({cover})

    await world.delete(world.olga, file.id)
    assert await world.pictures.variants({cover}) == {}


async def test_the_back_fill_makes_the_variants_of_old_uploads_once_and_passes_over_unreadable_ones(
    world: MediaWorld,
) -> None:
    logo = await uploaded(world, OwnerType.ORGANIZER_LOGO, world.organizer_id, (300, 300))
    cover = await uploaded(world, OwnerType.EVENT_IMAGE, world.event_id, (1500, 1000))
    damaged = await uploaded(world, OwnerType.TEAM_PHOTO, world.member_id, (100, 100))
    proof = await world.upload(world.paul, OwnerType.PAYMENT_PROOF, world.booking_id, picture("PNG"))
    await world.storage.put(damaged.storage_key, DAMAGED_PNG, content_type="image/png")

    done = await world.make_missing_variants(batch_size=2)

    assert (done.pictures, done.given, done.variants, done.skipped) == (3, 2, 4, 1)
    assert [v.longest_side for v in await world.variants(logo.id)] == [256, 300]
    assert [v.longest_side for v in await world.variants(cover.id)] == [256, 1024]
    assert await world.variants(damaged.id) == []
    assert await world.variants(proof.id) == []

    again = await world.make_missing_variants(batch_size=2)
    assert (again.pictures, again.given, again.variants) == (1, 0, 0)
    assert await world.deliver_uploads() == 0  # the worker, handed the uploads late, makes nothing twice
