"""Contract of the outbox store: claiming with leases, delivery, retries and dead letters."""

from __future__ import annotations

from datetime import timedelta

from aquastream.domain.identity.events import UserBlocked
from aquastream.domain.shared.events import DomainEvent
from aquastream.domain.shared.ids import new_id

from .conftest import Backend
from .factories import NOW

LEASE = timedelta(seconds=30)


async def _committed_events(backend: Backend, count: int) -> list[DomainEvent]:
    events: list[DomainEvent] = [
        UserBlocked(occurred_at=NOW + timedelta(milliseconds=i), user_id=new_id()) for i in range(count)
    ]
    async with backend.identity_uow() as uow:
        uow.collect(*events)
        await uow.commit()
    return events


async def test_claim_leases_the_oldest_due_messages_up_to_the_limit(backend: Backend) -> None:
    events = await _committed_events(backend, 3)

    claimed = await backend.outbox.claim(now=NOW + LEASE, limit=2, lease=LEASE)

    assert [m.id for m in claimed] == [e.message_id for e in events[:2]]
    assert all(m.attempts == 1 for m in claimed)
    assert await backend.outbox.backlog() == 3


async def test_a_message_is_not_due_before_it_occurred(backend: Backend) -> None:
    await _committed_events(backend, 1)

    assert await backend.outbox.claim(now=NOW - timedelta(seconds=1), limit=10, lease=LEASE) == []


async def test_a_leased_message_is_claimed_again_only_once_its_lease_lapses(backend: Backend) -> None:
    [event] = await _committed_events(backend, 1)
    await backend.outbox.claim(now=NOW, limit=10, lease=LEASE)

    during_lease = await backend.outbox.claim(now=NOW + LEASE - timedelta(seconds=1), limit=10, lease=LEASE)
    after_lease = await backend.outbox.claim(now=NOW + LEASE, limit=10, lease=LEASE)

    assert during_lease == []
    assert [(m.id, m.attempts) for m in after_lease] == [(event.message_id, 2)]


async def test_a_delivered_message_is_never_claimed_again(backend: Backend) -> None:
    first, second = await _committed_events(backend, 2)
    await backend.outbox.claim(now=NOW, limit=10, lease=LEASE)

    await backend.outbox.mark_delivered(first.message_id, now=NOW + timedelta(seconds=1))

    assert await backend.outbox.backlog() == 1
    later = await backend.outbox.claim(now=NOW + timedelta(days=1), limit=10, lease=LEASE)
    assert [m.id for m in later] == [second.message_id]


async def test_a_failed_message_is_retried_at_the_given_time(backend: Backend) -> None:
    [event] = await _committed_events(backend, 1)
    await backend.outbox.claim(now=NOW, limit=10, lease=LEASE)
    retry_at = NOW + timedelta(minutes=5)

    await backend.outbox.mark_failed(event.message_id, error="smtp timeout", retry_at=retry_at)

    assert await backend.outbox.claim(now=retry_at - timedelta(seconds=1), limit=10, lease=LEASE) == []
    retried = await backend.outbox.claim(now=retry_at, limit=10, lease=LEASE)
    assert [(m.id, m.attempts) for m in retried] == [(event.message_id, 2)]
    assert await backend.outbox.backlog() == 1


async def test_a_message_given_up_is_dead_and_leaves_the_backlog(backend: Backend) -> None:
    [event] = await _committed_events(backend, 1)
    await backend.outbox.claim(now=NOW, limit=10, lease=LEASE)

    await backend.outbox.mark_failed(event.message_id, error="unknown subscriber", retry_at=None)

    assert await backend.outbox.backlog() == 0
    assert await backend.outbox.claim(now=NOW + timedelta(days=1), limit=10, lease=LEASE) == []


async def test_concurrent_claims_never_hand_out_the_same_message(backend: Backend) -> None:
    events = await _committed_events(backend, 30)

    batches = await backend.all_at_once(
        lambda: backend.outbox.claim(now=NOW + LEASE, limit=5, lease=LEASE), 8
    )
    claimed = [m.id for batch in batches for m in batch]
    rest = await backend.outbox.claim(now=NOW + LEASE, limit=30, lease=LEASE)

    assert len(claimed) == len(set(claimed))
    assert sorted(claimed + [m.id for m in rest]) == sorted(e.message_id for e in events)
