"""What the catalog domain needs from outside itself: its unit of work and repositories,
the seat inventory, calendar rendering and the booking lookup of the calendar feed.

``SeatInventory`` is the seat counter of a published event. The booking domain owns the
seats because bookings and the waitlist change them on the hot path; it serves this port
on its own connections and in its own transactions, never inside the catalog's. The order
of the calls keeps booking never more permissive than the catalog (``domain.booking.sales``
has the whole protocol): seats open after the publication commits, stop before the
cancellation commits, and move before the new capacity is recorded.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Literal, Protocol

from aquastream.domain.catalog.model import (
    CalendarFeed,
    Event,
    EventSearch,
    FaqItem,
    Favorite,
    Organizer,
    TeamMember,
)
from aquastream.domain.catalog.ordering import (
    NEWEST_FAVORITES,
    ORGANIZERS_BY_SLUG,
    FavoriteSortKey,
    OrganizerSortKey,
)
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.sorting import Sort
from aquastream.ports.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class EventListing:
    """What booking needs to know about a published event."""

    event_id: uuid.UUID
    organizer_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    capacity: int
    price: Decimal | None  # None or 0 = free
    currency: str
    title: str


@dataclass(frozen=True, slots=True)
class Availability:
    capacity: int
    available: int  # seats anyone may book now (not those held for the waitlist)

    @property
    def is_full(self) -> bool:
        return self.available <= 0


class SeatResize(StrEnum):
    """How a capacity change went in booking."""

    RESIZED = "RESIZED"
    BELOW_TAKEN = "BELOW_TAKEN"  # more seats are taken (or held for the waitlist) than asked for
    CHANGED = "CHANGED"  # booking's capacity is no longer the one the caller started from
    NOT_ON_SALE = "NOT_ON_SALE"  # no open inventory: not yet opened, cancelled or completed


class SeatInventory(Protocol):
    """Served by the booking domain; each call is a transaction of booking's own."""

    async def open(self, listing: EventListing) -> None:
        """Open the seats of a published event, every seat free; nothing if they exist already
        (open or closed: a late call never reopens sales)."""
        ...

    async def resize(self, event_id: uuid.UUID, *, expected: int, capacity: int) -> SeatResize:
        """Move the capacity from ``expected`` (what the caller saw) to ``capacity``, never
        below the seats taken; new free seats go to the waitlist first."""
        ...

    async def close(self, event_id: uuid.UUID, status: Literal["CANCELLED", "COMPLETED"]) -> None:
        """No more sales, for good. Idempotent."""
        ...

    async def availability(self, event_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Availability]:
        """Availability of those of the events that have seats (published and opened)."""
        ...

    async def sold_out(self) -> Collection[uuid.UUID]:
        """The events on sale with no seat for a newcomer: none free, or people waiting."""
        ...


class OrganizerRepository(Protocol):
    async def add(self, organizer: Organizer) -> None:
        """Insert; raises ``OrganizerSlugTaken`` when the slug is used."""
        ...

    async def save(self, organizer: Organizer) -> None:
        """Update; raises ``OrganizerSlugTaken`` when the new slug is used by another."""
        ...

    async def get(self, organizer_id: uuid.UUID) -> Organizer | None: ...

    async def get_by_slug(self, slug: str) -> Organizer | None: ...

    async def get_many(self, organizer_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Organizer]: ...

    async def search(
        self,
        paging: PageRequest,
        *,
        text: str | None = None,
        owner_user_id: uuid.UUID | None = None,
        sort: Sort[OrganizerSortKey] = ORGANIZERS_BY_SLUG,
    ) -> Page[Organizer]:
        """Organizers in ``sort`` order, ties by id (the slug is unique, lower-case ASCII:
        the same order on every database); ``text`` matches every word as a
        case-insensitive substring of the slug, name or description."""
        ...


class TeamRepository(Protocol):
    async def add(self, member: TeamMember) -> None:
        """A new member, linked to no account (``link_account`` links one)."""
        ...

    async def save(self, member: TeamMember) -> None:
        """Change the member's fields; its linked account stays as stored (only
        ``link_account`` changes it, so a concurrent edit cannot bring an unlinked one back)."""
        ...

    async def link_account(self, member_id: uuid.UUID, user_id: uuid.UUID | None) -> None:
        """Link the member to the account, or unlink it (None). An account already linked to
        another member of the same organizer raises ``TeamAccountTaken``."""
        ...

    async def linked_to(self, user_id: uuid.UUID) -> list[TeamMember]:
        """The members, of any organizer, linked to the account; by organizer, then id."""
        ...

    async def unlink_everywhere(self, user_id: uuid.UUID) -> int:
        """Unlink the account from every team it is linked to; how many members it was."""
        ...

    async def delete(self, member_id: uuid.UUID) -> bool: ...

    async def get(self, member_id: uuid.UUID) -> TeamMember | None: ...

    async def list_for_organizer(self, organizer_id: uuid.UUID) -> list[TeamMember]:
        """By ``sort_order``, ties by id (creation order)."""
        ...

    async def next_sort_order(self, organizer_id: uuid.UUID) -> int:
        """One past the largest ``sort_order`` of the organizer's team, 0 for none."""
        ...


class FaqRepository(Protocol):
    async def add(self, item: FaqItem) -> None: ...

    async def save(self, item: FaqItem) -> None: ...

    async def delete(self, item_id: uuid.UUID) -> bool: ...

    async def get(self, item_id: uuid.UUID) -> FaqItem | None: ...

    async def list_for_organizer(self, organizer_id: uuid.UUID) -> list[FaqItem]:
        """By ``sort_order``, ties by id (creation order)."""
        ...

    async def next_sort_order(self, organizer_id: uuid.UUID) -> int: ...


class EventRepository(Protocol):
    async def add(self, event: Event) -> None: ...

    async def save(self, event: Event) -> None: ...

    async def get(self, event_id: uuid.UUID, *, for_update: bool = False) -> Event | None:
        """``for_update`` locks the row until the transaction ends, so that edits, status
        changes and the completion job of one event take turns."""
        ...

    async def get_many(self, event_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Event]: ...

    async def search(self, search: EventSearch, paging: PageRequest) -> Page[Event]:
        """Matching events in ``search.sort`` order when given, ties by id in the same
        direction (``price`` counts a free event as 0); else by ``date_start``, then id.
        ``has_free_seats`` leaves out ``sold_out``.

        ``text`` searches the title, tags and description by word forms, alike on every
        adapter (PostgreSQL's ``russian`` text search configuration; the others replay it):
        words are runs of letters and digits (no query syntax: quotes and operators only
        separate words); case does not matter and ``ёлки`` finds «елки»; Russian and
        English stop words are left out; every remaining query word, reduced to its
        Snowball stem, must begin a stem of the event's words (``водопад`` finds
        «водопады», ``Руске`` «Рускеала», ``kayak`` «kayaking»). A text with no word left
        finds nothing. With a text and no ``sort``, the matches come by relevance first (a
        word in the title before one in the tags, before one in the description; more
        occurrences first), then by ``date_start`` and id; an explicit ``sort`` replaces
        relevance. ``aquastream.adapters.text_search`` has the details and the few
        differences."""
        ...

    async def complete_finished(self, *, now: datetime, limit: int) -> list[Event]:
        """Mark up to ``limit`` PUBLISHED events that ended before ``now`` COMPLETED, in
        one conditional update, and return them as changed. Rows another transaction
        holds are skipped, so concurrent callers never complete one event twice."""
        ...


class FavoriteRepository(Protocol):
    async def add(self, favorite: Favorite) -> bool:
        """False (and nothing changed) when the user already favorited the event."""
        ...

    async def remove(self, user_id: uuid.UUID, event_id: uuid.UUID) -> bool: ...

    async def list_for_user(
        self, user_id: uuid.UUID, paging: PageRequest, sort: Sort[FavoriteSortKey] = NEWEST_FAVORITES
    ) -> Page[Favorite]:
        """In ``sort`` order (by when favorited, or by the event's start or price), ties by
        the event's id in the same direction."""
        ...

    async def counts(self, event_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, int]:
        """How many users favorited each event; events without favorites may be absent."""
        ...

    async def favorited_by(self, user_id: uuid.UUID, event_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
        """Which of the events the user favorited."""
        ...


class CalendarFeedRepository(Protocol):
    async def get(self, user_id: uuid.UUID) -> CalendarFeed | None: ...

    async def put(self, feed: CalendarFeed) -> None:
        """Insert the user's feed or replace it (one feed per user)."""
        ...

    async def find_live(self, token_hash: str) -> CalendarFeed | None:
        """The unrevoked feed with this token hash."""
        ...


class CatalogUnitOfWork(UnitOfWork, Protocol):
    # Read-only members, so that an adapter's more specific repository types satisfy them.
    @property
    def organizers(self) -> OrganizerRepository: ...

    @property
    def team(self) -> TeamRepository: ...

    @property
    def faq(self) -> FaqRepository: ...

    @property
    def events(self) -> EventRepository: ...

    @property
    def favorites(self) -> FavoriteRepository: ...

    @property
    def feeds(self) -> CalendarFeedRepository: ...

    @property
    def seats(self) -> SeatInventory:
        """Booking's seats: its calls are not part of this unit of work's transaction."""
        ...


class TeamAccounts(Protocol):
    """What the catalog asks identity when a team member is linked to an account: served by
    identity on its own connections, asked outside the catalog's transaction."""

    async def account_id(self, email: str) -> uuid.UUID | None:
        """The id of the usable account (active, not deleted) with this email, compared
        case-insensitively; None when there is none."""
        ...

    async def emails(self, user_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, str]:
        """The emails of the accounts that are not deleted (blocked ones too); the others
        are left out."""
        ...


class ConfirmedBookingsLookup(Protocol):
    """Implemented by the booking domain's adapters."""

    async def event_ids_for_user(self, user_id: uuid.UUID) -> Collection[uuid.UUID]:
        """The events the user holds a CONFIRMED (or COMPLETED) booking for."""
        ...


@dataclass(frozen=True, slots=True)
class TicketNote:
    """A valid ticket of a user, as calendars mention it (the private feed, and an event's
    download by a signed-in user)."""

    booking_id: uuid.UUID
    seat: int
    short_code: str
    name: str | None  # a companion's; None for the holder's own seat


class UserTickets(Protocol):
    """What the catalog asks the tickets domain for calendars (the private feed, an event's
    download by a signed-in user): served by tickets on its own connection, asked outside the
    catalog's transaction."""

    async def for_user(
        self, user_id: uuid.UUID, event_ids: Collection[uuid.UUID]
    ) -> Mapping[uuid.UUID, Sequence[TicketNote]]:
        """The user's valid tickets (as a booking's holder) per event, by booking then seat."""
        ...


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One event as a calendar sees it (an iCalendar VEVENT)."""

    uid: str
    title: str
    starts_at: datetime
    ends_at: datetime
    updated_at: datetime
    cancelled: bool = False
    description: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    organizer_name: str | None = None
    categories: Sequence[str] = ()


class CalendarRenderer(Protocol):
    def render(self, entries: Sequence[CalendarEntry], *, name: str, generated_at: datetime) -> bytes:
        """An iCalendar (RFC 5545) document with one VEVENT per entry."""
        ...


class FeedTokenSigner(Protocol):
    def sign(self, message: str) -> str:
        """A URL-safe keyed digest (HMAC) of ``message`` under the server's secret key."""
        ...
