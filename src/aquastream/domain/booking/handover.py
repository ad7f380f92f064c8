"""How freed seats reach the waitlist: the first WAITING entry gets a held seat and a window."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Mapping
from datetime import datetime

from aquastream.domain.booking.events import WaitlistSeatOffered
from aquastream.domain.booking.model import WaitlistAction
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.booking.records import audit_entry
from aquastream.ports.booking import BookingUnitOfWork


class WaitlistOutOfStep(RuntimeError):
    """The inventory counted a WAITING entry that the waitlist does not have: a bug, never a
    user error; raising rolls the transaction back instead of holding a seat for nobody."""


async def hand_over_free_seats(
    uow: BookingUnitOfWork, event_id: uuid.UUID, *, now: datetime, policy: BookingPolicy
) -> int:
    """Hold free seats for WAITING entries, first position first, while both exist.

    Each round is one conditional update of the inventory (which locks its row), and only
    then is the first WAITING entry read, so two hand-overs of one event never pick the
    same entry. A seat nobody waits for stays in ``available``. Returns the seats offered.
    """
    offered = 0
    window_expires_at = now + policy.waitlist_window
    while await uow.inventories.offer_seat_to_queue(event_id, now=now):
        entry = await uow.waitlist.first_waiting(event_id)
        if entry is None or not await uow.waitlist.notify(
            entry.id, now=now, window_expires_at=window_expires_at
        ):
            raise WaitlistOutOfStep(f"event {event_id} counts a waiting entry it does not have")
        await uow.waitlist_audit.add(audit_entry(entry, WaitlistAction.NOTIFIED, actor_id=None, at=now))
        uow.collect(
            WaitlistSeatOffered(
                occurred_at=now,
                user_id=entry.user_id,
                event_id=event_id,
                entry_id=entry.id,
                window_expires_at=window_expires_at,
            )
        )
        offered += 1
    return offered


async def return_seats_of_batch(
    uow: BookingUnitOfWork, seats: Mapping[uuid.UUID, int], *, now: datetime, policy: BookingPolicy
) -> int:
    """Bookings of several events gave their seats back (``seats[event_id]`` each): every
    event's seats return to its pool, then as many as it has WAITING entries are held for its
    queue, first position first, as ``return_seat`` one seat at a time would have done.

    One statement returns the seats and holds them for the queues of all the events (their
    inventories locked in ascending event-id order), one notifies the entries picked, one
    writes their audit rows. Returns the seats offered.
    """
    held = await uow.inventories.return_seats(seats, now=now)
    if not held:
        return 0
    window_expires_at = now + policy.waitlist_window
    notified = await uow.waitlist.notify_first(held, now=now, window_expires_at=window_expires_at)
    per_event = Counter(entry.event_id for entry in notified)
    if per_event != Counter(held):
        raise WaitlistOutOfStep(f"events {sorted(held)} count waiting entries they do not have")
    await uow.waitlist_audit.add(
        *(audit_entry(entry, WaitlistAction.NOTIFIED, actor_id=None, at=now) for entry in notified)
    )
    uow.collect(
        *(
            WaitlistSeatOffered(
                occurred_at=now,
                user_id=entry.user_id,
                event_id=entry.event_id,
                entry_id=entry.id,
                window_expires_at=window_expires_at,
            )
            for entry in notified
        )
    )
    return len(notified)


async def return_seat(
    uow: BookingUnitOfWork, event_id: uuid.UUID, *, now: datetime, policy: BookingPolicy
) -> None:
    """A booking gave its seat back: it returns to the pool, then to the queue if anyone waits."""
    await uow.inventories.release_seats(event_id)
    await hand_over_free_seats(uow, event_id, now=now, policy=policy)


async def pass_on_held_seat(
    uow: BookingUnitOfWork, event_id: uuid.UUID, *, now: datetime, policy: BookingPolicy
) -> None:
    """A notified entry gave its held seat up: the next in the queue gets it, else the pool."""
    if not await uow.inventories.release_held_seat(event_id):
        raise WaitlistOutOfStep(f"event {event_id} holds no seat for a notified entry")
    await hand_over_free_seats(uow, event_id, now=now, policy=policy)
