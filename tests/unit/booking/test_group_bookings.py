"""Group bookings (SPEC §12): a participant books N seats for themselves and named companions,
all or none, at N x the price; a companion's seat can be cancelled alone."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aquastream.domain.booking.errors import (
    BookingDuplicate,
    BookingNotFound,
    BookingStatusConflict,
    CompanionNotFound,
    EventFull,
    PartyTooLarge,
)
from aquastream.domain.booking.events import PartySeat
from aquastream.domain.booking.model import BookingStatus, PaymentStatus, WaitlistStatus
from aquastream.domain.booking.party import CompanionRequest
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.shared.errors import ValidationFailed
from tests.unit.booking.booking_world import BookingWorld


def named(*names: str) -> list[CompanionRequest]:
    return [CompanionRequest(name=name) for name in names]


async def test_a_party_takes_all_its_seats_at_once_at_n_times_the_price(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=5, price=Decimal("1500.00"))
    holder = world.new_user()

    booking = await world.book(
        holder, event_id, None, [CompanionRequest(" Ольга ", "+7 999 123-45-67"), CompanionRequest("Пётр")]
    )

    assert booking.party_size == 3
    assert booking.amount == Decimal("4500.00")
    assert booking.seats == (
        PartySeat(number=0),
        PartySeat(number=1, name="Ольга", phone="+79991234567"),
        PartySeat(number=2, name="Пётр"),
    )
    assert world.inventory(event_id).available == 2
    world.check_invariants(event_id)


async def test_a_party_larger_than_the_free_seats_takes_none(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=3)
    await world.book(world.new_user(), event_id)

    with pytest.raises(EventFull):
        await world.book(world.new_user(), event_id, None, named("A", "B"))

    assert world.inventory(event_id).available == 2
    assert len(world.bookings(event_id)) == 1
    world.check_invariants(event_id)


async def test_a_party_above_the_maximum_is_refused_before_anything_changes() -> None:
    world = BookingWorld(BookingPolicy(max_party=3))
    event_id = await world.publish(capacity=10)

    with pytest.raises(PartyTooLarge) as raised:
        await world.book(world.new_user(), event_id, None, named("A", "B", "C"))

    assert raised.value.code == "booking.party_too_large"
    assert raised.value.extra == {"maxParty": 3}
    assert world.bookings(event_id) == []
    assert world.inventory(event_id).available == 10


@pytest.mark.parametrize(
    ("companion", "field"),
    [
        (CompanionRequest("   "), "companions[0].name"),
        (CompanionRequest("x" * 201), "companions[0].name"),
        (CompanionRequest("Bad\x00name"), "companions[0].name"),
        (CompanionRequest("Line\nbreak"), "companions[0].name"),
        (CompanionRequest("Anna", "12345"), "companions[0].phone"),
    ],
)
async def test_companions_need_a_clean_name_and_a_real_phone(
    world: BookingWorld, companion: CompanionRequest, field: str
) -> None:
    event_id = await world.publish(capacity=4)

    with pytest.raises(ValidationFailed) as raised:
        await world.book(world.new_user(), event_id, None, [companion])

    assert [error.field for error in raised.value.errors] == [field]
    assert world.bookings(event_id) == []


async def test_one_active_booking_per_user_still_holds_with_companions(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=6)
    holder = world.new_user()
    await world.book(holder, event_id, None, named("A"))

    with pytest.raises(BookingDuplicate):
        await world.book(holder, event_id, None, named("B"))

    assert world.inventory(event_id).available == 4


async def test_a_free_party_is_confirmed_naming_every_seat(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=4)

    booking = await world.book(world.new_user(), event_id, None, named("A", "B"))

    assert booking.status is BookingStatus.CONFIRMED
    seats = world.outbox_payload("BookingConfirmed")["seats"]
    assert seats == [
        {"number": 0, "name": None, "phone": None},
        {"number": 1, "name": "A", "phone": None},
        {"number": 2, "name": "B", "phone": None},
    ]


async def test_cancelling_a_party_returns_all_its_seats(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=4)
    holder = world.new_user()
    booking = await world.book(holder, event_id, None, named("A", "B", "C"))

    await world.cancel(holder, booking.id)

    assert world.inventory(event_id).available == 4
    world.check_invariants(event_id)


async def test_a_companion_seat_is_cancelled_alone_and_its_number_is_not_reused(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=4, price=Decimal("1000.00"))
    holder = world.new_user()
    booking = await world.book(holder, event_id, None, named("A", "B", "C"))

    shrunk = await world.cancel_companion(holder, booking.id, 2)

    assert shrunk.party_size == 3
    assert shrunk.amount == Decimal("3000.00")
    assert [seat.number for seat in shrunk.seats] == [0, 1, 3]
    assert world.inventory(event_id).available == 1
    assert "CompanionSeatCancelled" in world.outbox_events()
    assert "RefundRequested" not in world.outbox_events()  # nothing was paid yet
    with pytest.raises(CompanionNotFound):
        await world.cancel_companion(holder, booking.id, 2)
    with pytest.raises(CompanionNotFound):
        await world.cancel_companion(holder, booking.id, 0)
    world.check_invariants(event_id)


async def test_a_paid_companion_seat_is_refunded_its_share(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=4, price=Decimal("1000.00"))
    holder = world.new_user()
    booking = await world.book(holder, event_id, None, named("A", "B"))
    await world.confirm(world.organizer, booking.id)

    await world.cancel_companion(world.organizer, booking.id, 1)

    refund = world.outbox_payload("RefundRequested")
    assert (Decimal(refund["amount"]), refund["reason"]) == (Decimal("1000.00"), "COMPANION_SEAT:1")
    cancelled = world.outbox_payload("CompanionSeatCancelled")
    assert (cancelled["seat"], cancelled["actor_id"]) == (1, str(world.organizer.user_id))
    assert world.booking(booking.id).payment_status is PaymentStatus.PAID
    # The rest is refunded when the whole booking goes: what is left, 2000.00.
    await world.cancel(holder, booking.id)
    assert Decimal(world.outbox_payload("RefundRequested")["amount"]) == Decimal("2000.00")
    world.check_invariants(event_id)


async def test_only_the_holder_or_the_organizer_cancels_a_companion_and_only_while_active(
    world: BookingWorld,
) -> None:
    event_id = await world.publish(capacity=4)
    holder = world.new_user()
    booking = await world.book(holder, event_id, None, named("A", "B"))

    with pytest.raises(BookingNotFound):
        await world.cancel_companion(world.new_user(), booking.id, 1)
    await world.cancel(holder, booking.id)
    with pytest.raises(BookingStatusConflict):
        await world.cancel_companion(holder, booking.id, 1)


async def test_a_freed_companion_seat_goes_to_the_waitlist(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=3)
    holder = world.new_user()
    booking = await world.book(holder, event_id, None, named("A", "B"))
    queued = world.new_user()
    await world.join(queued, event_id)

    await world.cancel_companion(holder, booking.id, 1)

    assert world.entry_of(event_id, queued).status is WaitlistStatus.NOTIFIED
    world.check_invariants(event_id)


async def test_an_expired_party_returns_all_its_seats(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=6, price=Decimal("100.00"))
    await world.book(world.new_user(), event_id, None, named("A", "B", "C"))
    world.clock.advance(world.policy.hold)

    assert await world.expire_holds() == 1

    assert world.inventory(event_id).available == 6
    world.check_invariants(event_id)
