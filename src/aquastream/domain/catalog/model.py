"""Catalog entities: organizers with their team and FAQ, events, favorites, calendar feeds."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from aquastream.domain.catalog.ordering import EventSortKey
from aquastream.domain.shared.money import DEFAULT_CURRENCY
from aquastream.domain.shared.sorting import Sort


class EventType(StrEnum):
    RAFTING = "RAFTING"
    KAYAK = "KAYAK"
    SUP = "SUP"
    HIKE = "HIKE"
    CAMP = "CAMP"
    REGATTA = "REGATTA"
    OTHER = "OTHER"


class EventStatus(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


@dataclass(slots=True)
class Contacts:
    email: str | None = None
    phone: str | None = None
    telegram: str | None = None
    website: str | None = None


@dataclass(slots=True)
class Organizer:
    """A brand page, owned by the ORGANIZER user who created it."""

    id: uuid.UUID
    slug: str
    name: str
    owner_user_id: uuid.UUID
    created_at: datetime
    updated_at: datetime
    description: str | None = None
    logo_media_id: uuid.UUID | None = None
    logo_url: str | None = None
    contacts: Contacts = field(default_factory=Contacts)
    brand_color: str | None = None  # "#RRGGBB"


@dataclass(slots=True)
class TeamMember:
    id: uuid.UUID
    organizer_id: uuid.UUID
    name: str
    sort_order: int
    role: str | None = None
    photo_url: str | None = None
    bio: str | None = None
    # The account of the service the organizer's manager linked the person to: it checks
    # seats in at the organizer's events. Never shown on the public team listing.
    user_id: uuid.UUID | None = None


@dataclass(slots=True)
class FaqItem:
    id: uuid.UUID
    organizer_id: uuid.UUID
    question: str
    answer: str
    sort_order: int


@dataclass(slots=True)
class Location:
    address: str | None = None
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(slots=True)
class Event:
    id: uuid.UUID
    organizer_id: uuid.UUID
    type: EventType
    title: str
    date_start: datetime
    date_end: datetime
    capacity: int
    status: EventStatus
    created_at: datetime
    updated_at: datetime
    description: str | None = None
    location: Location = field(default_factory=Location)
    price: Decimal | None = None  # None or 0 = free
    currency: str = DEFAULT_CURRENCY
    tags: list[str] = field(default_factory=list)
    cover_url: str | None = None
    published_at: datetime | None = None
    cancelled_at: datetime | None = None
    completed_at: datetime | None = None
    cancel_reason: str | None = None

    @property
    def is_free(self) -> bool:
        return self.price is None or self.price == 0


@dataclass(frozen=True, slots=True)
class EventSearch:
    """What the repository filters on; the use cases build it from checked input.

    ``statuses`` and ``starts_after`` decide visibility; every other field narrows.
    ``tags`` match when the event has any of them; the price range treats a free event
    (no price) as 0; the date range bounds the start (inclusive); ``has_free_seats``
    keeps events with a seat anyone may book: those not ``sold_out``, the set booking
    reports (seats are booking's, in a schema of its own). ``sort`` orders the matches
    (ties by id in the same direction); without it they come by start (then id) or, with a
    ``text``, by relevance first.
    """

    statuses: frozenset[EventStatus]
    starts_after: datetime | None = None
    organizer_id: uuid.UUID | None = None
    types: frozenset[EventType] = frozenset()
    tags: frozenset[str] = frozenset()
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    city: str | None = None  # compared by ``city_key``
    has_free_seats: bool = False
    sold_out: frozenset[uuid.UUID] = frozenset()
    text: str | None = None
    sort: Sort[EventSortKey] | None = None  # None: by start, and with ``text`` by relevance first


@dataclass(slots=True)
class Favorite:
    user_id: uuid.UUID
    event_id: uuid.UUID
    created_at: datetime


@dataclass(slots=True)
class CalendarFeed:
    """A user's private calendar feed. The token is an HMAC of ``nonce`` under the server's
    key, so the stored row (hash and nonce) cannot be turned back into a working URL."""

    user_id: uuid.UUID
    nonce: str
    token_hash: str
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


def city_key(city: str | None) -> str | None:
    """How cities are compared: case- and space-insensitively, also for Cyrillic
    (SQLite's ``lower`` only folds ASCII, so the key is made here)."""
    if city is None:
        return None
    key = " ".join(city.split()).casefold()
    return key or None


def search_text(*parts: str | None) -> str:
    """The case-folded text the LIKE fallback of organizer search matches against."""
    return " ".join(" ".join(part.split()) for part in parts if part).casefold()


def organizer_search_text(organizer: Organizer) -> str:
    return search_text(organizer.slug, organizer.name, organizer.description)


def text_terms(text: str) -> list[str]:
    """The words of a search text, case-folded; every one must match (LIKE fallback)."""
    return [word.strip("\"'") for word in text.casefold().split() if word.strip("\"'")]
