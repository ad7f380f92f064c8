"""Pictures and their variants: refused when damaged or a decompression bomb, resized into
upright WebP copies without metadata after the upload, linked, and gone with their file."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace

import pytest
from PIL import Image

from aquastream.adapters.storage.images import PillowImages
from aquastream.domain.media.errors import ImageTooLarge, UnreadableImage
from aquastream.domain.media.model import MediaFile, OwnerType, variants_folder
from aquastream.domain.media.retention import DeleteAvatarsOfDeletedUser
from aquastream.domain.media.variants import variant_sides
from aquastream.ports.media import RenderedImage

from .media_world import MediaWorld
from .samples import DAMAGED_PNG, PNG, TRUNCATED_JPEG, picture, png_bomb

LARGE = 8 * 1024 * 1024


@pytest.fixture
def world() -> MediaWorld:
    return MediaWorld(max_bytes=LARGE)


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


async def avatar(world: MediaWorld, data: bytes) -> MediaFile:
    return await world.upload(world.ulla, OwnerType.AVATAR, world.ulla.user_id, data)


@pytest.mark.parametrize(
    ("size", "sides"),
    [
        ((3000, 2000), [256, 1024]),
        ((2000, 3000), [256, 1024]),
        ((600, 400), [256, 600]),
        ((1024, 10), [256, 1024]),
        ((256, 256), [256]),
        ((100, 80), [100]),
    ],
)
def test_variant_sides_are_the_sizes_capped_at_the_picture_never_enlarged(
    size: tuple[int, int], sides: list[int]
) -> None:
    assert variant_sides(*size, (256, 1024)) == sides


async def test_an_uploaded_picture_gets_webp_variants_of_256_and_1024_px_on_the_longest_side(
    world: MediaWorld,
) -> None:
    file = await avatar(world, picture("PNG", (2000, 1500)))
    assert await world.variants(file.id) == []  # the upload only records the original

    assert await world.deliver_uploads() == 2

    small, large = await world.variants(file.id)
    assert (small.longest_side, small.width, small.height) == (256, 256, 192)
    assert (large.longest_side, large.width, large.height) == (1024, 1024, 768)
    for variant in (small, large):
        assert variant.content_type == "image/webp"
        assert variant.storage_key.startswith(variants_folder(file.storage_key) + "/")
        stored = world.storage.objects[variant.storage_key]
        assert variant.size_bytes == len(stored)
        with opened(stored) as image:
            assert (image.format, image.size) == ("WEBP", (variant.width, variant.height))


async def test_a_picture_smaller_than_every_size_gets_one_variant_of_its_own_size(world: MediaWorld) -> None:
    file = await avatar(world, picture("JPEG", (120, 90)))
    await world.deliver_uploads()
    [variant] = await world.variants(file.id)
    assert (variant.longest_side, variant.width, variant.height) == (120, 120, 90)


async def test_exif_orientation_is_applied_and_no_metadata_is_kept(world: MediaWorld) -> None:
    # Stored 400 wide, left half red, right half blue; orientation 6 shows it turned a
    # quarter clockwise: 200 wide, red on top, blue below.
    file = await avatar(world, picture("JPEG", (400, 200), orientation=6))
    await world.deliver_uploads()

    small, own = await world.variants(file.id)
    assert (small.width, small.height) == (128, 256)
    assert (own.width, own.height) == (200, 400)
    with opened(world.storage.objects[small.storage_key]) as image:
        top, bottom = image.getpixel((64, 10)), image.getpixel((64, 246))
        assert isinstance(top, tuple)
        assert isinstance(bottom, tuple)
        assert (top[0] > 200, top[2] < 60) == (True, True)  # red
        assert (bottom[0] < 60, bottom[2] > 200) == (True, True)  # blue
        assert dict(image.getexif()) == {}
        assert not {"exif", "icc_profile", "xmp"} & set(image.info)


async def test_a_redelivered_upload_makes_nothing_twice(world: MediaWorld) -> None:
    file = await avatar(world, picture("PNG", (800, 600)))
    assert await world.deliver_uploads() == 2
    before = dict(world.storage.objects)

    assert await world.deliver_uploads() == 0

    assert world.storage.objects == before
    assert len(await world.variants(file.id)) == 2


async def test_payment_proofs_get_no_variants_and_are_kept_as_sent(world: MediaWorld) -> None:
    proof = await world.upload(world.paul, OwnerType.PAYMENT_PROOF, world.booking_id, DAMAGED_PNG)
    assert await world.deliver_uploads() == 0
    assert await world.variants(proof.id) == []
    assert list(world.storage.objects) == [proof.storage_key]


@pytest.mark.parametrize("data", [DAMAGED_PNG, TRUNCATED_JPEG], ids=["damaged_png", "truncated_jpeg"])
async def test_a_damaged_picture_is_refused_and_nothing_is_stored(world: MediaWorld, data: bytes) -> None:
    with pytest.raises(UnreadableImage) as refused:
        await avatar(world, data)
    assert refused.value.code == "media.image_unreadable"
    assert world.rows() == {}
    assert world.storage.objects == {}


class NeverDecodes(PillowImages):
    """Reads headers; fails the test if asked to decode pixels."""

    async def check_decodes(self, data: bytes) -> None:
        raise AssertionError("a refused picture was decoded")

    async def render(self, data: bytes, longest_sides: Sequence[int]) -> list[RenderedImage]:
        raise AssertionError("a refused picture was decoded")


@pytest.mark.parametrize(
    ("data", "width", "height"),
    [
        (png_bomb(30_000, 30_000), None, None),  # past what Pillow reads at all
        (png_bomb(8_000, 8_000), 8_000, 8_000),  # 64 MP, past the 50 MP limit
        (png_bomb(20_001, 1), 20_001, 1),  # an absurd side, whatever the total
    ],
    ids=["gigapixel", "over_the_pixel_limit", "absurd_side"],
)
async def test_a_decompression_bomb_is_refused_from_its_header_before_any_pixel_is_decoded(
    world: MediaWorld, data: bytes, width: int | None, height: int | None
) -> None:
    world.images = NeverDecodes()
    with pytest.raises(ImageTooLarge) as refused:
        await avatar(world, data)
    assert refused.value.code == "media.image_too_large"
    assert refused.value.extra == {
        "width": width,
        "height": height,
        "maxPixels": 50_000_000,
        "maxSide": 20_000,
    }
    assert world.rows() == {}
    assert world.storage.objects == {}


async def test_the_pixel_limit_is_the_policys(world: MediaWorld) -> None:
    world.policy = replace(world.policy, max_image_pixels=100 * 100)
    await avatar(world, picture("PNG", (100, 100)))
    with pytest.raises(ImageTooLarge):
        await avatar(world, picture("PNG", (101, 100)))


async def test_a_presigned_damaged_picture_is_refused_and_its_object_removed(world: MediaWorld) -> None:
    pending = await world.start(world.olga, OwnerType.EVENT_IMAGE, world.event_id)
    await world.storage.put(pending.file.storage_key, TRUNCATED_JPEG, content_type="image/jpeg")
    with pytest.raises(UnreadableImage):
        await world.complete(world.olga, pending.file.id)
    assert world.storage.objects == {}

    await world.storage.put(pending.file.storage_key, PNG, content_type="image/png")
    assert (await world.complete(world.olga, pending.file.id)).content_type == "image/png"


async def test_a_link_to_a_picture_links_each_variant_with_its_size(world: MediaWorld) -> None:
    logo = await world.upload(
        world.olga, OwnerType.ORGANIZER_LOGO, world.organizer_id, picture("PNG", (900, 300))
    )
    assert (await world.link(None, logo.id)).variants == ()
    await world.deliver_uploads()

    link = await world.link(None, logo.id)

    assert [(v.variant.width, v.variant.height) for v in link.variants] == [(256, 85), (900, 300)]
    for shown in link.variants:
        assert shown.variant.storage_key in shown.download.url
        assert shown.download.expires_at == link.download.expires_at


async def test_the_current_avatar_is_the_newest_with_its_variants(world: MediaWorld) -> None:
    assert await world.avatars.current_avatar(world.ulla.user_id) is None
    await avatar(world, picture("PNG", (300, 300)))
    world.clock.advance(seconds=60)
    newest = await avatar(world, picture("PNG", (2000, 1000)))
    await world.deliver_uploads()

    shown = await world.avatars.current_avatar(world.ulla.user_id)

    assert shown is not None
    assert (shown.file_id, shown.content_type) == (newest.id, "image/png")
    assert [(v.width, v.height, v.content_type) for v in shown.variants] == [
        (256, 128, "image/webp"),
        (1024, 512, "image/webp"),
    ]


async def test_deleting_a_picture_removes_its_variants_rows_and_objects(world: MediaWorld) -> None:
    file = await avatar(world, picture("PNG", (1500, 1500)))
    await world.deliver_uploads()
    assert len(world.storage.objects) == 3

    await world.delete(world.ulla, file.id)
    assert await world.variants(file.id) == []
    await world.deliver_deletions()

    assert world.storage.objects == {}


async def test_the_avatars_variants_go_when_the_account_is_deleted(world: MediaWorld) -> None:
    await avatar(world, picture("PNG", (700, 700)))
    await world.deliver_uploads()

    await DeleteAvatarsOfDeletedUser(world.uow(), world.clock)(world.ulla.user_id)
    await world.deliver_deletions()

    assert world.storage.objects == {}


class DeletedWhileRendering(PillowImages):
    """The file is deleted (and its objects removed) while its variants are being made."""

    def __init__(self, world: MediaWorld) -> None:
        self._world = world

    async def render(self, data: bytes, longest_sides: Sequence[int]) -> list[RenderedImage]:
        [event] = self._world.events("MediaUploaded")
        await self._world.delete(self._world.ulla, event.file_id)  # type: ignore[attr-defined]
        await self._world.deliver_deletions()
        return await super().render(data, longest_sides)


async def test_variants_of_a_file_deleted_meanwhile_are_removed_again(world: MediaWorld) -> None:
    file = await avatar(world, picture("PNG", (600, 600)))
    world.images = DeletedWhileRendering(world)

    assert await world.deliver_uploads() == 0

    assert await world.variants(file.id) == []
    assert world.storage.objects == {}
