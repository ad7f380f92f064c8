"""/organizers/{slug}/team and /faq through the real app: public reads, the manager's writes, order."""

from __future__ import annotations

import uuid

import pytest

from tests.api.catalog.kit import API, Cast
from tests.api.identity.conftest import Client, assert_problem

TEAM = f"{API}/organizers/river-rats/team"
FAQ = f"{API}/organizers/river-rats/faq"


async def test_the_team_is_listed_in_order_and_new_people_go_last(api: Client, cast: Cast) -> None:
    olga = await api.post(
        TEAM,
        json={
            "name": "Olga",
            "role": "Guide",
            "photoUrl": "https://cdn.example.org/olga.jpg",
            "bio": "20 years",
        },
        headers=cast.anna.auth,
    )
    assert olga.status_code == 201, olga.text
    assert olga.json()["sortOrder"] == 0
    ivan = (await api.post(TEAM, json={"name": "Ivan"}, headers=cast.anna.auth)).json()
    assert ivan["sortOrder"] == 1
    assert ivan["role"] is None

    team = await api.get(TEAM)
    assert team.status_code == 200
    assert [m["name"] for m in team.json()] == ["Olga", "Ivan"]

    moved = await api.put(f"{TEAM}/{ivan['id']}", json={"sortOrder": 0}, headers=cast.anna.auth)
    assert moved.status_code == 200
    await api.put(f"{TEAM}/{olga.json()['id']}", json={"sortOrder": 5, "role": None}, headers=cast.anna.auth)
    reordered = (await api.get(TEAM)).json()
    assert [(m["name"], m["role"]) for m in reordered] == [("Ivan", None), ("Olga", None)]
    assert reordered[1]["bio"] == "20 years"

    removed = await api.delete(f"{TEAM}/{ivan['id']}", headers=cast.anna.auth)
    assert removed.status_code == 204
    assert [m["name"] for m in (await api.get(TEAM)).json()] == ["Olga"]


async def test_the_faq_is_listed_in_order_and_edited_by_its_manager(api: Client, cast: Cast) -> None:
    first = await api.post(
        FAQ,
        json={"question": "What to bring?", "answer": "Warm clothes.", "sortOrder": 10},
        headers=cast.anna.auth,
    )
    assert first.status_code == 201, first.text
    second = (
        await api.post(
            FAQ,
            json={"question": "Is food included?", "answer": "Yes.", "sortOrder": 0},
            headers=cast.anna.auth,
        )
    ).json()
    assert [i["question"] for i in (await api.get(FAQ)).json()] == ["Is food included?", "What to bring?"]

    changed = await api.put(
        f"{FAQ}/{second['id']}", json={"answer": "Three meals a day."}, headers=cast.root.auth
    )
    assert changed.status_code == 200
    assert changed.json()["question"] == "Is food included?"
    assert changed.json()["answer"] == "Three meals a day."

    assert (await api.delete(f"{FAQ}/{first.json()['id']}", headers=cast.anna.auth)).status_code == 204
    assert [i["id"] for i in (await api.get(FAQ)).json()] == [second["id"]]


@pytest.mark.parametrize("section", ["team", "faq"])
async def test_only_the_manager_writes_team_and_faq(api: Client, cast: Cast, section: str) -> None:
    base = f"{API}/organizers/river-rats/{section}"
    body = {"name": "Olga"} if section == "team" else {"question": "Why us?", "answer": "Because."}
    item = (await api.post(base, json=body, headers=cast.anna.auth)).json()

    assert_problem(await api.post(base, json=body), 401, "auth.unauthenticated")
    assert_problem(await api.post(base, json=body, headers=cast.vera.auth), 403, "organizer.forbidden")
    assert_problem(await api.post(base, json=body, headers=cast.boris.auth), 403, "organizer.forbidden")
    assert_problem(
        await api.put(f"{base}/{item['id']}", json={}, headers=cast.boris.auth), 403, "organizer.forbidden"
    )
    assert_problem(
        await api.delete(f"{base}/{item['id']}", headers=cast.boris.auth), 403, "organizer.forbidden"
    )
    assert_problem(await api.delete(f"{base}/{item['id']}"), 401, "auth.unauthenticated")

    by_admin = await api.post(base, json=body, headers=cast.root.auth)
    assert by_admin.status_code == 201
    assert (await api.delete(f"{base}/{by_admin.json()['id']}", headers=cast.root.auth)).status_code == 204


@pytest.mark.parametrize(
    ("section", "code"), [("team", "team_member.not_found"), ("faq", "faq_item.not_found")]
)
async def test_items_of_another_organizer_or_unknown_ones_are_404(
    api: Client, cast: Cast, section: str, code: str
) -> None:
    body = {"name": "Olga"} if section == "team" else {"question": "Why us?", "answer": "Because."}
    foreign = (
        await api.post(f"{API}/organizers/forest-club/{section}", json=body, headers=cast.boris.auth)
    ).json()
    base = f"{API}/organizers/river-rats/{section}"
    assert_problem(await api.put(f"{base}/{foreign['id']}", json={}, headers=cast.anna.auth), 404, code)
    assert_problem(await api.delete(f"{base}/{foreign['id']}", headers=cast.anna.auth), 404, code)
    assert_problem(await api.delete(f"{base}/{uuid.uuid4()}", headers=cast.anna.auth), 404, code)


async def test_invalid_team_and_faq_input_is_400_with_every_field(api: Client, cast: Cast) -> None:
    team = await api.post(
        TEAM, json={"name": " ", "photoUrl": "not a url", "sortOrder": -1}, headers=cast.anna.auth
    )
    assert {e["field"] for e in assert_problem(team, 400, "validation.failed")["errors"]} == {
        "name",
        "photoUrl",
        "sortOrder",
    }
    faq = await api.post(FAQ, json={"question": "?", "answer": ""}, headers=cast.anna.auth)
    assert {e["field"] for e in assert_problem(faq, 400, "validation.failed")["errors"]} == {
        "question",
        "answer",
    }
    null_order = await api.post(TEAM, json={"name": "Olga"}, headers=cast.anna.auth)
    member_id = null_order.json()["id"]
    refused = await api.put(f"{TEAM}/{member_id}", json={"sortOrder": None}, headers=cast.anna.auth)
    assert_problem(refused, 400, "validation.failed")
