"""How freed seats reach the waitlist: the first WAITING entry gets its party's seats held and a window."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime

from aquastream.domain.booking.events import WaitlistSeatOffered
from aquastream.domain.booking.model import Inventory, QueueOffer, WaitlistAction, WaitlistEntry
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.booking.records import audit_entry
from aquastream.ports.booking import BookingUnitOfWork


class WaitlistOutOfStep(RuntimeError):
    """The inventory counted a WAITING entry that the waitlist does not have: a bug, never a
    user error; raising rolls the transaction back instead of holding a seat for nobody."""


async def hand_over_free_seats(
    uow: BookingUnitOfWork, event_id: uuid.UUID, *, now: datetime, policy: BookingPolicy
) -> int:
    """Hold free seats for the event's WAITING entries (``offer_to_queues``), its inventory
    row locked first. Returns the entries offered."""
    inventory = await uow.inventories.lock(event_id)
    if inventory is None:
        return 0
    return await offer_to_queues(uow, [inventory], now=now, policy=policy)


async def offer_to_queues(
    uow: BookingUnitOfWork, locked: Sequence[Inventory], *, now: datetime, policy: BookingPolicy
) -> int:
    """Hold free seats for WAITING entries, first position first, while the first entry's
    whole party fits in the free seats (strict FIFO, docs/waitlist-policy.md), for each of
    these events, whose inventory rows the caller has locked (so two hand-overs of one event
    never pick the same entry).

    When the first entry asks for more seats than are free, the hand-over stops: the free
    seats stay in ``available``, where nobody else can book them while someone waits, until
    enough are free for it. A seat nobody waits for stays in ``available``.

    A set, in a fixed number of statements whatever the number of events and entries: the
    heads of every queue at once (at most one entry more than there are free seats: every
    party takes one at least), one conditional update of the inventories
    (``available - seats, reserved + seats, waiting - entries``), one of the entries, their
    audit rows together. Returns the entries offered.
    """
    servable = [i for i in locked if i.is_open_at(now) and i.waiting > 0 and i.available > 0]
    if not servable:
        return 0
    heads = await uow.waitlist.waiting_heads({i.event_id: min(i.waiting, i.available + 1) for i in servable})
    offers: dict[uuid.UUID, QueueOffer] = {}
    chosen: list[WaitlistEntry] = []
    for inventory in servable:
        queue = heads.get(inventory.event_id, [])
        taken = list(_fitting(queue, inventory.available))
        if len(taken) == len(queue) < inventory.waiting:
            raise WaitlistOutOfStep(f"event {inventory.event_id} counts a waiting entry it does not have")
        if taken:
            offers[inventory.event_id] = QueueOffer(sum(e.party_size for e in taken), len(taken))
            chosen.extend(taken)
    if not offers:
        return 0
    if await uow.inventories.offer_to_queues(offers, now=now) != len(offers):
        raise WaitlistOutOfStep("a locked inventory refused the seats its own counters offered")
    window_expires_at = now + policy.waitlist_window
    if await uow.waitlist.notify([e.id for e in chosen], now=now, window_expires_at=window_expires_at) != len(
        chosen
    ):
        raise WaitlistOutOfStep("an entry read as WAITING under the inventory's lock was not")
    await uow.waitlist_audit.add(
        *(audit_entry(entry, WaitlistAction.NOTIFIED, actor_id=None, at=now) for entry in chosen)
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
            for entry in chosen
        )
    )
    return len(chosen)


def _fitting(queue: Sequence[WaitlistEntry], free: int) -> Iterator[WaitlistEntry]:
    """The entries at the head of ``queue`` whose parties fit in ``free`` seats together,
    stopping at the first that does not (nobody skips ahead)."""
    for entry in queue:
        if entry.party_size > free:
            return
        free -= entry.party_size
        yield entry


async def return_seats_of_batch(
    uow: BookingUnitOfWork, seats: Mapping[uuid.UUID, int], *, now: datetime, policy: BookingPolicy
) -> int:
    """Bookings of several events gave their seats back (``seats[event_id]`` each): one
    statement returns every event's seats to its pool (the inventories locked in ascending
    event-id order), then the queues of those events are served together
    (``offer_to_queues``). An event nobody waits for costs nothing more. Returns the entries
    offered.
    """
    served = await uow.inventories.return_seats(seats, now=now)
    return await offer_to_queues(uow, served, now=now, policy=policy)


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
