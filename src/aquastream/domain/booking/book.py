"""Use case: a participant books a seat of a published event."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from aquastream.domain.booking.access import load_event
from aquastream.domain.booking.errors import (
    EventFull,
    EventNotOpen,
    ProfileIncomplete,
    WaitlistOfferExpired,
)
from aquastream.domain.booking.events import BookingConfirmed, BookingCreated
from aquastream.domain.booking.handover import WaitlistOutOfStep, pass_on_held_seat
from aquastream.domain.booking.model import (
    Booking,
    BookingStatus,
    Inventory,
    LogReason,
    PaymentStatus,
    WaitlistAction,
    WaitlistEntry,
    WaitlistStatus,
)
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.booking.records import audit_entry, log_entry
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal
from aquastream.ports.booking import BookingUnitOfWork, ParticipantDirectory
from aquastream.ports.clock import Clock

_CENT = Decimal("0.01")


class BookSeat:
    """Book a seat of a published event.

    Rules:
    - the caller's profile has a phone or a Telegram handle (``ProfileIncomplete``);
    - the event is published (has an inventory: else ``EventNotFound``), still OPEN and not
      started (``EventNotOpen``);
    - at most one active (PENDING or CONFIRMED) booking per user and event
      (``BookingDuplicate`` carrying the existing booking's id);
    - a user whose waitlist entry is NOTIFIED takes the seat held for them and the entry is
      CONVERTED (``WaitlistOfferExpired`` once the window has lapsed);
    - anyone else takes a seat by one conditional update that also requires that nobody is
      waiting, so free seats go to the queue first (``EventFull``: the waitlist is open);
    - the price is frozen into the booking; a paid event gives PENDING with payment PENDING
      and a hold until ``now + hold``; a free one gives CONFIRMED with NOT_REQUIRED;
    - the booking, the seat, the log row, the waitlist conversion and the events
      (``BookingCreated``, and ``BookingConfirmed`` when free) commit together.
    """

    def __init__(
        self,
        uow: BookingUnitOfWork,
        clock: Clock,
        participants: ParticipantDirectory,
        policy: BookingPolicy,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._participants = participants
        self._policy = policy

    async def __call__(self, principal: Principal, event_id: uuid.UUID) -> Booking:
        async with self._uow:
            if not await self._participants.is_contactable(principal.user_id):
                raise ProfileIncomplete()
            now = self._clock.now()
            inventory = await load_event(self._uow, event_id)
            if not inventory.is_open_at(now):
                raise EventNotOpen()
            # Read before the inventory is locked: only a hint of which seat to take, checked
            # again by the conditional statements below. No seat held for anyone (``reserved``
            # is the number of NOTIFIED entries) means no offer to look for: the common case
            # costs no waitlist read.
            offer = None
            if inventory.reserved > 0:
                entry = await self._uow.waitlist.live_entry(event_id, principal.user_id)
                offer = entry if entry is not None and entry.status is WaitlistStatus.NOTIFIED else None
            booking = self._new_booking(principal.user_id, inventory, offer, now)
            # Lock order: booking, inventory, waitlist. A duplicate is refused on the unique
            # index without touching the hot inventory row, and everything that does not
            # depend on the seat is written before the row is locked: the lock is then held
            # for the seat statement and the commit only. (The price read above is final: a
            # published event's price cannot change.)
            await self._uow.bookings.add(booking)
            await self._uow.log.add(
                log_entry(
                    booking,
                    old_status=None,
                    reason=LogReason.BOOKED_FROM_WAITLIST if offer else LogReason.BOOKED,
                    actor_id=principal.user_id,
                    at=now,
                )
            )
            self._uow.collect(
                BookingCreated(
                    occurred_at=now,
                    booking_id=booking.id,
                    event_id=event_id,
                    user_id=booking.user_id,
                    status=booking.status,
                    payment_status=booking.payment_status,
                    amount=booking.amount,
                    currency=booking.currency,
                    expires_at=booking.expires_at,
                )
            )
            if booking.status is BookingStatus.CONFIRMED:
                self._uow.collect(
                    BookingConfirmed(
                        occurred_at=now, booking_id=booking.id, event_id=event_id, user_id=booking.user_id
                    )
                )
            await self._uow.write_events()
            if offer is not None:
                await self._take_held_seat(offer, now)
            else:
                await self._take_free_seat(principal.user_id, event_id, now)
            await self._uow.commit()
        return booking

    def _new_booking(
        self, user_id: uuid.UUID, inventory: Inventory, offer: WaitlistEntry | None, now: datetime
    ) -> Booking:
        free = inventory.is_free
        return Booking(
            id=new_id(),
            event_id=inventory.event_id,
            user_id=user_id,
            status=BookingStatus.CONFIRMED if free else BookingStatus.PENDING,
            payment_status=PaymentStatus.NOT_REQUIRED if free else PaymentStatus.PENDING,
            amount=inventory.price or Decimal(0),
            currency=inventory.currency,
            created_at=now,
            updated_at=now,
            expires_at=None if free else now + self._policy.hold,
            waitlist_entry_id=offer.id if offer else None,
        )

    async def _take_held_seat(self, offer: WaitlistEntry, now: datetime) -> None:
        if offer.window_expires_at is not None and offer.window_expires_at <= now:
            raise WaitlistOfferExpired()
        taken = await self._uow.inventories.take_held_seat(offer.event_id, now=now)
        # With the inventory locked, the entry is still NOTIFIED unless its window lapsed (and
        # the held seat went on) in between; then everything rolls back.
        if taken is None or not await self._uow.waitlist.convert(offer.id, now=now):
            raise WaitlistOfferExpired()
        await self._uow.waitlist_audit.add(
            audit_entry(offer, WaitlistAction.CONVERTED, actor_id=offer.user_id, at=now)
        )

    async def _take_free_seat(self, user_id: uuid.UUID, event_id: uuid.UUID, now: datetime) -> None:
        locked = await self._uow.inventories.take_seat(event_id, now=now)
        if locked is None:
            raise EventFull()
        # The inventory is locked now. A seat may have been handed to this user between the
        # first look and the lock (they were the last one waiting): they have a seat, so the
        # entry is settled and the seat held for it goes on to the queue or the pool. With no
        # seat held for anyone there is no such entry, and the lock is released sooner.
        if locked.reserved == 0:
            return
        late = await self._uow.waitlist.live_entry(event_id, user_id)
        if late is None or late.status is not WaitlistStatus.NOTIFIED:
            return
        action = WaitlistAction.CONVERTED
        if not await self._uow.waitlist.convert(late.id, now=now):
            action = WaitlistAction.EXPIRED
            if not await self._uow.waitlist.expire_lapsed(late.id, now=now):
                raise WaitlistOutOfStep(f"notified entry {late.id} neither converts nor lapses")
        await self._uow.waitlist_audit.add(audit_entry(late, action, actor_id=user_id, at=now))
        await pass_on_held_seat(self._uow, event_id, now=now, policy=self._policy)
