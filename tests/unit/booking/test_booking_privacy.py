"""The booking domain's part of a user's data export, on the memory adapters."""

from __future__ import annotations

from decimal import Decimal

from aquastream.domain.booking.privacy import ExportMyBookingData
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

    section = await ExportMyBookingData(world.new_uow())(anna.user_id)

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
    section = await ExportMyBookingData(world.new_uow())(world.new_user().user_id)

    assert section == {"bookings": [], "waitlist": []}
