"""Companions in crews on every backend (memory, SQLite, PostgreSQL): crews' read model keeps
one row per seat of a booking, and every seat is a participant of its own — placed, counted
against capacity, named, and released alone or with its booking."""

from __future__ import annotations

import pytest

from aquastream.domain.crews.errors import AlreadyAssigned, CrewFull, ParticipantNotConfirmed
from aquastream.domain.crews.model import ParticipantSeat, Participation, Standing
from aquastream.domain.crews.queries import ListEventCrews
from aquastream.domain.shared.ids import new_id

from .kit import CrewsKit


async def test_the_read_model_files_every_seat_once_with_the_companions_names(kit: CrewsKit) -> None:
    event_id = await kit.new_event()
    holder, booking_id = await kit.party(event_id, "Olga Petrova", "Ivan Sidorov")
    single = await kit.booking(event_id)
    seats = [ParticipantSeat(0), ParticipantSeat(1, "Olga Petrova"), ParticipantSeat(2, "Ivan Sidorov")]
    await kit.file(booking_id, event_id, holder.user_id, Standing.CONFIRMED, seats)  # delivered again

    uow, _, participants, _ = kit.ports()
    async with uow:
        assert sorted(await participants.confirmed_seats(event_id)) == sorted(
            [(holder.user_id, 0), (holder.user_id, 1), (holder.user_id, 2), (single.user_id, 0)]
        )
        assert list(await participants.confirmed(event_id)) == sorted([holder.user_id, single.user_id])
        assert await participants.companions(event_id) == {
            (holder.user_id, 1): "Olga Petrova",
            (holder.user_id, 2): "Ivan Sidorov",
        }
        assert await participants.holder(event_id, booking_id) == holder.user_id
        assert await participants.holder(event_id, new_id()) is None
        assert await participants.participation(event_id, holder.user_id, seat=2) is Participation.CONFIRMED
        assert await participants.participation(event_id, holder.user_id, seat=3) is Participation.NONE


async def test_a_holder_s_companions_are_erased_on_every_booking_and_nobody_else_s(kit: CrewsKit) -> None:
    event_id, other_event_id = await kit.new_event(), await kit.new_event()
    holder, booking_id = await kit.party(event_id, "Olga Petrova", "Ivan Sidorov")
    kit.bookings[(other_event_id, holder.user_id)] = other_booking = new_id()
    seats = [ParticipantSeat(0), ParticipantSeat(1, "Olga Petrova")]
    await kit.file(other_booking, other_event_id, holder.user_id, Standing.COMPLETED, seats)
    other, _ = await kit.party(event_id, "Vera")

    uow, _, participants, _ = kit.ports()
    async with uow:
        assert await participants.erase_companions(holder.user_id, erased_name="(deleted)") == 3
        await uow.commit()
    uow, _, participants, _ = kit.ports()
    async with uow:
        assert await participants.erase_companions(holder.user_id, erased_name="(deleted)") == 0
        assert await participants.companions(event_id) == {
            (holder.user_id, 1): "(deleted)",
            (holder.user_id, 2): "(deleted)",
            (other.user_id, 1): "Vera",
        }
        assert await participants.companions(other_event_id) == {(holder.user_id, 1): "(deleted)"}
        assert await participants.holder(event_id, booking_id) == holder.user_id


async def test_one_seat_ends_alone_and_no_seat_outlives_its_booking(kit: CrewsKit) -> None:
    event_id = await kit.new_event()
    holder, booking_id = await kit.party(event_id, "Olga", "Ivan")
    user_id = holder.user_id
    await kit.file(booking_id, event_id, user_id, Standing.ENDED, [ParticipantSeat(1)])
    await kit.file(booking_id, event_id, user_id, Standing.COMPLETED)  # the whole booking

    late, late_booking = new_id(), new_id()  # a cancellation heard before its confirmation
    await kit.file(late_booking, event_id, late, Standing.ENDED)
    await kit.file(
        late_booking, event_id, late, Standing.CONFIRMED, [ParticipantSeat(0), ParticipantSeat(1, "X")]
    )

    uow, _, participants, _ = kit.ports()
    async with uow:
        standings = [await participants.participation(event_id, user_id, seat=s) for s in (0, 1, 2)]
        assert standings == [Participation.COMPLETED, Participation.NONE, Participation.COMPLETED]
        assert await participants.confirmed_seats(event_id) == []


async def test_every_seat_takes_one_place_and_a_cancelled_companion_frees_theirs(kit: CrewsKit) -> None:
    event_id = await kit.new_event()
    boat = await kit.crew(event_id, capacity=3)
    holder, booking_id = await kit.party(event_id, "Olga Petrova", "Ivan Sidorov", "Pyotr Ivanov")

    await kit.assign(boat.id, holder)
    await kit.assign(boat.id, holder, party_seat=1)
    with pytest.raises(AlreadyAssigned):
        await kit.assign(boat.id, holder, party_seat=1)
    await kit.assign(boat.id, holder, party_seat=2, booking_id=booking_id)
    with pytest.raises(CrewFull):
        await kit.assign(boat.id, holder, party_seat=3)

    assert await kit.cancel_companion(event_id, holder, 1) == 1
    assert await kit.cancel_companion(event_id, holder, 1) == 0  # delivered again
    with pytest.raises(ParticipantNotConfirmed):
        await kit.assign(boat.id, holder, party_seat=1)
    await kit.assign(boat.id, holder, party_seat=3)

    list_crews: ListEventCrews = kit._use_case(lambda uow, gate, _: ListEventCrews(uow, gate))
    (view,) = await list_crews(kit.organizer, event_id)
    assert [(m.party_seat, view.name_of(m)) for m in view.members] == [
        (0, None),  # the holder's name is identity's, and this holder has no profile
        (2, "Ivan Sidorov"),
        (3, "Pyotr Ivanov"),
    ]
    assert view.crew.size == 3
    assert await kit.release(event_id, holder.user_id) == 3  # the whole booking ends
    assert await kit.active_count(boat.id) == 0
    await kit.check_invariants()


async def test_auto_assignment_places_a_party_in_one_crew(kit: CrewsKit) -> None:
    event_id = await kit.new_event()
    small = await kit.crew(event_id, "A", capacity=2)
    big = await kit.crew(event_id, "B", capacity=3)
    holder, _ = await kit.party(event_id, "Olga", "Ivan")
    singles = [await kit.booking(event_id) for _ in range(2)]

    report = await kit.auto_assign(event_id)

    where = {report.participant(p.user_id): p.crew_id for p in report.plan.placements}
    assert {where[(holder.user_id, seat)] for seat in (0, 1, 2)} == {big.id}
    assert {where[(s.user_id, 0)] for s in singles} == {small.id}
    assert (await kit.active_count(big.id), await kit.active_count(small.id)) == (3, 2)
    await kit.check_invariants()
