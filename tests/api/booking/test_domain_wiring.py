"""The domains talk through the outbox and the scheduler, in the real app: cancelling or
finishing an event settles its bookings, a capacity increase goes to the waitlist first,
and held seats of unpaid bookings come back when their hold ends."""

from __future__ import annotations

from typing import Any

from aquastream.adapters.memory.clock import FrozenClock
from tests.api.booking.conftest import People
from tests.api.booking.kit import booked, fresh, join_queue, seats_left
from tests.api.catalog.kit import API, Cast, published_event
from tests.api.identity.conftest import Account, Client
from tests.api.worker import backlog, drain_outbox, run_due_jobs


async def _drain_outbox(api: Client) -> None:
    """What the background worker does between two polls; nothing is left behind."""
    await drain_outbox(api)
    assert not any((await backlog(api)).values())


async def _booking(api: Client, account: Account, booking_id: str) -> dict[str, Any]:
    response = await api.get(f"{API}/bookings/{booking_id}", headers=account.auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_cancelling_an_event_cancels_its_bookings(api: Client, cast: Cast, people: People) -> None:
    event = await published_event(api, cast.anna, "river-rats", price="0")
    booking = await booked(api, people.pavel, event["id"])
    assert booking["status"] == "CONFIRMED"

    cancelled = await api.post(
        f"{API}/events/{event['id']}/cancel", json={"reason": "flood"}, headers=cast.anna.auth
    )
    assert cancelled.status_code == 200
    await _drain_outbox(api)

    assert (await _booking(api, people.pavel, booking["id"]))["status"] == "CANCELLED"


async def test_a_finished_event_completes_with_its_confirmed_bookings(
    api: Client, cast: Cast, people: People, clock: FrozenClock
) -> None:
    event = await published_event(api, cast.anna, "river-rats", price="0")
    booking = await booked(api, people.pavel, event["id"])
    await run_due_jobs(api)  # the first tick of every job runs at once

    clock.advance(days=32)
    assert "catalog.complete_finished_events" in await run_due_jobs(api)
    await _drain_outbox(api)

    (pavel,) = await fresh(api, people.pavel)
    assert (await _booking(api, pavel, booking["id"]))["status"] == "COMPLETED"
    assert (await api.get(f"{API}/events/{event['id']}")).json()["status"] == "COMPLETED"


async def test_new_seats_go_to_the_waitlist_before_anyone_else(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(api, cast.anna, "river-rats", capacity=1, price="0")
    await booked(api, people.pavel, event["id"])
    queued = await join_queue(api, people.rita, event["id"])
    assert queued["position"] == 1

    grown = await api.put(f"{API}/events/{event['id']}", json={"capacity": 2}, headers=cast.anna.auth)
    assert grown.status_code == 200, grown.text
    await _drain_outbox(api)

    place = await api.get(f"{API}/events/{event['id']}/waitlist/me", headers=people.rita.auth)
    assert place.json()["status"] == "NOTIFIED"
    assert place.json()["windowExpiresAt"] is not None
    stranger = await api.post(f"{API}/bookings", json={"eventId": event["id"]}, headers=people.sasha.auth)
    assert stranger.status_code == 409
    assert (await booked(api, people.rita, event["id"]))["status"] == "CONFIRMED"


async def test_an_unpaid_hold_expires_and_its_seat_returns(
    api: Client, cast: Cast, people: People, clock: FrozenClock
) -> None:
    event = await published_event(api, cast.anna, "river-rats", capacity=1, price="1500.00")
    booking = await booked(api, people.pavel, event["id"])
    assert booking["status"] == "PENDING"
    assert await seats_left(api, event["id"]) == 0
    await run_due_jobs(api)

    clock.advance(minutes=31)
    assert "booking.expire_holds" in await run_due_jobs(api)

    (pavel,) = await fresh(api, people.pavel)
    assert (await _booking(api, pavel, booking["id"]))["status"] == "EXPIRED"
    assert await seats_left(api, event["id"]) == 1
