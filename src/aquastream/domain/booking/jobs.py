"""Use cases run by the scheduler or by other domains' events: expiry, lapsed windows,
hand-over after a capacity change, and settling the bookings of a finished or cancelled event.

Every one is idempotent and safe to run in several workers at once: the state changes are
conditional statements, so a second run (or a second worker) finds nothing left to do.
A transaction that touches several events locks their inventories in ascending event-id
order, so two such transactions never wait for each other in a cycle.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime

from aquastream.domain.booking.events import WaitlistClosed
from aquastream.domain.booking.handover import (
    hand_over_free_seats,
    pass_on_held_seat,
    return_seats_of_batch,
)
from aquastream.domain.booking.lifecycle import BookingLifecycle
from aquastream.domain.booking.model import (
    ALL_EVENTS,
    BookingStatus,
    EventShare,
    InventoryStatus,
    LogReason,
    WaitlistAction,
    WaitlistStatus,
)
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.booking.records import audit_entry
from aquastream.ports.booking import BookingUnitOfWork, CheckInRecord, PaymentStatusProbe
from aquastream.ports.clock import Clock


class ExpireHolds:
    """Expire PENDING bookings whose hold has ended (the job that runs every minute).

    Rules:
    - at most ``policy.expiry_batch_size`` bookings per run, claimed with row locks that
      other workers skip (``FOR UPDATE SKIP LOCKED``), so each booking expires exactly once;
    - a run may take one ``share`` of the events only: lanes that run at once on disjoint
      shares (``policy.expiry_lanes``) never lock the same inventory or queue;
    - a booking whose payment holds the seat is never expired: the payment domain is asked
      first, and a succeeded payment (its confirmation is on its way) or a QR receipt under
      review extends the hold to the time the payment domain names instead;
    - an expired booking's seat returns and is handed to the waitlist if anyone waits;
    - each expiry writes a log row and raises ``BookingExpired``.
    Returns how many bookings expired.

    The batch is handled as a set, in a fixed number of statements whatever its size: one
    question to the payment domain for the whole batch, one conditional update of the
    bookings (a booking another transaction moved meanwhile is left out), their log rows
    together, one update returning the seats of every event touched (locked in ascending
    event-id order) and one hand-over to their queues.
    """

    def __init__(
        self, uow: BookingUnitOfWork, clock: Clock, payments: PaymentStatusProbe, policy: BookingPolicy
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._payments = payments
        self._policy = policy

    async def __call__(self, share: EventShare = ALL_EVENTS) -> int:
        async with self._uow:
            now = self._clock.now()
            claimed = await self._uow.bookings.claim_expired(
                now=now, limit=self._policy.expiry_batch_size, share=share
            )
            if not claimed:
                return 0
            kept = await self._payments.hold_until_many(claimed, now=now)
            await self._uow.bookings.extend_holds(kept, now=now)
            expired = await BookingLifecycle(self._uow).move_many(
                [booking_id for booking_id in claimed if booking_id not in kept],
                old=BookingStatus.PENDING,
                new=BookingStatus.EXPIRED,
                reason=LogReason.HOLD_EXPIRED,
                at=now,
            )
            freed: Counter[uuid.UUID] = Counter()
            for booking in expired:
                freed[booking.event_id] += booking.party_size
            # The facts go out before the inventories are locked, which then stay locked for
            # the seats' return, the hand-over and the commit only.
            await self._uow.write_events()
            await return_seats_of_batch(self._uow, freed, now=now, policy=self._policy)
            await self._uow.commit()
        return len(expired)


class LapseWaitlistWindows:
    """Drop NOTIFIED waitlist entries whose window has lapsed (a scheduled job).

    Rules:
    - the entry becomes EXPIRED (audited) and its held seat goes to the next WAITING entry,
      or back to the pool when nobody waits;
    - at most ``policy.lapse_batch_size`` entries per run; an entry that was converted,
      left or lapsed by another worker in the meantime is skipped.
    Returns how many entries lapsed.
    """

    def __init__(self, uow: BookingUnitOfWork, clock: Clock, policy: BookingPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy

    async def __call__(self) -> int:
        lapsed = 0
        async with self._uow:
            now = self._clock.now()
            candidates = await self._uow.waitlist.lapsed(now=now, limit=self._policy.lapse_batch_size)
            for entry in sorted(candidates, key=lambda e: (e.event_id, e.position)):
                # Inventory first, then the entry: the order every transaction keeps.
                await self._uow.inventories.lock(entry.event_id)
                if not await self._uow.waitlist.expire_lapsed(entry.id, now=now):
                    continue
                await self._uow.waitlist_audit.add(
                    audit_entry(entry, WaitlistAction.EXPIRED, actor_id=None, at=now)
                )
                await pass_on_held_seat(
                    self._uow, entry.event_id, now=now, policy=self._policy, seats=entry.party_size
                )
                lapsed += 1
            await self._uow.commit()
        return lapsed


class HandOverFreedSeats:
    """Hold seats that became free (a capacity increase) for the waiting users, first come
    first served; the handler of the catalog's ``EventCapacityChanged``. Idempotent: with no
    free seat or nobody waiting it changes nothing. Returns how many seats were offered."""

    def __init__(self, uow: BookingUnitOfWork, clock: Clock, policy: BookingPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy

    async def __call__(self, event_id: uuid.UUID) -> int:
        async with self._uow:
            offered = await hand_over_free_seats(
                self._uow, event_id, now=self._clock.now(), policy=self._policy
            )
            await self._uow.commit()
        return offered


async def _close_queue(
    uow: BookingUnitOfWork, event_id: uuid.UUID, *, now: datetime, event_cancelled: bool = False
) -> None:
    """Close the event's waitlist: entries become REMOVED (waiting) or EXPIRED (notified), are
    audited, and the seats held for them return to the pool. The inventory is locked already.
    When the event was cancelled, each person in the queue is told (``WaitlistClosed``); an
    event that is over needs no word."""
    closed = await uow.waitlist.close_all(event_id)
    if event_cancelled:
        uow.collect(
            *(
                WaitlistClosed(occurred_at=now, user_id=entry.user_id, event_id=event_id, entry_id=entry.id)
                for entry in closed
            )
        )
    await uow.inventories.clear_queue(event_id)
    await uow.waitlist_audit.add(
        *(
            audit_entry(
                entry,
                WaitlistAction.EXPIRED if entry.status is WaitlistStatus.EXPIRED else WaitlistAction.REMOVED,
                actor_id=None,
                at=now,
            )
            for entry in closed
        )
    )


class CompleteEventBookings:
    """Settle the bookings of an event that is over; the handler of the catalog's
    ``EventCompleted``.

    Rules:
    - every CONFIRMED booking becomes COMPLETED (logged); it keeps its seat;
    - but when the event used check-in (the tickets domain checked at least one seat in),
      a CONFIRMED booking none of whose seats was checked in becomes NO_SHOW instead (the
      rule of a no-show recorded by hand, ``BookingMarkedNoShow``). An event that never
      used check-in completes everyone: nobody was counted at the door;
    - PENDING bookings are left to the expiry job, which still asks the payment domain;
    - sales stop for good (they stopped at the start already) and the waitlist is closed.
    Idempotent. Returns how many bookings were completed.
    """

    def __init__(self, uow: BookingUnitOfWork, clock: Clock, check_ins: CheckInRecord) -> None:
        self._uow = uow
        self._clock = clock
        self._check_ins = check_ins

    async def __call__(self, event_id: uuid.UUID) -> int:
        checked_in = await self._check_ins.bookings_checked_in(event_id)
        async with self._uow:
            now = self._clock.now()
            lifecycle = BookingLifecycle(self._uow)
            if checked_in is None:
                completed = await lifecycle.move_all(
                    event_id,
                    old=BookingStatus.CONFIRMED,
                    new=BookingStatus.COMPLETED,
                    reason=LogReason.EVENT_COMPLETED,
                    at=now,
                )
            else:
                completed = await lifecycle.move_many(
                    checked_in,
                    old=BookingStatus.CONFIRMED,
                    new=BookingStatus.COMPLETED,
                    reason=LogReason.EVENT_COMPLETED,
                    at=now,
                )
                await lifecycle.move_all(
                    event_id,
                    old=BookingStatus.CONFIRMED,
                    new=BookingStatus.NO_SHOW,
                    reason=LogReason.NO_SHOW,
                    at=now,
                )
            if await self._uow.inventories.lock(event_id) is not None:
                await self._uow.inventories.close(event_id, InventoryStatus.COMPLETED)
                await _close_queue(self._uow, event_id, now=now)
            await self._uow.commit()
        return len(completed)


class CancelEventBookings:
    """Cancel every active booking of a cancelled event; the handler of the catalog's
    ``EventCancelled``.

    Rules:
    - every PENDING and CONFIRMED booking becomes CANCELLED and its seat returns; as every
      cancellation does (``lifecycle``), it is logged and raises ``BookingCancelled`` (its
      owner is notified), and money held for it goes back (``RefundRequested``);
    - sales stop for good (the catalog stopped them before it cancelled; this is the
      backstop), the waitlist is closed, and everyone in it hears of it (``WaitlistClosed``).
    Idempotent. Returns how many bookings were cancelled.
    """

    def __init__(self, uow: BookingUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, event_id: uuid.UUID) -> int:
        cancelled_count = 0
        freed_seats = 0
        async with self._uow:
            now = self._clock.now()
            lifecycle = BookingLifecycle(self._uow)
            for old in (BookingStatus.PENDING, BookingStatus.CONFIRMED):
                cancelled = await lifecycle.move_all(
                    event_id, old=old, new=BookingStatus.CANCELLED, reason=LogReason.EVENT_CANCELLED, at=now
                )
                cancelled_count += len(cancelled)
                freed_seats += sum(booking.party_size for booking in cancelled)
            if await self._uow.inventories.lock(event_id) is not None:
                await self._uow.inventories.close(event_id, InventoryStatus.CANCELLED)
                if freed_seats:
                    await self._uow.inventories.release_seats(event_id, freed_seats)
                await _close_queue(self._uow, event_id, now=now, event_cancelled=True)
            await self._uow.commit()
        return cancelled_count
