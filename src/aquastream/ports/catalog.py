"""What the catalog domain needs from outside itself.

``SeatInventory`` is the seat counter of a published event. The booking domain owns the
seats (its adapters implement this port) because bookings and the waitlist change them
on the hot path; the catalog opens, resizes and closes the inventory in the same
transaction as the event change that causes it, and reads availability for responses.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal, Protocol


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


class SeatInventory(Protocol):
    async def open(self, listing: EventListing) -> None:
        """Create the inventory of a newly published event with every seat free."""
        ...

    async def resize(self, event_id: uuid.UUID, capacity: int) -> bool:
        """Change the capacity, moving ``available`` by the same delta, in one conditional
        update; False (and nothing changed) when the new capacity is below the seats taken."""
        ...

    async def close(self, event_id: uuid.UUID, status: Literal["CANCELLED", "COMPLETED"]) -> None:
        """No more bookings; the booking domain settles existing ones on the matching event."""
        ...

    async def availability(self, event_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Availability]:
        """Availability of the events that have an inventory (published ones)."""
        ...
