"""The webhook log prunes the same way on every backend: only notifications received before
the cut, the oldest first, at most the batch asked for; newer ones stay and still deduplicate."""

from __future__ import annotations

from datetime import datetime, timedelta

from aquastream.domain.payments.model import WebhookOutcome, WebhookRecord
from aquastream.domain.shared.ids import new_id

from .kit import PaymentsKit


def a_notification(event_id: str, received_at: datetime) -> WebhookRecord:
    return WebhookRecord(
        id=new_id(),
        provider="sandbox",
        provider_event_id=event_id,
        received_at=received_at,
        payload={"id": event_id, "status": "SUCCEEDED"},
        outcome=WebhookOutcome.UNKNOWN_PAYMENT,
    )


async def store(kit: PaymentsKit, *records: WebhookRecord) -> None:
    uow = kit.new_ports().uow
    async with uow:
        for record in records:
            assert await uow.webhooks.add(record)
        await uow.commit()


async def prune(kit: PaymentsKit, before: datetime, limit: int) -> int:
    uow = kit.new_ports().uow
    async with uow:
        pruned = await uow.webhooks.prune(before=before, limit=limit)
        await uow.commit()
    return pruned


async def stored_ids(kit: PaymentsKit, *event_ids: str) -> list[str]:
    uow = kit.new_ports().uow
    async with uow:
        found = [await uow.webhooks.get("sandbox", event_id) for event_id in event_ids]
    return [record.provider_event_id for record in found if record is not None]


async def test_notifications_before_the_cut_are_deleted_oldest_first_in_bounded_batches(
    kit: PaymentsKit,
) -> None:
    cut = kit.clock.now()
    old = [a_notification(f"old-{i}", cut - timedelta(days=100 - i)) for i in range(5)]
    at_the_cut = a_notification("at-the-cut", cut)
    fresh = a_notification("fresh", cut + timedelta(days=1))
    await store(kit, fresh, *reversed(old), at_the_cut)
    every_id = [r.provider_event_id for r in (*old, at_the_cut, fresh)]

    assert await prune(kit, cut, limit=3) == 3
    assert await stored_ids(kit, *every_id) == ["old-3", "old-4", "at-the-cut", "fresh"]

    assert await prune(kit, cut, limit=3) == 2
    assert await prune(kit, cut, limit=3) == 0
    assert await stored_ids(kit, *every_id) == ["at-the-cut", "fresh"]
    assert await kit.stored_notifications() == 2


async def test_a_kept_notification_still_refuses_its_duplicate(kit: PaymentsKit) -> None:
    cut = kit.clock.now()
    kept = a_notification("kept", cut + timedelta(seconds=1))
    await store(kit, kept, a_notification("gone", cut - timedelta(seconds=1)))

    assert await prune(kit, cut, limit=100) == 1

    uow = kit.new_ports().uow
    async with uow:
        assert await uow.webhooks.add(a_notification("kept", cut + timedelta(days=1))) is False
        assert await uow.webhooks.add(a_notification("gone", cut + timedelta(days=1))) is True
        await uow.commit()
