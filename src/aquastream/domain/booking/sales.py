"""Seat sales follow the catalog: booking owns the seats of a published event, and the
catalog drives when they open, how many there are and when sales stop.

The catalog asks through a query port booking serves (its own transactions, never inside
the catalog's), in an order that keeps booking never more permissive than the catalog:

- publication: the catalog commits first, then sales open (the publisher's request opens
  them, and the reaction to ``EventPublished`` again, idempotently). Until then the event
  is published but not yet on sale: ``BookSeat`` finds no open inventory;
- cancellation: sales stop first (for good), then the catalog commits the cancellation.
  A cancellation that fails after that leaves a published event that sells nothing until
  the organizer's retry completes it; the reaction to ``EventCancelled`` stops sales again;
- capacity: booking moves its seats first, under its own row lock, from the capacity the
  organizer saw (``expected``), never below the seats taken; then the catalog records it.
  Booking's count is what sells and what responses show; a catalog record that failed after
  the move is caught up by the organizer's next edit, which starts from booking's count;
- completion: sales stop at the start already (``Inventory.is_open_at``); the reaction to
  ``EventCompleted`` closes the inventory.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from aquastream.domain.booking.handover import hand_over_free_seats
from aquastream.domain.booking.model import Inventory, InventoryStatus
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.ports.booking import BookingUnitOfWork
from aquastream.ports.clock import Clock


class ResizeOutcome(StrEnum):
    RESIZED = "RESIZED"
    # More seats are taken (or held for the waitlist) than asked for, or a waiting party asks
    # for more seats than that.
    BELOW_TAKEN = "BELOW_TAKEN"
    CHANGED = "CHANGED"  # the capacity is no longer the one the caller saw
    NOT_ON_SALE = "NOT_ON_SALE"  # no open inventory: not yet opened, cancelled or completed


class OpenSales:
    """Open the seats of a published event, every seat free. Idempotent: an inventory that
    exists (open or closed) is left as it is, so a late reaction never reopens sales."""

    def __init__(self, uow: BookingUnitOfWork) -> None:
        self._uow = uow

    async def __call__(
        self,
        *,
        event_id: uuid.UUID,
        organizer_id: uuid.UUID,
        title: str,
        starts_at: datetime,
        ends_at: datetime,
        capacity: int,
        price: Decimal | None,
        currency: str,
    ) -> None:
        inventory = Inventory(
            event_id=event_id,
            organizer_id=organizer_id,
            title=title,
            status=InventoryStatus.OPEN,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            available=capacity,
            price=price,
            currency=currency,
        )
        async with self._uow:
            await self._uow.inventories.open(inventory)
            await self._uow.commit()


class ResizeSales:
    """Move an open event's capacity from ``expected`` to ``capacity``; seats taken and held
    for the waitlist stay, free seats come or go, and new free seats go to the waitlist first.
    Never below a waiting party's size: that party could then never be served."""

    def __init__(self, uow: BookingUnitOfWork, clock: Clock, policy: BookingPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy

    async def __call__(self, event_id: uuid.UUID, *, expected: int, capacity: int) -> ResizeOutcome:
        async with self._uow:
            inventory = await self._uow.inventories.lock(event_id)
            if inventory is None or inventory.status is not InventoryStatus.OPEN:
                return ResizeOutcome.NOT_ON_SALE
            if inventory.capacity != expected:
                return ResizeOutcome.CHANGED
            if inventory.capacity - inventory.available > capacity:
                return ResizeOutcome.BELOW_TAKEN
            # A waiting party larger than the event could never be served and, the queue being
            # strict FIFO, would hold back everyone behind it (docs/waitlist-policy.md).
            if capacity < await self._uow.waitlist.largest_waiting_party(event_id):
                return ResizeOutcome.BELOW_TAKEN
            await self._uow.inventories.resize(event_id, capacity)
            await hand_over_free_seats(self._uow, event_id, now=self._clock.now(), policy=self._policy)
            await self._uow.commit()
        return ResizeOutcome.RESIZED


class StopSales:
    """No more sales for the event, for good (``CANCELLED`` or ``COMPLETED``). Idempotent; the
    bookings and the waitlist are settled by the reaction to the catalog's matching event."""

    def __init__(self, uow: BookingUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, event_id: uuid.UUID, status: InventoryStatus) -> None:
        async with self._uow:
            await self._uow.inventories.close(event_id, status)
            await self._uow.commit()
