"""The FIFO waitlist through the real app: joining a full event, places, leaving, and a freed
seat held for the first in line, whom nobody else can take it from."""

from __future__ import annotations

import uuid
from datetime import timedelta

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.ioc.booking import LAPSE_WINDOWS_JOB
from tests.api.booking.conftest import People
from tests.api.booking.kit import book, booked, fresh, join_queue, participant, seats_left
from tests.api.catalog.kit import API, Cast, at, create_event, published_event
from tests.api.identity.conftest import Client, assert_problem
from tests.api.worker import run_due_jobs


async def _full_event(api: Client, cast: Cast, people: People) -> tuple[str, str]:
    """A one-seat event that ``pavel`` has booked; returns the event and booking ids."""
    event = await published_event(api, cast.anna, "river-rats", capacity=1)
    booking = await booked(api, people.pavel, event["id"])
    return event["id"], booking["id"]


async def test_joining_a_full_event_gives_fifo_places(api: Client, cast: Cast, people: People) -> None:
    event_id, _ = await _full_event(api, cast, people)
    rita = await join_queue(api, people.rita, event_id)
    sasha = await join_queue(api, people.sasha, event_id)

    assert uuid.UUID(rita["entryId"])
    assert (rita["eventId"], rita["status"], rita["position"]) == (event_id, "WAITING", 1)
    assert (rita["joinedAt"], rita["notifiedAt"], rita["windowExpiresAt"]) == (at(0), None, None)
    assert (sasha["status"], sasha["position"]) == ("WAITING", 2)
    mine = await api.get(f"{API}/events/{event_id}/waitlist/me", headers=people.sasha.auth)
    assert mine.status_code == 200, mine.text
    assert mine.json() == sasha


async def test_places_move_up_when_someone_leaves(api: Client, cast: Cast, people: People) -> None:
    event_id, _ = await _full_event(api, cast, people)
    third = await participant(api, "third@example.com")
    for account in (people.rita, people.sasha, third):
        await join_queue(api, account, event_id)

    left = await api.delete(f"{API}/events/{event_id}/waitlist", headers=people.rita.auth)
    assert left.status_code == 204, left.text
    places = [
        (await api.get(f"{API}/events/{event_id}/waitlist/me", headers=account.auth)).json()["position"]
        for account in (people.sasha, third)
    ]
    assert places == [1, 2]
    gone = await api.get(f"{API}/events/{event_id}/waitlist/me", headers=people.rita.auth)
    assert_problem(gone, 404, "waitlist.not_found")
    again = await api.delete(f"{API}/events/{event_id}/waitlist", headers=people.rita.auth)
    assert_problem(again, 404, "waitlist.not_found")
    rejoined = await join_queue(api, people.rita, event_id)
    assert rejoined["position"] == 3


async def test_joining_is_refused_when_it_makes_no_sense(api: Client, cast: Cast, people: People) -> None:
    event_id, _ = await _full_event(api, cast, people)
    url = f"{API}/events/{event_id}/waitlist"
    assert_problem(await api.post(url, headers=people.pavel.auth), 409, "waitlist.already_booked")
    assert_problem(await api.post(url, headers=cast.vera.auth), 422, "profile.incomplete")
    await join_queue(api, people.rita, event_id)
    assert_problem(await api.post(url, headers=people.rita.auth), 409, "waitlist.duplicate")
    assert_problem(await api.post(url), 401, "auth.unauthenticated")

    roomy = await published_event(api, cast.anna, "river-rats", capacity=5)
    refused = await api.post(f"{API}/events/{roomy['id']}/waitlist", headers=people.rita.auth)
    assert_problem(refused, 409, "waitlist.seats_available")

    draft = await create_event(api, cast.anna, "river-rats")
    for unknown in (draft["id"], str(uuid.uuid4())):
        joined = await api.post(f"{API}/events/{unknown}/waitlist", headers=people.rita.auth)
        assert_problem(joined, 404, "event.not_found")
        left = await api.delete(f"{API}/events/{unknown}/waitlist", headers=people.rita.auth)
        assert_problem(left, 404, "event.not_found")
        mine = await api.get(f"{API}/events/{unknown}/waitlist/me", headers=people.rita.auth)
        assert_problem(mine, 404, "waitlist.not_found")


async def test_a_cancelled_event_takes_no_one_on_its_waitlist(
    api: Client, cast: Cast, people: People
) -> None:
    event_id, _ = await _full_event(api, cast, people)
    await api.post(f"{API}/events/{event_id}/cancel", headers=cast.anna.auth)
    joined = await api.post(f"{API}/events/{event_id}/waitlist", headers=people.rita.auth)
    assert_problem(joined, 422, "event.not_open")


async def test_a_seat_freed_by_a_cancellation_is_held_for_the_first_in_line_only(
    api: Client, cast: Cast, people: People
) -> None:
    event_id, booking_id = await _full_event(api, cast, people)
    rita = await join_queue(api, people.rita, event_id)
    await join_queue(api, people.sasha, event_id)
    newcomer = await participant(api, "newcomer@example.com")

    await api.post(f"{API}/bookings/{booking_id}/cancel", headers=people.pavel.auth)

    offered = (await api.get(f"{API}/events/{event_id}/waitlist/me", headers=people.rita.auth)).json()
    assert (offered["status"], offered["position"]) == ("NOTIFIED", 1)
    assert (offered["notifiedAt"], offered["windowExpiresAt"]) == (at(0), at(0, hours=0.5))
    assert await seats_left(api, event_id) == 0
    for account in (people.sasha, newcomer, people.pavel):
        assert_problem(await book(api, account, event_id), 409, "event.full")

    taken = await book(api, people.rita, event_id)
    assert taken.status_code == 201, taken.text
    assert taken.json()["waitlistEntryId"] == rita["entryId"]
    gone = await api.get(f"{API}/events/{event_id}/waitlist/me", headers=people.rita.auth)
    assert_problem(gone, 404, "waitlist.not_found")
    sasha = (await api.get(f"{API}/events/{event_id}/waitlist/me", headers=people.sasha.auth)).json()
    assert (sasha["status"], sasha["position"]) == ("WAITING", 1)


async def test_a_lapsed_window_passes_the_seat_to_the_next_in_line(
    api: Client, cast: Cast, people: People, clock: FrozenClock
) -> None:
    event_id, booking_id = await _full_event(api, cast, people)
    await join_queue(api, people.rita, event_id)
    await join_queue(api, people.sasha, event_id)
    await api.post(f"{API}/bookings/{booking_id}/cancel", headers=people.pavel.auth)

    clock.advance(minutes=31)
    rita, sasha = await fresh(api, people.rita, people.sasha)
    assert_problem(await book(api, rita, event_id), 409, "waitlist.offer_expired")
    assert LAPSE_WINDOWS_JOB in await run_due_jobs(api)

    assert_problem(
        await api.get(f"{API}/events/{event_id}/waitlist/me", headers=rita.auth), 404, "waitlist.not_found"
    )
    offered = (await api.get(f"{API}/events/{event_id}/waitlist/me", headers=sasha.auth)).json()
    # Offered when the job ran (31 minutes in), for a window of its own.
    window_end = (clock.now() + timedelta(minutes=30)).isoformat().replace("+00:00", "Z")
    assert (offered["status"], offered["position"], offered["windowExpiresAt"]) == ("NOTIFIED", 1, window_end)
    assert (await book(api, sasha, event_id)).status_code == 201


async def test_leaving_with_a_seat_held_gives_it_back_to_the_pool_when_nobody_waits(
    api: Client, cast: Cast, people: People
) -> None:
    event_id, booking_id = await _full_event(api, cast, people)
    await join_queue(api, people.rita, event_id)
    await api.post(f"{API}/bookings/{booking_id}/cancel", headers=people.pavel.auth)
    assert await seats_left(api, event_id) == 0

    left = await api.delete(f"{API}/events/{event_id}/waitlist", headers=people.rita.auth)
    assert left.status_code == 204
    assert await seats_left(api, event_id) == 1
    assert (await book(api, people.sasha, event_id)).status_code == 201


async def test_my_queues_are_listed_oldest_first_with_paging(
    api: Client, cast: Cast, people: People, clock: FrozenClock
) -> None:
    first, _ = await _full_event(api, cast, people)
    second = await published_event(api, cast.boris, "forest-club", capacity=1, price=None)
    await booked(api, people.sasha, second["id"])
    await join_queue(api, people.rita, first)
    clock.advance(minutes=1)
    await join_queue(api, people.rita, second["id"])
    url = f"{API}/users/me/waitlist"

    mine = (await api.get(url, headers=people.rita.auth)).json()
    assert [(e["eventId"], e["position"]) for e in mine["items"]] == [(first, 1), (second["id"], 1)]
    assert (mine["total"], mine["totalPages"]) == (2, 1)
    page = (await api.get(url, params={"size": 1, "page": 1}, headers=people.rita.auth)).json()
    assert ([e["eventId"] for e in page["items"]], page["totalPages"]) == ([second["id"]], 2)
    assert (await api.get(url, headers=people.sasha.auth)).json()["total"] == 0
    for params in ({"size": 0}, {"page": -1}, {"size": 101}):
        assert_problem(await api.get(url, params=params, headers=people.rita.auth), 400, "validation.failed")
    assert_problem(await api.get(url), 401, "auth.unauthenticated")
