"""Who may see and manage bookings: the booking's owner, the event's organizer, an admin."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from aquastream.domain.booking.errors import BookingForbidden, BookingNotFound, EventNotFound
from aquastream.domain.booking.model import Booking, Inventory
from aquastream.domain.shared.principal import Principal
from aquastream.ports.booking import BookingUnitOfWork, OrganizerAccess


@dataclass(frozen=True, slots=True)
class BookingInContext:
    """A booking, its event's inventory, and what the caller is to it."""

    booking: Booking
    inventory: Inventory
    is_owner: bool
    is_manager: bool


async def can_manage_event(access: OrganizerAccess, principal: Principal, inventory: Inventory) -> bool:
    return principal.is_admin or await access.can_manage(principal, inventory.organizer_id)


async def load_event(uow: BookingUnitOfWork, event_id: uuid.UUID) -> Inventory:
    """The inventory of a published (or closed) event; drafts have none and are not found."""
    inventory = await uow.inventories.get(event_id)
    if inventory is None:
        raise EventNotFound()
    return inventory


async def load_managed_event(
    uow: BookingUnitOfWork, access: OrganizerAccess, principal: Principal, event_id: uuid.UUID
) -> Inventory:
    inventory = await load_event(uow, event_id)
    if not await can_manage_event(access, principal, inventory):
        raise BookingForbidden()
    return inventory


async def load_visible_booking(
    uow: BookingUnitOfWork, access: OrganizerAccess, principal: Principal, booking_id: uuid.UUID
) -> BookingInContext:
    """The booking if the caller owns it or manages its event; otherwise it does not exist
    for them (404), so that ids of other people's bookings reveal nothing."""
    booking = await uow.bookings.get(booking_id)
    if booking is None:
        raise BookingNotFound()
    inventory = await uow.inventories.get(booking.event_id)
    if inventory is None:
        raise BookingNotFound()
    is_owner = booking.user_id == principal.user_id
    is_manager = await can_manage_event(access, principal, inventory)
    if not (is_owner or is_manager):
        raise BookingNotFound()
    return BookingInContext(booking, inventory, is_owner, is_manager)
