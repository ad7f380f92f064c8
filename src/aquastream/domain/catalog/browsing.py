"""Use cases of finding events: the public catalog, an organizer's events, one event."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import ClassVar

from aquastream.domain.catalog.access import can_manage, visible_event
from aquastream.domain.catalog.checks import FieldChecker
from aquastream.domain.catalog.errors import EventNotFound, OrganizerNotFound
from aquastream.domain.catalog.event_rules import normalise_tags, parse_event_type
from aquastream.domain.catalog.model import EventSearch, EventStatus, city_key
from aquastream.domain.catalog.ordering import EVENTS_BY_START, EventSortKey
from aquastream.domain.catalog.organizers import normalise_slug
from aquastream.domain.catalog.views import EventView, event_facts
from aquastream.domain.shared.errors import Raises, ValidationFailed, one_of
from aquastream.domain.shared.money import MAX_AMOUNT
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.principal import Principal
from aquastream.domain.shared.sorting import Key, Sort, parse_sort
from aquastream.ports.catalog import CatalogUnitOfWork
from aquastream.ports.clock import Clock

MAX_TEXT = 200


@dataclass(frozen=True, slots=True)
class EventFilters:
    """The public catalog's filters, as the query string gives them (every one optional).

    ``types`` and ``tags`` match any of the values; the price range is inclusive and
    counts a free event as 0; the date range bounds the start, inclusive; ``city`` is
    compared case-insensitively; ``text`` is the full-text query; ``include_past`` also
    lists events that already started (PUBLISHED ones and COMPLETED ones); ``sort`` is a
    field of ``EventSortKey``, ``-`` before it for descending (default ``dateStart``).
    """

    organizer_slug: str | None = None
    types: Sequence[str] = ()
    tags: Sequence[str] = ()
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    city: str | None = None
    has_free_seats: bool = False
    text: str | None = None
    include_past: bool = False
    sort: str | None = None


def _price(check: FieldChecker, field: str, value: Decimal | None) -> Decimal | None:
    """A price bound, or None (no bound, or a refused one: NaN and infinities compare with
    nothing, so they are failed before any comparison)."""
    if value is None:
        return None
    if not value.is_finite() or value < 0:
        check.fail(field, "must be a non-negative number")
        return None
    return value


def _check_filters(filters: EventFilters) -> tuple[FieldChecker, EventSearch]:
    check = FieldChecker()
    types = {parse_event_type(check, "type", raw) for raw in filters.types}
    tags = normalise_tags(check, filters.tags)
    price_min = _price(check, "priceMin", filters.price_min)
    price_max = _price(check, "priceMax", filters.price_max)
    if price_min is not None and price_max is not None and price_min > price_max:
        check.fail("priceMax", "must not be below priceMin")
    date_from = check.instant("dateFrom", filters.date_from) if filters.date_from else None
    date_to = check.instant("dateTo", filters.date_to) if filters.date_to else None
    if date_from and date_to and date_from > date_to:
        check.fail("dateTo", "must not be before dateFrom")
    text = check.text("q", filters.text, max_length=MAX_TEXT)
    # No ``sort``: by start, or with a text by relevance first (the repository's default).
    sort = _sort(check, filters.sort, EventSortKey, EVENTS_BY_START) if filters.sort is not None else None
    search = EventSearch(
        statuses=frozenset({EventStatus.PUBLISHED}),
        types=frozenset(t for t in types if t is not None),
        tags=frozenset(tags),
        price_min=price_min,
        # No price goes beyond MAX_AMOUNT: a higher ceiling is no ceiling (and would not fit
        # the database's number).
        price_max=price_max if price_max is None or price_max <= MAX_AMOUNT else None,
        date_from=date_from,
        date_to=date_to,
        city=city_key(filters.city),
        has_free_seats=filters.has_free_seats,
        text=text,
        sort=sort,
    )
    return check, search


def _sort(check: FieldChecker, raw: str | None, keys: type[Key], default: Sort[Key]) -> Sort[Key]:
    try:
        return parse_sort(raw, keys, default)
    except ValidationFailed as refused:
        check.adopt(refused.errors)
        return default


class ListEvents:
    """Anyone browses the catalog.

    Rules: PUBLISHED events whose start is still ahead, by start time (then id) unless
    ``sort`` asks for another order; with
    ``include_past`` also those that started and COMPLETED ones; never drafts or cancelled
    events. Bad filter values are ``ValidationFailed`` (400), every one at once. An
    unknown organizer slug matches nothing, and so does a lowest price above any price
    (``MAX_AMOUNT``); a highest price above it bounds nothing.
    """

    raises: ClassVar[Raises] = (ValidationFailed,)

    def __init__(self, uow: CatalogUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(
        self, filters: EventFilters, paging: PageRequest, *, viewer: Principal | None = None
    ) -> Page[EventView]:
        check, search = _check_filters(filters)
        check.raise_if_any()
        if search.price_min is not None and search.price_min > MAX_AMOUNT:
            return Page([], 0, paging.page, paging.size)  # no price is that high
        now = self._clock.now()
        if filters.include_past:
            search = replace(search, statuses=frozenset({EventStatus.PUBLISHED, EventStatus.COMPLETED}))
        else:
            search = replace(search, starts_after=now)
        if search.has_free_seats:
            search = replace(search, sold_out=frozenset(await self._uow.seats.sold_out()))
        async with self._uow.reading():
            if filters.organizer_slug is not None:
                organizer = await self._uow.organizers.get_by_slug(normalise_slug(filters.organizer_slug))
                if organizer is None:
                    return Page([], 0, paging.page, paging.size)
                search = replace(search, organizer_id=organizer.id)
            page = await self._uow.events.search(search, paging)
            facts = await event_facts(self._uow, page.items, viewer=viewer)
        views = await facts.views(self._uow.seats, now=now)
        return Page(views, page.total, page.page, page.size)


class ListOrganizerEvents:
    """Anyone lists an organizer's events (404 for an unknown slug), by start time.

    Rules: the public sees PUBLISHED and COMPLETED events, past ones too; the organizer's
    managers also see DRAFT and CANCELLED ones. ``statuses`` narrows the list; a status
    the caller may not see simply matches nothing. ``sort`` as in the catalog.
    """

    raises: ClassVar[Raises] = (ValidationFailed, OrganizerNotFound)

    def __init__(self, uow: CatalogUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(
        self,
        slug: str,
        paging: PageRequest,
        *,
        viewer: Principal | None = None,
        statuses: Collection[str] = (),
        sort: str | None = None,
    ) -> Page[EventView]:
        check = FieldChecker()
        order = _sort(check, sort, EventSortKey, EVENTS_BY_START)
        wanted: set[EventStatus] = set()
        for raw in statuses:
            try:
                wanted.add(EventStatus(raw.strip().upper()))
            except ValueError:
                check.fail("status", one_of([s.value for s in EventStatus], raw))
        check.raise_if_any()
        now = self._clock.now()
        async with self._uow.reading():
            organizer = await self._uow.organizers.get_by_slug(normalise_slug(slug))
            if organizer is None:
                raise OrganizerNotFound()
            if can_manage(viewer, organizer):
                allowed = frozenset(EventStatus)
            else:
                allowed = frozenset({EventStatus.PUBLISHED, EventStatus.COMPLETED})
            visible = allowed & wanted if wanted else allowed
            if not visible:
                return Page([], 0, paging.page, paging.size)
            page = await self._uow.events.search(
                EventSearch(statuses=frozenset(visible), organizer_id=organizer.id, sort=order), paging
            )
            facts = await event_facts(self._uow, page.items, viewer=viewer)
        views = await facts.views(self._uow.seats, now=now)
        return Page(views, page.total, page.page, page.size)


class GetEvent:
    """Anyone sees a PUBLISHED, COMPLETED or CANCELLED event; a DRAFT only its organizer's
    managers (404 for everyone else)."""

    raises: ClassVar[Raises] = (EventNotFound,)

    def __init__(self, uow: CatalogUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, event_id: uuid.UUID, *, viewer: Principal | None = None) -> EventView:
        async with self._uow.reading():
            event, organizer = await visible_event(self._uow, event_id, viewer)
            facts = await event_facts(self._uow, [event], viewer=viewer, organizers=[organizer])
        return await facts.view(self._uow.seats, now=self._clock.now())
