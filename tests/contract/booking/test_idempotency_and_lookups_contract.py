"""Idempotency keys and the calendar feed's booking lookup, on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta

import pytest

from aquastream.adapters.memory.booking import MemoryConfirmedBookingsLookup, MemoryIdempotencyStore
from aquastream.adapters.sql.booking import SqlConfirmedBookingsLookup, SqlIdempotencyStore
from aquastream.domain.booking.model import BookingStatus
from aquastream.domain.shared.ids import new_id
from aquastream.ports.catalog import ConfirmedBookingsLookup
from aquastream.ports.idempotency import IdempotencyStore, StoredResponse

from .factories import a_booking
from .kit import NOW, BookingKit

TTL = timedelta(hours=24)


@pytest.fixture
def store(kit: BookingKit) -> Iterator[IdempotencyStore]:
    if kit.engine is not None:
        yield SqlIdempotencyStore(kit.engine)
    else:
        assert kit.db is not None
        yield MemoryIdempotencyStore(kit.db)


@pytest.fixture
def lookup(kit: BookingKit) -> ConfirmedBookingsLookup:
    if kit.engine is not None:
        return SqlConfirmedBookingsLookup(kit.engine)
    assert kit.db is not None
    return MemoryConfirmedBookingsLookup(kit.db)


ABANDONED = timedelta(minutes=2)


async def test_the_first_request_owns_a_key_and_a_repeat_replays_its_response(
    store: IdempotencyStore,
) -> None:
    user_id = new_id()
    response = StoredResponse(201, b'{"id": "b-1"}')

    assert (
        await store.reserve(user_id, "k-1", request_hash="h1", now=NOW, ttl=TTL, abandoned_after=ABANDONED)
        is None
    )
    in_progress = await store.reserve(
        user_id, "k-1", request_hash="h1", now=NOW, ttl=TTL, abandoned_after=ABANDONED
    )
    await store.complete(user_id, "k-1", response)
    replay = await store.reserve(
        user_id, "k-1", request_hash="h2", now=NOW + timedelta(hours=1), ttl=TTL, abandoned_after=ABANDONED
    )

    assert in_progress is not None
    assert (in_progress.request_hash, in_progress.response) == ("h1", None)
    assert replay is not None
    assert (replay.request_hash, replay.response, replay.created_at) == ("h1", response, NOW)


async def test_keys_belong_to_one_user(store: IdempotencyStore) -> None:
    assert (
        await store.reserve(new_id(), "shared", request_hash="h", now=NOW, ttl=TTL, abandoned_after=ABANDONED)
        is None
    )
    assert (
        await store.reserve(new_id(), "shared", request_hash="h", now=NOW, ttl=TTL, abandoned_after=ABANDONED)
        is None
    )


async def test_a_key_past_its_retention_is_taken_afresh(store: IdempotencyStore) -> None:
    user_id = new_id()
    await store.reserve(user_id, "k", request_hash="old", now=NOW, ttl=TTL, abandoned_after=ABANDONED)
    await store.complete(user_id, "k", StoredResponse(201, b"{}"))

    assert (
        await store.reserve(
            user_id, "k", request_hash="new", now=NOW + TTL, ttl=TTL, abandoned_after=ABANDONED
        )
        is None
    )
    again = await store.reserve(
        user_id, "k", request_hash="new", now=NOW + TTL, ttl=TTL, abandoned_after=ABANDONED
    )
    assert again is not None
    assert (again.request_hash, again.response) == ("new", None)


async def test_a_released_key_may_be_used_again_but_a_completed_one_stays(store: IdempotencyStore) -> None:
    user_id = new_id()
    await store.reserve(user_id, "failed", request_hash="h", now=NOW, ttl=TTL, abandoned_after=ABANDONED)
    await store.release(user_id, "failed")
    await store.reserve(user_id, "done", request_hash="h", now=NOW, ttl=TTL, abandoned_after=ABANDONED)
    await store.complete(user_id, "done", StoredResponse(409, b"{}"))
    await store.release(user_id, "done")

    assert (
        await store.reserve(user_id, "failed", request_hash="h", now=NOW, ttl=TTL, abandoned_after=ABANDONED)
        is None
    )
    assert (
        await store.reserve(user_id, "done", request_hash="h", now=NOW, ttl=TTL, abandoned_after=ABANDONED)
        is not None
    )


async def test_purge_deletes_keys_older_than_the_cut(store: IdempotencyStore) -> None:
    user_id = new_id()
    await store.reserve(user_id, "old", request_hash="h", now=NOW, ttl=TTL, abandoned_after=ABANDONED)
    await store.reserve(
        user_id, "new", request_hash="h", now=NOW + timedelta(days=2), ttl=TTL, abandoned_after=ABANDONED
    )

    assert await store.purge(older_than=NOW + timedelta(days=1)) == 1
    assert (
        await store.reserve(
            user_id, "old", request_hash="h", now=NOW + timedelta(days=2), ttl=TTL, abandoned_after=ABANDONED
        )
        is None
    )


async def test_of_many_concurrent_requests_with_one_key_exactly_one_owns_it(
    kit: BookingKit, store: IdempotencyStore
) -> None:
    user_id = new_id()

    outcomes = await asyncio.gather(
        *(
            store.reserve(user_id, "race", request_hash="h", now=NOW, ttl=TTL, abandoned_after=ABANDONED)
            for _ in range(20)
        )
    )

    assert sum(outcome is None for outcome in outcomes) == 1


async def test_the_calendar_lookup_lists_events_with_confirmed_or_completed_bookings(
    kit: BookingKit, lookup: ConfirmedBookingsLookup
) -> None:
    user_id = new_id()
    confirmed, completed, pending, cancelled = [await kit.publish(2) for _ in range(4)]
    rows = [
        a_booking(confirmed, user_id=user_id, status=BookingStatus.CONFIRMED),
        a_booking(completed, user_id=user_id, status=BookingStatus.COMPLETED),
        a_booking(pending, user_id=user_id),
        a_booking(cancelled, user_id=user_id, status=BookingStatus.CANCELLED),
        a_booking(confirmed, status=BookingStatus.CONFIRMED),
    ]
    async with kit.new_uow() as uow:
        for booking in rows:
            await uow.bookings.add(booking)
        await uow.commit()

    assert set(await lookup.event_ids_for_user(user_id)) == {confirmed, completed}
    assert list(await lookup.event_ids_for_user(new_id())) == []


async def test_a_reservation_left_without_an_answer_is_taken_over(store: IdempotencyStore) -> None:
    user_id = new_id()
    assert (
        await store.reserve(user_id, "k", request_hash="h", now=NOW, ttl=TTL, abandoned_after=ABANDONED)
        is None
    )
    still_running = await store.reserve(
        user_id,
        "k",
        request_hash="h",
        now=NOW + ABANDONED - timedelta(seconds=1),
        ttl=TTL,
        abandoned_after=ABANDONED,
    )
    assert still_running is not None
    assert still_running.response is None
    taken_over = await store.reserve(
        user_id, "k", request_hash="h", now=NOW + ABANDONED, ttl=TTL, abandoned_after=ABANDONED
    )
    assert taken_over is None


async def test_an_answered_key_is_never_taken_over(store: IdempotencyStore) -> None:
    user_id = new_id()
    await store.reserve(user_id, "k", request_hash="h", now=NOW, ttl=TTL, abandoned_after=ABANDONED)
    await store.complete(user_id, "k", StoredResponse(201, b"{}"))
    later = await store.reserve(
        user_id, "k", request_hash="h", now=NOW + timedelta(hours=1), ttl=TTL, abandoned_after=ABANDONED
    )
    assert later is not None
    assert later.response == StoredResponse(201, b"{}")
