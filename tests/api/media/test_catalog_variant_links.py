"""The catalog's pages link the variants of their pictures: an organizer's logo (its page and
the list), a team member's photo (the team) and an event's cover (the event, the catalog and
the organizer's events), each with its size; the links work, the cached anonymous answer
carries them, and they go with their picture. Pictures uploaded before variants were made get
them from the back-fill."""

from __future__ import annotations

from typing import Any

from aquastream.adapters.http.metrics import REGISTRY
from aquastream.domain.media.variants import MakeMissingVariants, VariantsBackfill
from tests.api.catalog.kit import API
from tests.api.identity.conftest import Client
from tests.api.worker import drain_outbox, in_request
from tests.unit.media.samples import picture

from .conftest import Scene
from .kit import fetch, uploaded


def sizes(variants: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
    return [(v["width"], v["height"], v["contentType"]) for v in variants]


def cache_hits() -> float:
    return REGISTRY.get_sample_value("aquastream_catalog_cache_total", {"result": "hit"}) or 0.0


async def pictured(api: Client, scene: Scene) -> dict[str, Any]:
    """A logo named by the brand page, a team photo and a cover, uploaded by the organizer."""
    anna = scene.cast.anna
    logo = await uploaded(api, anna, "organizer_logo", scene.organizer_id, picture("PNG", (300, 300)))
    named = await api.put(f"{API}/organizers/river-rats", json={"logoMediaId": logo["id"]}, headers=anna.auth)
    assert named.status_code == 200, named.text
    photo = await uploaded(api, anna, "team_photo", scene.member_id, picture("PNG", (600, 400)))
    cover = await uploaded(api, anna, "event_image", scene.event_id, picture("JPEG", (1500, 1000)))
    return {"logo": logo, "photo": photo, "cover": cover}


async def shown(api: Client, scene: Scene, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """Every catalog answer that shows one of the scene's pictures."""

    async def read(path: str, **params: Any) -> Any:
        got = await api.get(f"{API}{path}", params=params, headers=headers or {})
        assert got.status_code == 200, got.text
        return got.json()

    def the_event(page: dict[str, Any]) -> dict[str, Any]:
        [event] = [e for e in page["items"] if e["id"] == scene.event_id]
        return event

    [member] = [m for m in await read("/organizers/river-rats/team") if m["id"] == scene.member_id]
    [listed] = [o for o in (await read("/organizers", q="river"))["items"] if o["slug"] == "river-rats"]
    return {
        "organizer": (await read("/organizers/river-rats"))["logoVariants"],
        "organizer in the list": listed["logoVariants"],
        "team member": member["photoVariants"],
        "event": (await read(f"/events/{scene.event_id}"))["coverVariants"],
        "catalog": the_event(await read("/events"))["coverVariants"],
        "organizer's events": the_event(await read("/organizers/river-rats/events"))["coverVariants"],
    }


LOGO = [(256, 256, "image/webp"), (300, 300, "image/webp")]
PHOTO = [(256, 171, "image/webp"), (600, 400, "image/webp")]
COVER = [(256, 171, "image/webp"), (1024, 683, "image/webp")]
EXPECTED = {
    "organizer": LOGO,
    "organizer in the list": LOGO,
    "team member": PHOTO,
    "event": COVER,
    "catalog": COVER,
    "organizer's events": COVER,
}
NONE_YET: dict[str, list[object]] = {name: [] for name in EXPECTED}


async def test_catalog_pages_link_the_variants_of_logo_team_photo_and_cover_with_their_sizes(
    api: Client, scene: Scene
) -> None:
    await pictured(api, scene)
    owner = scene.cast.anna.auth
    assert await shown(api, scene, owner) == NONE_YET  # until the worker made them

    await drain_outbox(api)

    answers = await shown(api, scene)
    assert {name: sizes(variants) for name, variants in answers.items()} == EXPECTED
    assert {name: sizes(v) for name, v in (await shown(api, scene, owner)).items()} == EXPECTED
    for variants in answers.values():
        for variant in variants:
            got = await fetch(api, variant["url"])
            assert (got.status_code, got.headers["content-type"]) == (200, "image/webp")


async def test_the_cached_anonymous_answer_carries_the_variants(api: Client, scene: Scene) -> None:
    await pictured(api, scene)
    await drain_outbox(api)
    url = f"{API}/events/{scene.event_id}"

    first = await api.get(url)
    hits = cache_hits()
    again = await api.get(url)

    assert cache_hits() == hits + 1
    assert again.json() == first.json()
    assert sizes(again.json()["coverVariants"]) == COVER


async def test_deleting_a_picture_removes_its_links(api: Client, scene: Scene) -> None:
    pictures = await pictured(api, scene)
    await drain_outbox(api)
    before = await shown(api, scene)

    for file in pictures.values():
        deleted = await api.delete(f"{API}/media/{file['id']}", headers=scene.cast.anna.auth)
        assert deleted.status_code == 204, deleted.text
    await drain_outbox(api)

    assert await shown(api, scene) == NONE_YET
    assert (await fetch(api, before["event"][0]["url"])).status_code == 404
    page = (await api.get(f"{API}/organizers/river-rats")).json()
    assert page["logoMediaId"] == pictures["logo"]["id"]  # the page still names it; nothing to link


async def test_an_external_logo_links_no_variants(api: Client, scene: Scene) -> None:
    anna = scene.cast.anna
    await uploaded(api, anna, "organizer_logo", scene.organizer_id, picture("PNG", (300, 300)))
    external = {"logoMediaId": None, "logoUrl": "https://cdn.example.org/logo.png"}
    assert (
        await api.put(f"{API}/organizers/river-rats", json=external, headers=anna.auth)
    ).status_code == 200
    await drain_outbox(api)

    page = (await api.get(f"{API}/organizers/river-rats")).json()

    assert (page["logoUrl"], page["logoVariants"]) == ("https://cdn.example.org/logo.png", [])


async def test_the_back_fill_makes_the_variants_of_an_upload_from_before_variants(
    api: Client, scene: Scene
) -> None:
    # Uploaded, its MediaUploaded not handled: as a picture stored before variants existed.
    await pictured(api, scene)

    async def back_fill(request: Any) -> VariantsBackfill:
        return await (await request.get(MakeMissingVariants))()

    done = await in_request(api, back_fill)
    assert (done.pictures, done.given, done.variants) == (3, 3, 6)
    assert {name: sizes(v) for name, v in (await shown(api, scene, scene.cast.anna.auth)).items()} == EXPECTED

    again = await in_request(api, back_fill)
    assert (again.pictures, again.variants) == (0, 0)
    await drain_outbox(api)  # the worker, handed the uploads late, makes nothing twice
    assert {name: sizes(v) for name, v in (await shown(api, scene, scene.cast.anna.auth)).items()} == EXPECTED
