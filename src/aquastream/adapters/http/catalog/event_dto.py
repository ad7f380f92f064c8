"""Request and response bodies of events and calendar feeds.

Money travels as ``price`` plus ``currency``: requests may give the price as a JSON
number or a decimal string (exactly, never through a float); responses always give a
string with the currency's fraction digits (``"1500.00"`` RUB, ``"1000"`` JPY, ``"1.234"``
KWD), or null for an event without a price.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from msgspec import UNSET, Meta, UnsetType

from aquastream.adapters.currencies import written
from aquastream.adapters.http.paging import PageOut
from aquastream.adapters.http.pictures import LinkedVariants, PictureVariantOut, linked_variants
from aquastream.adapters.http.structs import CamelStruct
from aquastream.domain.catalog.event_rules import EventChanges, EventInput
from aquastream.domain.catalog.model import Event, EventStatus, EventType, Location
from aquastream.domain.catalog.views import EventView
from aquastream.domain.shared.errors import FieldError, ValidationFailed
from aquastream.domain.shared.money import DEFAULT_CURRENCY
from aquastream.domain.shared.paging import Page
from aquastream.ports.pictures import PictureOf, PictureVariants, PublicPicture

# The domain names location fields on their own; on the wire they sit inside ``location``.
LOCATION_FIELDS = {name: f"location.{name}" for name in ("address", "city", "latitude", "longitude")}

# What the price column holds (13 digits, 3 of them fractional); larger numbers are a typo.
PRICE_LIMIT = Decimal(10) ** 10

PriceIn = Annotated[
    Decimal,
    Meta(
        description=(
            "A JSON number or a decimal string, not negative, with at most the currency's fraction "
            "digits (RUB 2, JPY 0, KWD 3); null or 0 = free."
        ),
        examples=["1500.00"],
    ),
]
PriceOut = Annotated[
    str | None,
    Meta(
        description="A decimal string with the currency's fraction digits; null = free.",
        examples=["1500.00", "1000", "1.234"],
    ),
]
EventTypeIn = Annotated[
    str, Meta(description="One of " + ", ".join(t.value for t in EventType) + " (any case).")
]
Instant = Annotated[datetime, Meta(description="ISO 8601 with a timezone, e.g. 2030-06-01T09:00:00Z.")]


def _checked_price(price: Decimal | None) -> Decimal | None:
    if price is not None and price.is_finite() and abs(price) >= PRICE_LIMIT:
        raise ValidationFailed(errors=[FieldError("price", f"must be below {PRICE_LIMIT:f}")])
    return price


class LocationIn(CamelStruct, forbid_unknown_fields=True):
    address: str | None = None
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class LocationChangesIn(CamelStruct, forbid_unknown_fields=True):
    address: str | UnsetType | None = UNSET
    city: str | UnsetType | None = UNSET
    latitude: float | UnsetType | None = UNSET
    longitude: float | UnsetType | None = UNSET


class EventIn(CamelStruct, forbid_unknown_fields=True):
    """A new DRAFT of the organizer ``organizerSlug``. Description, city and address may
    wait until publishing; the start must be in the future and before the end."""

    organizer_slug: str
    type: EventTypeIn
    title: str
    date_start: Instant
    date_end: Instant
    capacity: int
    description: str | None = None
    location: LocationIn | None = None
    price: PriceIn | None = None
    currency: str = DEFAULT_CURRENCY
    tags: list[str] = []
    cover_url: str | None = None

    def to_input(self) -> EventInput:
        location = self.location or LocationIn()
        return EventInput(
            type=self.type,
            title=self.title,
            date_start=self.date_start,
            date_end=self.date_end,
            capacity=self.capacity,
            description=self.description,
            address=location.address,
            city=location.city,
            latitude=location.latitude,
            longitude=location.longitude,
            price=_checked_price(self.price),
            currency=self.currency,
            tags=tuple(self.tags),
            cover_url=self.cover_url,
        )


class EventChangesIn(CamelStruct, forbid_unknown_fields=True):
    """Absent fields stay as they are; null clears an optional one. A published event may
    change only ``description``, ``tags``, ``coverUrl`` and ``capacity`` (other fields may
    be sent back unchanged)."""

    type: EventTypeIn | UnsetType = UNSET
    title: str | UnsetType = UNSET
    date_start: Instant | UnsetType = UNSET
    date_end: Instant | UnsetType = UNSET
    capacity: int | UnsetType = UNSET
    description: str | UnsetType | None = UNSET
    location: LocationChangesIn | UnsetType = UNSET
    price: PriceIn | UnsetType | None = UNSET
    currency: str | UnsetType = UNSET
    tags: list[str] | UnsetType = UNSET
    cover_url: str | UnsetType | None = UNSET

    def to_changes(self) -> EventChanges:
        location = self.location if isinstance(self.location, LocationChangesIn) else LocationChangesIn()
        price = self.price if isinstance(self.price, UnsetType) else _checked_price(self.price)
        return EventChanges(
            type=self.type,
            title=self.title,
            date_start=self.date_start,
            date_end=self.date_end,
            capacity=self.capacity,
            description=self.description,
            address=location.address,
            city=location.city,
            latitude=location.latitude,
            longitude=location.longitude,
            price=price,
            currency=self.currency,
            tags=self.tags if isinstance(self.tags, UnsetType) else tuple(self.tags),
            cover_url=self.cover_url,
        )


class CancelIn(CamelStruct, forbid_unknown_fields=True):
    reason: str | None = None


class LocationOut(CamelStruct):
    address: str | None
    city: str | None
    latitude: float | None
    longitude: float | None

    @classmethod
    def of(cls, location: Location) -> LocationOut:
        return cls(location.address, location.city, location.latitude, location.longitude)


def cover_of(event: Event) -> PictureOf:
    """The event's newest uploaded image (``POST /media`` with ``ownerType`` event_image)."""
    return PictureOf(PublicPicture.EVENT_IMAGE, event.id)


class EventOut(CamelStruct):
    """An event with what is derived for the caller: ``available`` seats anyone may book
    now, ``isFull`` (published, no seat left: the waitlist is open), ``registrationOpen``
    (published and not started), ``isPast`` (ended), ``favoritesCount`` and ``isFavorite``
    (false for an anonymous caller). ``coverVariants``: resized WebP copies of the event's
    newest uploaded image (``POST /media`` with ``ownerType`` event_image), smallest first,
    with signed links (empty when none was uploaded, and until the worker made them)."""

    id: uuid.UUID
    organizer_slug: str
    organizer_name: str
    type: EventType
    title: str
    description: str | None
    date_start: datetime
    date_end: datetime
    location: LocationOut
    price: PriceOut
    currency: str
    capacity: int
    available: int
    status: EventStatus
    tags: list[str]
    cover_url: str | None
    cover_variants: list[PictureVariantOut]
    is_full: bool
    registration_open: bool
    is_past: bool
    favorites_count: int
    is_favorite: bool
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    cancelled_at: datetime | None
    completed_at: datetime | None
    cancel_reason: str | None

    @classmethod
    def of(cls, view: EventView, linked: LinkedVariants) -> EventOut:
        event = view.event
        return cls(
            id=event.id,
            organizer_slug=view.organizer_slug,
            organizer_name=view.organizer_name,
            type=event.type,
            title=event.title,
            description=event.description,
            date_start=event.date_start,
            date_end=event.date_end,
            location=LocationOut.of(event.location),
            price=None if event.price is None else written(event.price, event.currency),
            currency=event.currency,
            capacity=event.capacity,
            available=view.available,
            status=event.status,
            tags=list(event.tags),
            cover_url=event.cover_url,
            cover_variants=linked.of(cover_of(event)),
            is_full=view.is_full,
            registration_open=view.registration_open,
            is_past=view.is_past,
            favorites_count=view.favorites_count,
            is_favorite=view.is_favorite,
            created_at=event.created_at,
            updated_at=event.updated_at,
            published_at=event.published_at,
            cancelled_at=event.cancelled_at,
            completed_at=event.completed_at,
            cancel_reason=event.cancel_reason,
        )


async def event_out(pictures: PictureVariants, view: EventView) -> EventOut:
    return EventOut.of(view, await linked_variants(pictures, [cover_of(view.event)]))


async def event_page(pictures: PictureVariants, page: Page[EventView]) -> PageOut[EventOut]:
    """A page of events, the variants of all their covers asked of media at once."""
    linked = await linked_variants(pictures, [cover_of(view.event) for view in page.items])
    return PageOut.of(page, lambda view: EventOut.of(view, linked))


class CalendarFeedOut(CamelStruct):
    """The private feed URL: whoever has it can read the caller's confirmed bookings as a
    calendar, so it is shown only to its owner and can be rotated or revoked."""

    url: str
    created_at: datetime
