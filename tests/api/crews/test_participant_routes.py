"""``GET /events/{id}/crews/me`` and ``PUT /events/{id}/crews/preferences``: the participant's side."""

from __future__ import annotations

import uuid
from typing import Any

from tests.api.booking.conftest import People
from tests.api.catalog.kit import API, Cast
from tests.api.crews.conftest import Trip
from tests.api.crews.kit import assigned, new_crew
from tests.api.identity.conftest import Account, Client, assert_problem


async def test_a_participant_sees_their_places_teammates_and_preferences(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    boat = await new_crew(api, cast.anna, trip.event_id, name="Boat")
    tent = await new_crew(api, cast.anna, trip.event_id, name="Tent", type="TENT", capacity=2)
    await assigned(api, cast.anna, boat["id"], people.pavel.id, seatNumber=1)
    await assigned(api, cast.anna, boat["id"], people.rita.id)
    await assigned(api, cast.anna, tent["id"], people.pavel.id)
    prefs = await api.put(
        f"{API}/events/{trip.event_id}/crews/preferences",
        json={"prefer": [people.rita.id]},
        headers=people.pavel.auth,
    )
    assert prefs.status_code == 200, prefs.text

    mine = await api.get(f"{API}/events/{trip.event_id}/crews/me", headers=people.pavel.auth)

    assert mine.status_code == 200, mine.text
    body = mine.json()
    assert [(p["crew"]["name"], p["assignment"]["seatNumber"]) for p in body["places"]] == [
        ("Boat", 1),
        ("Tent", None),
    ]
    assert [t["userId"] for t in body["places"][0]["teammates"]] == [people.rita.id]
    assert body["places"][1]["teammates"] == []
    assert body["preferences"] == {
        "eventId": trip.event_id,
        "userId": people.pavel.id,
        "prefer": [people.rita.id],
        "avoid": [],
    }
    nothing = await api.get(f"{API}/events/{trip.event_id}/crews/me", headers=people.sasha.auth)
    assert nothing.json()["places"] == []


async def test_only_participants_have_crews_of_their_own(api: Client, cast: Cast, trip: Trip) -> None:
    url = f"{API}/events/{trip.event_id}/crews/me"
    for account in (cast.vera, cast.anna):
        assert_problem(await api.get(url, headers=account.auth), 403, "crew.not_participant")
    assert_problem(
        await api.get(f"{API}/events/{uuid.uuid4()}/crews/me", headers=cast.vera.auth), 404, "event.not_found"
    )
    assert_problem(await api.get(url), 401, "auth.unauthenticated")


async def test_preferences_are_replaced_and_checked(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    url = f"{API}/events/{trip.event_id}/crews/preferences"

    async def put(account: Account, body: dict[str, Any]) -> Any:
        return await api.put(url, json=body, headers=account.auth)

    saved = await put(people.pavel, {"prefer": [people.rita.id, people.rita.id], "avoid": [people.sasha.id]})
    assert saved.json()["prefer"] == [people.rita.id]
    cleared = await put(people.pavel, {})
    assert (cleared.json()["prefer"], cleared.json()["avoid"]) == ([], [])

    too_many = assert_problem(
        await put(people.pavel, {"avoid": [str(uuid.uuid4()) for _ in range(6)]}),
        422,
        "crew.preferences_too_many",
    )
    assert too_many["limit"] == 5
    stranger = str(uuid.uuid4())
    unknown = assert_problem(
        await put(people.pavel, {"prefer": [stranger, people.rita.id]}),
        422,
        "crew.preference_not_participant",
    )
    assert unknown["userIds"] == [stranger]
    assert_problem(
        await put(people.pavel, {"prefer": [cast.vera.id]}), 422, "crew.preference_not_participant"
    )
    myself = assert_problem(await put(people.pavel, {"prefer": [people.pavel.id]}), 400, "validation.failed")
    assert myself["errors"] == [{"field": "prefer", "message": "must not list yourself"}]
    both = await put(people.pavel, {"prefer": [people.rita.id], "avoid": [people.rita.id]})
    assert_problem(both, 400, "validation.failed")
    assert_problem(await put(people.pavel, {"prefer": ["nope"]}), 400, "validation.failed")
    assert_problem(await put(cast.vera, {"prefer": [people.rita.id]}), 403, "crew.not_participant")
