"""Real races on the SQL backends: many transactions at once on the same crews.

Every scenario ends with the invariants counted from the tables: each crew's counter equals its
ACTIVE assignments and fits its capacity, nobody has two ACTIVE places of one type in an event,
no seat number is taken twice. Figures are printed (run with ``-s``) for the record. On SQLite
the writers take turns (``BEGIN IMMEDIATE``); on PostgreSQL they truly collide, through an engine
pool of 20 connections opened before the race starts.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable
from typing import Any

from aquastream.domain.crews.crews import CrewChanges
from aquastream.domain.crews.errors import (
    AlreadyAssigned,
    CapacityBelowSize,
    CrewFull,
    ParticipantNotConfirmed,
    SeatTaken,
)
from aquastream.domain.crews.model import Assignment, Transfer
from aquastream.domain.shared.errors import DomainError
from aquastream.domain.shared.principal import Principal
from tests.contract.booking.conftest import POOL_SIZE

from .kit import CrewsKit


def report(kit: CrewsKit, scenario: str, **figures: Any) -> None:
    shown = ", ".join(f"{name}={value}" for name, value in figures.items())
    print(f"\n[race {kit.name}] {scenario}: {shown}")


async def _warm_pool(kit: CrewsKit) -> None:
    """Open the pool's connections first: opened on demand, the first attempts could finish
    before the last ones are connected, and nothing would race."""
    if kit.engine is None or kit.one_writer_at_a_time:
        return
    connections = POOL_SIZE  # the pool opens no more
    everyone_connected = asyncio.Barrier(connections)

    async def hold() -> None:
        assert kit.engine is not None
        async with kit.engine.connect():
            await everyone_connected.wait()

    await asyncio.gather(*(hold() for _ in range(connections)))


async def settle(kit: CrewsKit, *attempts: Awaitable[Any]) -> list[Any]:
    """Run everything at once; a refusal is an outcome, any other exception fails the test."""
    await _warm_pool(kit)
    async with asyncio.timeout(60):
        outcomes = await asyncio.gather(*attempts, return_exceptions=True)
    unexpected = [o for o in outcomes if isinstance(o, BaseException) and not isinstance(o, DomainError)]
    assert not unexpected, unexpected
    return outcomes


def count(outcomes: list[Any], kind: type) -> int:
    return sum(isinstance(o, kind) for o in outcomes)


async def test_20_concurrent_assignments_into_a_5_place_crew_place_exactly_5(racing: CrewsKit) -> None:
    event_id = await racing.new_event()
    boat = await racing.crew(event_id, capacity=5)
    users = [await racing.booking(event_id) for _ in range(20)]

    started = time.perf_counter()
    outcomes = await settle(racing, *(racing.assign(boat.id, user) for user in users))
    elapsed = time.perf_counter() - started

    report(
        racing,
        "20 participants assigned at once to a 5-place crew",
        placed=count(outcomes, Assignment),
        refused_full=count(outcomes, CrewFull),
        active=await racing.active_count(boat.id),
        seconds=f"{elapsed:.2f}",
    )
    assert (count(outcomes, Assignment), count(outcomes, CrewFull)) == (5, 15)
    assert await racing.active_count(boat.id) == 5
    await racing.check_invariants()


async def test_one_person_assigned_to_two_boats_at_once_gets_one_place(racing: CrewsKit) -> None:
    event_id = await racing.new_event()
    boats = [await racing.crew(event_id, "A"), await racing.crew(event_id, "B")]
    user = await racing.booking(event_id)

    outcomes = await settle(racing, *(racing.assign(boats[i % 2].id, user) for i in range(20)))

    report(
        racing,
        "one person assigned 20 times at once, alternating two boats",
        placed=count(outcomes, Assignment),
        refused_already_assigned=count(outcomes, AlreadyAssigned),
    )
    assert (count(outcomes, Assignment), count(outcomes, AlreadyAssigned)) == (1, 19)
    assert await racing.active_count(user_id=user.user_id) == 1
    await racing.check_invariants()


async def test_one_seat_number_claimed_at_once_goes_to_one_person(racing: CrewsKit) -> None:
    event_id = await racing.new_event()
    boat = await racing.crew(event_id, capacity=20)
    users = [await racing.booking(event_id) for _ in range(20)]

    outcomes = await settle(racing, *(racing.assign(boat.id, user, seat_number=1) for user in users))

    report(
        racing,
        "20 people claim seat 1 at once",
        placed=count(outcomes, Assignment),
        taken=count(outcomes, SeatTaken),
    )
    assert (count(outcomes, Assignment), count(outcomes, SeatTaken)) == (1, 19)
    await racing.check_invariants()


async def test_concurrent_transfers_never_overfill_the_target(racing: CrewsKit) -> None:
    event_id = await racing.new_event()
    source, target = await racing.crew(event_id, "A", 10), await racing.crew(event_id, "B", 3)
    places = [await racing.assign(source.id, await racing.booking(event_id)) for _ in range(10)]

    outcomes = await settle(racing, *(racing.transfer(place.id, target.id) for place in places))

    moved = count(outcomes, Transfer)
    report(
        racing,
        "10 transfers at once into a 3-place crew",
        moved=moved,
        refused_full=count(outcomes, CrewFull),
    )
    assert (moved, count(outcomes, CrewFull)) == (3, 7)
    assert (await racing.active_count(source.id), await racing.active_count(target.id)) == (7, 3)
    await racing.check_invariants()


async def test_opposite_transfers_at_once_neither_deadlock_nor_lose_anyone(racing: CrewsKit) -> None:
    event_id = await racing.new_event()
    left, right = await racing.crew(event_id, "Left", 20), await racing.crew(event_id, "Right", 20)
    going_right = [await racing.assign(left.id, await racing.booking(event_id)) for _ in range(10)]
    going_left = [await racing.assign(right.id, await racing.booking(event_id)) for _ in range(10)]

    outcomes = await settle(
        racing,
        *(racing.transfer(p.id, right.id) for p in going_right),
        *(racing.transfer(p.id, left.id) for p in going_left),
    )

    report(racing, "10 transfers left→right and 10 right→left at once", moved=count(outcomes, Transfer))
    assert count(outcomes, Transfer) == 20
    assert (await racing.active_count(left.id), await racing.active_count(right.id)) == (10, 10)
    await racing.check_invariants()


async def test_auto_assignment_racing_manual_assignments_never_exceeds_capacity(racing: CrewsKit) -> None:
    rng = random.Random(7)
    event_id = await racing.new_event()
    boats = [await racing.crew(event_id, f"Boat {i}", 3) for i in range(3)]
    users = [await racing.booking(event_id) for _ in range(15)]
    by_hand = rng.sample(users, 10)

    async def auto_assign_after(delay: float) -> Any:
        await asyncio.sleep(delay)
        return await racing.auto_assign(event_id)

    outcomes = await settle(
        racing,
        *(racing.assign(rng.choice(boats).id, user) for user in by_hand),
        auto_assign_after(0.005),
        auto_assign_after(0.02),
    )

    active = await racing.active_count()
    report(
        racing,
        "2 auto-assignments and 10 manual assignments at once, 9 places for 15 people",
        manual_placed=count(outcomes, Assignment),
        manual_refused=count(outcomes, CrewFull) + count(outcomes, AlreadyAssigned),
        active=active,
    )
    assert active == 9
    await racing.check_invariants()


async def test_shrinking_a_crew_while_people_are_assigned_keeps_size_within_capacity(
    racing: CrewsKit,
) -> None:
    event_id = await racing.new_event()
    boat = await racing.crew(event_id, capacity=10)
    users = [await racing.booking(event_id) for _ in range(12)]

    outcomes = await settle(
        racing,
        *(racing.assign(boat.id, user) for user in users),
        *(racing.update(boat.id, CrewChanges(capacity=capacity)) for capacity in (6, 4, 3)),
    )

    placed = count(outcomes, Assignment)
    report(
        racing,
        "12 assignments and 3 shrinks at once",
        placed=placed,
        shrink_refused=count(outcomes, CapacityBelowSize),
    )
    assert 3 <= placed <= 10
    await racing.check_invariants()


async def test_a_cancellation_racing_an_assignment_never_leaves_a_stale_place(racing: CrewsKit) -> None:
    """The booking's cancellation is delivered to crews while the organizer assigns the person:
    either the assignment is refused or it commits first and filing the cancellation (which
    waits for it on crews' copy of the booking) removes it."""
    event_id = await racing.new_event()
    boat = await racing.crew(event_id, capacity=20)
    users = [await racing.booking(event_id) for _ in range(10)]

    rng = random.Random(11)

    async def cancel_then_deliver(user: Principal) -> int:
        await asyncio.sleep(rng.uniform(0, 0.03))  # some cancellations land before, some during, some after
        return await racing.release(event_id, user.user_id)

    outcomes = await settle(
        racing,
        *(racing.assign(boat.id, user) for user in users),
        *(cancel_then_deliver(user) for user in users),
    )

    report(
        racing,
        "10 assignments racing 10 cancellations",
        assigned_then_removed=sum(o for o in outcomes if isinstance(o, int)),
        refused=count(outcomes, ParticipantNotConfirmed),
    )
    assert await racing.active_count(boat.id) == 0
    await racing.check_invariants()


async def test_companions_racing_for_the_last_places_of_a_crew_never_overfill_it(racing: CrewsKit) -> None:
    """A party's seats (the holder and eight companions) and two people of other bookings are
    assigned at once to a crew with three places left: every seat is one place, so exactly
    three get in, whoever they are."""
    event_id = await racing.new_event()
    boat = await racing.crew(event_id, capacity=5)
    for seated in [await racing.booking(event_id) for _ in range(2)]:
        await racing.assign(boat.id, seated)
    holder, _ = await racing.party(event_id, *(f"Companion {n}" for n in range(1, 9)))
    others = [await racing.booking(event_id) for _ in range(2)]

    outcomes = await settle(
        racing,
        *(racing.assign(boat.id, holder, party_seat=seat) for seat in range(9)),
        *(racing.assign(boat.id, other) for other in others),
    )

    report(
        racing,
        "a party of 9 and 2 others assigned at once to the last 3 places",
        placed=count(outcomes, Assignment),
        refused_full=count(outcomes, CrewFull),
    )
    assert (count(outcomes, Assignment), count(outcomes, CrewFull)) == (3, 8)
    assert await racing.active_count(boat.id) == 5
    await racing.check_invariants()


async def test_one_companion_assigned_to_two_boats_at_once_gets_one_place(racing: CrewsKit) -> None:
    event_id = await racing.new_event()
    boats = [await racing.crew(event_id, "A"), await racing.crew(event_id, "B")]
    holder, _ = await racing.party(event_id, "Olga")

    outcomes = await settle(
        racing, *(racing.assign(boats[i % 2].id, holder, party_seat=1) for i in range(10))
    )

    assert (count(outcomes, Assignment), count(outcomes, AlreadyAssigned)) == (1, 9)
    await racing.check_invariants()


async def test_companions_cancelled_while_being_assigned_never_keep_a_stale_place(racing: CrewsKit) -> None:
    """Each companion's seat is cancelled (the fact delivered to crews) while the organizer
    assigns it: the place is refused, or removed by filing the cancellation that waited for it."""
    event_id = await racing.new_event()
    boat = await racing.crew(event_id, capacity=20)
    holder, _ = await racing.party(event_id, *(f"Companion {n}" for n in range(1, 9)))
    rng = random.Random(7)

    async def cancel_then_deliver(seat: int) -> int:
        await asyncio.sleep(rng.uniform(0, 0.03))
        return await racing.cancel_companion(event_id, holder, seat)

    outcomes = await settle(
        racing,
        *(racing.assign(boat.id, holder, party_seat=seat) for seat in range(1, 9)),
        *(cancel_then_deliver(seat) for seat in range(1, 9)),
    )

    report(
        racing,
        "8 companions assigned while their seats are cancelled",
        assigned_then_removed=sum(o for o in outcomes if isinstance(o, int)),
        refused=count(outcomes, ParticipantNotConfirmed),
    )
    assert await racing.active_count(boat.id) == 0
    await racing.check_invariants()
