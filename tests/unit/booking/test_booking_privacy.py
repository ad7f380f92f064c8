"""The booking domain's part of a user's data export, and a deleted account leaving its queues
and its companions' names and phones."""

from __future__ import annotations

from decimal import Decimal

from aquastream.adapters.memory.currencies import FixedCurrencies
from aquastream.domain.booking.model import Companion, WaitlistStatus
from aquastream.domain.booking.party import CompanionRequest
from aquastream.domain.booking.privacy import (
    EraseCompanionsOfDeletedUser,
    ExportMyBookingData,
    LeaveQueuesOfDeletedUser,
)
from aquastream.domain.shared.privacy import ERASED_NAME
from tests.unit.booking.booking_world import BookingWorld


async def test_export_holds_every_booking_with_its_log_and_the_live_waitlist(world: BookingWorld) -> None:
    anna, boris = world.new_user(), world.new_user()
    free = await world.publish(capacity=1)
    paid = await world.publish(capacity=5, price=Decimal("1500"))
    first = await world.book(anna, free)
    await world.cancel(anna, first.id)
    second = await world.book(anna, paid)
    await world.book(boris, free)
    await world.join(anna, free)

    section = await ExportMyBookingData(world.new_uow(), FixedCurrencies())(anna.user_id)

    assert [b["id"] for b in section["bookings"]] == [str(second.id), str(first.id)]
    cancelled = section["bookings"][1]
    assert cancelled["status"] == "CANCELLED"
    assert [entry["newStatus"] for entry in cancelled["log"]] == ["CONFIRMED", "CANCELLED"]
    assert cancelled["createdAt"].endswith("Z")
    assert (section["bookings"][0]["amount"], section["bookings"][0]["currency"]) == ("1500.00", "RUB")
    assert [(w["eventId"], w["position"], w["status"]) for w in section["waitlist"]] == [
        (str(free), 1, "WAITING")
    ]


async def test_a_user_without_bookings_exports_empty_lists(world: BookingWorld) -> None:
    section = await ExportMyBookingData(world.new_uow(), FixedCurrencies())(world.new_user().user_id)

    assert section == {"bookings": [], "waitlist": []}


async def test_a_deleted_user_leaves_every_queue_and_keeps_their_bookings(world: BookingWorld) -> None:
    gone, holder, behind = world.new_user(), world.new_user(), world.new_user()
    waited_on, offered = await world.publish(capacity=1), await world.publish(capacity=1)
    kept = await world.book(gone, await world.publish(capacity=1))
    await world.book(holder, waited_on)
    seat_holder = await world.book(holder, offered)
    await world.join(gone, waited_on)
    await world.join(gone, offered)
    await world.join(behind, offered)
    await world.cancel(holder, seat_holder.id)
    await world.hand_over(offered)  # the freed seat is offered to ``gone``, first in the queue
    assert world.entry_of(offered, gone).status is WaitlistStatus.NOTIFIED
    leave = LeaveQueuesOfDeletedUser(world.new_uow(), world.clock, world.policy)

    assert await leave(gone.user_id) == 2
    assert await leave(gone.user_id) == 0

    section = await ExportMyBookingData(world.new_uow(), FixedCurrencies())(gone.user_id)
    assert section["waitlist"] == []
    assert [b["id"] for b in section["bookings"]] == [str(kept.id)]
    assert world.entry_of(offered, behind).status is WaitlistStatus.NOTIFIED
    for event_id in (waited_on, offered):
        world.check_invariants(event_id)


async def test_export_holds_each_booking_s_companions_with_their_phones(world: BookingWorld) -> None:
    holder = world.new_user()
    party = [CompanionRequest("Ольга", "+7 999 123-45-67"), CompanionRequest("Пётр")]
    booking = await world.book(holder, await world.publish(capacity=5), None, party)
    await world.cancel_companion(holder, booking.id, 2)

    section = await ExportMyBookingData(world.new_uow(), FixedCurrencies())(holder.user_id)

    (exported,) = section["bookings"]
    assert exported["companions"] == [
        {"seat": 1, "name": "Ольга", "phone": "+79991234567", "cancelledAt": None},
        {"seat": 2, "name": "Пётр", "phone": None, "cancelledAt": exported["updatedAt"]},
    ]


async def test_a_deleted_user_s_companions_lose_their_names_and_phones_and_keep_their_seats(
    world: BookingWorld,
) -> None:
    gone, other = world.new_user(), world.new_user()
    event_id = await world.publish(capacity=6, price=Decimal("1000"))
    party = [CompanionRequest("Ольга", "+7 999 123-45-67"), CompanionRequest("Пётр"), CompanionRequest("Ира")]
    booking = await world.book(gone, event_id, None, party)
    await world.cancel_companion(gone, booking.id, 3)
    alone = await world.book(gone, await world.publish(capacity=1))
    others = await world.book(other, event_id, None, [CompanionRequest("Лида", "+7 999 765-43-21")])
    before = world.booking(booking.id)
    erase = EraseCompanionsOfDeletedUser(world.new_uow(), world.clock)

    assert await erase(gone.user_id) == 1  # the booking without companions has nothing to erase
    assert await erase(gone.user_id) == 0  # at-least-once delivery: nothing left to do

    after = world.booking(booking.id)
    assert after.companions == (
        Companion(1, ERASED_NAME),
        Companion(2, ERASED_NAME),
        Companion(3, ERASED_NAME, cancelled_at=before.companions[2].cancelled_at),
    )
    assert (after.status, after.party_size, after.amount) == (before.status, before.party_size, before.amount)
    assert world.booking(alone.id) == alone
    assert world.booking(others.id).companions == (Companion(1, "Лида", "+79997654321"),)
    world.check_invariants(event_id)
