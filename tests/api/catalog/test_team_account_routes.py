"""/organizers/{slug}/team/{id}/account through the real app: the manager links a team member
to an existing account by its email, once per organizer, and unlinks it; the public team
listing shows neither the account's id nor its email."""

from __future__ import annotations

from typing import Any

from tests.api.catalog.kit import API, Cast
from tests.api.identity.conftest import Account, Client, assert_problem

TEAM = f"{API}/organizers/river-rats/team"


async def _member(api: Client, cast: Cast, name: str = "Vera") -> dict[str, Any]:
    response = await api.post(TEAM, json={"name": name, "role": "Guide"}, headers=cast.anna.auth)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _link(api: Client, caller: Account, member_id: str, email: str) -> Any:
    return await api.put(f"{TEAM}/{member_id}/account", json={"email": email}, headers=caller.auth)


async def test_the_owner_links_a_team_member_to_an_account_that_the_public_never_sees(
    api: Client, cast: Cast
) -> None:
    vera = await _member(api, cast)

    linked = await _link(api, cast.anna, vera["id"], "Vera@Example.com")

    assert linked.status_code == 200, linked.text
    assert linked.json() == {"memberId": vera["id"], "userId": cast.vera.id, "email": "vera@example.com"}
    listing = await api.get(TEAM)
    assert listing.status_code == 200
    assert listing.json() == [vera]
    assert cast.vera.id not in listing.text
    assert "vera@example.com" not in listing.text
    changed = await api.put(f"{TEAM}/{vera['id']}", json={"role": "Safety"}, headers=cast.anna.auth)
    assert changed.status_code == 200
    assert set(changed.json()) == set(vera)
    export = await api.get(f"{API}/users/me/export", headers=cast.vera.auth)
    assert export.status_code == 200, export.text
    assert [(m["teamMemberId"], m["role"]) for m in export.json()["catalog"]["teamMemberships"]] == [
        (vera["id"], "Safety")
    ]


async def test_linking_an_unknown_email_is_a_clear_error(api: Client, cast: Cast) -> None:
    vera = await _member(api, cast)

    unknown = assert_problem(
        await _link(api, cast.anna, vera["id"], "nobody@example.com"), 422, "team_member.account_not_found"
    )
    assert "email" in unknown["detail"]
    invalid = assert_problem(
        await _link(api, cast.anna, vera["id"], "not an email"), 400, "validation.failed"
    )
    assert invalid["errors"][0]["field"] == "email"
    missing = await api.put(f"{TEAM}/{vera['id']}/account", json={}, headers=cast.anna.auth)
    assert missing.status_code == 400


async def test_an_account_is_linked_once_per_organizer(api: Client, cast: Cast) -> None:
    first, second = await _member(api, cast), await _member(api, cast, "Vera again")
    assert (await _link(api, cast.anna, first["id"], cast.vera.email)).status_code == 200

    assert_problem(
        await _link(api, cast.anna, second["id"], cast.vera.email), 409, "team_member.account_taken"
    )
    assert (await _link(api, cast.anna, first["id"], cast.vera.email)).status_code == 200


async def test_only_the_organizer_s_manager_links_unlinks_and_sees_the_links(api: Client, cast: Cast) -> None:
    vera = await _member(api, cast)
    account = f"{TEAM}/{vera['id']}/account"

    for stranger in (cast.boris, cast.vera):
        assert_problem(await _link(api, stranger, vera["id"], cast.vera.email), 403, "organizer.forbidden")
        assert_problem(await api.delete(account, headers=stranger.auth), 403, "organizer.forbidden")
    assert (await api.put(account, json={"email": cast.vera.email})).status_code == 401
    other = f"{API}/organizers/forest-club/team/{vera['id']}/account"
    assert_problem(
        await api.put(other, json={"email": cast.vera.email}, headers=cast.boris.auth),
        404,
        "team_member.not_found",
    )
    assert (await _link(api, cast.root, vera["id"], cast.vera.email)).status_code == 200
    links = await api.get(f"{TEAM}/accounts", headers=cast.anna.auth)
    assert links.status_code == 200, links.text
    assert links.json() == [{"memberId": vera["id"], "userId": cast.vera.id, "email": cast.vera.email}]
    for stranger in (cast.boris, cast.vera):
        assert_problem(await api.get(f"{TEAM}/accounts", headers=stranger.auth), 403, "organizer.forbidden")
    assert (await api.get(f"{TEAM}/accounts")).status_code == 401
    assert (await api.delete(account, headers=cast.anna.auth)).status_code == 204
    assert (await api.get(f"{TEAM}/accounts", headers=cast.anna.auth)).json() == []
    assert (await api.delete(account, headers=cast.anna.auth)).status_code == 204
