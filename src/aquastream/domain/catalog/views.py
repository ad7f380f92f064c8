"""Events as responses show them: with seats, derived flags, favorites and their organizer."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from aquastream.domain.catalog.model import Event, EventStatus, Organizer
from aquastream.domain.shared.principal import Principal
from aquastream.ports.catalog import Availability, CatalogUnitOfWork, SeatInventory


@dataclass(frozen=True, slots=True)
class EventView:
    """An event with what is derived for the caller at ``now``.

    - ``available``: seats anyone may book now, from the booking domain's inventory for a
      published event; the capacity for a draft; 0 once cancelled or completed;
    - ``is_full``: published and no seat left (the waitlist is open then);
    - ``registration_open``: published and not started (booking or, when full, the waitlist);
    - ``is_past``: the event has ended;
    - ``favorites_count``: how many users favorited it; ``is_favorite``: whether the caller did.
    """

    event: Event
    organizer_slug: str
    organizer_name: str
    available: int
    is_full: bool
    registration_open: bool
    is_past: bool
    favorites_count: int
    is_favorite: bool


def derive(
    event: Event,
    organizer: Organizer,
    availability: Availability | None,
    *,
    now: datetime,
    favorites_count: int,
    is_favorite: bool,
) -> EventView:
    published = event.status is EventStatus.PUBLISHED
    if published and availability is not None and availability.capacity != event.capacity:
        # A published event's seats are booking's: its count is the capacity.
        event = replace(event, capacity=availability.capacity)
    if event.status is EventStatus.DRAFT:
        available = event.capacity
    elif published:
        # An inventory is opened with the publication; should it be missing the seats
        # are unknown, and none are promised.
        available = max(availability.available, 0) if availability is not None else 0
    else:
        available = 0
    return EventView(
        event=event,
        organizer_slug=organizer.slug,
        organizer_name=organizer.name,
        available=available,
        is_full=published and available <= 0,
        registration_open=published and now < event.date_start,
        is_past=event.date_end <= now,
        favorites_count=favorites_count,
        is_favorite=is_favorite,
    )


@dataclass(frozen=True, slots=True)
class EventFacts:
    """What the catalog knows of some events for one viewer, read in its unit of work.

    The seats are booking's: ``views`` asks them after the unit of work has ended, on a
    connection of booking's. Never while the catalog's connection is held: requests that
    each hold one connection and wait for a second could starve a pool both domains share.
    """

    events: Sequence[Event]
    organizers: Mapping[uuid.UUID, Organizer]
    counts: Mapping[uuid.UUID, int]
    mine: Collection[uuid.UUID]

    async def views(
        self, seats: SeatInventory, *, now: datetime, known: Mapping[uuid.UUID, Availability] | None = None
    ) -> list[EventView]:
        """The views, in the order of the events; the seats of those in ``known`` are not asked."""
        known = known or {}
        asked = [e.id for e in self.events if e.status is EventStatus.PUBLISHED and e.id not in known]
        availability = {**(await seats.availability(asked) if asked else {}), **known}
        return [
            derive(
                event,
                self.organizers[event.organizer_id],
                availability.get(event.id),
                now=now,
                favorites_count=self.counts.get(event.id, 0),
                is_favorite=event.id in self.mine,
            )
            for event in self.events
        ]

    async def view(
        self, seats: SeatInventory, *, now: datetime, known: Mapping[uuid.UUID, Availability] | None = None
    ) -> EventView:
        (view,) = await self.views(seats, now=now, known=known)
        return view


async def event_facts(
    uow: CatalogUnitOfWork,
    events: Sequence[Event],
    *,
    viewer: Principal | None,
    organizers: Collection[Organizer] = (),
) -> EventFacts:
    """The catalog's facts of ``events`` (in a unit of work), with a fixed number of queries;
    the ``organizers`` the caller has read already are not read again."""
    if not events:
        return EventFacts([], {}, {}, set())
    ids = [event.id for event in events]
    known = {organizer.id: organizer for organizer in organizers}
    missing = {event.organizer_id for event in events} - known.keys()
    if missing:
        known |= await uow.organizers.get_many(missing)
    counts = await uow.favorites.counts(ids)
    mine = await uow.favorites.favorited_by(viewer.user_id, ids) if viewer is not None else set()
    return EventFacts(list(events), known, counts, mine)
