"""Contract of the event spine's stores: a domain's outbox (leased relaying) and a domain's
inbox of deliveries (one per fact and subscriber, claimed with leases, retried, given up and
retried by an operator), on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

from opentelemetry.sdk.trace import TracerProvider

from aquastream.adapters.sql.tables.identity import outbox as identity_outbox
from aquastream.domain.identity.events import UserBlocked
from aquastream.domain.shared.events import DomainEvent
from aquastream.domain.shared.ids import new_id
from aquastream.ports.outbox import Delivery, OutboxMessage

from .conftest import Backend
from .factories import NOW

LEASE = timedelta(seconds=30)
ONE, OTHER = "notifications.Notify", "notifications.ForgetUser"


async def _committed_events(backend: Backend, count: int) -> list[DomainEvent]:
    events: list[DomainEvent] = [
        UserBlocked(occurred_at=NOW + timedelta(milliseconds=i), user_id=new_id()) for i in range(count)
    ]
    async with backend.identity_uow() as uow:
        uow.collect(*events)
        await uow.commit()
    return events


async def _in_inbox(backend: Backend, count: int, subscribers: Sequence[str] = (ONE,)) -> list[OutboxMessage]:
    """Facts published by identity and relayed to ``subscribers``."""
    await _committed_events(backend, count)
    messages = await backend.outbox.lease(now=NOW, limit=count, lease=LEASE)
    for message in messages:
        await backend.inbox.accept([(message, subscribers)], now=NOW)
    return list(messages)


async def test_the_outbox_leases_the_oldest_facts_up_to_the_limit(backend: Backend) -> None:
    events = await _committed_events(backend, 3)

    leased = await backend.outbox.lease(now=NOW, limit=2, lease=LEASE)

    assert [m.id for m in leased] == [e.message_id for e in events[:2]]
    assert await backend.outbox.pending() == 3
    later = await backend.outbox.lease(now=NOW + LEASE - timedelta(seconds=1), limit=10, lease=LEASE)
    assert [m.id for m in later] == [events[2].message_id]


async def test_a_relayed_fact_is_never_leased_again_and_a_lapsed_lease_is(backend: Backend) -> None:
    first, second = await _committed_events(backend, 2)
    await backend.outbox.lease(now=NOW, limit=10, lease=LEASE)

    await backend.outbox.mark_relayed([first.message_id], now=NOW)

    assert await backend.outbox.pending() == 1
    again = await backend.outbox.lease(now=NOW + LEASE, limit=10, lease=LEASE)
    assert [m.id for m in again] == [second.message_id]


async def test_concurrent_relays_never_lease_the_same_fact(backend: Backend) -> None:
    events = await _committed_events(backend, 30)

    batches = await backend.all_at_once(lambda: backend.outbox.lease(now=NOW, limit=5, lease=LEASE), 8)
    leased = [m.id for batch in batches for m in batch]
    rest = await backend.outbox.lease(now=NOW, limit=30, lease=LEASE)

    assert len(leased) == len(set(leased))
    assert sorted(leased + [m.id for m in rest]) == sorted(e.message_id for e in events)


async def test_a_fact_becomes_one_delivery_per_subscriber_however_often_relayed(backend: Backend) -> None:
    [message] = await _in_inbox(backend, 1, (ONE, OTHER))
    await backend.inbox.accept([(message, (ONE, OTHER))], now=NOW)  # a relay repeated after a crash

    claimed = await backend.inbox.claim(now=NOW, limit=10, lease=LEASE)

    assert sorted((d.message_id, d.subscriber, d.attempts) for d in claimed) == sorted(
        [(message.id, ONE, 1), (message.id, OTHER, 1)]
    )
    assert {d.payload for d in claimed} == {message.payload}
    assert await backend.inbox.backlog() == {ONE: 1, OTHER: 1}


async def test_a_claimed_delivery_is_claimed_again_only_once_its_lease_lapses(backend: Backend) -> None:
    await _in_inbox(backend, 1)
    [first] = await backend.inbox.claim(now=NOW, limit=10, lease=LEASE)

    during = await backend.inbox.claim(now=NOW + LEASE - timedelta(seconds=1), limit=10, lease=LEASE)
    after = await backend.inbox.claim(now=NOW + LEASE, limit=10, lease=LEASE)

    assert during == []
    assert [(d.id, d.attempts) for d in after] == [(first.id, 2)]


async def test_a_delivered_delivery_is_done_and_the_others_of_its_fact_are_not(backend: Backend) -> None:
    await _in_inbox(backend, 1, (ONE, OTHER))
    claimed = {d.subscriber: d for d in await backend.inbox.claim(now=NOW, limit=10, lease=LEASE)}

    await backend.inbox.mark_delivered([claimed[ONE].id], now=NOW)
    await backend.inbox.mark_failed(
        claimed[OTHER].id, error="smtp timeout", retry_at=NOW + timedelta(minutes=5)
    )

    assert await backend.inbox.backlog() == {OTHER: 1}
    assert await backend.inbox.claim(now=NOW + timedelta(minutes=4), limit=10, lease=LEASE) == []
    retried = await backend.inbox.claim(now=NOW + timedelta(minutes=5), limit=10, lease=LEASE)
    assert [(d.subscriber, d.attempts) for d in retried] == [(OTHER, 2)]


async def test_a_given_up_delivery_is_a_dead_letter_an_operator_may_retry(backend: Backend) -> None:
    [message] = await _in_inbox(backend, 1, (ONE, OTHER))
    claimed = {d.subscriber: d for d in await backend.inbox.claim(now=NOW, limit=10, lease=LEASE)}

    await backend.inbox.mark_failed(claimed[ONE].id, error="LookupError: gone", retry_at=None)

    assert await backend.inbox.backlog() == {OTHER: 1}
    assert await backend.inbox.dead_count() == {ONE: 1}
    [dead] = await backend.inbox.dead(limit=10)
    assert (dead.id, dead.message_id, dead.subscriber, dead.attempts, dead.last_error) == (
        claimed[ONE].id,
        message.id,
        ONE,
        1,
        "LookupError: gone",
    )
    assert not await backend.inbox.retry(claimed[OTHER].id, now=NOW)  # not dead: nothing to retry
    assert await backend.inbox.retry(dead.id, now=NOW + timedelta(hours=1))
    assert not await backend.inbox.retry(dead.id, now=NOW + timedelta(hours=1))
    assert await backend.inbox.dead_count() == {}
    again = await backend.inbox.claim(now=NOW + timedelta(hours=1), limit=10, lease=LEASE)
    # The retried one starts afresh; the other's lease has lapsed meanwhile, its attempts go on.
    assert sorted((d.subscriber, d.attempts) for d in again) == [(OTHER, 2), (ONE, 1)]


async def test_concurrent_dispatchers_never_claim_the_same_delivery(backend: Backend) -> None:
    await _in_inbox(backend, 15, (ONE, OTHER))

    batches = await backend.all_at_once(lambda: backend.inbox.claim(now=NOW, limit=4, lease=LEASE), 8)
    claimed: list[Delivery] = [d for batch in batches for d in batch]
    rest = await backend.inbox.claim(now=NOW, limit=30, lease=LEASE)

    ids = [d.id for d in claimed + list(rest)]
    assert len(ids) == len(set(ids)) == 30


async def test_a_fact_keeps_the_trace_it_was_raised_in_through_to_its_deliveries(backend: Backend) -> None:
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("POST /api/v1/bookings") as span:
        await _committed_events(backend, 1)
    context = span.get_span_context()
    traceparent = f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"

    [message] = await backend.outbox.lease(now=NOW, limit=10, lease=LEASE)
    await backend.inbox.accept([(message, (ONE, OTHER))], now=NOW)
    claimed = await backend.inbox.claim(now=NOW, limit=10, lease=LEASE)

    assert message.trace_context == traceparent
    assert [d.trace_context for d in claimed] == [traceparent, traceparent]


async def test_a_fact_raised_outside_a_trace_has_no_trace_context(backend: Backend) -> None:
    await _in_inbox(backend, 1)

    [delivery] = await backend.inbox.claim(now=NOW, limit=10, lease=LEASE)

    assert delivery.trace_context is None


async def test_the_counts_do_not_wait_for_a_writer(sql_backend: Backend) -> None:
    # An operator's dashboard polls the backlog: on SQLite a count is a read (deferred BEGIN),
    # not a writer queued behind the one holding the file's lock.
    engine, outbox, inbox = sql_backend.engine, sql_backend.outbox, sql_backend.inbox
    assert engine is not None
    async with engine.begin() as writing:
        fact = {"id": new_id(), "event_name": "UserBlocked", "payload": "{}", "created_at": NOW}
        await writing.execute(identity_outbox.insert().values(**fact))
        counted = await asyncio.wait_for(asyncio.gather(outbox.pending(), inbox.backlog()), timeout=2)

    assert counted == [0, {}]  # the writer's fact is not committed yet
    assert await outbox.pending() == 1
