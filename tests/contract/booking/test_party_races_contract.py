"""Real races of group bookings on the SQL backends (SPEC §12): parties of 1 to 6 on a 20-seat
event, with whole and companion cancellations, two expiry sweeps at once, and parties queuing
for seats and taking the ones held for them.

After every round the invariant is counted by SQL straight from the tables: the seats of
seat-holding bookings (their party sizes) + the seats held for notified parties + free seats
== capacity, the waiting counter equals the WAITING entries, the held counter equals the
seats of NOTIFIED entries, and nobody has two active bookings or two live entries. On
PostgreSQL the transactions truly collide; on SQLite the writers take turns.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Awaitable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aquastream.domain.booking.errors import EventFull
from aquastream.domain.booking.model import Booking, WaitlistEntry, WaitlistStatus
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.shared.errors import DomainError
from aquastream.domain.shared.principal import Principal

from .conftest import open_sql_engine
from .kit import BookingKit, sql_kit

PRICE = Decimal("1000.00")
CAPACITY = 20


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def racing(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BookingKit]:
    engine = await open_sql_engine(request, request.param, tmp_path)
    try:
        yield sql_kit(request.param, engine)
    finally:
        await engine.dispose()


async def settle(*attempts: Awaitable[Any]) -> list[Any]:
    """Run everything at once; a refusal is an outcome, any other exception fails the test."""
    outcomes = await asyncio.gather(*attempts, return_exceptions=True)
    unexpected = [o for o in outcomes if isinstance(o, BaseException) and not isinstance(o, DomainError)]
    assert not unexpected, unexpected
    return outcomes


async def test_parties_racing_for_a_20_seat_event_take_whole_parties_and_never_oversell(
    racing: BookingKit,
) -> None:
    rng = random.Random(61220)
    event_id = await racing.publish(CAPACITY)
    users = [racing.new_user() for _ in range(40)]
    sizes = [rng.randint(1, 6) for _ in users]

    outcomes = await settle(
        *(racing.book(user, event_id, size) for user, size in zip(users, sizes, strict=True))
    )

    booked = [o for o in outcomes if isinstance(o, Booking)]
    assert all(isinstance(o, Booking | EventFull) for o in outcomes), outcomes
    state = await racing.seat_state(event_id)
    assert state.seat_holding_bookings == sum(b.party_size for b in booked) <= CAPACITY
    assert state.available == CAPACITY - state.seat_holding_bookings
    # Every refused party was larger than what was left when it came: all or nothing.
    smallest_refused = min(
        (s for s, o in zip(sizes, outcomes, strict=True) if isinstance(o, EventFull)), default=7
    )
    assert state.available < smallest_refused
    state.assert_consistent()


async def test_parties_cancellations_expiry_and_the_group_waitlist_at_once_keep_exact_counters(
    racing: BookingKit,
) -> None:
    """Rounds 31 minutes apart: newcomers with parties of 1-6 book, holders cancel whole
    bookings or one companion's seat, two expiry workers sweep the same holds, windows lapse,
    parties of 1-4 join the queue, notified parties take their held seats or a smaller part."""
    rng = random.Random(20261204)
    racing.policy = BookingPolicy(waitlist_window=timedelta(minutes=45))
    event_id = await racing.publish(CAPACITY, price=PRICE)
    holders: list[tuple[Principal, Booking]] = []
    while True:
        user = racing.new_user()
        try:
            holders.append((user, await racing.book(user, event_id, rng.randint(1, 6))))
        except EventFull:
            break
    for _, paid in rng.sample(holders, 2):
        racing.payments.succeeded.add(paid.id)
    # Parties of one and two queue before the races, so the first seats freed are held for
    # someone: joiners racing the cancellations of their round mostly find seats free and are
    # told the queue is not needed (with a queue formed only by chance, a run in six converted
    # no one).
    queued: list[Principal] = [racing.new_user() for _ in range(3)]
    for user, party in zip(queued, (1, 2, 1), strict=True):
        await racing.join(user, event_id, party)
    people = [user for user, _ in holders] + queued

    totals = {"attempts": 0, "refusals": 0, "booked": 0, "converted": 0, "companions_cancelled": 0}
    companion_cancels = 0
    conversions_tried = 0
    for round_number in range(8):
        racing.clock.advance(minutes=31 if round_number % 2 else 5)
        notified = await _notified(racing, event_id, queued)
        active = await _active(racing, event_id, people)
        attempts: list[Awaitable[Any]] = [
            racing.expire_holds(),
            racing.expire_holds(),
            racing.lapse_windows(),
        ]
        for user, booking in rng.sample(active, min(4, len(active))):
            companions = [seat.number for seat in booking.seats[1:]]
            # The first booking with companions cancels one of them (round 0: no hold has
            # ended yet), so every run has a companion's cancellation among its races.
            if companions and (rng.random() < 0.5 or not companion_cancels):
                companion_cancels += 1
                attempts.append(racing.cancel_companion(user, booking.id, rng.choice(companions)))
            else:
                attempts.append(racing.cancel(user, booking.id))
        for user, entry in notified:
            # The first party offered seats takes them, so every run has a conversion among its races.
            if rng.random() < 0.7 or not conversions_tried:
                conversions_tried += 1
                attempts.append(racing.book(user, event_id, rng.randint(1, entry.party_size)))
        newcomers = [racing.new_user() for _ in range(4)]
        attempts += [racing.book(user, event_id, rng.randint(1, 6)) for user in newcomers]
        joiners = [racing.new_user() for _ in range(3)]
        queued += joiners
        people += newcomers + joiners
        attempts += [racing.join(user, event_id, rng.randint(1, 4)) for user in joiners]
        rng.shuffle(attempts)

        outcomes = await settle(*attempts)

        state = await racing.seat_state(event_id)
        assert state.seat_holding_bookings + state.reserved <= state.capacity, state
        state.assert_consistent()
        totals["attempts"] += len(attempts)
        totals["refusals"] += sum(isinstance(o, DomainError) for o in outcomes)
        totals["booked"] += sum(
            isinstance(o, Booking) and o.created_at == racing.clock.now() for o in outcomes
        )
        totals["converted"] += sum(
            isinstance(o, Booking) and o.waitlist_entry_id is not None and o.created_at == racing.clock.now()
            for o in outcomes
        )
        totals["companions_cancelled"] += sum(
            isinstance(o, Booking) and any(c.cancelled_at == racing.clock.now() for c in o.companions)
            for o in outcomes
        )
    print(f"\n[race {racing.name}] parties on a 20-seat event: {totals}")
    assert totals["companions_cancelled"] > 0
    assert totals["converted"] > 0


async def _notified(
    kit: BookingKit, event_id: Any, users: list[Principal]
) -> list[tuple[Principal, WaitlistEntry]]:
    async with kit.new_uow() as uow:
        entries = [await uow.waitlist.live_entry(event_id, user.user_id) for user in users]
    return [
        (user, entry)
        for user, entry in zip(users, entries, strict=True)
        if entry is not None and entry.status is WaitlistStatus.NOTIFIED
    ]


async def _active(kit: BookingKit, event_id: Any, users: list[Principal]) -> list[tuple[Principal, Booking]]:
    async with kit.new_uow() as uow:
        found = [(user, await uow.bookings.active_for(event_id, user.user_id)) for user in users]
    return [(user, booking) for user, booking in found if booking is not None]
