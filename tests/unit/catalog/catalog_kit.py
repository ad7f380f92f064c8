"""The catalog use cases wired to memory adapters (the booking domain's seat inventory
included), a frozen clock and fakes of what booking (confirmed bookings) and tickets (users'
ticket codes) answer.

Imported by the tests of this folder (pytest puts the folder on ``sys.path``).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from aquastream.adapters.calendar import HmacFeedTokenSigner, IcalendarRenderer
from aquastream.adapters.memory.booking import INVENTORIES, MemoryBookingUnitOfWork, MemorySeatInventory
from aquastream.adapters.memory.catalog import MemoryCatalogUnitOfWork
from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.currencies import FixedCurrencies
from aquastream.adapters.memory.database import MemoryDatabase
from aquastream.domain.booking.model import Inventory
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.catalog.authoring import CreateEvent, UpdateEvent
from aquastream.domain.catalog.browsing import GetEvent
from aquastream.domain.catalog.event_rules import EventInput
from aquastream.domain.catalog.lifecycle import PublishEvent
from aquastream.domain.catalog.model import Event, Organizer
from aquastream.domain.catalog.organizers import CreateOrganizer, OrganizerInput
from aquastream.domain.catalog.views import EventView
from aquastream.domain.shared.events import DomainEvent, decode_event
from aquastream.domain.shared.principal import Principal, Role
from aquastream.ports.catalog import TicketNote


class FakeConfirmedBookings:
    """Which events each user holds a confirmed booking for."""

    def __init__(self) -> None:
        self.by_user: dict[uuid.UUID, set[uuid.UUID]] = {}

    def confirm(self, user_id: uuid.UUID, event_id: uuid.UUID) -> None:
        self.by_user.setdefault(user_id, set()).add(event_id)

    async def event_ids_for_user(self, user_id: uuid.UUID) -> Collection[uuid.UUID]:
        return set(self.by_user.get(user_id, ()))


class FakeUserTickets:
    """Which valid tickets each user holds, per event."""

    def __init__(self) -> None:
        self.by_user: dict[uuid.UUID, dict[uuid.UUID, list[TicketNote]]] = {}

    def issue(self, user_id: uuid.UUID, event_id: uuid.UUID, *tickets: TicketNote) -> None:
        self.by_user.setdefault(user_id, {}).setdefault(event_id, []).extend(tickets)

    async def for_user(
        self, user_id: uuid.UUID, event_ids: Collection[uuid.UUID]
    ) -> Mapping[uuid.UUID, Sequence[TicketNote]]:
        mine = self.by_user.get(user_id, {})
        return {event_id: list(mine[event_id]) for event_id in event_ids if event_id in mine}


def principal(role: Role = Role.USER) -> Principal:
    return Principal(user_id=uuid.uuid4(), role=role)


class CatalogKit:
    def __init__(self) -> None:
        self.db = MemoryDatabase()
        self.clock = FrozenClock()
        self.currencies = FixedCurrencies()
        self.seats = MemorySeatInventory(self.db, self.clock, BookingPolicy())
        self.bookings = FakeConfirmedBookings()
        self.tickets = FakeUserTickets()
        self.renderer = IcalendarRenderer()
        self.signer = HmacFeedTokenSigner("calendar-test-secret-" + "x" * 32)
        self.owner = principal(Role.ORGANIZER)
        self.other_organizer = principal(Role.ORGANIZER)
        self.admin = principal(Role.ADMIN)
        self.user = principal(Role.USER)

    def uow(self) -> MemoryCatalogUnitOfWork:
        return MemoryCatalogUnitOfWork(self.db, self.seats)

    @property
    def now(self) -> datetime:
        return self.clock.now()

    def create_event(self) -> CreateEvent:
        return CreateEvent(self.uow(), self.clock, self.currencies)

    def update_event(self) -> UpdateEvent:
        return self.update_event_on(self.uow())

    def update_event_on(self, uow: MemoryCatalogUnitOfWork) -> UpdateEvent:
        return UpdateEvent(uow, self.clock, self.currencies)

    async def get_event(self, event_id: uuid.UUID) -> EventView:
        return await GetEvent(self.uow(), self.clock)(event_id)

    def event_input(self, **overrides: Any) -> EventInput:
        start = self.now + timedelta(days=10)
        fields: dict[str, Any] = {
            "type": "rafting",
            "title": "Сплав по Вуоксе",
            "date_start": start,
            "date_end": start + timedelta(days=2),
            "capacity": 10,
            "description": "Two days on the river with an instructor.",
            "address": "Лосево, база «Порог»",
            "city": "Лосево",
            "latitude": 60.68,
            "longitude": 30.01,
            "price": Decimal("4500.00"),
            "tags": ("сплав", "family"),
        }
        fields.update(overrides)
        return EventInput(**fields)

    async def organizer(self, slug: str = "vuoksa-rafting", owner: Principal | None = None) -> Organizer:
        return await CreateOrganizer(self.uow(), self.clock)(
            owner or self.owner, OrganizerInput(slug=slug, name=f"Organizer {slug}")
        )

    async def draft(
        self, slug: str = "vuoksa-rafting", *, by: Principal | None = None, **fields: Any
    ) -> EventView:
        return await self.create_event()(by or self.owner, slug, self.event_input(**fields))

    async def published(
        self, slug: str = "vuoksa-rafting", *, by: Principal | None = None, **fields: Any
    ) -> EventView:
        view = await self.draft(slug, by=by, **fields)
        return await PublishEvent(self.uow(), self.clock)(by or self.owner, view.event.id)

    async def take_seats(self, event_id: uuid.UUID, count: int = 1) -> None:
        """Participants book seats (the booking domain's part, through its own unit of work)."""
        async with MemoryBookingUnitOfWork(self.db) as uow:
            for _ in range(count):
                assert await uow.inventories.take_seat(event_id, now=self.now) is not None
            await uow.commit()

    def inventory_row(self, event_id: uuid.UUID) -> Inventory:
        row: Inventory = self.db.table(INVENTORIES)[event_id]
        return row

    def stored_event(self, event_id: uuid.UUID) -> Event:
        event: Event = self.db.table("catalog.events")[event_id]
        return event

    def outbox(self) -> list[DomainEvent]:
        rows = sorted(self.db.table("outbox").values(), key=lambda row: row.created_at)
        return [decode_event(row.event_name, row.payload) for row in rows]

    def outbox_of(self, kind: type[DomainEvent]) -> list[Any]:
        return [event for event in self.outbox() if isinstance(event, kind)]
