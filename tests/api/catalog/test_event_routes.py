"""/events through the real app: drafts, who sees and changes them, publishing and cancelling."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from aquastream.adapters.memory.clock import FrozenClock
from tests.api.catalog.kit import API, Cast, at, book_seat, create_event, event_body, publish, published_event
from tests.api.identity.conftest import Account, Client, assert_problem, login, register


async def test_an_organizer_creates_a_draft_with_money_as_a_decimal_string(api: Client, cast: Cast) -> None:
    response = await api.post(
        f"{API}/events", json=event_body("river-rats", price=1500.5, type="rafting"), headers=cast.anna.auth
    )
    assert response.status_code == 201, response.text
    event = response.json()
    assert event["status"] == "DRAFT"
    assert (event["organizerSlug"], event["organizerName"]) == ("river-rats", "River Rats")
    assert (event["type"], event["price"], event["currency"]) == ("RAFTING", "1500.50", "RUB")
    assert (event["dateStart"], event["dateEnd"]) == (at(30), at(31))
    assert event["location"] == {
        "address": "Pier 3",
        "city": "Veliky Novgorod",
        "latitude": 58.52,
        "longitude": 31.27,
    }
    assert (event["capacity"], event["available"], event["isFull"]) == (10, 10, False)
    assert (event["registrationOpen"], event["isPast"], event["publishedAt"]) == (False, False, None)
    assert (event["favoritesCount"], event["isFavorite"]) == (0, False)
    assert event["tags"] == ["river", "beginners"]
    assert event["createdAt"] == event["updatedAt"] == "2030-01-01T12:00:00Z"


@pytest.mark.parametrize(
    ("price", "shown"), [(None, None), (0, "0.00"), ("0", "0.00"), ("99.9", "99.90"), (7, "7.00")]
)
async def test_prices_are_read_as_numbers_or_strings_and_shown_with_two_digits(
    api: Client, cast: Cast, price: object, shown: str | None
) -> None:
    event = await create_event(api, cast.anna, "river-rats", price=price)
    assert event["price"] == shown


async def test_only_the_organizers_managers_create_its_events(api: Client, cast: Cast) -> None:
    body = event_body("river-rats")
    assert_problem(await api.post(f"{API}/events", json=body), 401, "auth.unauthenticated")
    assert_problem(
        await api.post(f"{API}/events", json=body, headers=cast.vera.auth), 403, "organizer.forbidden"
    )
    assert_problem(
        await api.post(f"{API}/events", json=body, headers=cast.boris.auth), 403, "organizer.forbidden"
    )
    unknown = await api.post(f"{API}/events", json=event_body("nobody-here"), headers=cast.anna.auth)
    assert_problem(unknown, 404, "organizer.not_found")
    by_admin = await api.post(f"{API}/events", json=body, headers=cast.root.auth)
    assert by_admin.status_code == 201
    assert by_admin.json()["organizerSlug"] == "river-rats"


async def test_every_malformed_event_field_is_reported_at_once(api: Client, cast: Cast) -> None:
    body = event_body(
        "river-rats",
        type="yachting",
        title="No",
        dateStart=at(-1),
        dateEnd=at(-2),
        capacity=0,
        price="-10",
        location={"city": "Msta", "latitude": 95},
        tags=["ok", "!!!"],
        coverUrl="cover.jpg",
    )
    problem = assert_problem(
        await api.post(f"{API}/events", json=body, headers=cast.anna.auth), 400, "validation.failed"
    )
    assert {e["field"] for e in problem["errors"]} == {
        "type",
        "title",
        "dateStart",
        "dateEnd",
        "capacity",
        "price",
        "location.latitude",
        "location.longitude",
        "tags",
        "coverUrl",
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"dateStart": "2030-02-01T09:00:00"}, "dateStart"),
        ({"price": -5}, "price"),
        ({"price": "1e12"}, "price"),
        ({"price": "lots"}, "price"),
        ({"capacity": "ten"}, "capacity"),
        ({"title": None}, "title"),
        ({"location": {"town": "Msta"}}, "location"),
        ({"organiserSlug": "river-rats"}, "organiserSlug"),
    ],
)
async def test_malformed_event_bodies_are_400_naming_the_field(
    api: Client, cast: Cast, change: dict[str, object], field: str
) -> None:
    response = await api.post(
        f"{API}/events", json=event_body("river-rats", **change), headers=cast.anna.auth
    )
    problem = assert_problem(response, 400, "validation.failed")
    assert field in {e["field"] for e in problem["errors"]} or field in problem["errors"][0]["message"]


@pytest.mark.parametrize("who", ["anonymous", "vera", "boris"])
async def test_drafts_are_404_to_everyone_who_does_not_manage_them(api: Client, cast: Cast, who: str) -> None:
    draft = await create_event(api, cast.anna, "river-rats")
    headers = {} if who == "anonymous" else getattr(cast, who).auth
    assert_problem(await api.get(f"{API}/events/{draft['id']}", headers=headers), 404, "event.not_found")
    assert_problem(
        await api.get(f"{API}/events/{draft['id']}/calendar.ics", headers=headers), 404, "event.not_found"
    )
    listed = (await api.get(f"{API}/organizers/river-rats/events", headers=headers)).json()
    assert listed["total"] == 0
    assert (await api.get(f"{API}/events", headers=headers)).json()["total"] == 0


async def test_the_owner_and_admins_see_drafts(api: Client, cast: Cast) -> None:
    draft = await create_event(api, cast.anna, "river-rats")
    for account in (cast.anna, cast.root):
        shown = await api.get(f"{API}/events/{draft['id']}", headers=account.auth)
        assert shown.status_code == 200
        assert shown.json()["status"] == "DRAFT"
        listed = (await api.get(f"{API}/organizers/river-rats/events", headers=account.auth)).json()
        assert [e["id"] for e in listed["items"]] == [draft["id"]]
    only_drafts = await api.get(
        f"{API}/organizers/river-rats/events", params={"status": "draft"}, headers=cast.anna.auth
    )
    assert only_drafts.json()["total"] == 1
    bad_status = await api.get(f"{API}/organizers/river-rats/events", params={"status": "OPEN"})
    assert_problem(bad_status, 400, "validation.failed")


async def test_a_draft_changes_in_full_and_absent_fields_stay(api: Client, cast: Cast) -> None:
    draft = await create_event(api, cast.anna, "river-rats")
    response = await api.put(
        f"{API}/events/{draft['id']}",
        json={
            "title": "Msta in May",
            "dateStart": at(40),
            "dateEnd": at(42),
            "location": {"city": "Borovichi"},
            "price": 2000,
        },
        headers=cast.anna.auth,
    )
    assert response.status_code == 200, response.text
    event = response.json()
    assert (event["title"], event["dateStart"], event["dateEnd"], event["price"]) == (
        "Msta in May",
        at(40),
        at(42),
        "2000.00",
    )
    assert event["location"] == {
        "address": "Pier 3",
        "city": "Borovichi",
        "latitude": 58.52,
        "longitude": 31.27,
    }
    assert (event["description"], event["capacity"], event["tags"]) == (
        draft["description"],
        10,
        draft["tags"],
    )

    cleared = await api.put(
        f"{API}/events/{draft['id']}", json={"price": None, "coverUrl": None}, headers=cast.anna.auth
    )
    assert (cleared.json()["price"], cleared.json()["coverUrl"]) == (None, None)


async def test_the_full_lifecycle_draft_publish_cancel(api: Client, cast: Cast) -> None:
    draft = await create_event(api, cast.anna, "river-rats", capacity=3)
    published = await publish(api, cast.anna, draft["id"])
    assert published["status"] == "PUBLISHED"
    assert published["publishedAt"] == "2030-01-01T12:00:00Z"
    assert (published["available"], published["isFull"], published["registrationOpen"]) == (3, False, True)

    public = await api.get(f"{API}/events/{draft['id']}")
    assert public.status_code == 200
    assert (await api.get(f"{API}/events")).json()["total"] == 1

    cancelled = await api.post(
        f"{API}/events/{draft['id']}/cancel", json={"reason": "Water level too high"}, headers=cast.anna.auth
    )
    assert cancelled.status_code == 200, cancelled.text
    event = cancelled.json()
    assert (event["status"], event["cancelReason"], event["cancelledAt"]) == (
        "CANCELLED",
        "Water level too high",
        "2030-01-01T12:00:00Z",
    )
    assert (event["available"], event["registrationOpen"]) == (0, False)

    assert (await api.get(f"{API}/events/{draft['id']}")).json()["status"] == "CANCELLED"
    assert (await api.get(f"{API}/events")).json()["total"] == 0
    again = await api.post(f"{API}/events/{draft['id']}/cancel", headers=cast.anna.auth)
    assert_problem(again, 409, "event.invalid_transition")
    assert_problem(
        await api.post(f"{API}/events/{draft['id']}/publish", headers=cast.anna.auth),
        409,
        "event.invalid_transition",
    )
    edit = await api.put(f"{API}/events/{draft['id']}", json={"description": "Later"}, headers=cast.anna.auth)
    assert_problem(edit, 409, "event.not_editable")


async def test_a_draft_can_be_cancelled_without_a_body(api: Client, cast: Cast) -> None:
    draft = await create_event(api, cast.anna, "river-rats")
    response = await api.post(f"{API}/events/{draft['id']}/cancel", headers=cast.anna.auth)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["cancelReason"]) == ("CANCELLED", None)
    too_long = await create_event(api, cast.anna, "river-rats")
    refused = await api.post(
        f"{API}/events/{too_long['id']}/cancel", json={"reason": "x" * 1001}, headers=cast.anna.auth
    )
    assert_problem(refused, 400, "validation.failed")


async def test_publishing_lists_what_is_missing(api: Client, cast: Cast) -> None:
    draft = await create_event(
        api, cast.anna, "river-rats", description=None, location={"latitude": 58.5, "longitude": 31.2}
    )
    problem = assert_problem(
        await api.post(f"{API}/events/{draft['id']}/publish", headers=cast.anna.auth),
        422,
        "event.not_publishable",
    )
    assert {e["field"] for e in problem["errors"]} == {"description", "location.city", "location.address"}
    assert (await api.get(f"{API}/events/{draft['id']}", headers=cast.anna.auth)).json()["status"] == "DRAFT"


async def test_a_draft_whose_start_has_passed_cannot_be_published(
    api: Client, cast: Cast, clock: FrozenClock
) -> None:
    draft = await create_event(api, cast.anna, "river-rats")
    clock.advance(days=30, minutes=1)
    anna = await _fresh_token(api, cast.anna)
    problem = assert_problem(
        await api.post(f"{API}/events/{draft['id']}/publish", headers=anna.auth), 422, "event.not_publishable"
    )
    assert [e["field"] for e in problem["errors"]] == ["dateStart"]


async def _fresh_token(api: Client, account: Account) -> Account:
    """Access tokens last 15 minutes of the (moved) clock: log in again."""
    return await login(api, account.email)


@pytest.mark.parametrize("who", ["vera", "boris"])
async def test_others_cannot_publish_or_cancel_a_draft_it_is_404(api: Client, cast: Cast, who: str) -> None:
    draft = await create_event(api, cast.anna, "river-rats")
    headers = getattr(cast, who).auth
    for action in ("publish", "cancel"):
        response = await api.post(f"{API}/events/{draft['id']}/{action}", headers=headers)
        assert_problem(response, 404, "event.not_found")
    assert_problem(
        await api.put(f"{API}/events/{draft['id']}", json={}, headers=headers), 404, "event.not_found"
    )


@pytest.mark.parametrize("who", ["vera", "boris"])
async def test_others_cannot_change_a_published_event_it_is_403(api: Client, cast: Cast, who: str) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    headers = getattr(cast, who).auth
    assert_problem(
        await api.post(f"{API}/events/{event['id']}/cancel", headers=headers), 403, "organizer.forbidden"
    )
    change = await api.put(f"{API}/events/{event['id']}", json={"capacity": 20}, headers=headers)
    assert_problem(change, 403, "organizer.forbidden")


async def test_admins_manage_every_organizers_events(api: Client, cast: Cast) -> None:
    draft = await create_event(api, cast.anna, "river-rats")
    changed = await api.put(f"{API}/events/{draft['id']}", json={"capacity": 12}, headers=cast.root.auth)
    assert changed.json()["capacity"] == 12
    assert (await publish(api, cast.root, draft["id"]))["status"] == "PUBLISHED"
    cancelled = await api.post(f"{API}/events/{draft['id']}/cancel", headers=cast.root.auth)
    assert cancelled.json()["status"] == "CANCELLED"


async def test_unknown_events_are_404_everywhere(api: Client, cast: Cast) -> None:
    unknown = uuid.uuid4()
    assert_problem(await api.get(f"{API}/events/{unknown}"), 404, "event.not_found")
    assert_problem(await api.get(f"{API}/events/{unknown}/calendar.ics"), 404, "event.not_found")
    assert_problem(
        await api.put(f"{API}/events/{unknown}", json={}, headers=cast.anna.auth), 404, "event.not_found"
    )
    for action in ("publish", "cancel", "favorite"):
        response = await api.post(f"{API}/events/{unknown}/{action}", headers=cast.anna.auth)
        assert_problem(response, 404, "event.not_found")
    assert (await api.get(f"{API}/events/not-a-uuid")).status_code in (400, 404)


async def test_a_published_event_changes_only_description_tags_cover_and_capacity(
    api: Client, cast: Cast
) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    allowed = await api.put(
        f"{API}/events/{event['id']}",
        json={
            "title": event["title"],
            "price": event["price"],
            "location": event["location"],
            "description": "Now with a sauna.",
            "tags": ["river", "sauna"],
            "coverUrl": "https://cdn.example.org/sauna.jpg",
            "capacity": 14,
        },
        headers=cast.anna.auth,
    )
    assert allowed.status_code == 200, allowed.text
    changed = allowed.json()
    assert (changed["description"], changed["tags"], changed["capacity"], changed["available"]) == (
        "Now with a sauna.",
        ["river", "sauna"],
        14,
        14,
    )

    frozen = await api.put(
        f"{API}/events/{event['id']}", json={"title": "Another river", "price": 10}, headers=cast.anna.auth
    )
    problem = assert_problem(frozen, 409, "event.not_editable")
    assert problem["fields"] == ["price", "title"]
    moved = await api.put(f"{API}/events/{event['id']}", json={"dateStart": at(29)}, headers=cast.anna.auth)
    assert_problem(moved, 409, "event.not_editable")
    no_description = await api.put(
        f"{API}/events/{event['id']}", json={"description": None}, headers=cast.anna.auth
    )
    assert_problem(no_description, 400, "validation.failed")


async def test_capacity_never_goes_below_the_seats_taken_and_full_events_say_so(
    api: Client, cast: Cast
) -> None:
    event = await published_event(api, cast.anna, "river-rats", capacity=3)
    for email in ("p1@example.com", "p2@example.com"):
        participant = await register(api, email)
        await book_seat(api, event["id"], participant)
    shown = (await api.get(f"{API}/events/{event['id']}")).json()
    assert (shown["capacity"], shown["available"], shown["isFull"]) == (3, 1, False)

    below = await api.put(f"{API}/events/{event['id']}", json={"capacity": 1}, headers=cast.anna.auth)
    assert_problem(below, 422, "event.capacity_below_taken")
    assert (await api.get(f"{API}/events/{event['id']}")).json()["capacity"] == 3

    shrunk = await api.put(f"{API}/events/{event['id']}", json={"capacity": 2}, headers=cast.anna.auth)
    assert shrunk.status_code == 200
    assert (shrunk.json()["available"], shrunk.json()["isFull"]) == (0, True)
    full = (await api.get(f"{API}/events", params={"hasFreeSeats": "true"})).json()
    assert full["total"] == 0
    assert (await api.get(f"{API}/events/{event['id']}")).json()["registrationOpen"] is True


async def test_times_are_utc_with_z_whatever_offset_was_sent(api: Client, cast: Cast) -> None:
    event = await create_event(
        api,
        cast.anna,
        "river-rats",
        dateStart="2030-03-01T12:00:00+03:00",
        dateEnd="2030-03-02T12:00:00+03:00",
    )
    assert (event["dateStart"], event["dateEnd"]) == ("2030-03-01T09:00:00Z", "2030-03-02T09:00:00Z")


async def test_a_finished_event_shows_is_past(api: Client, cast: Cast, clock: FrozenClock) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    clock.advance(timedelta(days=32))
    shown = (await api.get(f"{API}/events/{event['id']}")).json()
    assert (shown["isPast"], shown["registrationOpen"]) == (True, False)
