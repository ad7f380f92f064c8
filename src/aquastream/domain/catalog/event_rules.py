"""The rules of an event's fields: what a valid event is, what may change after publishing,
and what publishing needs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from msgspec import UNSET, UnsetType

from aquastream.domain.catalog.checks import FieldChecker
from aquastream.domain.catalog.errors import EventNotPublishable
from aquastream.domain.catalog.model import Event, EventType, Location
from aquastream.domain.shared.errors import ValidationFailed, one_of
from aquastream.domain.shared.money import DEFAULT_CURRENCY, Currency, Money, checked_amount
from aquastream.ports.currencies import CurrencyCatalogue

MAX_CAPACITY = 100_000
MAX_TAGS = 20
MAX_TAG_LENGTH = 50
_TAG = re.compile(r"^[\w][\w -]*$")

# After publishing, participants have booked on the strength of the rest.
EDITABLE_WHEN_PUBLISHED = frozenset({"description", "tags", "cover_url", "capacity"})


@dataclass(frozen=True, slots=True)
class EventInput:
    """Every field of an event as the organizer gives it (``organizer_slug`` only at creation)."""

    type: str
    title: str
    date_start: datetime
    date_end: datetime
    capacity: int
    description: str | None = None
    address: str | None = None
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    price: Decimal | None = None
    currency: str = DEFAULT_CURRENCY
    tags: Sequence[str] = ()
    cover_url: str | None = None


@dataclass(frozen=True, slots=True)
class EventChanges:
    """A partial update: UNSET leaves a field as it is, None clears an optional one."""

    type: str | UnsetType = UNSET
    title: str | UnsetType = UNSET
    date_start: datetime | UnsetType = UNSET
    date_end: datetime | UnsetType = UNSET
    capacity: int | UnsetType = UNSET
    description: str | UnsetType | None = UNSET
    address: str | UnsetType | None = UNSET
    city: str | UnsetType | None = UNSET
    latitude: float | UnsetType | None = UNSET
    longitude: float | UnsetType | None = UNSET
    price: Decimal | UnsetType | None = UNSET
    currency: str | UnsetType = UNSET
    tags: Sequence[str] | UnsetType = UNSET
    cover_url: str | UnsetType | None = UNSET


def parse_event_type(check: FieldChecker, field: str, raw: str) -> EventType | None:
    """Event types are matched case-insensitively (``rafting`` is ``RAFTING``)."""
    try:
        return EventType(raw.strip().upper())
    except ValueError:
        check.fail(field, one_of([t.value for t in EventType], raw))
        return None


def normalise_tags(check: FieldChecker, tags: Iterable[str], *, field: str = "tags") -> list[str]:
    """Tags are case-folded, trimmed, single-spaced and unique, in the order given."""
    result: list[str] = []
    for raw in tags:
        tag = " ".join(raw.split()).casefold()
        if not tag or len(tag) > MAX_TAG_LENGTH or not _TAG.match(tag):
            check.fail(field, f"each tag must be 1 to {MAX_TAG_LENGTH} letters, digits, spaces or hyphens")
            continue
        if tag not in result:
            result.append(tag)
    if len(result) > MAX_TAGS:
        check.fail(field, f"at most {MAX_TAGS} tags")
    return result


@dataclass(frozen=True, slots=True)
class CheckedEvent:
    """Valid values of every field, ready to be applied to an event."""

    type: EventType
    title: str
    date_start: datetime
    date_end: datetime
    capacity: int
    description: str | None
    location: Location
    price: Decimal | None
    currency: str
    tags: list[str]
    cover_url: str | None

    def differs_from(self, event: Event) -> set[str]:
        """Names of the fields (as in ``EventChanges``) whose value would change."""
        changed = {
            name
            for name in ("type", "title", "date_start", "date_end", "capacity", "description")
            if getattr(self, name) != getattr(event, name)
        }
        for name in ("address", "city", "latitude", "longitude"):
            if getattr(self.location, name) != getattr(event.location, name):
                changed.add(name)
        if self.price != event.price:
            changed.add("price")
        if self.currency != event.currency:
            changed.add("currency")
        if self.tags != event.tags:
            changed.add("tags")
        if self.cover_url != event.cover_url:
            changed.add("cover_url")
        return changed

    def apply_to(self, event: Event) -> None:
        event.type = self.type
        event.title = self.title
        event.date_start = self.date_start
        event.date_end = self.date_end
        event.capacity = self.capacity
        event.description = self.description
        event.location = self.location
        event.price = self.price
        event.currency = self.currency
        event.tags = list(self.tags)
        event.cover_url = self.cover_url


def check_event(
    data: EventInput, currencies: CurrencyCatalogue, *, now: datetime, start_must_be_future: bool = True
) -> CheckedEvent:
    """Every field checked at once (``ValidationFailed`` lists each problem), then the money.

    Title 3-500 characters; type one of ``EventType``; times with a timezone and the start
    before the end (and in the future, unless it is an unchanged start being re-sent);
    capacity 1-100000; price a non-negative number (no price or 0 = free); latitude -90…90
    and longitude -180…180, both or neither; up to 20 tags; cover an http(s) URL. Once the
    fields are well-formed: the currency is one the catalogue takes (``UnknownCurrency``)
    and the price has at most its fraction digits (``TooManyFractionDigits``).
    """
    check = FieldChecker()
    event_type = parse_event_type(check, "type", data.type)
    title = check.text("title", data.title, min_length=3, max_length=500) or ""
    date_start = check.instant("dateStart", data.date_start)
    date_end = check.instant("dateEnd", data.date_end)
    if date_start >= date_end:
        check.fail("dateEnd", "must be after dateStart")
    if start_must_be_future and date_start <= now:
        check.fail("dateStart", "must be in the future")
    capacity = check.whole_number("capacity", data.capacity, minimum=1, maximum=MAX_CAPACITY)
    if data.price is not None:
        _check_amount(check, data.price)
    check.number_range("latitude", data.latitude, minimum=-90, maximum=90)
    check.number_range("longitude", data.longitude, minimum=-180, maximum=180)
    if (data.latitude is None) != (data.longitude is None):
        check.fail("latitude" if data.latitude is None else "longitude", "latitude and longitude go together")
    location = Location(
        address=check.text("address", data.address, max_length=500),
        city=check.text("city", data.city, max_length=200),
        latitude=data.latitude,
        longitude=data.longitude,
    )
    description = check.text("description", data.description, max_length=20_000, multiline=True)
    tags = normalise_tags(check, data.tags)
    cover_url = check.url("coverUrl", data.cover_url)
    check.raise_if_any()
    currency = Currency.known(currencies, data.currency or DEFAULT_CURRENCY)
    return CheckedEvent(
        type=event_type or EventType.OTHER,
        title=title,
        date_start=date_start,
        date_end=date_end,
        capacity=capacity,
        description=description,
        location=location,
        price=None if data.price is None else Money.of(data.price, currency).amount,
        currency=currency.code,
        tags=tags,
        cover_url=cover_url,
    )


def _check_amount(check: FieldChecker, price: Decimal) -> None:
    try:
        checked_amount(price, field="price")
    except ValidationFailed as error:
        check.adopt(error.errors)


def event_as_input(event: Event) -> EventInput:
    return EventInput(
        type=event.type.value,
        title=event.title,
        date_start=event.date_start,
        date_end=event.date_end,
        capacity=event.capacity,
        description=event.description,
        address=event.location.address,
        city=event.location.city,
        latitude=event.location.latitude,
        longitude=event.location.longitude,
        price=event.price,
        currency=event.currency,
        tags=tuple(event.tags),
        cover_url=event.cover_url,
    )


def merged_input(event: Event, changes: dict[str, Any]) -> EventInput:
    return replace(event_as_input(event), **changes)


def check_publishable(event: Event, *, now: datetime) -> None:
    """Publishing needs a description, a city and an address besides the fields every
    event has, and a start still ahead (``EventNotPublishable`` lists what is missing)."""
    check = FieldChecker()
    if not event.description:
        check.fail("description", "is required to publish")
    if not event.location.city:
        check.fail("city", "is required to publish")
    if not event.location.address:
        check.fail("address", "is required to publish")
    if event.date_start <= now:
        check.fail("dateStart", "must be in the future to publish")
    check.raise_if_any(EventNotPublishable)
