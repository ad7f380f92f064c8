"""The booking use cases give the same outcomes on every backend (the SQL adapters are the
production path; the unit tests cover every rule on memory)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from aquastream.domain.booking.errors import (
    BookingDuplicate,
    EventFull,
    EventNotFound,
    EventNotOpen,
    WaitlistNotNeeded,
)
from aquastream.domain.booking.model import BookingStatus, PaymentStatus, SaleTerms, WaitlistStatus
from aquastream.domain.shared.ids import new_id

from .kit import BookingKit


async def test_book_until_full_queue_cancel_and_convert(kit: BookingKit) -> None:
    event_id = await kit.publish(2)
    anna, boris, vera, gleb = (kit.new_user() for _ in range(4))
    first = await kit.book(anna, event_id)
    await kit.book(boris, event_id)
    with pytest.raises(WaitlistNotNeeded):
        await kit.join(vera, await kit.publish(1))
    with pytest.raises(BookingDuplicate) as duplicate:
        await kit.book(anna, event_id)
    with pytest.raises(EventFull):
        await kit.book(vera, event_id)
    assert (await kit.join(vera, event_id)).position == 1
    assert (await kit.join(gleb, event_id)).position == 2

    await kit.cancel(anna, first.id)
    with pytest.raises(EventFull):
        await kit.book(gleb, event_id)
    converted = await kit.book(vera, event_id)

    assert duplicate.value.existing_booking_id == first.id
    assert converted.status is BookingStatus.CONFIRMED
    assert converted.waitlist_entry_id is not None
    state = await kit.seat_state(event_id)
    state.assert_consistent()
    assert (state.available, state.reserved, state.waiting, state.seat_holding_bookings) == (0, 0, 1, 2)


async def test_holds_expire_and_lapsed_windows_pass_the_seat_down_the_queue(kit: BookingKit) -> None:
    event_id = await kit.publish(1, price=Decimal("700.00"))
    holder, first, second = kit.new_user(), kit.new_user(), kit.new_user()
    hold = await kit.book(holder, event_id)
    await kit.join(first, event_id)
    await kit.join(second, event_id)

    kit.clock.advance(minutes=31)
    assert await kit.expire_holds() == 1
    kit.clock.advance(minutes=31)
    assert await kit.lapse_windows() == 1
    booking = await kit.book(second, event_id)
    await kit.confirm(booking.id)

    async with kit.new_uow() as uow:
        expired = await uow.bookings.get(hold.id)
        paid = await uow.bookings.get(booking.id)
        first_entry = [
            e for e in (await uow.waitlist_audit.list_for_event(event_id)) if e.user_id == first.user_id
        ]
    assert expired is not None
    assert expired.status is BookingStatus.EXPIRED
    assert paid is not None
    assert (paid.status, paid.payment_status) == (BookingStatus.CONFIRMED, PaymentStatus.PAID)
    assert [a.action for a in first_entry] == ["JOINED", "NOTIFIED", "EXPIRED"]
    (await kit.seat_state(event_id)).assert_consistent()


async def test_a_capacity_increase_reaches_the_queue_at_once(kit: BookingKit) -> None:
    event_id = await kit.publish(1)
    await kit.book(kit.new_user(), event_id)
    waiters = [kit.new_user() for _ in range(3)]
    for waiter in waiters:
        await kit.join(waiter, event_id)

    assert await kit.resize(event_id, 6)  # booking hands new seats to the queue as it resizes
    assert await kit.hand_over(event_id) == 0  # the reaction to EventCapacityChanged finds none left
    await kit.leave(waiters[0], event_id)

    state = await kit.seat_state(event_id)
    state.assert_consistent()
    assert (state.available, state.reserved, state.waiting) == (3, 2, 0)
    async with kit.new_uow() as uow:
        entry = await uow.waitlist.live_entry(event_id, waiters[1].user_id)
    assert entry is not None
    assert entry.status is WaitlistStatus.NOTIFIED
    assert entry.window_expires_at == kit.clock.now() + timedelta(minutes=30)


async def test_a_booking_made_at_once_writes_its_log_and_fact_and_a_second_one_writes_nothing(
    kit: BookingKit,
) -> None:
    event_id = await kit.publish(3, price=Decimal("900.00"))
    anna = kit.new_user()
    first = await kit.book(anna, event_id)

    with pytest.raises(BookingDuplicate) as duplicate:
        await kit.book(anna, event_id, party_size=2)

    assert duplicate.value.existing_booking_id == first.id
    assert await kit.written_for(first.id) == (1, ["BookingCreated"])
    state = await kit.seat_state(event_id)
    state.assert_consistent()
    assert (state.available, state.seat_holding_bookings) == (2, 1)


async def test_a_free_seat_booked_while_seats_are_held_for_the_queue_goes_through_the_transaction(
    kit: BookingKit,
) -> None:
    # Two seats, both booked, one cancelled and offered to the queue; a third seat added:
    # free while a seat is held for someone, so not at once, and still booked by the rules.
    event_id = await kit.publish(2)
    holders = [kit.new_user() for _ in range(2)]
    first, _ = [await kit.book(user, event_id) for user in holders]
    queued, late = kit.new_user(), kit.new_user()
    await kit.join(queued, event_id)
    await kit.cancel(holders[0], first.id)
    assert await kit.resize(event_id, 3)
    before = await kit.seat_state(event_id)
    assert (before.reserved, before.available, before.waiting) == (1, 1, 0)

    booking = await kit.book(late, event_id)

    assert booking.status is BookingStatus.CONFIRMED
    assert await kit.written_for(booking.id) == (1, ["BookingConfirmed", "BookingCreated"])
    state = await kit.seat_state(event_id)
    state.assert_consistent()
    assert (state.available, state.reserved, state.seat_holding_bookings) == (0, 1, 2)


async def test_a_user_booked_for_a_closed_event_hears_it_is_closed_whatever_the_backend(
    kit: BookingKit,
) -> None:
    event_id = await kit.publish(3)
    anna = kit.new_user()
    await kit.book(anna, event_id)
    await kit.seats.close(event_id, "CANCELLED")

    with pytest.raises(EventNotOpen):
        await kit.book(anna, event_id)
    with pytest.raises(EventNotFound):
        await kit.book(anna, new_id())


async def test_an_events_sale_terms_are_its_price_and_currency(kit: BookingKit) -> None:
    paid, free = await kit.publish(3, price=Decimal("1250.50"), currency="EUR"), await kit.publish(3)
    async with kit.new_uow() as uow:
        paid_terms, free_terms = await uow.inventories.terms(paid), await uow.inventories.terms(free)
        missing = await uow.inventories.terms(new_id())

    assert (paid_terms, free_terms, missing) == (
        SaleTerms(paid, Decimal("1250.50"), "EUR"),
        SaleTerms(free, None, "RUB"),
        None,
    )
    assert not paid_terms.is_free
    assert free_terms.is_free
