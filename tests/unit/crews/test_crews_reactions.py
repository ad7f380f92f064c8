"""Crews' reactions to booking's facts, through its declared table: who takes part is filed from
the facts, and an ended booking frees its places, however often a fact is delivered."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from aquastream.domain.booking.events import (
    BookingCancelled,
    BookingCompleted,
    BookingConfirmed,
    BookingMarkedNoShow,
)
from aquastream.domain.crews.assign import FileBookingStanding, ReleaseEndedBooking
from aquastream.domain.crews.model import AssignmentStatus, Participation
from aquastream.domain.shared.events import DomainEvent
from aquastream.domain.shared.ids import new_id
from aquastream.ioc.crews import REACTIONS
from tests.unit.crews.crews_world import CrewsWorld

AT = datetime(2030, 1, 1, tzinfo=UTC)


async def deliver(world: CrewsWorld, fact: DomainEvent) -> None:
    """What the spine does: every reaction of crews' table to the fact's type, with its use case."""
    use_cases: dict[type, Any] = {FileBookingStanding: world.file, ReleaseEndedBooking: world.release}
    for reaction in REACTIONS.reactions:
        if reaction.event_type is type(fact):
            await reaction.call(use_cases[reaction.use_case], fact)


def ids(event_id: uuid.UUID, user_id: uuid.UUID, booking_id: uuid.UUID) -> dict[str, Any]:
    return {"occurred_at": AT, "booking_id": booking_id, "event_id": event_id, "user_id": user_id}


async def test_a_confirmed_booking_heard_twice_makes_one_assignable_participant(world: CrewsWorld) -> None:
    event_id, user_id, booking_id = world.new_event(), new_id(), new_id()
    boat = await world.crew(event_id)

    for _ in range(2):
        await deliver(world, BookingConfirmed(**ids(event_id, user_id, booking_id)))

    assert await world.participants.confirmed(event_id) == [user_id]
    assert (await world.assign(world.organizer, boat.id, user_id)).is_active


async def test_a_cancellation_or_no_show_frees_the_places_and_a_late_confirmation_does_not_return(
    world: CrewsWorld,
) -> None:
    event_id = world.new_event()
    boat = await world.crew(event_id, capacity=5)
    places = {}
    for fact_type in (BookingCancelled, BookingMarkedNoShow):
        user_id, booking_id = new_id(), new_id()
        await deliver(world, BookingConfirmed(**ids(event_id, user_id, booking_id)))
        places[booking_id] = (user_id, await world.assign(world.organizer, boat.id, user_id))
        extra = {"reason": "CANCELLED_BY_USER", "actor_id": None} if fact_type is BookingCancelled else {}
        ended = fact_type(**ids(event_id, user_id, booking_id), **extra)
        await deliver(world, ended)
        await deliver(world, ended)  # delivered again
        await deliver(world, BookingConfirmed(**ids(event_id, user_id, booking_id)))  # an old fact, late

    for user_id, place in places.values():
        assert world.stored_assignment(place.id).status is AssignmentStatus.REMOVED
        assert await world.participants.participation(event_id, user_id) is Participation.NONE
    assert world.stored_crew(boat.id).size == 0
    assert world.outbox_names().count("CrewAssignmentEnded") == 2


async def test_a_completed_booking_keeps_its_owner_seeing_the_crews(world: CrewsWorld) -> None:
    event_id, user_id, booking_id = world.new_event(), new_id(), new_id()
    await deliver(world, BookingConfirmed(**ids(event_id, user_id, booking_id)))
    await deliver(world, BookingCompleted(**ids(event_id, user_id, booking_id)))

    assert await world.participants.participation(event_id, user_id) is Participation.COMPLETED
    assert await world.participants.confirmed(event_id) == []
