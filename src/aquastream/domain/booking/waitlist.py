"""Use cases of the FIFO waitlist as its users see it: join (for one seat or a party's),
leave, my place, my queues. How seats reach entries of different sizes: docs/waitlist-policy.md."""

from __future__ import annotations

import uuid
from typing import ClassVar

from aquastream.domain.booking.access import load_event
from aquastream.domain.booking.errors import (
    AlreadyBooked,
    EventNotFound,
    EventNotOpen,
    PartyTooLarge,
    ProfileIncomplete,
    WaitlistDuplicate,
    WaitlistEntryNotFound,
    WaitlistNotNeeded,
)
from aquastream.domain.booking.handover import WaitlistOutOfStep, hand_over_free_seats, pass_on_held_seat
from aquastream.domain.booking.model import (
    WaitlistAction,
    WaitlistEntry,
    WaitlistPlace,
    WaitlistStatus,
)
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.booking.records import audit_entry
from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.principal import Principal
from aquastream.ports.booking import BookingUnitOfWork, ParticipantDirectory
from aquastream.ports.clock import Clock


class JoinWaitlist:
    """Queue for a seat of a full event.

    Rules:
    - the caller's profile has a phone or a Telegram handle, as booking needs
      (``ProfileIncomplete``): a seat held for someone who cannot book it would be wasted;
    - the event is published (``EventNotFound``), OPEN and not started (``EventNotOpen``);
    - the entry asks for ``party_size`` seats (the caller's and their companions'), at most
      ``policy.max_party`` and at most the event's capacity (``PartyTooLarge``: an entry that
      could never be served would block the queue behind it);
    - only when the party cannot book now: fewer free seats than it asks for, or people
      already waiting (``WaitlistNotNeeded``);
    - not with an active booking for the event (``AlreadyBooked``), nor twice
      (``WaitlistDuplicate``);
    - the position comes from the event's counter in the same conditional update that
      counts the entry as waiting, so positions are unique and strictly FIFO.
    """

    raises: ClassVar[Raises] = (
        AlreadyBooked,
        EventNotFound,
        EventNotOpen,
        PartyTooLarge,
        ProfileIncomplete,
        WaitlistDuplicate,
        WaitlistNotNeeded,
    )

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

    async def __call__(self, principal: Principal, event_id: uuid.UUID, party_size: int = 1) -> WaitlistPlace:
        user_id = principal.user_id
        if not 1 <= party_size <= self._policy.max_party:
            raise PartyTooLarge(self._policy.max_party)
        # Asked before booking's transaction begins: identity answers on its own connection.
        if not await self._participants.is_contactable(user_id):
            raise ProfileIncomplete()
        async with self._uow:
            now = self._clock.now()
            inventory = await load_event(self._uow, event_id)
            if not inventory.is_open_at(now):
                raise EventNotOpen()
            if party_size > inventory.capacity:
                raise PartyTooLarge(min(self._policy.max_party, inventory.capacity))
            # Cheap refusals before the hot row is touched; repeated under its lock below.
            if await self._uow.bookings.active_for(event_id, user_id) is not None:
                raise AlreadyBooked()
            if await self._uow.waitlist.live_entry(event_id, user_id) is not None:
                raise WaitlistDuplicate()
            position = await self._uow.inventories.enqueue(event_id, now=now, seats=party_size)
            if position is None:
                current = await self._uow.inventories.get(event_id)
                if current is None or not current.is_open_at(now):
                    raise EventNotOpen()
                raise WaitlistNotNeeded()
            # The inventory is locked: a booking committed since the first look is visible now.
            if await self._uow.bookings.active_for(event_id, user_id) is not None:
                raise AlreadyBooked()
            entry = WaitlistEntry(
                id=new_id(),
                event_id=event_id,
                user_id=user_id,
                position=position,
                status=WaitlistStatus.WAITING,
                joined_at=now,
                party_size=party_size,
            )
            await self._uow.waitlist.add(entry)
            await self._uow.waitlist_audit.add(
                audit_entry(entry, WaitlistAction.JOINED, actor_id=user_id, at=now)
            )
            place = await self._uow.waitlist.place(entry)
            await self._uow.commit()
        return WaitlistPlace(entry, place)


class LeaveWaitlist:
    """Leave the queue of an event.

    Rules:
    - only a live (WAITING or NOTIFIED) entry can leave (``WaitlistEntryNotFound``);
    - a NOTIFIED entry gives up the seats held for it: the next in the queue gets them, or
      the pool when nobody waits; a WAITING entry that leaves may let the entry behind it be
      served with seats that were waiting for it (strict FIFO by whole parties);
    - the entry becomes REMOVED and the action is audited.
    """

    raises: ClassVar[Raises] = (EventNotFound, WaitlistEntryNotFound)

    def __init__(self, uow: BookingUnitOfWork, clock: Clock, policy: BookingPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy

    async def __call__(self, principal: Principal, event_id: uuid.UUID) -> None:
        async with self._uow:
            now = self._clock.now()
            # Locked first, so the entry read next cannot be notified or lapse under us.
            if await self._uow.inventories.lock(event_id) is None:
                raise EventNotFound()
            entry = await self._uow.waitlist.live_entry(event_id, principal.user_id)
            if entry is None:
                raise WaitlistEntryNotFound()
            if not await self._uow.waitlist.remove(entry.id, expected=entry.status):
                raise WaitlistOutOfStep(f"entry {entry.id} changed under the inventory lock")
            await self._uow.waitlist_audit.add(
                audit_entry(entry, WaitlistAction.REMOVED, actor_id=principal.user_id, at=now)
            )
            if entry.status is WaitlistStatus.NOTIFIED:
                await pass_on_held_seat(
                    self._uow, event_id, now=now, policy=self._policy, seats=entry.party_size
                )
            else:
                if not await self._uow.inventories.dequeue_waiting(event_id):
                    raise WaitlistOutOfStep(f"event {event_id} counts no waiting entry")
                # A party at the head that did not fit held free seats back: the entry behind
                # it may fit them now.
                await hand_over_free_seats(self._uow, event_id, now=now, policy=self._policy)
            await self._uow.commit()


class GetMyWaitlistPosition:
    """The caller's live entry for an event and its 1-based place among the live entries."""

    raises: ClassVar[Raises] = (WaitlistEntryNotFound,)

    def __init__(self, uow: BookingUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal, event_id: uuid.UUID) -> WaitlistPlace:
        async with self._uow:
            entry = await self._uow.waitlist.live_entry(event_id, principal.user_id)
            if entry is None:
                raise WaitlistEntryNotFound()
            return WaitlistPlace(entry, await self._uow.waitlist.place(entry))


class ListMyWaitlist:
    """The caller's live waitlist entries with their places, oldest first."""

    raises: ClassVar[Raises] = ()

    def __init__(self, uow: BookingUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal, paging: PageRequest) -> Page[WaitlistPlace]:
        async with self._uow:
            entries = await self._uow.waitlist.live_for_user(principal.user_id, paging)
            places = [WaitlistPlace(entry, await self._uow.waitlist.place(entry)) for entry in entries.items]
        return Page(places, entries.total, entries.page, entries.size)
