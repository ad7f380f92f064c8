"""Use cases of calendars: an event's ``.ics`` download and each user's private feed.

The feed URL carries a token that is an HMAC (under the server's key) of the user id and a
random nonce. Only the nonce and the token's SHA-256 are stored, so the same URL can be
shown again (it is recomputed) while a copy of the database alone cannot forge or reveal
one. Rotating draws a new nonce, which kills the old URL; revoking kills it without a new
one (the next request for the URL issues a fresh one).
"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from aquastream.domain.catalog.access import visible_event
from aquastream.domain.catalog.errors import CalendarFeedNotFound, EventNotFound
from aquastream.domain.catalog.model import CalendarFeed, Event, EventStatus, Organizer
from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal
from aquastream.ports.catalog import (
    CalendarEntry,
    CalendarRenderer,
    CatalogUnitOfWork,
    ConfirmedBookingsLookup,
    FeedTokenSigner,
    TicketNote,
    UserTickets,
)
from aquastream.ports.clock import Clock

CALENDAR_NAME = "AquaStream"
TICKETS_PATH = "/api/v1/bookings/{booking_id}/tickets"
UID_DOMAIN = "aquastream"


@dataclass(frozen=True, slots=True)
class CalendarFeedLink:
    """The secret part of the feed URL (``/calendar/{token}.ics``) and when it was issued."""

    token: str
    created_at: datetime


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_entry(event: Event, organizer: Organizer) -> CalendarEntry:
    place = ", ".join(part for part in (event.location.address, event.location.city) if part)
    return CalendarEntry(
        uid=f"{event.id}@{UID_DOMAIN}",
        title=event.title,
        starts_at=event.date_start,
        ends_at=event.date_end,
        updated_at=event.updated_at,
        cancelled=event.status is EventStatus.CANCELLED,
        description=event.description,
        location=place or None,
        latitude=event.location.latitude,
        longitude=event.location.longitude,
        organizer_name=organizer.name,
        categories=(event.type.value, *event.tags),
    )


class DownloadEventCalendar:
    """Anyone downloads a visible event as an iCalendar document (drafts only for their
    organizer's managers; a cancelled event is marked cancelled so calendars drop it).

    A signed-in viewer's document also names the viewer's own tickets for the event, as the
    private feed does (``entries_with_tickets``): every valid seat of the bookings they hold,
    their companions' included. An anonymous download is the same for everyone."""

    raises: ClassVar[Raises] = (EventNotFound,)

    def __init__(
        self,
        uow: CatalogUnitOfWork,
        renderer: CalendarRenderer,
        clock: Clock,
        tickets: UserTickets | None = None,
    ) -> None:
        self._uow = uow
        self._renderer = renderer
        self._clock = clock
        self._tickets = tickets

    async def __call__(self, event_id: uuid.UUID, *, viewer: Principal | None = None) -> bytes:
        async with self._uow:
            event, organizer = await visible_event(self._uow, event_id, viewer)
        holder = viewer.user_id if viewer is not None else None
        entries = await entries_with_tickets(self._tickets, holder, [(event, organizer)])
        return self._renderer.render(entries, name=event.title, generated_at=self._clock.now())


class GetCalendarFeed:
    """A user gets the token of their private feed: the live one, or a new one when there
    is none or ``rotate`` asks for it (which stops the old URL working)."""

    raises: ClassVar[Raises] = ()

    def __init__(self, uow: CatalogUnitOfWork, signer: FeedTokenSigner, clock: Clock) -> None:
        self._uow = uow
        self._signer = signer
        self._clock = clock

    def _token(self, user_id: uuid.UUID, nonce: str) -> str:
        return self._signer.sign(f"calendar-feed:{user_id}:{nonce}")

    async def __call__(self, principal: Principal, *, rotate: bool = False) -> CalendarFeedLink:
        async with self._uow:
            feed = await self._uow.feeds.get(principal.user_id)
            if feed is not None and feed.is_live and not rotate:
                return CalendarFeedLink(self._token(feed.user_id, feed.nonce), feed.created_at)
            nonce = new_id().hex
            token = self._token(principal.user_id, nonce)
            feed = CalendarFeed(
                user_id=principal.user_id,
                nonce=nonce,
                token_hash=feed_token_hash(token),
                created_at=self._clock.now(),
            )
            await self._uow.feeds.put(feed)
            await self._uow.commit()
        return CalendarFeedLink(token, feed.created_at)


class RevokeCalendarFeed:
    """A user revokes their feed URL; without one nothing happens."""

    raises: ClassVar[Raises] = ()

    def __init__(self, uow: CatalogUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, principal: Principal) -> None:
        async with self._uow:
            await revoke_live_feed(self._uow, principal.user_id, now=self._clock.now())
            await self._uow.commit()


async def revoke_live_feed(uow: CatalogUnitOfWork, user_id: uuid.UUID, *, now: datetime) -> None:
    """Stop the user's feed URL working; without a live feed nothing changes."""
    feed = await uow.feeds.get(user_id)
    if feed is not None and feed.is_live:
        feed.revoked_at = now
        await uow.feeds.put(feed)


async def entries_with_tickets(
    tickets: UserTickets | None,
    holder: uuid.UUID | None,
    shown: Sequence[tuple[Event, Organizer]],
) -> list[CalendarEntry]:
    """The events' calendar entries, each description ending with ``holder``'s ticket codes
    for it (``with_tickets``): what both the event's download and the private feed show.
    Nobody's codes without a holder (an anonymous download) or without the tickets domain.
    Asked of tickets outside any catalog transaction: it reads tickets' own storage."""
    entries = [calendar_entry(event, organizer) for event, organizer in shown]
    if tickets is None or holder is None or not shown:
        return entries
    found = await tickets.for_user(holder, [event.id for event, _ in shown])
    return [
        with_tickets(entry, found.get(event.id, ())) for entry, (event, _) in zip(entries, shown, strict=True)
    ]


def with_tickets(entry: CalendarEntry, tickets: Sequence[TicketNote]) -> CalendarEntry:
    """The entry, its description followed by the user's ticket codes and where their QR
    images are (``/api/v1/bookings/{id}/tickets``)."""
    if not tickets:
        return entry
    codes = ", ".join(
        f"{t.short_code} ({t.name}, seat {t.seat})" if t.name else f"{t.short_code} (seat {t.seat})"
        for t in tickets
    )
    links = " ".join(dict.fromkeys(f"{TICKETS_PATH.format(booking_id=t.booking_id)}" for t in tickets))
    note = f"Tickets: {codes}. QR codes: {links}"
    description = f"{entry.description}\n\n{note}" if entry.description else note
    return dataclasses.replace(entry, description=description)


class RenderCalendarFeed:
    """Whoever holds a live feed token gets the events of its user's confirmed bookings
    (an unknown or revoked token is 404), ordered by start; each event's description ends
    with the user's ticket codes and the path of their QR images (asked of the tickets
    domain, when it is wired)."""

    raises: ClassVar[Raises] = (CalendarFeedNotFound,)

    def __init__(
        self,
        uow: CatalogUnitOfWork,
        bookings: ConfirmedBookingsLookup,
        renderer: CalendarRenderer,
        clock: Clock,
        tickets: UserTickets | None = None,
    ) -> None:
        self._uow = uow
        self._bookings = bookings
        self._renderer = renderer
        self._clock = clock
        self._tickets = tickets

    async def __call__(self, token: str) -> bytes:
        async with self._uow:
            feed = await self._uow.feeds.find_live(feed_token_hash(token))
        if feed is None:
            raise CalendarFeedNotFound()
        # Asked between the two transactions: the lookup reads the booking domain's own
        # storage and must not wait on a transaction of ours.
        event_ids = await self._bookings.event_ids_for_user(feed.user_id)
        async with self._uow:
            events = await self._uow.events.get_many(event_ids)
            shown = sorted(
                (event for event in events.values() if event.status is not EventStatus.DRAFT),
                key=lambda event: (event.date_start, event.id),
            )
            organizers = await self._uow.organizers.get_many({event.organizer_id for event in shown})
        entries = await entries_with_tickets(
            self._tickets, feed.user_id, [(event, organizers[event.organizer_id]) for event in shown]
        )
        return self._renderer.render(entries, name=CALENDAR_NAME, generated_at=self._clock.now())
