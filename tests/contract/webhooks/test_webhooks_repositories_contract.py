"""The webhooks repositories, alike on memory, SQLite and PostgreSQL: endpoints kept with their
secrets (sealed in SQL), one delivery per endpoint and fact, claims that lease and count,
outcomes filed, re-sends, and concurrent senders that never claim one delivery twice."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from aquastream.adapters.sql.tables.webhooks import endpoints as endpoints_table
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.paging import PageRequest
from aquastream.domain.webhooks.model import Attempt, Delivery, DeliveryStatus, Endpoint

from .conftest import WebhooksKit

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


def an_endpoint(
    organizer_id: uuid.UUID | None = None, *, active: bool = True, at: datetime = NOW
) -> Endpoint:
    return Endpoint(
        id=new_id(),
        organizer_id=organizer_id or uuid.uuid4(),
        url="https://crm.example.com/hook?token=abc",
        event_types=("booking.created", "payment.received"),
        event_ids=(uuid.uuid4(),),
        secret="whsec_" + uuid.uuid4().hex,
        active=active,
        created_at=at,
        updated_at=at,
        description="CRM",
    )


def a_delivery(endpoint: Endpoint, message_id: uuid.UUID | None = None, *, due: datetime = NOW) -> Delivery:
    return Delivery(
        id=new_id(),
        endpoint_id=endpoint.id,
        message_id=message_id or uuid.uuid4(),
        event_type="booking.created",
        payload=b'{"type":"booking.created"}',
        status=DeliveryStatus.PENDING,
        attempts=0,
        next_attempt_at=due,
        created_at=due,
    )


async def add(kit: WebhooksKit, *endpoints: Endpoint, deliveries: tuple[Delivery, ...] = ()) -> int:
    async with kit.uow() as uow:
        for endpoint in endpoints:
            await uow.endpoints.add(endpoint)
        added = await uow.deliveries.add_new(deliveries) if deliveries else 0
        await uow.commit()
    return added


async def test_endpoints_are_kept_as_given_and_listed_per_organizer_oldest_first(kit: WebhooksKit) -> None:
    organizer = uuid.uuid4()
    first = an_endpoint(organizer)
    second = an_endpoint(organizer, at=NOW + timedelta(seconds=1))
    await add(kit, second, first, an_endpoint())

    async with kit.uow() as uow:
        assert await uow.endpoints.get(first.id) == first
        assert [e.id for e in await uow.endpoints.list_for_organizer(organizer)] == [first.id, second.id]
        assert set(await uow.endpoints.get_many([first.id, second.id, uuid.uuid4()])) == {first.id, second.id}


async def test_a_rotation_keeps_both_secrets(kit: WebhooksKit) -> None:
    endpoint = an_endpoint()
    await add(kit, endpoint)
    rotated = dataclasses.replace(
        endpoint,
        event_types=("booking.cancelled",),
        event_ids=(),
        secret="whsec_new",
        active=False,
        updated_at=NOW + timedelta(minutes=1),
        description=None,
        rotated_at=NOW + timedelta(minutes=1),
        previous_secret=endpoint.secret,
        previous_secret_expires_at=NOW + timedelta(days=1),
    )
    async with kit.uow() as uow:
        await uow.endpoints.save(rotated)
        await uow.commit()
    async with kit.uow() as uow:
        assert await uow.endpoints.get(endpoint.id) == rotated


async def test_secrets_are_stored_sealed_never_in_clear(sql_kit: WebhooksKit) -> None:
    endpoint = an_endpoint()
    await add(sql_kit, endpoint)
    assert sql_kit.engine is not None
    async with sql_kit.engine.connect() as connection:
        stored = (await connection.execute(select(endpoints_table.c.secret_sealed))).scalar_one()
    assert endpoint.secret not in stored
    assert endpoint.secret[6:] not in stored


async def test_one_delivery_per_endpoint_and_fact(kit: WebhooksKit) -> None:
    endpoint, other = an_endpoint(), an_endpoint()
    message = uuid.uuid4()
    both = (a_delivery(endpoint, message), a_delivery(other, message))
    assert await add(kit, endpoint, other, deliveries=both) == 2
    async with kit.uow() as uow:
        assert await uow.deliveries.add_new([a_delivery(endpoint, message)]) == 0
        await uow.commit()
        page = await uow.deliveries.list_for_endpoint(endpoint.id, PageRequest())
    assert page.total == 1


async def test_a_claim_leases_due_deliveries_of_active_endpoints_oldest_first(kit: WebhooksKit) -> None:
    endpoint, paused = an_endpoint(), an_endpoint(active=False)
    older = a_delivery(endpoint, due=NOW - timedelta(minutes=5))
    newer = a_delivery(endpoint, due=NOW - timedelta(minutes=1))
    later = a_delivery(endpoint, due=NOW + timedelta(minutes=1))
    await add(kit, endpoint, paused, deliveries=(newer, later, older, a_delivery(paused)))

    async with kit.uow() as uow:
        claimed = await uow.deliveries.claim_due(now=NOW, limit=10, lease=LEASE)
        await uow.commit()
    assert [d.id for d in claimed] == [older.id, newer.id]
    assert [d.attempts for d in claimed] == [1, 1]
    async with kit.uow() as uow:
        assert await uow.deliveries.claim_due(now=NOW, limit=10, lease=LEASE) == []  # leased
        again = await uow.deliveries.claim_due(now=NOW + LEASE, limit=10, lease=LEASE)
        await uow.commit()
    # A sender that died: its deliveries are due again once the lease is over (and the later one is due).
    assert {d.id for d in again} == {older.id, newer.id, later.id}


async def test_outcomes_are_filed_with_their_attempts_newest_first(kit: WebhooksKit) -> None:
    endpoint = an_endpoint()
    ok, retried, failed = (a_delivery(endpoint) for _ in range(3))
    await add(kit, endpoint, deliveries=(ok, retried, failed))
    async with kit.uow() as uow:
        await uow.deliveries.claim_due(now=NOW, limit=10, lease=LEASE)
        await uow.deliveries.record(
            Attempt(new_id(), ok.id, NOW, 12, status_code=204), delivered=True, retry_at=None
        )
        await uow.deliveries.record(
            Attempt(new_id(), retried.id, NOW, 30, status_code=500), delivered=False, retry_at=NOW + LEASE
        )
        await uow.deliveries.record(
            Attempt(new_id(), failed.id, NOW, 5000, error="timeout: no answer in time"),
            delivered=False,
            retry_at=None,
        )
        await uow.commit()

    async with kit.uow() as uow:
        page = await uow.deliveries.list_for_endpoint(endpoint.id, PageRequest())
        found = {record.delivery.id: record for record in page.items}
        assert found[ok.id].delivery.status is DeliveryStatus.DELIVERED
        assert found[ok.id].delivery.delivered_at == NOW
        assert [a.status_code for a in found[ok.id].attempts] == [204]
        assert found[retried.id].delivery.status is DeliveryStatus.PENDING
        assert found[retried.id].delivery.next_attempt_at == NOW + LEASE
        assert found[retried.id].delivery.last_error == "HTTP 500"
        assert found[failed.id].delivery.status is DeliveryStatus.FAILED
        assert found[failed.id].attempts[0].error == "timeout: no answer in time"
        # The lease is released: the retried one is due at its time, not after the lease.
        assert [d.id for d in await uow.deliveries.claim_due(now=NOW + LEASE, limit=10, lease=LEASE)] == [
            retried.id
        ]


async def test_deliveries_are_listed_newest_first_in_pages(kit: WebhooksKit) -> None:
    endpoint = an_endpoint()
    made = [a_delivery(endpoint, due=NOW + timedelta(seconds=i)) for i in range(5)]
    await add(kit, endpoint, deliveries=tuple(made))
    async with kit.uow() as uow:
        first = await uow.deliveries.list_for_endpoint(endpoint.id, PageRequest(page=0, size=2))
        last = await uow.deliveries.list_for_endpoint(endpoint.id, PageRequest(page=2, size=2))
    assert (first.total, first.total_pages) == (5, 3)
    assert [r.delivery.id for r in first.items] == [made[4].id, made[3].id]
    assert [r.delivery.id for r in last.items] == [made[0].id]


async def test_a_resend_makes_a_delivery_due_again_unless_it_is_in_flight(kit: WebhooksKit) -> None:
    endpoint = an_endpoint()
    delivery = a_delivery(endpoint)
    await add(kit, endpoint, deliveries=(delivery,))
    async with kit.uow() as uow:
        await uow.deliveries.claim_due(now=NOW, limit=10, lease=LEASE)
        assert await uow.deliveries.resend(delivery.id, now=NOW) is None  # in flight
        await uow.deliveries.record(
            Attempt(new_id(), delivery.id, NOW, 1, error="unreachable"), delivered=False, retry_at=None
        )
        resent = await uow.deliveries.resend(delivery.id, now=NOW + timedelta(minutes=1))
        await uow.commit()
    assert resent is not None
    assert (resent.status, resent.attempts) == (DeliveryStatus.PENDING, 0)
    assert resent.next_attempt_at == NOW + timedelta(minutes=1)


async def test_deleting_an_endpoint_takes_its_deliveries_and_attempts(kit: WebhooksKit) -> None:
    endpoint = an_endpoint()
    delivery = a_delivery(endpoint)
    await add(kit, endpoint, deliveries=(delivery,))
    async with kit.uow() as uow:
        await uow.deliveries.claim_due(now=NOW, limit=10, lease=LEASE)
        await uow.deliveries.record(
            Attempt(new_id(), delivery.id, NOW, 1, status_code=200), delivered=True, retry_at=None
        )
        assert await uow.endpoints.delete(endpoint.id)
        assert not await uow.endpoints.delete(endpoint.id)
        await uow.commit()
    async with kit.uow() as uow:
        assert await uow.endpoints.get(endpoint.id) is None
        assert await uow.deliveries.get(delivery.id) is None


async def test_senders_claiming_at_once_never_get_the_same_delivery(kit: WebhooksKit) -> None:
    endpoint = an_endpoint()
    made = tuple(a_delivery(endpoint) for _ in range(60))
    await add(kit, endpoint, deliveries=made)
    senders = 6

    async def claim() -> list[uuid.UUID]:
        async with kit.uow() as uow:
            claimed = await uow.deliveries.claim_due(now=NOW, limit=15, lease=LEASE)
            await asyncio.sleep(0.05)  # hold the rows a while: the others must skip them
            await uow.commit()
        return [d.id for d in claimed]

    if kit.engine is not None and not kit.one_writer_at_a_time:
        async with asyncio.timeout(30):
            claims = await asyncio.gather(*(claim() for _ in range(senders)))
    else:
        claims = [await claim() for _ in range(senders)]
    every = [delivery_id for ids in claims for delivery_id in ids]
    assert len(every) == len(set(every)) == len(made)


async def test_deliveries_that_are_over_are_purged_after_their_retention(kit: WebhooksKit) -> None:
    endpoint = an_endpoint()
    old_done, old_pending, recent = (
        a_delivery(endpoint, due=NOW - timedelta(days=40)),
        a_delivery(endpoint, due=NOW - timedelta(days=40)),
        a_delivery(endpoint, due=NOW - timedelta(days=1)),
    )
    await add(kit, endpoint, deliveries=(old_done, old_pending, recent))
    async with kit.uow() as uow:
        await uow.deliveries.claim_due(now=NOW, limit=10, lease=LEASE)
        for delivery in (old_done, recent):
            await uow.deliveries.record(
                Attempt(new_id(), delivery.id, NOW, 1, status_code=200), delivered=True, retry_at=None
            )
        await uow.deliveries.record(
            Attempt(new_id(), old_pending.id, NOW, 1, status_code=500), delivered=False, retry_at=NOW + LEASE
        )
        assert await uow.deliveries.purge(before=NOW - timedelta(days=30)) == 1
        await uow.commit()
    async with kit.uow() as uow:
        assert await uow.deliveries.get(old_done.id) is None
        assert await uow.deliveries.get(old_pending.id) is not None
        assert await uow.deliveries.get(recent.id) is not None
