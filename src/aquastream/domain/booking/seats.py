"""Taking the seats of one booking (its holder's and its companions'): the step that a new
booking and a late payment share.

Whoever takes a seat, the waitlist must agree with it: a user to whom the queue offered a
seat (their entry is NOTIFIED) takes the seats held for them (a party smaller than the one
they queued for gives the rest back at once); anyone else takes free seats that nobody waits
for, all of them or none, by one conditional statement; and a user who gets a seat while a
seat is held for them has that entry settled (CONVERTED), the held seats passing on to the
next in the queue or to the pool. So nobody ever holds seats of one event twice over (a
booking and a held offer).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from aquastream.domain.booking.errors import EventFull, EventNotOpen, PartyExceedsOffer, WaitlistOfferExpired
from aquastream.domain.booking.handover import WaitlistOutOfStep, pass_on_held_seat, return_seat
from aquastream.domain.booking.model import Inventory, WaitlistAction, WaitlistEntry, WaitlistStatus
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.booking.records import audit_entry
from aquastream.ports.booking import BookingUnitOfWork


async def find_offer(
    uow: BookingUnitOfWork, inventory: Inventory, user_id: uuid.UUID
) -> WaitlistEntry | None:
    """The user's NOTIFIED entry, read before the inventory is locked: only a hint of which
    seat to take, checked again under the lock. No seat held for anyone (``reserved`` counts
    the NOTIFIED entries) means no offer to look for: the common case costs no read."""
    if inventory.reserved == 0:
        return None
    entry = await uow.waitlist.live_entry(inventory.event_id, user_id)
    return entry if entry is not None and entry.status is WaitlistStatus.NOTIFIED else None


async def take_seat(
    uow: BookingUnitOfWork,
    event_id: uuid.UUID,
    user_id: uuid.UUID,
    offer: WaitlistEntry | None,
    *,
    now: datetime,
    policy: BookingPolicy,
    seats: int = 1,
) -> None:
    """Take ``seats`` seats of the event for ``user_id`` (see the module's docstring).

    With ``offer`` (from ``find_offer``): the seats held for it, converting the entry
    (``WaitlistOfferExpired`` once its window has lapsed; ``PartyExceedsOffer`` when the
    booking asks for more seats than the entry queued for). Without: free seats while nobody
    waits (``EventFull``). The event must be OPEN and not started (``EventNotOpen`` for a
    held seat, ``EventFull`` for a free one, which one conditional statement checks).
    A refusal changes nothing, so the caller may try another way in the same transaction.
    Lock order: the caller's booking row first, then the inventory, then waitlist entries.
    """
    if offer is not None:
        await _take_held_seat(uow, offer, now=now, policy=policy, seats=seats)
    else:
        await _take_free_seat(uow, event_id, user_id, now=now, policy=policy, seats=seats)


async def _take_held_seat(
    uow: BookingUnitOfWork, offer: WaitlistEntry, *, now: datetime, policy: BookingPolicy, seats: int
) -> None:
    if offer.window_expires_at is not None and offer.window_expires_at <= now:
        raise WaitlistOfferExpired()
    if seats > offer.party_size:
        raise PartyExceedsOffer()
    inventory = await uow.inventories.lock(offer.event_id)
    if inventory is None or not inventory.is_open_at(now):
        raise EventNotOpen()
    # Under the inventory lock the entry is still NOTIFIED unless its window lapsed (and the
    # held seat went on) in between: then nothing has changed yet.
    if not await uow.waitlist.convert(offer.id, now=now):
        raise WaitlistOfferExpired()
    if await uow.inventories.take_held_seat(offer.event_id, now=now, seats=offer.party_size) is None:
        raise WaitlistOutOfStep(f"event {offer.event_id} holds no seat for its notified entry {offer.id}")
    await uow.waitlist_audit.add(audit_entry(offer, WaitlistAction.CONVERTED, actor_id=offer.user_id, at=now))
    if seats < offer.party_size:
        await return_seat(uow, offer.event_id, now=now, policy=policy, seats=offer.party_size - seats)


async def _take_free_seat(
    uow: BookingUnitOfWork,
    event_id: uuid.UUID,
    user_id: uuid.UUID,
    *,
    now: datetime,
    policy: BookingPolicy,
    seats: int,
) -> None:
    locked = await uow.inventories.take_seat(event_id, now=now, seats=seats)
    if locked is None:
        raise EventFull()
    # The inventory is locked now. A seat may have been offered to this user between the
    # first look and the lock (they were the last one waiting), or their offer was missed
    # on purpose (it had lapsed): they have a seat, so the entry is settled and its held
    # seat goes on. With no seat held for anyone there is no such entry to look for.
    if locked.reserved == 0:
        return
    late = await uow.waitlist.live_entry(event_id, user_id)
    if late is None or late.status is not WaitlistStatus.NOTIFIED:
        return
    action = WaitlistAction.CONVERTED
    if not await uow.waitlist.convert(late.id, now=now):
        action = WaitlistAction.EXPIRED
        if not await uow.waitlist.expire_lapsed(late.id, now=now):
            raise WaitlistOutOfStep(f"notified entry {late.id} neither converts nor lapses")
    await uow.waitlist_audit.add(audit_entry(late, action, actor_id=user_id, at=now))
    await pass_on_held_seat(uow, event_id, now=now, policy=policy, seats=late.party_size)
