"""Contract of the event repository: storage, catalog filters and paging, the completion sweep."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from aquastream.domain.catalog.model import EventSearch, EventStatus, EventType, Location, city_key
from aquastream.domain.shared.paging import PageRequest

from .conftest import CatalogBackend
from .factories import NOW, an_event, an_organizer, store

PUBLISHED = frozenset({EventStatus.PUBLISHED})


async def test_event_round_trips_every_field(catalog: CatalogBackend) -> None:
    organizer = an_organizer()
    event = an_event(
        organizer,
        price=Decimal("9999999999.99"),
        tags=["сплав", "family trip"],
        cancel_reason="none",
        completed_at=NOW,
        cancelled_at=NOW,
    )
    bare = an_event(
        organizer,
        status=EventStatus.DRAFT,
        description=None,
        location=Location(),
        price=None,
        tags=[],
        cover_url=None,
        published_at=None,
    )
    await store(catalog.uow(), organizer, event, bare)

    async with catalog.uow() as uow:
        assert await uow.events.get(event.id) == event
        assert await uow.events.get(bare.id, for_update=True) == bare
        assert await uow.events.get(uuid.uuid4()) is None
        assert await uow.events.get_many([event.id, bare.id, uuid.uuid4()]) == {
            event.id: event,
            bare.id: bare,
        }
        assert await uow.events.get_many([]) == {}


@pytest.mark.parametrize(
    ("price", "currency"),
    [("1000", "JPY"), ("1.234", "KWD"), ("9999999999.999", "KWD"), ("1500.50", "RUB"), ("0.00", "RUB")],
)
async def test_prices_come_back_exactly_with_their_currencys_digits(
    catalog: CatalogBackend, price: str, currency: str
) -> None:
    organizer = an_organizer()
    event = an_event(organizer, price=Decimal(price), currency=currency)
    await store(catalog.uow(), organizer, event)

    async with catalog.uow() as uow:
        stored = await uow.events.get(event.id)

    assert stored is not None
    assert (str(stored.price), stored.currency) == (price, currency)


async def test_event_changes_are_saved(catalog: CatalogBackend) -> None:
    organizer = an_organizer()
    event = an_event(organizer, status=EventStatus.DRAFT, published_at=None)
    await store(catalog.uow(), organizer, event)
    changed = dataclasses.replace(
        event,
        title="Поход",
        type=EventType.HIKE,
        price=Decimal("0.10"),
        tags=["поход"],
        location=Location(city="Москва"),
        updated_at=NOW + timedelta(minutes=1),
    )

    async with catalog.uow() as uow:
        await uow.events.save(changed)
        await uow.commit()

    async with catalog.uow() as uow:
        assert await uow.events.get(event.id) == changed


async def titles(
    catalog: CatalogBackend, search: EventSearch, paging: PageRequest | None = None
) -> list[str]:
    async with catalog.uow() as uow:
        page = await uow.events.search(search, paging or PageRequest())
        return [event.title for event in page.items]


@pytest.fixture
async def listed(catalog: CatalogBackend) -> CatalogBackend:
    vuoksa, karelia = an_organizer("vuoksa"), an_organizer("karelia")
    await store(
        catalog.uow(),
        vuoksa,
        karelia,
        an_event(
            vuoksa,
            title="Rafting",
            starts_in=timedelta(days=5),
            price=Decimal("4500"),
            tags=["сплав", "family"],
        ),
        an_event(
            vuoksa,
            title="Kayak",
            type=EventType.KAYAK,
            starts_in=timedelta(days=2),
            price=None,
            tags=["kayak"],
            location=Location(city="Приозерск"),
        ),
        an_event(
            vuoksa,
            title="Camp",
            type=EventType.CAMP,
            starts_in=timedelta(days=9),
            price=Decimal("12000.50"),
            capacity=2,
            tags=["camp"],
            location=Location(city="ЛОСЕВО "),
        ),
        an_event(vuoksa, title="Draft", status=EventStatus.DRAFT, published_at=None),
        an_event(vuoksa, title="Old", status=EventStatus.COMPLETED, starts_in=timedelta(days=-5)),
        an_event(
            karelia,
            title="Hike",
            type=EventType.HIKE,
            starts_in=timedelta(days=20),
            price=Decimal("800"),
            tags=["поход", "family"],
            location=Location(city="Петрозаводск"),
        ),
    )
    return catalog


async def test_search_orders_by_start_and_filters_by_status(listed: CatalogBackend) -> None:
    assert await titles(listed, EventSearch(statuses=PUBLISHED)) == ["Kayak", "Rafting", "Camp", "Hike"]
    everything = frozenset(EventStatus)
    assert await titles(listed, EventSearch(statuses=everything)) == [
        "Old",
        "Kayak",
        "Rafting",
        "Camp",
        "Draft",
        "Hike",
    ]
    assert await titles(listed, EventSearch(statuses=PUBLISHED, starts_after=NOW + timedelta(days=5))) == [
        "Camp",
        "Hike",
    ]


async def test_search_filters_each_on_its_own(listed: CatalogBackend) -> None:
    async with listed.uow() as uow:
        karelia = await uow.organizers.get_by_slug("karelia")
    assert karelia is not None

    cases: list[tuple[EventSearch, list[str]]] = [
        (EventSearch(statuses=PUBLISHED, organizer_id=karelia.id), ["Hike"]),
        (
            EventSearch(statuses=PUBLISHED, types=frozenset({EventType.KAYAK, EventType.HIKE})),
            ["Kayak", "Hike"],
        ),
        (EventSearch(statuses=PUBLISHED, tags=frozenset({"family"})), ["Rafting", "Hike"]),
        (EventSearch(statuses=PUBLISHED, tags=frozenset({"camp", "kayak", "nothing"})), ["Kayak", "Camp"]),
        (EventSearch(statuses=PUBLISHED, price_max=Decimal("0")), ["Kayak"]),
        (
            EventSearch(statuses=PUBLISHED, price_min=Decimal("800"), price_max=Decimal("4500")),
            ["Rafting", "Hike"],
        ),
        (EventSearch(statuses=PUBLISHED, price_min=Decimal("12000.50")), ["Camp"]),
        (EventSearch(statuses=PUBLISHED, price_min=Decimal("12000.51")), []),
        (EventSearch(statuses=PUBLISHED, city=city_key("лосево")), ["Rafting", "Camp"]),
        (
            EventSearch(
                statuses=PUBLISHED, date_from=NOW + timedelta(days=5), date_to=NOW + timedelta(days=9)
            ),
            ["Rafting", "Camp"],
        ),
    ]
    for search, expected in cases:
        assert await titles(listed, search) == expected, search


async def test_search_filters_combine(listed: CatalogBackend) -> None:
    search = EventSearch(
        statuses=PUBLISHED,
        tags=frozenset({"family", "camp"}),
        city=city_key("Лосево"),
        price_max=Decimal("5000"),
    )

    assert await titles(listed, search) == ["Rafting"]


async def test_has_free_seats_leaves_out_what_booking_reports_sold_out(listed: CatalogBackend) -> None:
    async with listed.uow() as uow:
        camp = (
            await uow.events.search(
                EventSearch(statuses=PUBLISHED, types=frozenset({EventType.CAMP})), PageRequest()
            )
        ).items[0]
    await listed.take_seats(camp.id, 2)
    sold_out = frozenset(await listed.uow().seats.sold_out())

    assert sold_out == {camp.id}
    assert await titles(listed, EventSearch(statuses=PUBLISHED, has_free_seats=True, sold_out=sold_out)) == [
        "Kayak",
        "Rafting",
        "Hike",
    ]
    assert await titles(listed, EventSearch(statuses=PUBLISHED, sold_out=sold_out)) == [
        "Kayak",
        "Rafting",
        "Camp",
        "Hike",
    ]


async def test_search_is_paged_with_the_total(listed: CatalogBackend) -> None:
    async with listed.uow() as uow:
        first = await uow.events.search(EventSearch(statuses=PUBLISHED), PageRequest(page=0, size=3))
        last = await uow.events.search(EventSearch(statuses=PUBLISHED), PageRequest(page=1, size=3))
        beyond = await uow.events.search(EventSearch(statuses=PUBLISHED), PageRequest(page=5, size=3))

    assert [e.title for e in first.items] == ["Kayak", "Rafting", "Camp"]
    assert [e.title for e in last.items] == ["Hike"]
    assert (first.total, last.total, beyond.total, beyond.items) == (4, 4, 4, [])


async def test_completion_sweep_marks_only_published_events_that_ended(catalog: CatalogBackend) -> None:
    organizer = an_organizer()
    ended = an_event(organizer, starts_in=timedelta(days=-3))
    ending_now = an_event(organizer, starts_in=timedelta(days=-1))  # ends exactly at NOW
    running = an_event(organizer, starts_in=timedelta(hours=-1))
    draft = an_event(organizer, starts_in=timedelta(days=-3), status=EventStatus.DRAFT, published_at=None)
    cancelled = an_event(organizer, starts_in=timedelta(days=-3), status=EventStatus.CANCELLED)
    await store(catalog.uow(), organizer, ended, ending_now, running, draft, cancelled)

    async with catalog.uow() as uow:
        completed = await uow.events.complete_finished(now=NOW, limit=10)
        await uow.commit()

    assert [e.id for e in completed] == [ended.id]
    assert completed[0].status is EventStatus.COMPLETED
    assert (completed[0].completed_at, completed[0].updated_at) == (NOW, NOW)
    async with catalog.uow() as uow:
        stored = await uow.events.get_many([ended.id, ending_now.id, running.id, draft.id, cancelled.id])
        assert stored[ended.id] == completed[0]
        assert [stored[i].status for i in (ending_now.id, running.id, draft.id, cancelled.id)] == [
            EventStatus.PUBLISHED,
            EventStatus.PUBLISHED,
            EventStatus.DRAFT,
            EventStatus.CANCELLED,
        ]
        assert await uow.events.complete_finished(now=NOW, limit=10) == []


async def test_completion_sweep_takes_at_most_limit_oldest_first(catalog: CatalogBackend) -> None:
    organizer = an_organizer()
    events = [an_event(organizer, starts_in=timedelta(days=-10 + n)) for n in range(5)]
    await store(catalog.uow(), organizer, *events)

    async with catalog.uow() as uow:
        first = await uow.events.complete_finished(now=NOW, limit=2)
        await uow.commit()

    assert [e.id for e in first] == [events[0].id, events[1].id]


async def test_two_sweeps_at_once_complete_each_event_once(catalog: CatalogBackend) -> None:
    organizer = an_organizer()
    events = [an_event(organizer, starts_in=timedelta(days=-3, minutes=n)) for n in range(40)]
    await store(catalog.uow(), organizer, *events)
    # On PostgreSQL both sweeps hold their first batch at once: the second must skip the
    # rows the first has locked instead of waiting for them or taking them again.
    both_hold_a_batch = asyncio.Barrier(1 if catalog.one_writer_at_a_time else 2)

    async def sweep() -> list[uuid.UUID]:
        done: list[uuid.UUID] = []
        first_batch = True
        while True:
            async with catalog.uow() as uow:
                batch = await uow.events.complete_finished(now=NOW, limit=5)
                if first_batch:
                    await asyncio.wait_for(both_hold_a_batch.wait(), timeout=10)
                    first_batch = False
                await uow.commit()
            done.extend(e.id for e in batch)
            if not batch:
                return done

    first, second = await asyncio.gather(sweep(), sweep())

    if not catalog.one_writer_at_a_time:
        assert min(len(first), len(second)) >= 5
    assert sorted(first + second) == sorted(e.id for e in events)
    assert not set(first) & set(second)
