"""The event spine across processes through Redis Streams, on a real Redis: a domain's relay
appends its facts to its stream, each subscriber's consumer group brings them into its
domain's inbox once, and what a crashed consumer read without acknowledging is claimed by
another."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal

import pytest
from opentelemetry.sdk.trace import TracerProvider
from redis.asyncio import Redis

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.database import MemoryDatabase, MemoryInbox, MemoryOutbox, MemoryUnitOfWork
from aquastream.adapters.redis.spine import STREAM_PREFIX, StreamIntake, StreamRelay
from aquastream.domain.booking.events import BookingConfirmed, BookingCreated
from aquastream.domain.identity.events import UserBlocked
from aquastream.domain.shared.dispatch import EventRouter, InboxDispatcher, Subscriber
from aquastream.domain.shared.events import DomainEvent
from aquastream.domain.shared.ids import new_id

from .factories import NOW

pytestmark = pytest.mark.redis


class BookingUnitOfWork(MemoryUnitOfWork):
    """Publishes into booking's outbox, as booking's units of work do."""

    domain = "booking"


async def _nothing(event: DomainEvent) -> None:
    return None


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    streams = [key async for key in client.scan_iter(f"{STREAM_PREFIX}*")]
    if streams:
        await client.delete(*streams)
    yield client
    await client.aclose()


def _router() -> EventRouter:
    return EventRouter(
        [
            Subscriber("notifications.Notify", "notifications", BookingCreated, _nothing),
            Subscriber("notifications.Notify", "notifications", BookingConfirmed, _nothing),
            Subscriber("notifications.Forget", "notifications", UserBlocked, _nothing),
            Subscriber("crews.Seat", "crews", BookingConfirmed, _nothing),
        ]
    )


async def _publish(db: MemoryDatabase, *events: DomainEvent) -> None:
    async with BookingUnitOfWork(db) as uow:
        uow.collect(*events)
        await uow.commit()


def _booking_facts() -> tuple[BookingCreated, BookingConfirmed]:
    ids = {"booking_id": new_id(), "event_id": new_id(), "user_id": new_id()}
    created = BookingCreated(
        occurred_at=NOW,
        status="PENDING",
        payment_status="PENDING",
        amount=Decimal("10.00"),
        currency="RUB",
        expires_at=None,
        **ids,
    )
    return created, BookingConfirmed(occurred_at=NOW, **ids)


async def test_each_subscriber_group_brings_the_facts_it_hears_into_its_inbox_once(redis: Redis) -> None:
    db, clock, router = MemoryDatabase(), FrozenClock(NOW), _router()
    created, confirmed = _booking_facts()
    await _publish(db, created, confirmed)
    relay = StreamRelay(MemoryOutbox(db, "booking"), redis, clock)
    notifications, crews = MemoryInbox(db, "notifications"), MemoryInbox(db, "crews")

    assert await relay.relay_once() == 2
    assert await relay.relay_once() == 0
    for inbox in (notifications, crews):
        assert await StreamIntake(redis, inbox, router, clock, consumer="w1").intake_once() >= 1
        assert await StreamIntake(redis, inbox, router, clock, consumer="w1").intake_once() == 0

    assert await notifications.backlog() == {"notifications.Notify": 2}
    assert await crews.backlog() == {"crews.Seat": 1}
    claimed = await crews.claim(now=NOW, limit=10, lease=timedelta(seconds=30))
    assert [(d.message_id, d.event_name) for d in claimed] == [(confirmed.message_id, "BookingConfirmed")]


async def test_a_fact_appended_twice_after_a_relay_crash_is_one_delivery(redis: Redis) -> None:
    db, clock, router = MemoryDatabase(), FrozenClock(NOW), _router()
    _, confirmed = _booking_facts()
    await _publish(db, confirmed)
    outbox = MemoryOutbox(db, "booking")
    [message] = await outbox.lease(now=NOW, limit=10, lease=timedelta(seconds=1))
    # The relay appended the fact, then died before marking it relayed: the lease lapses.
    fields = {"id": str(message.id), "event": message.event_name, "payload": message.payload}
    await redis.xadd(f"{STREAM_PREFIX}booking", {**fields, "created_at": NOW.isoformat()})
    clock.advance(seconds=2)
    assert await StreamRelay(outbox, redis, clock).relay_once() == 1

    crews = MemoryInbox(db, "crews")
    await StreamIntake(redis, crews, router, clock, consumer="w1").intake_once()

    assert await crews.backlog() == {"crews.Seat": 1}


async def test_what_a_crashed_consumer_left_unacknowledged_is_claimed_by_another(redis: Redis) -> None:
    db, clock, router = MemoryDatabase(), FrozenClock(NOW), _router()
    _, confirmed = _booking_facts()
    await _publish(db, confirmed)
    await StreamRelay(MemoryOutbox(db, "booking"), redis, clock).relay_once()
    crews = MemoryInbox(db, "crews")
    survivor = StreamIntake(
        redis, crews, router, clock, consumer="w2", claim_after=timedelta(milliseconds=50)
    )
    await survivor.intake_once()  # makes the groups; the crashed one reads first below
    await redis.xgroup_setid(f"{STREAM_PREFIX}booking", "crews.Seat", id="0")
    read = await redis.xreadgroup("crews.Seat", "w1", {f"{STREAM_PREFIX}booking": ">"})
    assert read  # w1 read it … and died before filing and acknowledging it

    await asyncio.sleep(0.1)
    assert await survivor.intake_once() == 1
    assert await crews.backlog() == {"crews.Seat": 1}
    pending = await redis.xpending(f"{STREAM_PREFIX}booking", "crews.Seat")
    assert pending["pending"] == 0


async def test_delivered_through_the_streams_the_inbox_keeps_each_subscriber_apart(redis: Redis) -> None:
    db, clock = MemoryDatabase(), FrozenClock(NOW)
    failing: list[uuid.UUID] = []

    async def broken(event: DomainEvent) -> None:
        failing.append(event.message_id)
        raise RuntimeError("down")

    seen: list[uuid.UUID] = []

    async def fine(event: DomainEvent) -> None:
        seen.append(event.message_id)

    router = EventRouter(
        [
            Subscriber("notifications.Notify", "notifications", BookingConfirmed, broken),
            Subscriber("notifications.Count", "notifications", BookingConfirmed, fine),
        ]
    )
    _, confirmed = _booking_facts()
    await _publish(db, confirmed)
    await StreamRelay(MemoryOutbox(db, "booking"), redis, clock).relay_once()
    inbox = MemoryInbox(db, "notifications")
    await StreamIntake(redis, inbox, router, clock, consumer="w1").intake_once()

    await InboxDispatcher(inbox, router, clock).dispatch_once()

    assert (failing, seen) == ([confirmed.message_id], [confirmed.message_id])
    assert await inbox.backlog() == {"notifications.Notify": 1}


async def test_a_fact_keeps_its_trace_context_across_the_streams(redis: Redis) -> None:
    db, clock, router = MemoryDatabase(), FrozenClock(NOW), _router()
    created, confirmed = _booking_facts()
    with TracerProvider().get_tracer("test").start_as_current_span("POST /api/v1/bookings") as span:
        await _publish(db, confirmed)
    await _publish(db, created)
    crews, notifications = MemoryInbox(db, "crews"), MemoryInbox(db, "notifications")

    await StreamRelay(MemoryOutbox(db, "booking"), redis, clock).relay_once()
    await StreamIntake(redis, crews, router, clock, consumer="w1").intake_once()
    await StreamIntake(redis, notifications, router, clock, consumer="w1").intake_once()

    trace_id = f"{span.get_span_context().trace_id:032x}"
    [seated] = await crews.claim(now=NOW, limit=10, lease=timedelta(seconds=30))
    told = await notifications.claim(now=NOW, limit=10, lease=timedelta(seconds=30))
    assert seated.trace_context is not None
    assert seated.trace_context.split("-")[1] == trace_id
    assert {d.event_name: d.trace_context is not None for d in told} == {
        "BookingConfirmed": True,
        "BookingCreated": False,
    }
