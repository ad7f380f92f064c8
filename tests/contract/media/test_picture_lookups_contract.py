"""The lookups behind the catalog's picture variants and their back-fill, on memory, SQLite and
PostgreSQL: ``FileRepository.newest_ready_of``, ``ready_of`` and ``lacking_variants``, and
media's ``PictureVariants`` served over them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.media import MemoryObjectStorage
from aquastream.domain.media.model import IMAGE_OWNER_TYPES, FileStatus, MediaFile, MediaPolicy, OwnerType
from aquastream.domain.media.served import ServedPictureVariants
from aquastream.ports.pictures import PictureOf, PublicPicture
from tests.contract.factories import NOW

from .kit import MediaKit
from .test_file_repository_contract import a_file, add
from .test_variant_repository_contract import variants_of


def later(file: MediaFile, minutes: int, *, like: MediaFile) -> MediaFile:
    """``file`` as another upload of ``like``'s owner, completed ``minutes`` later."""
    at = NOW + timedelta(minutes=minutes)
    return replace(file, owner_id=like.owner_id, created_at=at, completed_at=at)


async def with_variants(kit: MediaKit, *files: MediaFile) -> None:
    async with kit.new_uow() as uow:
        for file in files:
            assert await uow.variants.add(file.id, variants_of(file, 256, 1024))
        await uow.commit()


async def test_the_newest_ready_file_of_each_owner_in_one_lookup(kit: MediaKit) -> None:
    first = a_file(OwnerType.EVENT_IMAGE, status=FileStatus.READY)
    newest = later(a_file(OwnerType.EVENT_IMAGE, status=FileStatus.READY), 5, like=first)
    pending = replace(
        a_file(OwnerType.EVENT_IMAGE, created_at=NOW + timedelta(minutes=9)), owner_id=first.owner_id
    )
    other = a_file(OwnerType.EVENT_IMAGE, status=FileStatus.READY)
    photo = a_file(OwnerType.TEAM_PHOTO, status=FileStatus.READY)
    nobody = a_file(OwnerType.EVENT_IMAGE).owner_id
    await add(kit, first, newest, pending, other, photo)

    async with kit.new_uow() as uow:
        found = await uow.files.newest_ready_of(
            OwnerType.EVENT_IMAGE, [first.owner_id, other.owner_id, photo.owner_id, nobody]
        )
        assert await uow.files.newest_ready_of(OwnerType.EVENT_IMAGE, []) == {}

    assert found == {first.owner_id: newest, other.owner_id: other}


async def test_ready_of_answers_the_ready_files_among_those_asked(kit: MediaKit) -> None:
    ready, also = a_file(OwnerType.ORGANIZER_LOGO, status=FileStatus.READY), a_file(status=FileStatus.READY)
    pending, unknown = a_file(OwnerType.ORGANIZER_LOGO), a_file(OwnerType.ORGANIZER_LOGO)
    await add(kit, ready, also, pending)

    async with kit.new_uow() as uow:
        found = await uow.files.ready_of([ready.id, also.id, pending.id, unknown.id])
        assert await uow.files.ready_of([]) == []

    assert sorted(found, key=lambda f: f.id) == sorted([ready, also], key=lambda f: f.id)


async def test_lacking_variants_walks_the_ready_pictures_without_any_by_id(kit: MediaKit) -> None:
    lacking = [a_file(owner_type, status=FileStatus.READY) for owner_type in sorted(IMAGE_OWNER_TYPES)]
    lacking += [a_file(OwnerType.EVENT_IMAGE, status=FileStatus.READY) for _ in range(2)]
    made = a_file(OwnerType.AVATAR, status=FileStatus.READY)
    pending = a_file(OwnerType.EVENT_IMAGE)
    proof = a_file(OwnerType.PAYMENT_PROOF, status=FileStatus.READY)
    await add(kit, *lacking, made, pending, proof)
    await with_variants(kit, made)

    walked: list[MediaFile] = []
    async with kit.new_uow() as uow:
        after = None
        while batch := await uow.files.lacking_variants(IMAGE_OWNER_TYPES, after=after, limit=4):
            assert len(batch) <= 4
            walked += batch
            after = batch[-1].id

    assert walked == sorted(lacking, key=lambda f: f.id)


async def test_picture_variants_are_served_for_the_named_file_or_the_newest_of_its_owner(
    kit: MediaKit,
) -> None:
    logo = a_file(OwnerType.ORGANIZER_LOGO, status=FileStatus.READY)
    old_cover = a_file(OwnerType.EVENT_IMAGE, status=FileStatus.READY)
    cover = later(a_file(OwnerType.EVENT_IMAGE, status=FileStatus.READY), 1, like=old_cover)
    bare = a_file(OwnerType.TEAM_PHOTO, status=FileStatus.READY)
    avatar = a_file(OwnerType.AVATAR, status=FileStatus.READY)
    await add(kit, logo, old_cover, cover, bare, avatar)
    await with_variants(kit, logo, old_cover, cover, avatar)
    pictures = ServedPictureVariants(kit.new_uow(), MemoryObjectStorage(), FrozenClock(NOW), MediaPolicy())
    asked = {
        "logo": PictureOf(PublicPicture.ORGANIZER_LOGO, logo.owner_id, logo.id),
        "cover": PictureOf(PublicPicture.EVENT_IMAGE, cover.owner_id),
        "photo without variants": PictureOf(PublicPicture.TEAM_PHOTO, bare.owner_id),
        "avatar as a logo": PictureOf(PublicPicture.ORGANIZER_LOGO, avatar.owner_id, avatar.id),
    }

    found = await pictures.variants(set(asked.values()))

    assert {name for name, picture in asked.items() if picture in found} == {"logo", "cover"}
    assert [(v.width, v.height) for v in found[asked["cover"]]] == [(256, 128), (1024, 512)]
    assert [v.url for v in found[asked["cover"]]] == [
        (
            await MemoryObjectStorage().download_link(
                v.storage_key, expires_in=MediaPolicy().link_ttl, now=NOW, content_type=v.content_type
            )
        ).url
        for v in variants_of(cover, 256, 1024)
    ]
