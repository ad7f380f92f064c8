"""Real races on the SQL backends: many transactions at once on one event's seats.

Every scenario ends with the invariant counted by SQL straight from the tables: seat-holding
bookings + seats held for notified users + free seats == capacity, the waiting counter
equals the WAITING entries, the held counter equals the NOTIFIED entries, and nobody has two
active bookings or two live entries. Figures are printed (run with ``-s``) for the record.
On SQLite the writers take turns (``BEGIN IMMEDIATE``); on PostgreSQL they truly collide,
through an engine pool of 20 connections.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import AsyncIterator, Awaitable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.tables.booking import booking_log, waitlist_audit
from aquastream.domain.booking.errors import BookingDuplicate, EventFull
from aquastream.domain.booking.model import ALL_EVENTS, Booking, EventShare
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.booking.privacy import LeaveQueuesOfDeletedUser
from aquastream.domain.shared.errors import Busy, DomainError
from aquastream.domain.shared.principal import Principal, Role
from aquastream.domain.shared.requests import RequestAlreadyHandled
from aquastream.ports.catalog import SeatResize
from aquastream.ports.idempotency import StoredResponse
from tests.contract.conftest import statements_sent

from .conftest import open_sql_engine
from .kit import BookingKit, sql_kit

PRICE = Decimal("1500.00")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def racing(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BookingKit]:
    engine = await open_sql_engine(request, request.param, tmp_path)
    try:
        yield sql_kit(request.param, engine)
    finally:
        await engine.dispose()


def report(kit: BookingKit, scenario: str, **figures: Any) -> None:
    shown = ", ".join(f"{name}={value}" for name, value in figures.items())
    print(f"\n[race {kit.name}] {scenario}: {shown}")


async def settle(*attempts: Awaitable[Any]) -> list[Any]:
    """Run everything at once; a refusal is an outcome, any other exception fails the test."""
    outcomes = await asyncio.gather(*attempts, return_exceptions=True)
    unexpected = [o for o in outcomes if isinstance(o, BaseException) and not isinstance(o, DomainError)]
    assert not unexpected, unexpected
    return outcomes


async def test_200_concurrent_bookings_of_a_10_seat_event_take_exactly_10_seats(racing: BookingKit) -> None:
    event_id = await racing.publish(10)
    users = [racing.new_user() for _ in range(200)]

    started = time.perf_counter()
    outcomes = await settle(*(racing.book(user, event_id) for user in users))
    elapsed = time.perf_counter() - started

    booked = [o for o in outcomes if isinstance(o, Booking)]
    full = [o for o in outcomes if isinstance(o, EventFull)]
    state = await racing.seat_state(event_id)
    report(
        racing,
        "200 distinct users book a 10-seat event",
        attempts=len(users),
        successes=len(booked),
        refused_full=len(full),
        active_bookings=state.seat_holding_bookings,
        available=state.available,
        seconds=f"{elapsed:.2f}",
    )
    assert (len(booked), len(full)) == (10, 190)
    assert (state.seat_holding_bookings, state.available) == (10, 0)
    state.assert_consistent()


async def test_shrinking_capacity_while_people_book_never_oversells(racing: BookingKit) -> None:
    """The organizer's resizes (the catalog's capacity change) race 40 bookings: a shrink
    below the seats taken at that moment is refused, and the event never holds more
    bookings than its capacity."""
    event_id = await racing.publish(12)
    users = [racing.new_user() for _ in range(40)]
    attempts: list[Awaitable[Any]] = [racing.book(user, event_id) for user in users]
    for at, capacity in ((3, 5), (12, 8), (25, 6), (33, 10)):
        attempts.insert(at, racing.resize(event_id, capacity))

    outcomes = await settle(*attempts)

    booked = [o for o in outcomes if isinstance(o, Booking)]
    resized = [o for o in outcomes if isinstance(o, bool)]
    state = await racing.seat_state(event_id)
    report(
        racing,
        "4 resizes among 40 bookings of a 12-seat event",
        successes=len(booked),
        resizes_done=sum(resized),
        capacity=state.capacity,
        available=state.available,
    )
    assert len(resized) == 4
    assert state.seat_holding_bookings == len(booked) <= state.capacity
    state.assert_consistent()


async def test_resizes_from_the_same_count_at_once_move_the_seats_once(racing: BookingKit) -> None:
    """Six managers' edits, each started from the count 10 they were shown, race 20
    bookings: booking takes exactly one of them (the rest are told the count moved), and
    the seats never exceed the capacity it ends with."""
    event_id = await racing.publish(10)
    targets = [7, 8, 9, 11, 12, 13]
    users = [racing.new_user() for _ in range(20)]
    attempts: list[Awaitable[Any]] = [racing.book(user, event_id) for user in users]
    for at, capacity in zip((1, 4, 7, 10, 13, 16), targets, strict=True):
        attempts.insert(at, racing.seats.resize(event_id, expected=10, capacity=capacity))

    outcomes = await settle(*attempts)

    booked = [o for o in outcomes if isinstance(o, Booking)]
    resizes = [o for o in outcomes if isinstance(o, SeatResize)]
    state = await racing.seat_state(event_id)
    report(racing, "6 resizes from one count among 20 bookings", outcomes=sorted(resizes))
    # Exactly one edit moves the count; each other one is told the count moved, or (a shrink
    # that came first, when bookings had already taken more) that it is below the seats taken.
    by_target = dict(zip(targets, resizes, strict=True))
    (resized,) = [target for target, outcome in by_target.items() if outcome is SeatResize.RESIZED]
    refused_below = [target for target, outcome in by_target.items() if outcome is SeatResize.BELOW_TAKEN]
    assert all(target < 10 for target in refused_below)
    assert sorted(resizes).count(SeatResize.CHANGED) == 5 - len(refused_below)
    assert state.capacity == resized
    assert state.seat_holding_bookings == len(booked) <= state.capacity
    state.assert_consistent()


async def test_the_same_user_racing_for_one_event_gets_one_booking(racing: BookingKit) -> None:
    event_id = await racing.publish(10)
    user = racing.new_user()

    outcomes = await settle(*(racing.book(user, event_id) for _ in range(20)))

    assert sum(isinstance(o, Booking) for o in outcomes) == 1
    state = await racing.seat_state(event_id)
    assert (state.seat_holding_bookings, state.available) == (1, 9)
    state.assert_consistent()


async def test_cancel_expiry_and_waitlist_hand_over_at_once_never_lose_or_double_a_seat(
    racing: BookingKit,
) -> None:
    """Rounds of everything at once, 31 minutes apart: owners cancel while two expiry workers
    expire the same holds, waiters leave or take the seats offered to them, windows lapse,
    the organizer grows the event and strangers try to book."""
    rng = random.Random(20301)
    # Rounds are 31 minutes apart: holds expire each round, windows after three.
    racing.policy = BookingPolicy(waitlist_window=timedelta(minutes=90))
    capacity = 10
    event_id = await racing.publish(capacity, price=PRICE)
    holders = [racing.new_user() for _ in range(capacity)]
    holds = [await racing.book(user, event_id) for user in holders]
    waiters = [racing.new_user() for _ in range(40)]
    for waiter in waiters:
        await racing.join(waiter, event_id)
    for paid in rng.sample(holds, 3):
        racing.payments.succeeded.add(paid.id)

    totals: dict[str, int] = {"attempts": 0, "refusals": 0, "expired": 0, "lapsed": 0, "converted": 0}
    for round_number in range(8):
        racing.clock.advance(minutes=31)
        notified = await _notified_users(racing, event_id, waiters)
        active = await _active_bookings(racing, event_id, holders + waiters)
        attempts: list[Awaitable[Any]] = [
            racing.expire_holds(),
            racing.expire_holds(),
            racing.lapse_windows(),
        ]
        attempts += [
            racing.cancel(user, booking.id) for user, booking in rng.sample(active, min(4, len(active)))
        ]
        # Some take the seat held for them, the others let their window run out.
        attempts += [racing.book(user, event_id) for user in notified if rng.random() < 0.5]
        attempts += [racing.leave(user, event_id) for user in rng.sample(waiters, 5)]
        attempts += [racing.book(racing.new_user(), event_id) for _ in range(5)]
        if round_number == 2:
            attempts += [racing.resize(event_id, capacity + 3), racing.hand_over(event_id)]
        rng.shuffle(attempts)

        outcomes = await settle(*attempts)

        await racing.hand_over(event_id)  # what EventCapacityChanged's delivery does
        state = await racing.seat_state(event_id)
        state.assert_consistent()
        totals["attempts"] += len(attempts)
        totals["refusals"] += sum(isinstance(o, DomainError) for o in outcomes)
        totals["converted"] += sum(
            isinstance(o, Booking) and o.waitlist_entry_id is not None for o in outcomes
        )
    totals["expired"] = await _count_log(racing, "HOLD_EXPIRED")
    totals["lapsed"] = await _count_audit(racing, "EXPIRED")
    report(racing, "8 rounds of cancel + expiry x2 + lapse + leave + convert + book", **totals)
    final = await racing.seat_state(event_id)
    report(racing, "final counters", **vars(final))
    assert totals["converted"] > 0


async def _sweep(racing: BookingKit, share: EventShare, busy: list[int]) -> int:
    """A worker's sweep of ``share``: batches until one expires nothing; a batch refused for a
    lock not had in time (``Busy``) rolled back and is taken again, as the next tick would
    (noted in ``busy``). How many it expired."""
    done = 0
    while True:
        try:
            expired = await racing.expire_holds(share)
        except Busy:
            busy.append(1)
            continue
        if not expired:
            return done
        done += expired


async def test_two_expiry_workers_at_once_expire_each_booking_once(racing: BookingKit) -> None:
    events = [await racing.publish(20, price=PRICE) for _ in range(3)]
    for event_id in events:
        for _ in range(20):
            await racing.book(racing.new_user(), event_id)
    racing.clock.advance(minutes=31)

    counts = await settle(racing.expire_holds(), racing.expire_holds())

    logged = await _count_log(racing, "HOLD_EXPIRED", per_booking=True)
    report(racing, "two ExpireHolds workers, 60 due holds", expired_by_worker=counts, log_rows=sum(logged))
    assert sum(counts) == 60
    assert logged == [1] * 60
    for event_id in events:
        (await racing.seat_state(event_id)).assert_consistent()


async def test_many_expiry_workers_with_small_batches_share_the_work(racing: BookingKit) -> None:
    racing.policy = BookingPolicy(expiry_batch_size=7)
    event_id = await racing.publish(50, price=PRICE)
    for _ in range(50):
        await racing.book(racing.new_user(), event_id)
    racing.clock.advance(minutes=31)

    busy: list[int] = []
    counts = await settle(*(_sweep(racing, ALL_EVENTS, busy) for _ in range(4)))

    report(racing, "four workers, batches of 7, 50 due holds", expired_by_worker=counts, busy=len(busy))
    assert sum(counts) == 50
    assert await _count_log(racing, "HOLD_EXPIRED", per_booking=True) == [1] * 50
    (await racing.seat_state(event_id)).assert_consistent()


async def test_expiry_lanes_on_shares_of_the_events_beside_a_whole_worker_expire_each_hold_once(
    racing: BookingKit,
) -> None:
    """The production sweep's lanes (a share of the events each) run at once with an older
    worker that sweeps every event, in small batches, while the queues take the freed seats:
    each hold expires once, and every event's seats add up."""
    racing.policy = BookingPolicy(expiry_batch_size=5)
    shares = EventShare.split(3)
    events: list[uuid.UUID] = []
    while len(events) < 6 or not all(any(share.holds(e) for e in events) for share in shares):
        events.append(await racing.publish(8, price=PRICE))
    for event_id in events:
        for _ in range(8):
            await racing.book(racing.new_user(), event_id)
        for _ in range(3):
            await racing.join(racing.new_user(), event_id)
    racing.clock.advance(minutes=31)

    busy: list[int] = []
    counts = await settle(*(_sweep(racing, share, busy) for share in [*shares, ALL_EVENTS]))

    due = 8 * len(events)
    report(racing, f"3 lanes + 1 whole worker, batches of 5, {due} due holds", expired=counts, busy=len(busy))
    assert sum(counts) == due
    assert await _count_log(racing, "HOLD_EXPIRED", per_booking=True) == [1] * due
    for event_id in events:
        state = await racing.seat_state(event_id)
        state.assert_consistent()
        assert (state.reserved, state.waiting) == (3, 0)  # each queue was offered its seats


async def test_deleted_users_leaving_their_queues_twice_at_once_among_cancellations_keep_every_seat(
    racing: BookingKit,
) -> None:
    """Each deleted account's ``UserDeleted`` is delivered by two workers at once (at-least-once
    delivery) while holders cancel and freed seats are offered down the queues: every entry of
    a deleted account is removed exactly once, and no seat is lost or doubled."""
    events = [await racing.publish(3) for _ in range(3)]
    holds = {
        event_id: [await racing.book(racing.new_user(), event_id) for _ in range(3)] for event_id in events
    }
    deleted, staying = [racing.new_user() for _ in range(12)], [racing.new_user() for _ in range(6)]
    for event_id in events:
        for user in [*deleted, *staying]:
            await racing.join(user, event_id)

    async def forget(user: Principal) -> int:
        return await LeaveQueuesOfDeletedUser(racing.new_uow(), racing.clock, racing.policy)(user.user_id)

    async def cancel(booking: Booking) -> Booking:
        return await racing.cancel(Principal(booking.user_id, Role.USER), booking.id)

    forgets = [forget(user) for user in deleted for _ in range(2)]
    others = [cancel(booking) for event_id in events for booking in holds[event_id][:2]]
    others += [racing.hand_over(event_id) for event_id in events]
    started = time.perf_counter()
    outcomes = await settle(*forgets, *others)
    elapsed = time.perf_counter() - started

    queues_left = outcomes[: len(forgets)]
    report(
        racing,
        "12 deleted users in 3 queues, each delivered twice at once, + 6 cancels + 3 hand-overs",
        queues_left=sum(queues_left),
        refusals=sum(isinstance(o, DomainError) for o in outcomes),
        seconds=round(elapsed, 2),
    )
    assert sum(queues_left) == len(deleted) * len(events)
    assert await _count_audit(racing, "REMOVED") == len(deleted) * len(events)
    for event_id in events:
        await racing.hand_over(event_id)
        (await racing.seat_state(event_id)).assert_consistent()
        async with racing.new_uow() as uow:
            assert [await uow.waitlist.live_entry(event_id, user.user_id) for user in deleted] == [None] * 12
        assert len(await _notified_users(racing, event_id, staying)) == 2


async def _notified_users(kit: BookingKit, event_id: Any, users: list[Principal]) -> list[Principal]:
    async with kit.new_uow() as uow:
        entries = [await uow.waitlist.live_entry(event_id, user.user_id) for user in users]
    return [user for user, entry in zip(users, entries, strict=True) if entry and entry.status == "NOTIFIED"]


async def _active_bookings(
    kit: BookingKit, event_id: Any, users: list[Principal]
) -> list[tuple[Principal, Booking]]:
    async with kit.new_uow() as uow:
        found = [(user, await uow.bookings.active_for(event_id, user.user_id)) for user in users]
    return [(user, booking) for user, booking in found if booking is not None]


async def _count_audit(kit: BookingKit, action: str) -> int:
    assert kit.engine is not None
    async with kit.engine.connect() as connection:
        count = await connection.scalar(select(func.count()).where(waitlist_audit.c.action == action))
    return count or 0


async def _count_log(kit: BookingKit, reason: str, *, per_booking: bool = False) -> Any:
    assert kit.engine is not None
    async with kit.engine.connect() as connection:
        if per_booking:
            query = (
                select(func.count()).where(booking_log.c.reason == reason).group_by(booking_log.c.booking_id)
            )
            return list((await connection.execute(query)).scalars())
        return await connection.scalar(select(func.count()).where(booking_log.c.reason == reason))


async def test_one_user_booking_16_times_at_once_gets_one_booking_and_one_seat(racing: BookingKit) -> None:
    event_id = await racing.publish(5, price=PRICE)
    user = racing.new_user()

    outcomes = await settle(*(racing.book(user, event_id) for _ in range(16)))

    (booked,) = [o for o in outcomes if isinstance(o, Booking)]
    duplicates = [o for o in outcomes if isinstance(o, BookingDuplicate)]
    assert len(duplicates) == 15, outcomes
    assert {d.existing_booking_id for d in duplicates} == {booked.id}
    assert await racing.written_for(booked.id) == (1, ["BookingCreated"])
    state = await racing.seat_state(event_id)
    state.assert_consistent()
    assert (state.available, state.seat_holding_bookings) == (4, 1)


@pytest.mark.postgres
async def test_on_postgresql_a_booking_is_one_statement_outside_any_transaction(
    postgres_engine: AsyncEngine,
) -> None:
    kit = sql_kit("postgres", postgres_engine)
    event_id = await kit.publish(10, price=PRICE)
    await kit.book(kit.new_user(), event_id)  # statements compiled once

    with statements_sent(postgres_engine) as sent:
        booking = await kit.book(kit.new_user(), event_id)

    # The event's price was read once, by the first booking: the second is its statement.
    ((written, isolation),) = sent
    assert written.startswith("WITH done AS (UPDATE booking.inventories")
    assert isolation == "AUTOCOMMIT"  # no BEGIN, no COMMIT
    assert await kit.written_for(booking.id) == (1, ["BookingCreated"])
    assert (await kit.seat_state(event_id)).available == 8


@pytest.mark.postgres
async def test_on_postgresql_a_keyed_booking_writes_its_key_and_answer_in_its_one_statement(
    postgres_engine: AsyncEngine,
) -> None:
    kit = sql_kit("postgres", postgres_engine)
    event_id, other_event_id = await kit.publish(10, price=PRICE), await kit.publish(10, price=PRICE)
    await kit.book(kit.new_user(), event_id, key="warm-up")  # statements compiled, terms read
    user = kit.new_user()

    with statements_sent(postgres_engine) as sent:
        booking = await kit.book(user, event_id, key="retry-1")
    with pytest.raises(RequestAlreadyHandled) as repeat:
        await kit.book(user, event_id, key="retry-1")
    kit.clock.advance(hours=25)  # the record is past its retention: the key books afresh
    later = await kit.book(user, other_event_id, key="retry-1")

    (key_read, _), (written, _) = sent  # the key, then the booking with its key
    assert key_read.startswith("SELECT")
    assert "idempotency_keys" in key_read
    assert written.startswith("WITH done AS (UPDATE booking.inventories")
    assert "INSERT INTO booking.idempotency_keys" in written
    assert {isolation for _, isolation in sent} == {"AUTOCOMMIT"}
    assert repeat.value.same_request
    assert repeat.value.record.resource_id == booking.id
    assert repeat.value.record.response == StoredResponse(201, booking.id.bytes)
    assert later.event_id == other_event_id
    for event in (event_id, other_event_id):
        (await kit.seat_state(event)).assert_consistent()


async def test_one_key_sent_8_times_at_once_books_once_and_the_others_see_its_answer(
    racing: BookingKit,
) -> None:
    event_id = await racing.publish(5, price=PRICE)
    user = racing.new_user()

    outcomes = await settle_keyed(*(racing.book(user, event_id, key="retry-1") for _ in range(8)))

    (booked,) = [o for o in outcomes if isinstance(o, Booking)]
    repeats = [o for o in outcomes if isinstance(o, RequestAlreadyHandled)]
    assert len(repeats) == 7, outcomes
    assert {r.record.response for r in repeats} == {StoredResponse(201, booked.id.bytes)}
    state = await racing.seat_state(event_id)
    state.assert_consistent()
    assert (state.available, state.seat_holding_bookings) == (4, 1)


async def settle_keyed(*attempts: Awaitable[Any]) -> list[Any]:
    """As ``settle``; a repeat of a keyed request is an outcome too."""
    outcomes = await asyncio.gather(*attempts, return_exceptions=True)
    expected = (DomainError, RequestAlreadyHandled)
    unexpected = [o for o in outcomes if isinstance(o, BaseException) and not isinstance(o, expected)]
    assert not unexpected, unexpected
    return outcomes
