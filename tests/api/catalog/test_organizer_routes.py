"""/organizers through the real app: brand pages, who may open and change them, search and paging."""

from __future__ import annotations

from tests.api.catalog.kit import API, Cast, open_page, organizer_account
from tests.api.identity.conftest import Client, admin, assert_problem, login, register


async def test_an_organizer_opens_a_brand_page_that_everyone_can_read(api: Client) -> None:
    root = await admin(api)
    anna = await organizer_account(api, root, "anna@example.com")
    response = await api.post(
        f"{API}/organizers",
        json={
            "slug": "River-Rats",
            "name": "River Rats",
            "description": "Rafting since 2005.",
            "logoUrl": "https://cdn.example.org/rats.png",
            "contacts": {
                "email": "Hello@River-Rats.example",
                "phone": "+7 (999) 123-45-67",
                "telegram": "riverrats",
            },
            "brandColor": "#12ab9f",
        },
        headers=anna.auth,
    )
    assert response.status_code == 201, response.text
    page = response.json()
    assert page["slug"] == "river-rats"
    assert page["contacts"] == {
        "email": "hello@river-rats.example",
        "phone": "+79991234567",
        "telegram": "@riverrats",
        "website": None,
    }
    assert page["brandColor"] == "#12AB9F"
    assert page["createdAt"].endswith("Z")

    shown = await api.get(f"{API}/organizers/river-rats")
    assert shown.status_code == 200
    assert shown.json() == page
    assert (await api.get(f"{API}/organizers/RIVER-RATS")).json()["id"] == page["id"]


async def test_only_organizers_and_admins_open_brand_pages(api: Client) -> None:
    root = await admin(api)
    vera = await register(api, "vera@example.com")
    body = {"slug": "vera-trips", "name": "Vera Trips"}
    assert_problem(await api.post(f"{API}/organizers", json=body), 401, "auth.unauthenticated")
    assert_problem(
        await api.post(f"{API}/organizers", json=body, headers=vera.auth), 403, "organizer.role_required"
    )
    by_admin = await api.post(f"{API}/organizers", json=body, headers=root.auth)
    assert by_admin.status_code == 201


async def test_a_taken_slug_is_a_conflict(api: Client, cast: Cast) -> None:
    again = await api.post(
        f"{API}/organizers", json={"slug": "river-rats", "name": "Copycats"}, headers=cast.boris.auth
    )
    assert_problem(again, 409, "organizer.slug_taken")
    renamed = await api.put(
        f"{API}/organizers/forest-club", json={"slug": "river-rats"}, headers=cast.boris.auth
    )
    assert_problem(renamed, 409, "organizer.slug_taken")


async def test_every_invalid_field_is_reported_with_its_path_on_the_wire(api: Client, cast: Cast) -> None:
    response = await api.post(
        f"{API}/organizers",
        json={
            "slug": "no",
            "name": "",
            "contacts": {"email": "not-an-email", "website": "ftp://example.org"},
            "brandColor": "red",
        },
        headers=cast.anna.auth,
    )
    body = assert_problem(response, 400, "validation.failed")
    assert {error["field"] for error in body["errors"]} == {
        "slug",
        "name",
        "contacts.email",
        "contacts.website",
        "brandColor",
    }
    unknown_field = await api.post(
        f"{API}/organizers",
        json={"slug": "fine-slug", "name": "Fine", "colour": "#000000"},
        headers=cast.anna.auth,
    )
    assert_problem(unknown_field, 400, "validation.failed")
    missing_name = await api.post(f"{API}/organizers", json={"slug": "fine-slug"}, headers=cast.anna.auth)
    assert [e["field"] for e in assert_problem(missing_name, 400, "validation.failed")["errors"]] == ["name"]


async def test_the_owner_changes_the_page_partially(api: Client, cast: Cast) -> None:
    await api.put(
        f"{API}/organizers/river-rats",
        json={
            "description": "Old text",
            "contacts": {"email": "a@river.example", "website": "https://river.example"},
        },
        headers=cast.anna.auth,
    )
    response = await api.put(
        f"{API}/organizers/river-rats",
        json={"name": "River Rats Club", "contacts": {"website": None}},
        headers=cast.anna.auth,
    )
    assert response.status_code == 200, response.text
    page = response.json()
    assert (page["name"], page["description"]) == ("River Rats Club", "Old text")
    assert page["contacts"]["email"] == "a@river.example"
    assert page["contacts"]["website"] is None

    cleared = await api.put(
        f"{API}/organizers/river-rats", json={"contacts": None, "description": None}, headers=cast.anna.auth
    )
    assert cleared.json()["contacts"] == {"email": None, "phone": None, "telegram": None, "website": None}
    assert cleared.json()["description"] is None

    moved = await api.put(f"{API}/organizers/river-rats", json={"slug": "rats"}, headers=cast.anna.auth)
    assert moved.json()["slug"] == "rats"
    assert_problem(await api.get(f"{API}/organizers/river-rats"), 404, "organizer.not_found")
    assert (await api.get(f"{API}/organizers/rats")).status_code == 200


async def test_only_the_owner_or_an_admin_changes_a_page(api: Client, cast: Cast) -> None:
    change = {"name": "Taken Over"}
    assert_problem(await api.put(f"{API}/organizers/river-rats", json=change), 401, "auth.unauthenticated")
    assert_problem(
        await api.put(f"{API}/organizers/river-rats", json=change, headers=cast.boris.auth),
        403,
        "organizer.forbidden",
    )
    assert_problem(
        await api.put(f"{API}/organizers/river-rats", json=change, headers=cast.vera.auth),
        403,
        "organizer.forbidden",
    )
    assert_problem(
        await api.put(f"{API}/organizers/nobody-here", json=change, headers=cast.anna.auth),
        404,
        "organizer.not_found",
    )
    by_admin = await api.put(
        f"{API}/organizers/river-rats", json={"name": "Admin Was Here"}, headers=cast.root.auth
    )
    assert by_admin.status_code == 200
    assert by_admin.json()["name"] == "Admin Was Here"


async def test_an_owner_demoted_to_user_no_longer_manages_the_page(api: Client, cast: Cast) -> None:
    demoted = await api.post(
        f"{API}/admin/users/{cast.anna.id}/role", json={"role": "USER"}, headers=cast.root.auth
    )
    assert demoted.status_code == 200
    anna = await login(api, "anna@example.com")
    response = await api.put(f"{API}/organizers/river-rats", json={"name": "Still Mine"}, headers=anna.auth)
    assert_problem(response, 403, "organizer.forbidden")


async def test_the_list_is_by_slug_with_text_search_and_paging(api: Client, cast: Cast) -> None:
    await open_page(api, cast.anna, "alpha-kayak", "Alpha Kayak", description="Sea kayaking in Karelia")
    everyone = (await api.get(f"{API}/organizers")).json()
    assert [o["slug"] for o in everyone["items"]] == ["alpha-kayak", "forest-club", "river-rats"]
    assert (everyone["total"], everyone["page"], everyone["size"], everyone["totalPages"]) == (3, 0, 20, 1)

    found = (await api.get(f"{API}/organizers", params={"q": "KARELIA sea"})).json()
    assert [o["slug"] for o in found["items"]] == ["alpha-kayak"]
    assert (await api.get(f"{API}/organizers", params={"q": "karelia forest"})).json()["total"] == 0

    second = (await api.get(f"{API}/organizers", params={"page": 1, "size": 2})).json()
    assert [o["slug"] for o in second["items"]] == ["river-rats"]
    assert second["totalPages"] == 2


async def test_mine_lists_the_callers_own_pages(api: Client, cast: Cast) -> None:
    await open_page(api, cast.anna, "alpha-kayak", "Alpha Kayak")
    mine = (await api.get(f"{API}/organizers", params={"mine": "true"}, headers=cast.anna.auth)).json()
    assert [o["slug"] for o in mine["items"]] == ["alpha-kayak", "river-rats"]
    assert (await api.get(f"{API}/organizers", params={"mine": "true"}, headers=cast.vera.auth)).json()[
        "total"
    ] == 0
    assert_problem(await api.get(f"{API}/organizers", params={"mine": "true"}), 401, "auth.unauthenticated")


async def test_bad_paging_and_search_values_are_400(api: Client, cast: Cast) -> None:
    for params in (
        {"size": 0},
        {"size": 101},
        {"page": -1},
        {"page": "first"},
        {"q": "x" * 201},
        {"mine": "maybe"},
    ):
        assert_problem(await api.get(f"{API}/organizers", params=params), 400, "validation.failed")
    for params in ({"size": 0}, {"page": -1}):
        response = await api.get(f"{API}/organizers/river-rats/events", params=params)
        assert_problem(response, 400, "validation.failed")


async def test_unknown_organizers_are_404_on_every_public_read(api: Client) -> None:
    for suffix in ("", "/team", "/faq", "/events"):
        assert_problem(await api.get(f"{API}/organizers/nobody-here{suffix}"), 404, "organizer.not_found")
