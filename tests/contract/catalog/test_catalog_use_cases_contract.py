"""The catalog use cases behave alike on every backend: the event change and the seat
inventory commit or roll back together, and the completion job completes each event once."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from aquastream.adapters.currencies import CldrCurrencies
from aquastream.adapters.memory.clock import FrozenClock
from aquastream.domain.catalog.authoring import CreateEvent, UpdateEvent
from aquastream.domain.catalog.browsing import EventFilters, GetEvent, ListEvents
from aquastream.domain.catalog.errors import CapacityBelowTaken
from aquastream.domain.catalog.event_rules import EventChanges, EventInput
from aquastream.domain.catalog.events import EventCancelled, EventCompleted, EventPublished
from aquastream.domain.catalog.lifecycle import CancelEvent, CompleteFinishedEvents, PublishEvent
from aquastream.domain.catalog.organizers import CreateOrganizer, OrganizerInput
from aquastream.domain.shared.paging import PageRequest
from aquastream.domain.shared.principal import Principal, Role

from .conftest import CatalogBackend
from .factories import NOW

OWNER = Principal(user_id=uuid.uuid4(), role=Role.ORGANIZER)
CURRENCIES = CldrCurrencies(FrozenClock(NOW))


def an_input(days_ahead: int = 10, **fields: object) -> EventInput:
    start = NOW + timedelta(days=days_ahead)
    values: dict[str, object] = {
        "type": "rafting",
        "title": "Сплав по Вуоксе",
        "date_start": start,
        "date_end": start + timedelta(days=1),
        "capacity": 5,
        "description": "Пороги и палатки",
        "address": "База «Порог»",
        "city": "Лосево",
        "price": Decimal("4500"),
        "tags": ("сплав",),
    }
    values.update(fields)
    return EventInput(**values)  # type: ignore[arg-type]


async def published_event(catalog: CatalogBackend, clock: FrozenClock, **fields: object) -> uuid.UUID:
    view = await CreateEvent(catalog.uow(), clock, CURRENCIES)(OWNER, "vuoksa", an_input(**fields))
    await PublishEvent(catalog.uow(), clock)(OWNER, view.event.id)
    return view.event.id


@pytest.fixture
async def clock(catalog: CatalogBackend) -> FrozenClock:
    clock = FrozenClock(NOW)
    await CreateOrganizer(catalog.uow(), clock)(OWNER, OrganizerInput(slug="vuoksa", name="Vuoksa"))
    return clock


async def test_publishing_opens_seats_in_the_same_transaction(
    catalog: CatalogBackend, clock: FrozenClock
) -> None:
    event_id = await published_event(catalog, clock)

    view = await GetEvent(catalog.uow(), clock)(event_id)
    assert (view.available, view.is_full, view.registration_open) == (5, False, True)
    assert [type(e) for e in await catalog.published_events()] == [EventPublished]


async def test_capacity_below_taken_changes_neither_event_nor_seats(
    catalog: CatalogBackend, clock: FrozenClock
) -> None:
    event_id = await published_event(catalog, clock)
    await catalog.take_seats(event_id, 4)
    update = UpdateEvent(catalog.uow(), clock, CURRENCIES)

    with pytest.raises(CapacityBelowTaken):
        await update(OWNER, event_id, EventChanges(capacity=3, description="Меньше мест"))

    view = await GetEvent(catalog.uow(), clock)(event_id)
    assert (view.event.capacity, view.event.description, view.available) == (5, "Пороги и палатки", 1)
    grown = await update(OWNER, event_id, EventChanges(capacity=8))
    assert (grown.event.capacity, grown.available) == (8, 4)


async def test_catalog_filters_on_free_seats_and_text(catalog: CatalogBackend, clock: FrozenClock) -> None:
    full = await published_event(catalog, clock, title="Полный сплав", capacity=1)
    await published_event(catalog, clock, title="Kayak weekend", tags=("kayak",), days_ahead=12)
    await catalog.take_seats(full, 1)
    listing = ListEvents(catalog.uow(), clock)

    free = await listing(EventFilters(has_free_seats=True), PageRequest())
    found = await listing(EventFilters(text="сплав"), PageRequest())

    assert [v.event.title for v in free.items] == ["Kayak weekend"]
    assert [(v.event.title, v.is_full) for v in found.items] == [("Полный сплав", True)]


async def test_cancelling_closes_the_seats_and_records_the_fact(
    catalog: CatalogBackend, clock: FrozenClock
) -> None:
    event_id = await published_event(catalog, clock)

    view = await CancelEvent(catalog.uow(), clock)(OWNER, event_id, reason="Паводок")

    assert (view.available, view.registration_open) == (0, False)
    cancelled = [e for e in await catalog.published_events() if isinstance(e, EventCancelled)]
    assert [(e.event_id, e.reason) for e in cancelled] == [(event_id, "Паводок")]


async def test_two_completion_jobs_at_once_complete_each_event_once(
    catalog: CatalogBackend, clock: FrozenClock
) -> None:
    event_ids = [await published_event(catalog, clock, days_ahead=1 + n % 3) for n in range(12)]
    clock.advance(days=30)

    counts = await asyncio.gather(
        CompleteFinishedEvents(catalog.uow(), clock, batch_size=3)(),
        CompleteFinishedEvents(catalog.uow(), clock, batch_size=3)(),
    )

    assert sum(counts) == 12
    completed = [e.event_id for e in await catalog.published_events() if isinstance(e, EventCompleted)]
    assert sorted(completed) == sorted(event_ids)
