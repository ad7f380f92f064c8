"""What a booking's holder (or its event's organizer) may do next, and where to pay: the
booking as responses show it (SPEC §4: ``actions``, the open ``paymentId`` and ``payUrl``).

Actions, for the caller at this moment:

- ``PAY``: the owner, while the booking is PENDING, unpaid and its hold lasts, and no payment
  of it is already being processed or reviewed (a QR receipt under review, a card payment
  the provider is settling); an open payment that waits for the payer, or a refused receipt,
  leaves ``PAY`` on: the payer goes on with it or pays another way;
- ``CANCEL``: an active booking, by its owner until the event starts, by the organizer (or
  an admin) at any time;
- ``CONFIRM``: the organizer, for a PENDING booking (paid outside the app);
- ``NO_SHOW``: the organizer, for a CONFIRMED booking once the event has started.

``payUrl`` is the open card payment's page at its provider when there is one, else, while
``PAY`` is on, the booking's own signed pay link (it opens a card payment and forwards to
the provider's page), which messages carry too.

What the booking is for, so that a list answers "which trip, when, with whom" (decisions
where the spec is silent):

- ``event``: the event's title, start and end, from booking's own copy of the published
  event (its inventory: a published event's title and dates no longer change), and its
  organizer's slug and name, asked of the catalog (``OrganizerNames``) once per page;
- ``participant``: who booked, for the event's organizer (and admins) only: the name and the
  contacts of the profile (email, phone, Telegram), as the participants CSV gives them,
  asked of identity (``ParticipantDirectory``) once per page. An organizer needs them to
  reach the people on their trip; the participant sees no one else's, and their own
  bookings do not repeat their profile. A deleted account shows no email.

Both are asked after booking's transaction, each in one question for the whole page. The
answer to booking a seat (``new``) reads nothing and carries neither.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import ClassVar

from aquastream.domain.booking.access import can_manage_event
from aquastream.domain.booking.model import (
    ACTIVE_STATUSES,
    Booking,
    BookingAction,
    BookingStatus,
    Inventory,
    OpenPayment,
    OrganizerName,
    ParticipantContact,
    PaymentStatus,
)
from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.principal import Principal
from aquastream.ports.booking import (
    BookingUnitOfWork,
    OpenPayments,
    OrganizerAccess,
    OrganizerNames,
    ParticipantDirectory,
    PayLinks,
)
from aquastream.ports.clock import Clock

# Statuses of an open payment that is in someone else's hands than the payer's.
_PAYMENT_UNDER_WAY = frozenset({"PROCESSING", "SUBMITTED"})


@dataclass(frozen=True, slots=True)
class BookedEvent:
    """The event a booking is for; ``organizer`` is None if the catalog no longer knows it."""

    event_id: uuid.UUID
    title: str
    starts_at: datetime
    ends_at: datetime
    organizer_id: uuid.UUID
    organizer: OrganizerName | None


@dataclass(frozen=True, slots=True)
class BookingView:
    booking: Booking
    actions: tuple[BookingAction, ...]
    payment_id: uuid.UUID | None = None
    pay_url: str | None = None
    event: BookedEvent | None = None
    participant: ParticipantContact | None = None  # for the event's organizer only


def actions_for(
    booking: Booking,
    *,
    is_owner: bool,
    is_manager: bool,
    started: bool,
    payment: OpenPayment | None,
    now: datetime,
) -> tuple[BookingAction, ...]:
    """The actions of the module's docstring, in a stable order."""
    pending = booking.status is BookingStatus.PENDING
    payable = (
        is_owner
        and pending
        and booking.payment_status is PaymentStatus.PENDING
        and booking.expires_at is not None
        and booking.expires_at > now
        and (payment is None or payment.status not in _PAYMENT_UNDER_WAY)
    )
    allowed = {
        BookingAction.PAY: payable,
        BookingAction.CANCEL: booking.status in ACTIVE_STATUSES
        and (is_manager or (is_owner and not started)),
        BookingAction.CONFIRM: is_manager and pending,
        BookingAction.NO_SHOW: is_manager and booking.status is BookingStatus.CONFIRMED and started,
    }
    return tuple(action for action, on in allowed.items() if on)


class DescribeBookings:
    """Bookings as the caller sees them: each with its actions, open payment and pay link.

    ``new`` describes a booking its owner has just made, with nothing to read: the event has
    not started (it was bookable) and no payment exists yet. ``__call__`` reads what the
    actions depend on: the events' inventories, whether the caller manages them, and, for
    PENDING bookings only, their open payments (asked of payments).
    """

    raises: ClassVar[Raises] = ()

    def __init__(
        self,
        uow: BookingUnitOfWork,
        clock: Clock,
        access: OrganizerAccess,
        payments: OpenPayments,
        links: PayLinks,
        organizers: OrganizerNames,
        participants: ParticipantDirectory,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._access = access
        self._payments = payments
        self._links = links
        self._organizers = organizers
        self._participants = participants

    def new(self, booking: Booking) -> BookingView:
        return self._view(booking, is_owner=True, is_manager=False, started=False, payment=None)

    async def __call__(self, principal: Principal, bookings: Sequence[Booking]) -> list[BookingView]:
        async with self._uow:
            inventories = {
                event_id: inventory
                for event_id in {b.event_id for b in bookings}
                if (inventory := await self._uow.inventories.get(event_id)) is not None
            }
            managed = {
                event_id: await can_manage_event(self._access, principal, inventory)
                for event_id, inventory in inventories.items()
            }
        # Each other domain is asked once for the whole page, after booking's transaction.
        pending = [b.id for b in bookings if b.status is BookingStatus.PENDING]
        payments: Mapping[uuid.UUID, OpenPayment] = await self._payments.open_for(pending) if pending else {}
        events = await self._events(inventories.values())
        contacts = await self._contacts({b.user_id for b in bookings if managed.get(b.event_id, False)})
        now = self._clock.now()
        views = []
        for booking in bookings:
            is_manager = managed.get(booking.event_id, False)
            view = self._view(
                booking,
                is_owner=booking.user_id == principal.user_id,
                is_manager=is_manager,
                started=_started(inventories.get(booking.event_id), now),
                payment=payments.get(booking.id),
            )
            participant = contacts.get(booking.user_id) or ParticipantContact(booking.user_id)
            views.append(
                replace(
                    view,
                    event=events.get(booking.event_id),
                    participant=participant if is_manager else None,
                )
            )
        return views

    async def _events(self, inventories: Iterable[Inventory]) -> dict[uuid.UUID, BookedEvent]:
        inventories = list(inventories)
        organizer_ids = {inventory.organizer_id for inventory in inventories}
        names = await self._organizers.names(organizer_ids) if organizer_ids else {}
        return {
            inventory.event_id: BookedEvent(
                event_id=inventory.event_id,
                title=inventory.title,
                starts_at=inventory.starts_at,
                ends_at=inventory.ends_at,
                organizer_id=inventory.organizer_id,
                organizer=names.get(inventory.organizer_id),
            )
            for inventory in inventories
        }

    async def _contacts(self, user_ids: set[uuid.UUID]) -> Mapping[uuid.UUID, ParticipantContact]:
        return await self._participants.contacts(user_ids) if user_ids else {}

    def _view(
        self,
        booking: Booking,
        *,
        is_owner: bool,
        is_manager: bool,
        started: bool,
        payment: OpenPayment | None,
    ) -> BookingView:
        actions = actions_for(
            booking,
            is_owner=is_owner,
            is_manager=is_manager,
            started=started,
            payment=payment,
            now=self._clock.now(),
        )
        pay_url = payment.page_url if payment is not None else None
        if pay_url is None and BookingAction.PAY in actions:
            pay_url = self._links.link_for(booking.id)
        return BookingView(
            booking,
            actions,
            payment.payment_id if payment is not None else None,
            pay_url if is_owner else None,
        )


def _started(inventory: Inventory | None, now: datetime) -> bool:
    return inventory is None or inventory.has_started(now)
