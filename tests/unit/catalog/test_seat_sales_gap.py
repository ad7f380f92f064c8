"""The short gap between the catalog and booking's seats (``domain.booking.sales``).

The catalog and booking commit separately. These tests put the catalog's step and booking's
step apart, make one fail or slip in between, and check what the issue asks: no seat of an
unpublished or cancelled event is ever sold, and a capacity change never oversells.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from typing import Any, Literal

import pytest

from aquastream.adapters.memory.booking import MemoryBookingUnitOfWork
from aquastream.adapters.memory.catalog import MemoryCatalogUnitOfWork
from aquastream.domain.booking.sales import OpenSales
from aquastream.domain.catalog.errors import CapacityBelowTaken, SeatsChanging
from aquastream.domain.catalog.event_rules import EventChanges
from aquastream.domain.catalog.events import EventCapacityChanged, EventPublished
from aquastream.domain.catalog.lifecycle import CancelEvent, PublishEvent
from aquastream.domain.catalog.model import EventStatus
from aquastream.domain.catalog.views import EventView
from aquastream.domain.shared.errors import DependencyUnavailable
from aquastream.ports.catalog import Availability, EventListing, SeatInventory, SeatResize
from tests.unit.catalog.catalog_kit import CatalogKit


class Seats:
    """Booking's seats as the catalog sees them, with a hook before each change."""

    def __init__(self, kit: CatalogKit) -> None:
        self._kit = kit
        self._real: SeatInventory = kit.seats
        self.unreachable = False
        self.seen: list[tuple[str, EventStatus]] = []  # each change with the catalog's status then
        self.meanwhile: list[int] = []  # capacities another edit sets just before a resize

    def _before(self, change: str, event_id: uuid.UUID) -> None:
        if self.unreachable:
            raise DependencyUnavailable()
        self.seen.append((change, self._kit.stored_event(event_id).status))

    async def open(self, listing: EventListing) -> None:
        self._before("open", listing.event_id)
        await self._real.open(listing)

    async def resize(self, event_id: uuid.UUID, *, expected: int, capacity: int) -> SeatResize:
        self._before("resize", event_id)
        for other in self.meanwhile:
            current = (await self._real.availability([event_id]))[event_id].capacity
            await self._real.resize(event_id, expected=current, capacity=other)
        self.meanwhile = []
        return await self._real.resize(event_id, expected=expected, capacity=capacity)

    async def close(self, event_id: uuid.UUID, status: Literal["CANCELLED", "COMPLETED"]) -> None:
        self._before("close", event_id)
        await self._real.close(event_id, status)

    async def availability(self, event_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Availability]:
        return await self._real.availability(event_ids)

    async def sold_out(self) -> Collection[uuid.UUID]:
        return await self._real.sold_out()


class FailingCommit(MemoryCatalogUnitOfWork):
    """The catalog's commit fails once (the database went away at that moment)."""

    failures = 1

    async def commit(self) -> None:
        if FailingCommit.failures:
            FailingCommit.failures -= 1
            raise DependencyUnavailable()
        await super().commit()


@pytest.fixture
def kit() -> CatalogKit:
    return CatalogKit()


@pytest.fixture
def seats(kit: CatalogKit) -> Seats:
    return Seats(kit)


def uow(kit: CatalogKit, seats: Seats) -> MemoryCatalogUnitOfWork:
    return MemoryCatalogUnitOfWork(kit.db, seats)


async def sells(kit: CatalogKit, event_id: uuid.UUID) -> bool:
    """Whether booking would sell a seat now (committing it if so)."""
    async with MemoryBookingUnitOfWork(kit.db) as booking:
        sold = await booking.inventories.take_seat(event_id, now=kit.now) is not None
        await booking.commit()
    return sold


async def test_seats_open_only_after_the_publication_is_committed(kit: CatalogKit, seats: Seats) -> None:
    await kit.organizer()
    draft = await kit.draft()
    assert not await sells(kit, draft.event.id)

    view = await PublishEvent(uow(kit, seats), kit.clock)(kit.owner, draft.event.id)

    assert seats.seen == [("open", EventStatus.PUBLISHED)]
    assert (view.available, view.is_full) == (10, False)
    assert await sells(kit, draft.event.id)


async def test_a_publication_booking_misses_sells_nothing_until_its_reaction_opens_the_seats(
    kit: CatalogKit, seats: Seats
) -> None:
    await kit.organizer()
    draft = await kit.draft()
    seats.unreachable = True

    await PublishEvent(uow(kit, seats), kit.clock)(kit.owner, draft.event.id)

    assert kit.stored_event(draft.event.id).status is EventStatus.PUBLISHED
    assert not await sells(kit, draft.event.id)
    [published] = kit.outbox_of(EventPublished)
    await OpenSales(MemoryBookingUnitOfWork(kit.db))(
        event_id=published.event_id,
        organizer_id=published.organizer_id,
        title=published.title,
        starts_at=published.date_start,
        ends_at=published.date_end,
        capacity=published.capacity,
        price=published.price,
        currency=published.currency,
    )
    assert await sells(kit, draft.event.id)


async def test_sales_stop_before_the_cancellation_is_committed(kit: CatalogKit, seats: Seats) -> None:
    await kit.organizer()
    event = await kit.published()

    await CancelEvent(uow(kit, seats), kit.clock)(kit.owner, event.event.id)

    assert seats.seen == [("close", EventStatus.PUBLISHED)]
    assert kit.stored_event(event.event.id).status is EventStatus.CANCELLED
    assert not await sells(kit, event.event.id)


async def test_a_cancellation_that_fails_after_sales_stopped_sells_nothing_and_a_retry_completes_it(
    kit: CatalogKit, seats: Seats
) -> None:
    await kit.organizer()
    event = await kit.published()
    FailingCommit.failures = 1

    with pytest.raises(DependencyUnavailable):
        await CancelEvent(FailingCommit(kit.db, seats), kit.clock)(kit.owner, event.event.id)

    assert kit.stored_event(event.event.id).status is EventStatus.PUBLISHED
    assert not await sells(kit, event.event.id)
    await CancelEvent(FailingCommit(kit.db, seats), kit.clock)(kit.owner, event.event.id)
    assert kit.stored_event(event.event.id).status is EventStatus.CANCELLED


async def test_a_draft_is_cancelled_without_asking_booking(kit: CatalogKit, seats: Seats) -> None:
    await kit.organizer()
    draft = await kit.draft()

    await CancelEvent(uow(kit, seats), kit.clock)(kit.owner, draft.event.id)

    assert seats.seen == []
    assert kit.stored_event(draft.event.id).status is EventStatus.CANCELLED


async def test_booking_moves_the_seats_before_the_catalog_records_the_capacity(
    kit: CatalogKit, seats: Seats
) -> None:
    await kit.organizer()
    event = await kit.published(capacity=5)
    await kit.take_seats(event.event.id, 4)

    with pytest.raises(CapacityBelowTaken):
        await kit_update(kit, seats, event.event.id, capacity=3)
    assert (kit.stored_event(event.event.id).capacity, kit.inventory_row(event.event.id).capacity) == (5, 5)

    view = await kit_update(kit, seats, event.event.id, capacity=4)

    assert seats.seen[-1] == ("resize", EventStatus.PUBLISHED)
    assert (kit.stored_event(event.event.id).capacity, kit.inventory_row(event.event.id).capacity) == (4, 4)
    assert (view.event.capacity, view.available, view.is_full) == (4, 0, True)
    assert not await sells(kit, event.event.id)
    [changed] = kit.outbox_of(EventCapacityChanged)
    assert (changed.old_capacity, changed.new_capacity) == (5, 4)


async def test_a_capacity_moved_meanwhile_changes_nothing_and_asks_for_a_retry(
    kit: CatalogKit, seats: Seats
) -> None:
    await kit.organizer()
    event = await kit.published(capacity=5)
    seats.meanwhile = [8]  # another manager's edit reaches booking first

    with pytest.raises(SeatsChanging):
        await kit_update(kit, seats, event.event.id, capacity=3)

    assert kit.inventory_row(event.event.id).capacity == 8
    view = await kit_update(kit, seats, event.event.id, description="Now with a sauna.")
    assert view.event.capacity == 8  # booking's count is what the event shows and records
    assert kit.stored_event(event.event.id).capacity == 8


async def test_a_capacity_record_that_failed_is_caught_up_from_bookings_count(
    kit: CatalogKit, seats: Seats
) -> None:
    await kit.organizer()
    event = await kit.published(capacity=5)
    FailingCommit.failures = 1

    with pytest.raises(DependencyUnavailable):
        await kit.update_event_on(FailingCommit(kit.db, seats))(
            kit.owner, event.event.id, EventChanges(capacity=7)
        )

    assert (kit.stored_event(event.event.id).capacity, kit.inventory_row(event.event.id).capacity) == (5, 7)
    shown = await kit.get_event(event.event.id)
    assert (shown.event.capacity, shown.available) == (7, 7)
    await kit_update(kit, seats, event.event.id, capacity=9)
    assert (kit.stored_event(event.event.id).capacity, kit.inventory_row(event.event.id).capacity) == (9, 9)


async def kit_update(kit: CatalogKit, seats: Seats, event_id: uuid.UUID, **changes: Any) -> EventView:
    return await kit.update_event_on(uow(kit, seats))(kit.owner, event_id, EventChanges(**changes))
