"""The lifecycle: DRAFT → PUBLISHED → COMPLETED (by the job), or → CANCELLED."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from aquastream.adapters.memory.booking import INVENTORIES
from aquastream.domain.catalog.errors import EventNotFound, EventNotPublishable, InvalidEventTransition
from aquastream.domain.catalog.event_rules import EventChanges
from aquastream.domain.catalog.events import (
    EventCancelled,
    EventCapacityChanged,
    EventCompleted,
    EventPublished,
)
from aquastream.domain.catalog.lifecycle import CancelEvent, CompleteFinishedEvents, PublishEvent
from aquastream.domain.catalog.model import EventStatus
from aquastream.domain.shared.errors import ValidationFailed
from tests.unit.catalog.catalog_kit import CatalogKit


async def test_publishing_opens_the_seats_and_tells_everyone(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    draft = await kit.draft("vuoksa")
    kit.clock.advance(minutes=3)

    view = await PublishEvent(kit.uow(), kit.clock)(kit.owner, draft.event.id)

    assert view.event.status is EventStatus.PUBLISHED
    assert view.event.published_at == kit.now
    assert (view.available, view.is_full, view.registration_open, view.is_past) == (10, False, True, False)
    seats = kit.inventory_row(draft.event.id)
    assert (seats.capacity, seats.available, seats.status) == (10, 10, "OPEN")
    assert (seats.price, seats.starts_at, seats.title) == (
        draft.event.price,
        draft.event.date_start,
        draft.event.title,
    )
    [published] = kit.outbox_of(EventPublished)
    assert (published.event_id, published.capacity, published.title) == (
        draft.event.id,
        10,
        draft.event.title,
    )


async def test_publishing_needs_description_and_place(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    draft = await kit.draft("vuoksa", description=None, city=None, address=None)

    with pytest.raises(EventNotPublishable) as caught:
        await PublishEvent(kit.uow(), kit.clock)(kit.owner, draft.event.id)

    assert caught.value.code == "event.not_publishable"
    assert {e.field for e in caught.value.errors} == {"description", "city", "address"}
    assert kit.stored_event(draft.event.id).status is EventStatus.DRAFT
    assert kit.outbox() == []


async def test_a_draft_whose_start_has_passed_cannot_be_published(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    draft = await kit.draft("vuoksa")
    kit.clock.set(draft.event.date_start)

    with pytest.raises(EventNotPublishable) as caught:
        await PublishEvent(kit.uow(), kit.clock)(kit.owner, draft.event.id)

    assert [e.field for e in caught.value.errors] == ["dateStart"]


async def test_published_event_cannot_be_published_again(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    published = await kit.published("vuoksa")

    with pytest.raises(InvalidEventTransition) as caught:
        await PublishEvent(kit.uow(), kit.clock)(kit.owner, published.event.id)
    assert caught.value.code == "event.invalid_transition"


async def test_only_managers_publish(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    draft = await kit.draft("vuoksa")

    with pytest.raises(EventNotFound):
        await PublishEvent(kit.uow(), kit.clock)(kit.other_organizer, draft.event.id)
    assert (await PublishEvent(kit.uow(), kit.clock)(kit.admin, draft.event.id)).event.status is (
        EventStatus.PUBLISHED
    )


async def test_cancelling_a_published_event_closes_its_seats_and_tells_booking(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    published = await kit.published("vuoksa")
    kit.clock.advance(hours=1)

    view = await CancelEvent(kit.uow(), kit.clock)(kit.owner, published.event.id, reason="  High water  ")

    assert view.event.status is EventStatus.CANCELLED
    assert (view.event.cancelled_at, view.event.cancel_reason) == (kit.now, "High water")
    assert (view.available, view.registration_open) == (0, False)
    assert kit.inventory_row(published.event.id).status == "CANCELLED"
    [cancelled] = kit.outbox_of(EventCancelled)
    assert cancelled.event_id == published.event.id
    assert cancelled.organizer_id == published.event.organizer_id
    assert (cancelled.title, cancelled.reason, cancelled.was_published) == (
        published.event.title,
        "High water",
        True,
    )
    assert cancelled.cancelled_by == kit.owner.user_id


async def test_cancelling_a_draft_opens_no_inventory(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    draft = await kit.draft("vuoksa")

    await CancelEvent(kit.uow(), kit.clock)(kit.owner, draft.event.id)

    assert kit.db.table(INVENTORIES) == {}
    [cancelled] = kit.outbox_of(EventCancelled)
    assert (cancelled.was_published, cancelled.reason) == (False, None)


async def test_cancelled_event_cannot_be_cancelled_or_published_again(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    draft = await kit.draft("vuoksa")
    await CancelEvent(kit.uow(), kit.clock)(kit.owner, draft.event.id)

    with pytest.raises(InvalidEventTransition):
        await CancelEvent(kit.uow(), kit.clock)(kit.owner, draft.event.id)
    with pytest.raises(InvalidEventTransition):
        await PublishEvent(kit.uow(), kit.clock)(kit.owner, draft.event.id)


async def test_overlong_cancel_reason_is_refused(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    published = await kit.published("vuoksa")

    with pytest.raises(ValidationFailed):
        await CancelEvent(kit.uow(), kit.clock)(kit.owner, published.event.id, reason="x" * 1001)
    assert kit.stored_event(published.event.id).status is EventStatus.PUBLISHED


async def test_job_completes_published_events_that_ended(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    short = await kit.published("vuoksa", date_end=kit.now + timedelta(days=10, hours=3))
    long = await kit.published("vuoksa", date_end=kit.now + timedelta(days=20))
    draft = await kit.draft("vuoksa")
    kit.clock.advance(days=11)

    assert await CompleteFinishedEvents(kit.uow(), kit.clock)() == 1

    assert kit.stored_event(short.event.id).status is EventStatus.COMPLETED
    assert kit.stored_event(short.event.id).completed_at == kit.now
    assert kit.stored_event(long.event.id).status is EventStatus.PUBLISHED
    assert kit.stored_event(draft.event.id).status is EventStatus.DRAFT
    # Sales stopped at the start; booking closes the seats when EventCompleted reaches it.
    assert kit.inventory_row(short.event.id).status == "OPEN"
    [completed] = kit.outbox_of(EventCompleted)
    assert (completed.event_id, completed.date_end) == (short.event.id, short.event.date_end)


async def test_job_is_idempotent_and_works_in_batches(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    for _ in range(5):
        await kit.published("vuoksa")
    kit.clock.advance(days=30)
    job = CompleteFinishedEvents(kit.uow(), kit.clock, batch_size=2)

    assert await job() == 5
    assert await job() == 0
    assert len(kit.outbox_of(EventCompleted)) == 5


async def test_two_workers_complete_each_event_once(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    for _ in range(6):
        await kit.published("vuoksa")
    kit.clock.advance(days=30)

    counts = await asyncio.gather(
        CompleteFinishedEvents(kit.uow(), kit.clock, batch_size=2)(),
        CompleteFinishedEvents(kit.uow(), kit.clock, batch_size=2)(),
    )

    assert sum(counts) == 6
    assert len({e.event_id for e in kit.outbox_of(EventCompleted)}) == len(kit.outbox_of(EventCompleted)) == 6


async def test_completed_event_cannot_be_cancelled(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    published = await kit.published("vuoksa")
    kit.clock.advance(days=30)
    await CompleteFinishedEvents(kit.uow(), kit.clock)()

    with pytest.raises(InvalidEventTransition):
        await CancelEvent(kit.uow(), kit.clock)(kit.owner, published.event.id)


async def test_every_fact_about_one_event_reaches_the_outbox(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    published = await kit.published("vuoksa")
    await kit.update_event()(kit.owner, published.event.id, EventChanges(capacity=12))
    await CancelEvent(kit.uow(), kit.clock)(kit.owner, published.event.id)

    assert [type(fact) for fact in kit.outbox()] == [EventPublished, EventCapacityChanged, EventCancelled]
