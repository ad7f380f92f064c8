"""Use cases of writing events: an organizer creates a draft and edits it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from aquastream.domain.catalog.access import managed_event, managed_organizer
from aquastream.domain.catalog.checks import FieldChecker, given
from aquastream.domain.catalog.errors import (
    CapacityBelowTaken,
    EventNotEditable,
    EventNotFound,
    NotOrganizerManager,
    OrganizerNotFound,
    SeatsChanging,
)
from aquastream.domain.catalog.event_rules import (
    EDITABLE_WHEN_PUBLISHED,
    CheckedEvent,
    EventChanges,
    EventInput,
    check_event,
    merged_input,
)
from aquastream.domain.catalog.events import EventCapacityChanged
from aquastream.domain.catalog.model import Event, EventStatus
from aquastream.domain.catalog.organizers import normalise_slug
from aquastream.domain.catalog.views import EventFacts, EventView, event_facts
from aquastream.domain.shared.errors import Raises, ValidationFailed
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.money import TooManyFractionDigits, UnknownCurrency
from aquastream.domain.shared.principal import Principal
from aquastream.ports.catalog import Availability, CatalogUnitOfWork, SeatResize
from aquastream.ports.clock import Clock
from aquastream.ports.currencies import CurrencyCatalogue


class CreateEvent:
    """The organizer's manager creates an event as a DRAFT.

    Rules: the organizer exists (404) and the caller manages it (403); every field follows
    ``check_event`` (all problems at once, ``ValidationFailed``), the start in the future; the
    currency is one the catalogue takes and the price has no more than its fraction digits
    (422: ``UnknownCurrency``, ``TooManyFractionDigits``).
    Description, city and address may wait until publishing.
    """

    raises: ClassVar[Raises] = (
        NotOrganizerManager,
        OrganizerNotFound,
        TooManyFractionDigits,
        UnknownCurrency,
        ValidationFailed,
    )

    def __init__(self, uow: CatalogUnitOfWork, clock: Clock, currencies: CurrencyCatalogue) -> None:
        self._uow = uow
        self._clock = clock
        self._currencies = currencies

    async def __call__(self, principal: Principal, organizer_slug: str, data: EventInput) -> EventView:
        now = self._clock.now()
        checked = check_event(data, self._currencies, now=now)
        async with self._uow:
            organizer = await managed_organizer(self._uow, normalise_slug(organizer_slug), principal)
            event = Event(
                id=new_id(),
                organizer_id=organizer.id,
                type=checked.type,
                title=checked.title,
                date_start=checked.date_start,
                date_end=checked.date_end,
                capacity=checked.capacity,
                status=EventStatus.DRAFT,
                created_at=now,
                updated_at=now,
            )
            checked.apply_to(event)
            await self._uow.events.add(event)
            facts = await event_facts(self._uow, [event], viewer=principal)
            await self._uow.commit()
        return await facts.view(self._uow.seats, now=now)


class UpdateEvent:
    """The organizer's manager changes an event.

    Rules:
    - a DRAFT may change in full, under the same checks as creation (a changed start must
      be in the future; an unchanged one is not checked again);
    - a PUBLISHED event may change only its description (not removed), tags, cover and
      capacity; any other field that differs is ``EventNotEditable`` (409), so a client
      may send the whole event back with only those changed;
    - the seats of a published event are booking's, and its capacity is booking's count:
      booking moves it first, from the count the organizer was shown, never below the
      seats taken (``CapacityBelowTaken``, nothing changed); if the count moved meanwhile
      or the seats are not on sale yet, nothing changes (``SeatsChanging``, 409, retry).
      Then the catalog records the change and ``EventCapacityChanged`` (booking has already
      handed new seats to the waitlist; its reaction does it again, idempotently);
    - COMPLETED and CANCELLED events are not editable (``EventNotEditable``).
    """

    raises: ClassVar[Raises] = (
        CapacityBelowTaken,
        EventNotEditable,
        EventNotFound,
        NotOrganizerManager,
        SeatsChanging,
        TooManyFractionDigits,
        UnknownCurrency,
        ValidationFailed,
    )

    def __init__(self, uow: CatalogUnitOfWork, clock: Clock, currencies: CurrencyCatalogue) -> None:
        self._uow = uow
        self._clock = clock
        self._currencies = currencies

    async def __call__(self, principal: Principal, event_id: uuid.UUID, changes: EventChanges) -> EventView:
        updates = given(changes)
        now = self._clock.now()
        # Booking's seat count, asked before the catalog's unit of work (never within it).
        seats = await self._seats_of(event_id)
        async with self._uow:
            event, checked = await self._checked(principal, event_id, updates, seats, now=now)
            if not self._moves_seats(event, checked):
                facts = await self._record(event, checked, viewer=principal, now=now)
                return await facts.view(self._uow.seats, now=now)
            old_capacity, new_capacity = event.capacity, checked.capacity
        # Booking moves its seats in its own transaction, before the catalog records the change.
        match await self._uow.seats.resize(event_id, expected=old_capacity, capacity=new_capacity):
            case SeatResize.BELOW_TAKEN:
                raise CapacityBelowTaken()
            case SeatResize.CHANGED | SeatResize.NOT_ON_SALE:
                raise SeatsChanging()
        # The catalog records booking's count as it is now (another edit may have moved it since).
        recorded = {name: value for name, value in updates.items() if name != "capacity"}
        seats = await self._seats_of(event_id)
        async with self._uow:
            event, checked = await self._checked(principal, event_id, recorded, seats, now=now)
            if event.status is EventStatus.PUBLISHED:
                self._uow.collect(
                    EventCapacityChanged(
                        occurred_at=now,
                        event_id=event.id,
                        old_capacity=old_capacity,
                        new_capacity=new_capacity,
                    )
                )
            facts = await self._record(event, checked, viewer=principal, now=now)
        return await facts.view(self._uow.seats, now=now)

    async def _seats_of(self, event_id: uuid.UUID) -> Availability | None:
        return (await self._uow.seats.availability([event_id])).get(event_id)

    async def _checked(
        self,
        principal: Principal,
        event_id: uuid.UUID,
        updates: dict[str, Any],
        seats: Availability | None,
        *,
        now: datetime,
    ) -> tuple[Event, CheckedEvent]:
        """The locked event (a published one with booking's seat count) and its checked change."""
        event, _ = await managed_event(self._uow, event_id, principal)
        if event.status not in (EventStatus.DRAFT, EventStatus.PUBLISHED):
            raise EventNotEditable(f"A {event.status.value.lower()} event cannot be changed.")
        if event.status is EventStatus.PUBLISHED and seats is not None:
            event.capacity = seats.capacity
        start_changes = "date_start" in updates and updates["date_start"] != event.date_start
        checked = check_event(
            merged_input(event, updates), self._currencies, now=now, start_must_be_future=start_changes
        )
        if event.status is EventStatus.PUBLISHED:
            frozen = sorted(checked.differs_from(event) - EDITABLE_WHEN_PUBLISHED)
            if frozen:
                raise EventNotEditable(
                    "A published event may change only its description, tags, cover and capacity.",
                    extra={"fields": frozen},
                )
            if checked.description is None:
                check = FieldChecker()
                check.fail("description", "is required for a published event")
                check.raise_if_any()
        return event, checked

    @staticmethod
    def _moves_seats(event: Event, checked: CheckedEvent) -> bool:
        return event.status is EventStatus.PUBLISHED and "capacity" in checked.differs_from(event)

    async def _record(
        self, event: Event, checked: CheckedEvent, *, viewer: Principal, now: datetime
    ) -> EventFacts:
        checked.apply_to(event)
        event.updated_at = now
        await self._uow.events.save(event)
        facts = await event_facts(self._uow, [event], viewer=viewer)
        await self._uow.commit()
        return facts
