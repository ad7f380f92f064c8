"""Companions in crews (issue 12): every seat of a booking is a participant of its own — filed
from booking's facts, placed, counted against capacity, named, released alone or with its
booking — and auto-assignment keeps a party together."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from aquastream.domain.booking.events import (
    BookingCancelled,
    BookingConfirmed,
    CompanionSeatCancelled,
    PartySeat,
)
from aquastream.domain.crews.errors import AlreadyAssigned, CrewFull, ParticipantNotConfirmed
from aquastream.domain.crews.model import AssignmentStatus, CrewType, Participation
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal, Role
from tests.unit.crews.crews_world import CrewsWorld
from tests.unit.crews.test_crews_reactions import deliver, ids

PARTY = (
    PartySeat(number=0),
    PartySeat(number=1, name="Olga Petrova"),
    PartySeat(number=2, name="Ivan Sidorov"),
)


def confirmed(
    event_id: uuid.UUID, user_id: uuid.UUID, booking_id: uuid.UUID, **extra: Any
) -> BookingConfirmed:
    return BookingConfirmed(**ids(event_id, user_id, booking_id), **extra)


def companion_cancelled(
    event_id: uuid.UUID, user_id: uuid.UUID, booking_id: uuid.UUID, seat: int
) -> CompanionSeatCancelled:
    return CompanionSeatCancelled(**ids(event_id, user_id, booking_id), seat=seat, actor_id=user_id)


async def test_every_seat_of_a_confirmed_booking_is_filed_once_and_an_old_message_is_the_holder_alone(
    world: CrewsWorld,
) -> None:
    event_id, party_holder, single, booking_id = world.new_event(), new_id(), new_id(), new_id()
    for _ in range(2):  # delivered again
        await deliver(world, confirmed(event_id, party_holder, booking_id, seats=PARTY))
    await deliver(world, confirmed(event_id, single, new_id()))  # no seats: from before group bookings

    seats = await world.participants.confirmed_seats(event_id)
    assert sorted(seats) == sorted([(party_holder, 0), (party_holder, 1), (party_holder, 2), (single, 0)])
    assert await world.participants.confirmed(event_id) == sorted([party_holder, single])
    assert await world.participants.companions(event_id) == {
        (party_holder, 1): "Olga Petrova",
        (party_holder, 2): "Ivan Sidorov",
    }


async def test_a_cancelled_companion_loses_their_place_alone_and_a_late_fact_does_not_bring_it_back(
    world: CrewsWorld,
) -> None:
    event_id, holder, booking_id = world.new_event(), new_id(), new_id()
    boat = await world.crew(event_id, capacity=4)
    await deliver(world, confirmed(event_id, holder, booking_id, seats=PARTY))
    places = [await world.assign(world.organizer, boat.id, holder, party_seat=seat) for seat in (0, 1, 2)]

    for _ in range(2):  # delivered again
        await deliver(world, companion_cancelled(event_id, holder, booking_id, seat=1))
    await deliver(world, confirmed(event_id, holder, booking_id, seats=PARTY))  # an old fact, late

    assert [world.stored_assignment(p.id).status for p in places] == [
        AssignmentStatus.ACTIVE,
        AssignmentStatus.REMOVED,
        AssignmentStatus.ACTIVE,
    ]
    assert world.stored_crew(boat.id).size == 2
    assert await world.participants.participation(event_id, holder, seat=1) is Participation.NONE
    with pytest.raises(ParticipantNotConfirmed):
        await world.assign(world.organizer, boat.id, holder, party_seat=1)
    assert world.outbox_names().count("CrewAssignmentEnded") == 1
    world.check_sizes()


async def test_a_cancelled_booking_frees_every_seat_and_a_confirmation_heard_after_it_files_none(
    world: CrewsWorld,
) -> None:
    event_id, holder, booking_id = world.new_event(), new_id(), new_id()
    boat = await world.crew(event_id, capacity=4)
    await deliver(world, confirmed(event_id, holder, booking_id, seats=PARTY))
    for seat in (0, 1, 2):
        await world.assign(world.organizer, boat.id, holder, party_seat=seat)
    cancelled = BookingCancelled(
        **ids(event_id, holder, booking_id), reason="CANCELLED_BY_USER", actor_id=None
    )

    await deliver(world, cancelled)
    await deliver(world, cancelled)

    assert world.stored_crew(boat.id).size == 0
    assert await world.participants.confirmed_seats(event_id) == []
    # Facts out of order: the cancellation of another party is heard before its confirmation.
    other, other_booking = new_id(), new_id()
    await deliver(
        world,
        BookingCancelled(**ids(event_id, other, other_booking), reason="CANCELLED_BY_USER", actor_id=None),
    )
    await deliver(world, confirmed(event_id, other, other_booking, seats=PARTY))
    assert await world.participants.confirmed_seats(event_id) == []
    world.check_sizes()


async def test_capacity_counts_seats_whoever_holds_them(world: CrewsWorld) -> None:
    event_id = world.new_event()
    boat = await world.crew(event_id, capacity=3)
    holder, booking_id = new_id(), new_id()
    await deliver(world, confirmed(event_id, holder, booking_id, seats=PARTY))
    single = world.participant(event_id)

    await world.assign(world.organizer, boat.id, None, booking_id=booking_id)  # the holder, by booking
    await world.assign(world.organizer, boat.id, holder, party_seat=2)
    with pytest.raises(AlreadyAssigned):
        await world.assign(world.organizer, boat.id, holder, party_seat=2)
    await world.seat(boat, single)
    with pytest.raises(CrewFull):
        await world.assign(world.organizer, boat.id, None, booking_id=booking_id, party_seat=1)
    with pytest.raises(ParticipantNotConfirmed):  # a booking and someone else as its holder
        await world.assign(world.organizer, boat.id, single.user_id, booking_id=booking_id, party_seat=1)

    assert world.stored_crew(boat.id).size == 3
    world.check_sizes()


async def test_members_are_named_holders_by_identity_companions_by_their_booking(world: CrewsWorld) -> None:
    event_id, holder, booking_id = world.new_event(), new_id(), new_id()
    boat = await world.crew(event_id, capacity=4)
    await deliver(world, confirmed(event_id, holder, booking_id, seats=PARTY))
    world.names.known[holder] = "Anna Holder"
    for seat in (0, 2):
        await world.assign(world.organizer, boat.id, holder, party_seat=seat)

    (view,) = await world.list_crews(world.organizer, event_id)
    named = [(m.party_seat, view.name_of(m)) for m in view.members]
    assert named == [(0, "Anna Holder"), (2, "Ivan Sidorov")]
    one = await world.get_crew(world.organizer, boat.id)
    assert [one.name_of(m) for m in one.members] == ["Anna Holder", "Ivan Sidorov"]


async def test_the_holder_sees_the_places_of_their_companions(world: CrewsWorld) -> None:
    event_id, holder, booking_id = world.new_event(), new_id(), new_id()
    boat = await world.crew(event_id, "Boat", capacity=4)
    tent = await world.crew(event_id, "Tent", CrewType.TENT, capacity=4)
    await deliver(world, confirmed(event_id, holder, booking_id, seats=PARTY))
    await world.assign(world.organizer, boat.id, holder)
    await world.assign(world.organizer, tent.id, holder, party_seat=1)

    mine = await world.my_crews(Principal(holder, Role.USER), event_id)

    assert [(p.assignment.party_seat, p.crew.name) for p in mine.places] == [(0, "Boat"), (1, "Tent")]
    assert mine.companions[(holder, 1)] == "Olga Petrova"


async def test_auto_assignment_keeps_a_party_together_where_it_fits(world: CrewsWorld) -> None:
    event_id = world.new_event()
    small = await world.crew(event_id, "A small", capacity=2)
    big = await world.crew(event_id, "B big", capacity=3)
    holder, booking_id = new_id(), new_id()
    await deliver(world, confirmed(event_id, holder, booking_id, seats=PARTY))
    singles = [world.participant(event_id) for _ in range(2)]

    report = await world.auto_assign(world.organizer, event_id, CrewType.CREW, dry_run=False)

    where = {report.participant(p.user_id): p.crew_id for p in report.plan.placements}
    assert {where[(holder, seat)] for seat in (0, 1, 2)} == {big.id}
    assert {where[(s.user_id, 0)] for s in singles} == {small.id}
    assert report.plan.unplaced == ()
    assert len(report.assignment_ids) == 5
    world.check_sizes()


async def test_auto_assignment_sends_companions_to_their_holders_crew(world: CrewsWorld) -> None:
    event_id = world.new_event()
    first = await world.crew(event_id, "A", capacity=4)
    await world.crew(event_id, "B", capacity=4)  # empty: balance alone would choose it
    holder, booking_id = new_id(), new_id()
    await deliver(world, confirmed(event_id, holder, booking_id, seats=PARTY))
    await world.assign(world.organizer, first.id, holder)

    report = await world.auto_assign(world.organizer, event_id, CrewType.CREW, dry_run=False)

    assert {report.participant(p.user_id): p.crew_id for p in report.plan.placements} == {
        (holder, 1): first.id,
        (holder, 2): first.id,
    }
    assert world.stored_crew(first.id).size == 3


async def test_a_companion_is_transferred_as_their_own_seat(world: CrewsWorld) -> None:
    event_id, holder, booking_id = world.new_event(), new_id(), new_id()
    boat = await world.crew(event_id, "Boat", capacity=2)
    raft = await world.crew(event_id, "Raft", capacity=2)
    await deliver(world, confirmed(event_id, holder, booking_id, seats=PARTY))
    await world.assign(world.organizer, boat.id, holder)
    olga = await world.assign(world.organizer, boat.id, holder, party_seat=1)

    moved = await world.transfer(world.organizer, olga.id, raft.id)

    assert (moved.current.crew_id, moved.current.user_id, moved.current.party_seat) == (raft.id, holder, 1)
    assert [a.party_seat for a in world.active_in(boat.id)] == [0]
    world.check_sizes()
