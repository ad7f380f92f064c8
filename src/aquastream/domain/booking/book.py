"""Use case: a participant books a seat of a published event, alone or with named companions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import ClassVar

from aquastream.domain.booking.access import load_event
from aquastream.domain.booking.errors import (
    BookingDuplicate,
    EventFull,
    EventNotFound,
    EventNotOpen,
    PartyExceedsOffer,
    PartyTooLarge,
    ProfileIncomplete,
    WaitlistOfferExpired,
)
from aquastream.domain.booking.lifecycle import BookingLifecycle
from aquastream.domain.booking.model import (
    Booking,
    BookingStatus,
    Companion,
    LogReason,
    PaymentStatus,
    SaleTerms,
    WaitlistEntry,
)
from aquastream.domain.booking.party import CompanionRequest, party_of
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.booking.seats import find_offer, take_seat
from aquastream.domain.shared.errors import Raises, ValidationFailed
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal
from aquastream.domain.shared.requests import KeyedRequest, claim_key, record_answer
from aquastream.ports.booking import BookingUnitOfWork, ParticipantDirectory, PayLinks
from aquastream.ports.clock import Clock
from aquastream.ports.uow import ChangeCollided


class BookSeat:
    """Book a seat of a published event, or a seat for the caller and one for each named
    companion (a group booking, SPEC §12).

    Rules:
    - a party of N seats (the caller and N - 1 companions) has N ≤ ``policy.max_party``
      (``PartyTooLarge``); companions' names are trimmed, not empty, bounded and free of
      control characters, phones E.164 (``ValidationFailed``): checked before anything else;
    - the caller's profile has a phone or a Telegram handle (``ProfileIncomplete``);
    - the event is published (has an inventory: else ``EventNotFound``), still OPEN and not
      started (``EventNotOpen``);
    - at most one active (PENDING or CONFIRMED) booking per user and event
      (``BookingDuplicate`` carrying the existing booking's id); companions are not users,
      so they book nothing of their own;
    - all N seats are taken or none, by the step a late payment shares (``seats.take_seat``): a user whose
      waitlist entry is NOTIFIED takes the seat held for them and the entry is CONVERTED
      (``WaitlistOfferExpired`` once the window has lapsed, ``PartyExceedsOffer`` for a
      party larger than the entry's); anyone else takes N free seats by one conditional
      update that also requires that nobody is waiting, so free seats go to the queue first
      (``EventFull``: the waitlist is open);
    - the price of N seats is frozen into the booking (N x the price); a paid event gives
      PENDING with payment PENDING and a hold until ``now + hold`` (``BookingCreated`` then
      carries the link to pay it); a free one gives CONFIRMED with NOT_REQUIRED;
    - the booking, the seat, the log row, the waitlist conversion and the events
      (``BookingCreated``, and ``BookingConfirmed`` when free; see ``lifecycle``) commit
      together, with the request's ``Idempotency-Key`` and its answer when it has one: a
      repeat of a request that booked gets ``RequestAlreadyHandled`` before any rule runs.

    The common booking (free seats, nobody waiting and no seat held for anyone) is made at
    once (``UnitOfWork.at_once``): the booking, its log row, its events and its request's key
    with the answer are written with the conditional seat statement, so on PostgreSQL the
    whole booking is that one statement and the hot inventory row is locked only while it
    runs. Nothing is read first but the event's sale terms (its price, fixed once its sales
    open: kept by the adapter); the seat statement itself checks every rule of a seat (open,
    not started, enough free seats, nobody waiting, none held). Anything else (the seats gone
    or held, the event closed, a second active booking or the same key colliding, a key past
    its retention) falls back to the transaction above, which decides by the same rules and
    explains a refusal in their order.
    """

    raises: ClassVar[Raises] = (
        BookingDuplicate,
        EventFull,
        EventNotFound,
        EventNotOpen,
        PartyExceedsOffer,
        PartyTooLarge,
        ProfileIncomplete,
        ValidationFailed,
        WaitlistOfferExpired,
    )

    def __init__(
        self,
        uow: BookingUnitOfWork,
        clock: Clock,
        participants: ParticipantDirectory,
        policy: BookingPolicy,
        links: PayLinks,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._participants = participants
        self._policy = policy
        self._links = links

    async def __call__(
        self,
        principal: Principal,
        event_id: uuid.UUID,
        request: KeyedRequest[Booking] | None = None,
        companions: Sequence[CompanionRequest] = (),
    ) -> Booking:
        party = party_of(companions, self._policy)
        # Identity answers on a connection of its own: asked before booking's transaction
        # begins, so a request never holds one connection while it waits for another.
        contactable = await self._participants.is_contactable(principal.user_id)
        if contactable:
            booked = await self._book_at_once(principal, event_id, party, request)
            if booked is not None:
                return booked
        async with self._uow:
            now = self._clock.now()
            booking_id = new_id()
            # First: a repeat of a request that booked already is answered as it was.
            await claim_key(self._uow, request, booking_id, now=now)
            if not contactable:
                raise ProfileIncomplete()
            inventory = await load_event(self._uow, event_id)
            if not inventory.is_open_at(now):
                raise EventNotOpen()
            offer = await find_offer(self._uow, inventory, principal.user_id)
            booking = self._new_booking(booking_id, principal.user_id, inventory.terms, offer, party, now)
            # Lock order: booking, inventory, waitlist. A duplicate is refused on the unique
            # index without touching the hot inventory row, and everything that does not
            # depend on the seat is written before the row is locked: the lock is then held
            # for the seat statement and the commit only. (The price read above is final: a
            # published event's price cannot change.)
            await BookingLifecycle(self._uow).create(
                booking,
                reason=LogReason.BOOKED_FROM_WAITLIST if offer else LogReason.BOOKED,
                actor_id=principal.user_id,
                at=now,
                pay_url=self._pay_url(booking),
            )
            await self._uow.write_events()
            await take_seat(
                self._uow,
                event_id,
                principal.user_id,
                offer,
                now=now,
                policy=self._policy,
                seats=booking.party_size,
            )
            await record_answer(self._uow, request, booking)
            await self._uow.commit()
        return booking

    async def _book_at_once(
        self,
        principal: Principal,
        event_id: uuid.UUID,
        party: tuple[Companion, ...],
        request: KeyedRequest[Booking] | None,
    ) -> Booking | None:
        """The booking made at once (see the class), or None for the transaction to decide."""
        seats = 1 + len(party)
        async with self._uow.at_once():
            now = self._clock.now()
            booking_id = new_id()
            try:
                await claim_key(self._uow, request, booking_id, now=now)
                terms = await self._uow.inventories.terms(event_id)
                if terms is None:
                    return None
                booking = self._new_booking(booking_id, principal.user_id, terms, None, party, now)
                await BookingLifecycle(self._uow).create(
                    booking,
                    reason=LogReason.BOOKED,
                    actor_id=principal.user_id,
                    at=now,
                    pay_url=self._pay_url(booking),
                )
                await record_answer(self._uow, request, booking)
                taken = await self._uow.inventories.take_seat_at_once(event_id, now=now, seats=seats)
            except (ChangeCollided, BookingDuplicate):
                return None  # the transaction explains it, in the order of its rules
            if taken is None:
                return None
            await self._uow.commit()
        return booking

    def _pay_url(self, booking: Booking) -> str | None:
        return self._links.link_for(booking.id) if booking.status is BookingStatus.PENDING else None

    def _new_booking(
        self,
        booking_id: uuid.UUID,
        user_id: uuid.UUID,
        terms: SaleTerms,
        offer: WaitlistEntry | None,
        party: tuple[Companion, ...],
        now: datetime,
    ) -> Booking:
        free = terms.is_free
        party_size = 1 + len(party)
        return Booking(
            id=booking_id,
            event_id=terms.event_id,
            user_id=user_id,
            status=BookingStatus.CONFIRMED if free else BookingStatus.PENDING,
            payment_status=PaymentStatus.NOT_REQUIRED if free else PaymentStatus.PENDING,
            amount=(terms.price or Decimal(0)) * party_size,
            currency=terms.currency,
            created_at=now,
            updated_at=now,
            expires_at=None if free else now + self._policy.hold,
            waitlist_entry_id=offer.id if offer else None,
            party_size=party_size,
            companions=party,
        )
