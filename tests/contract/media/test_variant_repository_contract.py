"""``VariantRepository`` (and ``FileRepository.newest_ready``) on memory, SQLite and
PostgreSQL: variants recorded once per size, only for a file that exists, and gone with it."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from aquastream.domain.media.model import FileStatus, ImageVariant, MediaFile, OwnerType, variant_key
from tests.contract.factories import NOW

from .kit import MediaKit
from .test_file_repository_contract import a_file, add


def variants_of(file: MediaFile, *sides: int) -> list[ImageVariant]:
    return [
        ImageVariant(file.id, side, side, side // 2, side * 10, variant_key(file.storage_key, side))
        for side in sides
    ]


async def recorded(kit: MediaKit, file: MediaFile) -> list[ImageVariant]:
    async with kit.new_uow() as uow:
        return (await uow.variants.of_files([file.id])).get(file.id, [])


async def test_variants_read_back_smallest_first(kit: MediaKit) -> None:
    file, other = a_file(status=FileStatus.READY), a_file(status=FileStatus.READY)
    await add(kit, file, other)
    async with kit.new_uow() as uow:
        assert await uow.variants.add(file.id, variants_of(file, 1024, 256))
        await uow.commit()
    async with kit.new_uow() as uow:
        found = await uow.variants.of_files([file.id, other.id])
    assert found == {file.id: variants_of(file, 256, 1024)}
    assert found[file.id][0].content_type == "image/webp"


async def test_a_size_recorded_again_is_kept_as_it_was(kit: MediaKit) -> None:
    file = a_file(status=FileStatus.READY)
    await add(kit, file)
    first = variants_of(file, 256)
    again = [replace(first[0], size_bytes=1), *variants_of(file, 1024)]
    for variants in (first, again):
        async with kit.new_uow() as uow:
            assert await uow.variants.add(file.id, variants)
            await uow.commit()
    assert await recorded(kit, file) == variants_of(file, 256, 1024)


async def test_no_variant_is_recorded_for_a_file_that_is_gone(kit: MediaKit) -> None:
    file = a_file(status=FileStatus.READY)
    async with kit.new_uow() as uow:
        assert not await uow.variants.add(file.id, variants_of(file, 256))
        await uow.commit()
    await add(kit, file)
    assert await recorded(kit, file) == []


async def test_variants_go_with_their_file(kit: MediaKit) -> None:
    removed, owned, kept = (a_file(status=FileStatus.READY) for _ in range(3))
    await add(kit, removed, owned, kept)
    async with kit.new_uow() as uow:
        for file in (removed, owned, kept):
            await uow.variants.add(file.id, variants_of(file, 256, 1024))
        await uow.commit()

    async with kit.new_uow() as uow:
        await uow.files.remove(removed.id)
        await uow.files.remove_owned(owned.owner_type, owned.owner_id)
        await uow.commit()

    async with kit.new_uow() as uow:
        assert await uow.variants.of_files([removed.id, owned.id, kept.id]) == {
            kept.id: variants_of(kept, 256, 1024)
        }


async def test_the_newest_ready_file_of_an_owner(kit: MediaKit) -> None:
    older = a_file(OwnerType.AVATAR, status=FileStatus.READY)
    newer = replace(
        a_file(OwnerType.AVATAR, status=FileStatus.READY, created_at=NOW + timedelta(minutes=1)),
        owner_id=older.owner_id,
    )
    pending = replace(
        a_file(OwnerType.AVATAR, created_at=NOW + timedelta(minutes=2)), owner_id=older.owner_id
    )
    logo = replace(a_file(OwnerType.ORGANIZER_LOGO, status=FileStatus.READY), owner_id=older.owner_id)
    await add(kit, older, newer, pending, logo)
    async with kit.new_uow() as uow:
        assert await uow.files.newest_ready(OwnerType.AVATAR, older.owner_id) == newer
        assert await uow.files.newest_ready(OwnerType.TEAM_PHOTO, older.owner_id) is None
