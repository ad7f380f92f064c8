"""Crews listens to booking through the outbox, in the real app: a cancelled booking, a no-show
or a cancelled event frees the participant's places; every placement is written for
notifications to pick up (CREW_ASSIGNMENT)."""

from __future__ import annotations

from dishka import AsyncContainer
from sqlalchemy import select

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.sql.engine import DomainEngines
from aquastream.adapters.sql.tables.crews import outbox
from tests.api.booking.conftest import People
from tests.api.booking.kit import booked, fresh
from tests.api.catalog.kit import API, Cast, at, published_event
from tests.api.crews.conftest import Trip
from tests.api.crews.kit import assigned, crew_view, new_crew
from tests.api.identity.conftest import Client
from tests.api.worker import drain_outbox, in_app


async def _outbox_payloads(api: Client, name: str) -> list[str]:
    async def read(container: AsyncContainer) -> list[str]:
        engine = (await container.get(DomainEngines)).of("crews")
        async with engine.connect() as connection:
            rows = await connection.execute(select(outbox.c.payload).where(outbox.c.event_name == name))
            return [row.payload for row in rows]

    return await in_app(api, read)


async def test_a_cancelled_booking_frees_its_places(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    boat = await new_crew(api, cast.anna, trip.event_id)
    tent = await new_crew(api, cast.anna, trip.event_id, name="Tent", type="TENT")
    place = await assigned(api, cast.anna, boat["id"], people.pavel.id)
    await assigned(api, cast.anna, tent["id"], people.pavel.id)
    await assigned(api, cast.anna, boat["id"], people.rita.id)

    booking = trip.bookings[people.pavel.email]
    cancelled = await api.post(f"{API}/bookings/{booking['id']}/cancel", headers=people.pavel.auth)
    assert cancelled.status_code == 200, cancelled.text
    await drain_outbox(api)

    assert [m["userId"] for m in (await crew_view(api, cast.anna, boat["id"]))["members"]] == [people.rita.id]
    assert (await crew_view(api, cast.anna, tent["id"]))["size"] == 0
    removed = await api.delete(f"{API}/assignments/{place['id']}", headers=cast.anna.auth)
    assert removed.json()["code"] == "assignment.not_active"
    assert len(await _outbox_payloads(api, "CrewAssignmentEnded")) == 2


async def test_a_no_show_frees_the_place(api: Client, cast: Cast, people: People, clock: FrozenClock) -> None:
    event = await published_event(api, cast.anna, "river-rats", price="0", dateStart=at(1), dateEnd=at(2))
    booking = await booked(api, people.pavel, event["id"])
    await drain_outbox(api)
    boat = await new_crew(api, cast.anna, event["id"])
    await assigned(api, cast.anna, boat["id"], people.pavel.id)

    clock.advance(days=1, minutes=5)
    (anna,) = await fresh(api, cast.anna)
    marked = await api.post(f"{API}/bookings/{booking['id']}/no-show", headers=anna.auth)
    assert marked.status_code == 200, marked.text
    await drain_outbox(api)

    assert (await crew_view(api, anna, boat["id"]))["members"] == []


async def test_a_cancelled_event_empties_its_crews(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    boat = await new_crew(api, cast.anna, trip.event_id)
    for account in (people.pavel, people.rita):
        await assigned(api, cast.anna, boat["id"], account.id)

    cancelled = await api.post(
        f"{API}/events/{trip.event_id}/cancel", json={"reason": "flood"}, headers=cast.anna.auth
    )
    assert cancelled.status_code == 200, cancelled.text
    await drain_outbox(api)  # the event's cancellation cancels the bookings …
    await drain_outbox(api)  # … whose cancellations free the places

    assert (await crew_view(api, cast.anna, boat["id"]))["size"] == 0


async def test_every_placement_is_announced_for_notifications(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    boat = await new_crew(api, cast.anna, trip.event_id, name="Raft Alpha")
    place = await assigned(api, cast.anna, boat["id"], people.pavel.id, seatNumber=3, position="helmsman")

    (payload,) = await _outbox_payloads(api, "CrewAssigned")
    for fragment in (
        place["id"],
        people.pavel.id,
        trip.event_id,
        boat["id"],
        "Raft Alpha",
        '"crew_type":"CREW"',
    ):
        assert fragment in payload
