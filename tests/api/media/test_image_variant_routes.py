"""Image variants end to end on the local storage: an upload, the worker's variants, the
links to them in ``/media/{id}`` and ``/users/me``, their bytes, and their deletion; and the
pictures refused at upload."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.api.catalog.kit import API
from tests.api.identity.conftest import Client, assert_problem
from tests.api.worker import drain_outbox
from tests.unit.media.samples import DAMAGED_PNG, TRUNCATED_JPEG, picture, png_bomb

from .conftest import Scene
from .kit import fetch, link, stored_keys, upload, uploaded


def sizes(variants: list[dict[str, object]]) -> list[tuple[object, object, object]]:
    return [(v["width"], v["height"], v["contentType"]) for v in variants]


async def test_an_event_cover_is_linked_with_its_webp_variants_which_go_when_it_is_deleted(
    api: Client, scene: Scene, media_dir: Path
) -> None:
    anna = scene.cast.anna
    cover = await uploaded(api, anna, "event_image", scene.event_id, picture("PNG", (1500, 1000)))
    assert (await link(api, None, cover["id"])).json()["variants"] == []

    await drain_outbox(api)

    shown = (await link(api, None, cover["id"])).json()
    assert sizes(shown["variants"]) == [(256, 171, "image/webp"), (1024, 683, "image/webp")]
    for variant in shown["variants"]:
        got = await fetch(api, variant["url"])
        assert (got.status_code, got.headers["content-type"]) == (200, "image/webp")
        with Image.open(io.BytesIO(got.content)) as image:
            assert (image.format, image.size) == ("WEBP", (variant["width"], variant["height"]))
    key = f"event_image/{scene.event_id}/{cover['id']}"
    assert stored_keys(media_dir) == [key, f"{key}.variants/1024.webp", f"{key}.variants/256.webp"]

    assert (await api.delete(f"{API}/media/{cover['id']}", headers=anna.auth)).status_code == 204
    await drain_outbox(api)

    assert stored_keys(media_dir) == []
    assert_problem(await fetch(api, shown["variants"][0]["url"]), 404, "media.not_found")


async def test_users_me_links_the_callers_newest_avatar_with_its_variants(api: Client, scene: Scene) -> None:
    pavel = scene.people.pavel
    assert (await api.get(f"{API}/users/me", headers=pavel.auth)).json()["avatar"] is None
    avatar = await uploaded(api, pavel, "avatar", pavel.id, picture("JPEG", (600, 400)))

    before = (await api.get(f"{API}/users/me", headers=pavel.auth)).json()["avatar"]
    assert (before["id"], before["contentType"], before["variants"]) == (avatar["id"], "image/jpeg", [])
    await drain_outbox(api)
    shown = (await api.get(f"{API}/users/me", headers=pavel.auth)).json()["avatar"]

    assert shown["id"] == avatar["id"]
    assert sizes(shown["variants"]) == [(256, 171, "image/webp"), (600, 400, "image/webp")]
    assert (await fetch(api, shown["url"])).status_code == 200
    assert (await fetch(api, shown["variants"][0]["url"])).headers["content-type"] == "image/webp"
    # Another user's profile shows their own avatar, not Pavel's.
    rita = (await api.get(f"{API}/users/me", headers=scene.people.rita.auth)).json()
    assert rita["avatar"] is None


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (DAMAGED_PNG, "media.image_unreadable"),
        (TRUNCATED_JPEG, "media.image_unreadable"),
        (png_bomb(30_000, 30_000), "media.image_too_large"),
        (png_bomb(8_000, 8_000), "media.image_too_large"),
    ],
    ids=["damaged_png", "truncated_jpeg", "gigapixel_bomb", "over_50_megapixels"],
)
async def test_a_damaged_picture_or_a_decompression_bomb_is_refused_and_nothing_stored(
    api: Client, scene: Scene, media_dir: Path, data: bytes, code: str
) -> None:
    pavel = scene.people.pavel
    body = assert_problem(await upload(api, pavel, "avatar", pavel.id, data), 422, code)
    assert body["detail"]
    assert stored_keys(media_dir) == []
