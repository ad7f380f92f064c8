"""How booking settles payments: confirmation, a late payment that re-takes a seat or is
refunded, holds kept for paid bookings, and settled refunds."""

from __future__ import annotations

from decimal import Decimal

from aquastream.domain.booking.model import BookingStatus, LogReason, PaymentStatus, WaitlistStatus
from aquastream.domain.payments.model import PaymentMethod, ProviderStatus
from aquastream.domain.payments.model import PaymentStatus as PayStatus
from tests.unit.payments.payments_world import PRICE, PaymentsWorld


async def test_a_succeeded_payment_confirms_its_booking_once(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    await world.pay_in_sandbox(payment)

    confirmed = await world.confirm_paid(booking.id)
    again = await world.confirm_paid(booking.id)

    assert confirmed is not None
    assert again is not None
    assert (confirmed.status, confirmed.payment_status) == (BookingStatus.CONFIRMED, PaymentStatus.PAID)
    assert again == confirmed
    assert world.log(booking.id)[-1].reason is LogReason.PAID
    assert world.outbox_events().count("BookingConfirmed") == 1


async def test_a_paid_booking_is_not_expired_before_its_confirmation_arrives(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    await world.pay_in_sandbox(payment)
    world.clock.advance(minutes=31)

    assert await world.expire_holds() == 0
    assert world.booking(booking.id).status is BookingStatus.PENDING
    await world.confirm_paid(booking.id)
    assert world.booking(booking.id).status is BookingStatus.CONFIRMED


async def test_the_expiry_job_asks_the_provider_about_an_open_card_payment(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    assert payment.provider_payment_id is not None
    # Paid at the provider, the notification not yet here.
    world.sandbox.complete(payment.provider_payment_id, ProviderStatus.SUCCEEDED)
    world.clock.advance(minutes=31)

    assert await world.expire_holds() == 0
    assert world.booking(booking.id).status is BookingStatus.PENDING


async def test_a_late_payment_retakes_a_free_seat(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    world.clock.advance(minutes=31)
    assert await world.expire_holds() == 1
    await world.pay_in_sandbox(payment)

    revived = await world.confirm_paid(booking.id)

    assert revived is not None
    assert (revived.status, revived.payment_status) == (BookingStatus.CONFIRMED, PaymentStatus.PAID)
    assert world.log(booking.id)[-1].reason is LogReason.PAID_AFTER_EXPIRY
    assert world.inventory(booking.event_id).available == 1
    world.check_invariants(booking.event_id)


async def test_a_late_payment_without_a_seat_is_refunded(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    world.clock.advance(minutes=31)
    await world.expire_holds()
    for _ in range(2):  # the freed seat and the last one go to others
        await world.book(world.new_user(), booking.event_id)
    await world.pay_in_sandbox(payment)

    lost = await world.confirm_paid(booking.id)
    assert await world.confirm_paid(booking.id) == lost

    assert lost is not None
    assert (lost.status, lost.payment_status) == (BookingStatus.EXPIRED, PaymentStatus.REFUND_PENDING)
    assert world.outbox_events().count("RefundRequested") == 1
    world.check_invariants(booking.event_id)
    assert await world.refund_booking(booking.id, "SEAT_LOST") == 1
    assert world.payment(payment.id).status is PayStatus.REFUNDED
    assert await world.settle_refund(booking.id, fully_refunded=True)
    assert world.booking(booking.id).payment_status is PaymentStatus.REFUNDED


async def test_a_late_payment_does_not_take_a_seat_someone_waits_for(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    other = await world.book(world.new_user(), booking.event_id)  # the event is full
    await world.confirm(world.organizer, other.id)  # paid in cash: it keeps its seat
    waiter = world.new_user()
    await world.join(waiter, booking.event_id)
    world.clock.advance(minutes=31)
    await world.expire_holds()  # the freed seat is held for the waiter
    await world.pay_in_sandbox(payment)

    lost = await world.confirm_paid(booking.id)

    assert lost is not None
    assert lost.status is BookingStatus.EXPIRED
    assert world.inventory(booking.event_id).reserved == 1
    world.check_invariants(booking.event_id)


async def test_a_late_payment_takes_the_seat_the_waitlist_holds_for_its_payer(world: PaymentsWorld) -> None:
    """Book, let the hold expire, queue, be offered a seat, another seat frees, then the late
    payment arrives: one booking, the offer settled, no second seat held for the payer."""
    user, booking = await world.pending_booking()  # a 2-seat paid event
    event_id = booking.event_id
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    cash = await world.book(world.new_user(), event_id)
    await world.confirm(world.organizer, cash.id)
    world.clock.advance(minutes=31)
    assert await world.expire_holds() == 1
    other = world.new_user()
    taker = await world.book(other, event_id)  # the freed seat is gone: the event is full
    await world.join(user, event_id)
    await world.cancel(world.organizer, cash.id)  # a seat frees and is held for the payer
    assert world.entry_of(event_id, user).status is WaitlistStatus.NOTIFIED
    await world.cancel(other, taker.id)  # another seat frees: nobody waits, it is free
    assert (world.inventory(event_id).available, world.inventory(event_id).reserved) == (1, 1)
    await world.pay_in_sandbox(payment)

    revived = await world.confirm_paid(booking.id)

    assert revived is not None
    assert (revived.status, revived.payment_status) == (BookingStatus.CONFIRMED, PaymentStatus.PAID)
    assert world.log(booking.id)[-1].reason is LogReason.PAID_AFTER_EXPIRY
    entry = next(e for e in world.entries(event_id) if e.user_id == user.user_id)
    assert entry.status is WaitlistStatus.CONVERTED
    inventory = world.inventory(event_id)
    # The payer took the seat held for them; the other freed seat is open to anyone.
    assert (inventory.available, inventory.reserved, inventory.waiting) == (1, 0, 0)
    holders = [b.user_id for b in world.bookings(event_id) if b.is_active]
    assert holders.count(user.user_id) == 1
    world.check_invariants(event_id)


async def test_a_late_payment_whose_offer_lapsed_takes_a_free_seat_and_settles_the_offer(
    world: PaymentsWorld,
) -> None:
    user, booking = await world.pending_booking()
    event_id = booking.event_id
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    cash = await world.book(world.new_user(), event_id)
    await world.confirm(world.organizer, cash.id)
    world.clock.advance(minutes=31)
    await world.expire_holds()
    other = world.new_user()
    taker = await world.book(other, event_id)
    await world.join(user, event_id)
    await world.cancel(world.organizer, cash.id)  # held for the payer …
    world.clock.advance(minutes=31)  # … whose window lapses before the sweep runs
    await world.cancel(other, taker.id)
    await world.pay_in_sandbox(payment)

    revived = await world.confirm_paid(booking.id)

    assert revived is not None
    assert revived.status is BookingStatus.CONFIRMED
    entry = next(e for e in world.entries(event_id) if e.user_id == user.user_id)
    assert entry.status is WaitlistStatus.EXPIRED
    assert world.inventory(event_id).reserved == 0
    world.check_invariants(event_id)


async def test_a_payment_for_a_cancelled_booking_is_refunded(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    await world.cancel(user, booking.id)
    await world.pay_in_sandbox(payment)

    cancelled = await world.confirm_paid(booking.id)

    assert cancelled is not None
    assert (cancelled.status, cancelled.payment_status) == (
        BookingStatus.CANCELLED,
        PaymentStatus.REFUND_PENDING,
    )
    assert world.outbox_events()[-1] == "RefundRequested"


async def test_an_organizer_refund_of_a_confirmed_booking_settles_its_payment_status(
    world: PaymentsWorld,
) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    await world.pay_in_sandbox(payment)
    await world.confirm_paid(booking.id)
    await world.refund(world.organizer, payment.id, PRICE, None)

    assert await world.settle_refund(booking.id, fully_refunded=True)
    assert not await world.settle_refund(booking.id, fully_refunded=True)
    assert world.booking(booking.id).payment_status is PaymentStatus.REFUNDED


async def test_a_partial_refund_shows_on_the_booking_until_the_rest_goes_back(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    await world.pay_in_sandbox(payment)
    await world.confirm_paid(booking.id)
    await world.refund(world.organizer, payment.id, Decimal("500.00"), None)

    assert await world.settle_refund(booking.id, fully_refunded=False)
    assert not await world.settle_refund(booking.id, fully_refunded=False)
    partly = world.booking(booking.id)
    assert (partly.status, partly.payment_status) == (
        BookingStatus.CONFIRMED,
        PaymentStatus.PARTIALLY_REFUNDED,
    )

    await world.refund(world.organizer, payment.id, None, None)
    assert await world.settle_refund(booking.id, fully_refunded=True)
    assert world.booking(booking.id).payment_status is PaymentStatus.REFUNDED


async def test_an_unknown_booking_confirms_nothing(world: PaymentsWorld) -> None:
    assert await world.confirm_paid(world.new_user().user_id) is None
