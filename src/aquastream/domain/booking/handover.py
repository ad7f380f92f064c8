"""How freed seats reach the waitlist: the first WAITING entry gets its party's seats held and a window."""

from __future__ import annotations

import uuid
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
    """Hold free seats for WAITING entries, first position first, while the first entry's
    whole party fits in the free seats (strict FIFO, docs/waitlist-policy.md).

    The inventory row is locked first, and only then is the first WAITING entry read, so two
    hand-overs of one event never pick the same entry. Each offer is one conditional update
    (``available - n, reserved + n, waiting - 1`` where ``available >= n``). When the first
    entry asks for more seats than are free, the hand-over stops: the free seats stay in
    ``available``, where nobody else can book them while someone waits, until enough are
    free for it. A seat nobody waits for stays in ``available``. Returns the entries offered.
    """
    inventory = await uow.inventories.lock(event_id)
    if inventory is None or inventory.waiting == 0 or inventory.available == 0:
        return 0
    offered = 0
    window_expires_at = now + policy.waitlist_window
    while True:
        entry = await uow.waitlist.first_waiting(event_id)
        if entry is None:
            if offered < inventory.waiting:
                raise WaitlistOutOfStep(f"event {event_id} counts a waiting entry it does not have")
            break
        if not await uow.inventories.offer_seat_to_queue(event_id, now=now, seats=entry.party_size):
            break
        if not await uow.waitlist.notify(entry.id, now=now, window_expires_at=window_expires_at):
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
    """Bookings of several events gave their seats back (``seats[event_id]`` each): one
    statement returns every event's seats to its pool (the inventories locked in ascending
    event-id order) and names the events whose queue may now be served; each of those hands
    its free seats over as ``hand_over_free_seats`` does, in the same order. An event nobody
    waits for costs nothing more. Returns the entries offered.
    """
    served = await uow.inventories.return_seats(seats, now=now)
    offered = 0
    for event_id in sorted(served):
        offered += await hand_over_free_seats(uow, event_id, now=now, policy=policy)
    return offered


async def return_seat(
    uow: BookingUnitOfWork, event_id: uuid.UUID, *, now: datetime, policy: BookingPolicy, seats: int = 1
) -> None:
    """A booking (or one companion) gave its seats back: they return to the pool, then to the
    queue if anyone waits."""
    await uow.inventories.release_seats(event_id, seats)
    await hand_over_free_seats(uow, event_id, now=now, policy=policy)


async def pass_on_held_seat(
    uow: BookingUnitOfWork, event_id: uuid.UUID, *, now: datetime, policy: BookingPolicy, seats: int = 1
) -> None:
    """A notified entry gave up the ``seats`` held for it: the next in the queue gets them,
    else the pool."""
    if not await uow.inventories.release_held_seat(event_id, seats):
        raise WaitlistOutOfStep(f"event {event_id} holds no seat for a notified entry")
    await hand_over_free_seats(uow, event_id, now=now, policy=policy)
