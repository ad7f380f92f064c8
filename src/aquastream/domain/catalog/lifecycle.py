"""Use cases of an event's lifecycle: DRAFT → PUBLISHED → COMPLETED, or → CANCELLED."""

from __future__ import annotations

import contextlib
import uuid
from datetime import datetime
from typing import ClassVar

from aquastream.domain.catalog.access import managed_event
from aquastream.domain.catalog.checks import FieldChecker
from aquastream.domain.catalog.errors import EventNotFound, InvalidEventTransition, NotOrganizerManager
from aquastream.domain.catalog.event_rules import check_publishable
from aquastream.domain.catalog.events import EventCancelled, EventCompleted, EventPublished
from aquastream.domain.catalog.model import Event, EventStatus
from aquastream.domain.catalog.views import EventFacts, EventView, event_facts
from aquastream.domain.shared.errors import DependencyUnavailable, Raises
from aquastream.domain.shared.principal import Principal
from aquastream.ports.catalog import Availability, CatalogUnitOfWork, EventListing
from aquastream.ports.clock import Clock

MAX_CANCEL_REASON = 1_000


def listing_of(event: Event) -> EventListing:
    return EventListing(
        event_id=event.id,
        organizer_id=event.organizer_id,
        starts_at=event.date_start,
        ends_at=event.date_end,
        capacity=event.capacity,
        price=event.price,
        currency=event.currency,
        title=event.title,
    )


class PublishEvent:
    """The organizer's manager publishes a draft.

    Rules: only a DRAFT (``InvalidEventTransition``); it has every field publishing needs
    and a start still ahead (``EventNotPublishable`` lists what is missing); ``EventPublished``.
    Once the publication is committed, booking opens the seats, every seat free (and again,
    idempotently, on ``EventPublished``: should booking be out of reach now, the seats open
    when the worker delivers the event). Until then nothing of the event is sold.
    """

    raises: ClassVar[Raises] = (EventNotFound, InvalidEventTransition, NotOrganizerManager)

    def __init__(self, uow: CatalogUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, principal: Principal, event_id: uuid.UUID) -> EventView:
        now = self._clock.now()
        async with self._uow:
            event, _ = await managed_event(self._uow, event_id, principal)
            if event.status is not EventStatus.DRAFT:
                raise InvalidEventTransition(f"A {event.status.value.lower()} event cannot be published.")
            check_publishable(event, now=now)
            event.status = EventStatus.PUBLISHED
            event.published_at = now
            event.updated_at = now
            await self._uow.events.save(event)
            self._uow.collect(
                EventPublished(
                    occurred_at=now,
                    event_id=event.id,
                    organizer_id=event.organizer_id,
                    title=event.title,
                    date_start=event.date_start,
                    date_end=event.date_end,
                    capacity=event.capacity,
                    price=event.price,
                    currency=event.currency,
                )
            )
            facts = await event_facts(self._uow, [event], viewer=principal)
            await self._uow.commit()
        with contextlib.suppress(DependencyUnavailable):
            await self._uow.seats.open(listing_of(event))
        opened = {event.id: Availability(event.capacity, event.capacity)}
        return await facts.view(self._uow.seats, now=now, known=opened)


class CancelEvent:
    """The organizer's manager cancels a DRAFT or PUBLISHED event.

    Rules: other statuses are ``InvalidEventTransition``. For a published event booking
    stops the sales first, for good, and only then is the cancellation committed, so no
    seat of a cancelled event is ever sold; should the commit fail after that, the event
    stays published without sales until the organizer's retry cancels it.
    ``EventCancelled`` lets booking cancel every active booking (refunding paid ones) and
    notifications tell the participants. The optional reason (≤ 1000 characters) travels
    with the event.
    """

    raises: ClassVar[Raises] = (EventNotFound, InvalidEventTransition, NotOrganizerManager)

    def __init__(self, uow: CatalogUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(
        self, principal: Principal, event_id: uuid.UUID, *, reason: str | None = None
    ) -> EventView:
        check = FieldChecker()
        reason = check.text("reason", reason, max_length=MAX_CANCEL_REASON, multiline=True)
        check.raise_if_any()
        now = self._clock.now()
        async with self._uow:
            event = await self._cancellable(principal, event_id)
            published = event.status is EventStatus.PUBLISHED
            if not published:  # a draft: nothing is on sale
                facts = await self._cancel(principal, event, reason, now=now)
        if published:
            await self._uow.seats.close(event_id, "CANCELLED")
            async with self._uow:
                event = await self._cancellable(principal, event_id)
                facts = await self._cancel(principal, event, reason, now=now)
        return await facts.view(self._uow.seats, now=now)

    async def _cancellable(self, principal: Principal, event_id: uuid.UUID) -> Event:
        event, _ = await managed_event(self._uow, event_id, principal)
        if event.status not in (EventStatus.DRAFT, EventStatus.PUBLISHED):
            raise InvalidEventTransition(f"A {event.status.value.lower()} event cannot be cancelled.")
        return event

    async def _cancel(
        self, principal: Principal, event: Event, reason: str | None, *, now: datetime
    ) -> EventFacts:
        was_published = event.status is EventStatus.PUBLISHED
        event.status = EventStatus.CANCELLED
        event.cancelled_at = now
        event.cancel_reason = reason
        event.updated_at = now
        await self._uow.events.save(event)
        self._uow.collect(
            EventCancelled(
                occurred_at=now,
                event_id=event.id,
                organizer_id=event.organizer_id,
                title=event.title,
                date_start=event.date_start,
                reason=reason,
                was_published=was_published,
                cancelled_by=principal.user_id,
            )
        )
        facts = await event_facts(self._uow, [event], viewer=principal)
        await self._uow.commit()
        return facts


class CompleteFinishedEvents:
    """Job: PUBLISHED events whose end has passed become COMPLETED.

    Rules: batches of ``batch_size``, each in its own transaction: one conditional update
    (``status = 'PUBLISHED' AND date_end < now``, rows held elsewhere skipped) marks them,
    and ``EventCompleted`` tells booking to complete the confirmed bookings and close the
    seats (sales stopped at the start already). Idempotent, and safe with several workers
    at once: an event is completed by exactly one of them. Returns how many events this run completed.
    """

    def __init__(self, uow: CatalogUnitOfWork, clock: Clock, *, batch_size: int = 100) -> None:
        self._uow = uow
        self._clock = clock
        self._batch_size = batch_size

    async def __call__(self) -> int:
        completed = 0
        while True:
            now = self._clock.now()
            async with self._uow:
                events = await self._uow.events.complete_finished(now=now, limit=self._batch_size)
                for event in events:
                    self._uow.collect(
                        EventCompleted(
                            occurred_at=now,
                            event_id=event.id,
                            organizer_id=event.organizer_id,
                            date_end=event.date_end,
                        )
                    )
                await self._uow.commit()
            completed += len(events)
            if len(events) < self._batch_size:
                return completed
