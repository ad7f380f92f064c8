"""The public catalog, an organizer's events and one event, with what each caller may see."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from aquastream.domain.catalog.browsing import EventFilters, GetEvent, ListEvents, ListOrganizerEvents
from aquastream.domain.catalog.errors import EventNotFound, OrganizerNotFound
from aquastream.domain.catalog.lifecycle import CancelEvent, CompleteFinishedEvents
from aquastream.domain.shared.errors import ValidationFailed
from aquastream.domain.shared.money import MAX_AMOUNT
from aquastream.domain.shared.paging import PageRequest
from tests.unit.catalog.catalog_kit import CatalogKit


async def titles(kit: CatalogKit, filters: EventFilters, paging: PageRequest | None = None) -> list[str]:
    page = await ListEvents(kit.uow(), kit.clock)(filters, paging or PageRequest())
    return [view.event.title for view in page.items]


@pytest.fixture
async def catalog(kit: CatalogKit) -> CatalogKit:
    """Two organizers and a handful of events of every kind and status."""
    await kit.organizer("vuoksa")
    await kit.organizer("karelia", owner=kit.other_organizer)
    day = kit.now + timedelta(days=1)
    await kit.published(
        "vuoksa",
        title="Rafting on Vuoksa",
        type="rafting",
        date_start=day + timedelta(days=5),
        date_end=day + timedelta(days=6),
        price=Decimal("4500"),
        city="Лосево",
        tags=["сплав", "family"],
    )
    await kit.published(
        "vuoksa",
        title="Kayak weekend",
        type="kayak",
        date_start=day + timedelta(days=2),
        date_end=day + timedelta(days=3),
        price=None,
        city="Приозерск",
        tags=["kayak"],
        description="Easy paddling on lakes",
    )
    view = await kit.published(
        "vuoksa",
        title="Sold out camp",
        type="camp",
        date_start=day + timedelta(days=9),
        date_end=day + timedelta(days=12),
        price=Decimal("12000.50"),
        city="лосево",
        capacity=2,
        tags=["camp"],
    )
    await kit.take_seats(view.event.id, 2)
    await kit.draft("vuoksa", title="Secret draft", date_start=day, date_end=day + timedelta(hours=5))
    cancelled = await kit.published("vuoksa", title="Cancelled trip")
    await CancelEvent(kit.uow(), kit.clock)(kit.owner, cancelled.event.id)
    await kit.published(
        "karelia",
        by=kit.other_organizer,
        title="Hike in Karelia",
        type="hike",
        date_start=day + timedelta(days=20),
        date_end=day + timedelta(days=22),
        price=Decimal("800"),
        city="Петрозаводск",
        tags=["поход", "family"],
        description="Лесные тропы и озёра",
    )
    return kit


async def test_catalog_lists_upcoming_published_events_by_start(catalog: CatalogKit) -> None:
    assert await titles(catalog, EventFilters()) == [
        "Kayak weekend",
        "Rafting on Vuoksa",
        "Sold out camp",
        "Hike in Karelia",
    ]


async def test_catalog_views_carry_seats_and_flags(catalog: CatalogKit) -> None:
    page = await ListEvents(catalog.uow(), catalog.clock)(EventFilters(), PageRequest())
    by_title = {view.event.title: view for view in page.items}

    camp = by_title["Sold out camp"]
    assert (camp.available, camp.is_full, camp.registration_open, camp.is_past) == (0, True, True, False)
    kayak = by_title["Kayak weekend"]
    assert (kayak.available, kayak.is_full, kayak.organizer_slug) == (10, False, "vuoksa")
    assert by_title["Hike in Karelia"].organizer_name == "Organizer karelia"


async def test_catalog_filters(catalog: CatalogKit) -> None:
    kit = catalog
    assert await titles(kit, EventFilters(organizer_slug="KARELIA")) == ["Hike in Karelia"]
    assert await titles(kit, EventFilters(organizer_slug="nobody")) == []
    assert await titles(kit, EventFilters(types=["kayak", "HIKE"])) == ["Kayak weekend", "Hike in Karelia"]
    assert await titles(kit, EventFilters(tags=["Family"])) == ["Rafting on Vuoksa", "Hike in Karelia"]
    assert await titles(kit, EventFilters(tags=["camp", "kayak"])) == ["Kayak weekend", "Sold out camp"]
    assert await titles(kit, EventFilters(price_max=Decimal("0"))) == ["Kayak weekend"]
    assert await titles(kit, EventFilters(price_min=Decimal("800"), price_max=Decimal("4500"))) == [
        "Rafting on Vuoksa",
        "Hike in Karelia",
    ]
    assert await titles(kit, EventFilters(city="  ЛОСЕВО ")) == ["Rafting on Vuoksa", "Sold out camp"]
    assert await titles(kit, EventFilters(has_free_seats=True)) == [
        "Kayak weekend",
        "Rafting on Vuoksa",
        "Hike in Karelia",
    ]
    start = kit.now + timedelta(days=5)
    assert await titles(kit, EventFilters(date_from=start, date_to=start + timedelta(days=5))) == [
        "Rafting on Vuoksa",
        "Sold out camp",
    ]


async def test_price_bounds_beyond_any_price_match_nothing_or_bound_nothing(catalog: CatalogKit) -> None:
    beyond = MAX_AMOUNT * 1000
    everything = await titles(catalog, EventFilters())
    assert await titles(catalog, EventFilters(price_min=beyond)) == []
    assert await titles(catalog, EventFilters(price_max=beyond)) == everything
    assert await titles(catalog, EventFilters(price_min=Decimal(0), price_max=MAX_AMOUNT)) == everything


async def test_filters_combine(catalog: CatalogKit) -> None:
    combined = EventFilters(tags=["family"], city="лосево", has_free_seats=True, price_max=Decimal("5000"))

    assert await titles(catalog, combined) == ["Rafting on Vuoksa"]


async def test_text_search_matches_title_description_and_tags(catalog: CatalogKit) -> None:
    kit = catalog
    assert await titles(kit, EventFilters(text="kayak")) == ["Kayak weekend"]
    assert await titles(kit, EventFilters(text="ОЗЁРА")) == ["Hike in Karelia"]
    assert await titles(kit, EventFilters(text="сплав")) == ["Rafting on Vuoksa"]
    assert await titles(kit, EventFilters(text="paddling lakes")) == ["Kayak weekend"]
    assert await titles(kit, EventFilters(text="paddling forest")) == []


async def test_text_search_finds_word_forms_and_word_beginnings(catalog: CatalogKit) -> None:
    kit = catalog
    assert await titles(kit, EventFilters(text="сплавы")) == ["Rafting on Vuoksa"]
    assert await titles(kit, EventFilters(text="лесных тропах")) == ["Hike in Karelia"]
    assert await titles(kit, EventFilters(text="озеро")) == ["Hike in Karelia"]
    assert await titles(kit, EventFilters(text="Karel")) == ["Hike in Karelia"]
    assert await titles(kit, EventFilters(text="kayaking paddle lake")) == ["Kayak weekend"]
    # Stop words and operators ask for nothing; nothing else left finds nothing.
    assert await titles(kit, EventFilters(text="the & | ! и")) == []
    # Found alike (in the tags of both): by start.
    assert await titles(kit, EventFilters(text="family")) == ["Rafting on Vuoksa", "Hike in Karelia"]


async def test_drafts_and_cancelled_events_stay_out_of_the_catalog(catalog: CatalogKit) -> None:
    listed = await titles(catalog, EventFilters(include_past=True))

    assert "Secret draft" not in listed
    assert "Cancelled trip" not in listed


async def test_include_past_adds_started_and_completed_events(catalog: CatalogKit) -> None:
    kit = catalog
    kit.clock.advance(days=6)
    assert await CompleteFinishedEvents(kit.uow(), kit.clock)() == 1

    assert await titles(kit, EventFilters()) == ["Sold out camp", "Hike in Karelia"]
    assert await titles(kit, EventFilters(include_past=True)) == [
        "Kayak weekend",
        "Rafting on Vuoksa",
        "Sold out camp",
        "Hike in Karelia",
    ]


async def test_catalog_is_paged(catalog: CatalogKit) -> None:
    page = await ListEvents(catalog.uow(), catalog.clock)(EventFilters(), PageRequest(page=1, size=3))

    assert (page.total, page.total_pages, page.page, page.size) == (4, 2, 1, 3)
    assert [view.event.title for view in page.items] == ["Hike in Karelia"]


async def test_bad_paging_is_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        PageRequest(page=-1, size=101)
    assert {e.field for e in caught.value.errors} == {"page", "size"}


async def test_bad_filters_are_refused_all_at_once(kit: CatalogKit) -> None:
    filters = EventFilters(
        types=["skydiving"],
        price_min=Decimal("10"),
        price_max=Decimal("5"),
        date_from=datetime(2031, 2, 1, tzinfo=UTC),
        date_to=datetime(2031, 1, 1, tzinfo=UTC),
        text="x" * 201,
        tags=["<bad>"],
        sort="title",
    )

    with pytest.raises(ValidationFailed) as caught:
        await ListEvents(kit.uow(), kit.clock)(filters, PageRequest())

    assert {e.field for e in caught.value.errors} == {"type", "priceMax", "dateTo", "q", "tags", "sort"}


async def test_catalog_sorts_by_price_or_start_either_way(catalog: CatalogKit) -> None:
    assert await titles(catalog, EventFilters(sort="price")) == [
        "Kayak weekend",
        "Hike in Karelia",
        "Rafting on Vuoksa",
        "Sold out camp",
    ]
    assert await titles(catalog, EventFilters(sort="-price", has_free_seats=True)) == [
        "Rafting on Vuoksa",
        "Hike in Karelia",
        "Kayak weekend",
    ]
    assert await titles(catalog, EventFilters(sort="-dateStart")) == [
        "Hike in Karelia",
        "Sold out camp",
        "Rafting on Vuoksa",
        "Kayak weekend",
    ]


async def test_an_unknown_sort_names_the_allowed_ones(kit: CatalogKit) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await ListEvents(kit.uow(), kit.clock)(EventFilters(sort="-title"), PageRequest())

    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("sort", "expected one of dateStart, -dateStart, price, -price; got -title")
    ]


async def test_negative_price_filter_is_refused(kit: CatalogKit) -> None:
    with pytest.raises(ValidationFailed):
        await ListEvents(kit.uow(), kit.clock)(EventFilters(price_min=Decimal("-1")), PageRequest())


async def test_organizer_page_shows_public_events_and_the_past(catalog: CatalogKit) -> None:
    kit = catalog
    kit.clock.advance(days=30)
    await CompleteFinishedEvents(kit.uow(), kit.clock)()
    listing = ListOrganizerEvents(kit.uow(), kit.clock)

    public = await listing("vuoksa", PageRequest())
    assert [v.event.title for v in public.items] == ["Kayak weekend", "Rafting on Vuoksa", "Sold out camp"]
    assert all(v.is_past for v in public.items)


async def test_managers_see_drafts_and_cancelled_events_on_their_page(catalog: CatalogKit) -> None:
    kit = catalog
    listing = ListOrganizerEvents(kit.uow(), kit.clock)

    mine = await listing("vuoksa", PageRequest(), viewer=kit.owner)
    assert {v.event.title for v in mine.items} == {
        "Secret draft",
        "Kayak weekend",
        "Rafting on Vuoksa",
        "Sold out camp",
        "Cancelled trip",
    }
    drafts = await listing("vuoksa", PageRequest(), viewer=kit.admin, statuses=["draft"])
    assert [v.event.title for v in drafts.items] == ["Secret draft"]
    assert (await listing("vuoksa", PageRequest(), viewer=kit.user, statuses=["DRAFT"])).total == 0
    assert (await listing("vuoksa", PageRequest(), viewer=kit.other_organizer)).total == 3


async def test_organizer_events_of_unknown_organizer_or_status(kit: CatalogKit) -> None:
    listing = ListOrganizerEvents(kit.uow(), kit.clock)

    with pytest.raises(OrganizerNotFound):
        await listing("nobody", PageRequest())
    with pytest.raises(ValidationFailed):
        await listing("nobody", PageRequest(), statuses=["ARCHIVED"])
    with pytest.raises(ValidationFailed):
        await listing("nobody", PageRequest(), sort="title")


async def test_organizer_page_sorts_like_the_catalog(catalog: CatalogKit) -> None:
    listing = ListOrganizerEvents(catalog.uow(), catalog.clock)

    by_price = await listing("vuoksa", PageRequest(), sort="-price")

    assert [v.event.title for v in by_price.items] == ["Sold out camp", "Rafting on Vuoksa", "Kayak weekend"]


async def test_draft_is_visible_only_to_its_managers(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    draft = await kit.draft("vuoksa")
    get = GetEvent(kit.uow(), kit.clock)

    for stranger in (None, kit.user, kit.other_organizer):
        with pytest.raises(EventNotFound):
            await get(draft.event.id, viewer=stranger)
    assert (await get(draft.event.id, viewer=kit.owner)).event.id == draft.event.id
    assert (await get(draft.event.id, viewer=kit.admin)).available == 10


async def test_anyone_sees_published_and_cancelled_events(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    published = await kit.published("vuoksa")
    cancelled = await kit.published("vuoksa")
    await CancelEvent(kit.uow(), kit.clock)(kit.owner, cancelled.event.id)
    get = GetEvent(kit.uow(), kit.clock)

    assert (await get(published.event.id)).registration_open
    shown = await get(cancelled.event.id)
    assert (shown.event.status.value, shown.registration_open, shown.is_full) == ("CANCELLED", False, False)
    with pytest.raises(EventNotFound):
        await get(uuid.uuid4())


async def test_started_event_is_not_open_for_registration(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    published = await kit.published("vuoksa")
    get = GetEvent(kit.uow(), kit.clock)

    kit.clock.set(published.event.date_start)
    started = await get(published.event.id)
    kit.clock.set(published.event.date_end)
    ended = await get(published.event.id)

    assert (started.registration_open, started.is_past) == (False, False)
    assert (ended.registration_open, ended.is_past) == (False, True)
