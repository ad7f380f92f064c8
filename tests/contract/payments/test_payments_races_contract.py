"""Real races on the SQL backends: duplicate notifications, concurrent inits and refunds, and
payments succeeding while the expiry job releases holds and strangers grab freed seats.

On SQLite the writers take turns (``BEGIN IMMEDIATE``); on PostgreSQL they truly collide.
Figures are printed (run with ``-s``) for the record.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aquastream.adapters.payments.registry import ConfiguredProviders
from aquastream.adapters.payments.sandbox import SANDBOX
from aquastream.domain.booking.errors import EventFull
from aquastream.domain.booking.model import Booking, BookingStatus
from aquastream.domain.booking.model import PaymentStatus as BookingPaymentStatus
from aquastream.domain.payments.errors import PaymentAlreadyOpen, PaymentStatusConflict, RefundTooLarge
from aquastream.domain.payments.model import Payment, PaymentMethod, PaymentStatus, Refund, WebhookOutcome
from tests.contract.booking.test_booking_races_contract import settle

from .conftest import open_engine
from .kit import PRICE, PaymentsKit, sql_payments_kit


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def racing(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[PaymentsKit]:
    engine = await open_engine(request, request.param, tmp_path)
    try:
        yield sql_payments_kit(request.param, engine)
    finally:
        await engine.dispose()


def report(kit: PaymentsKit, scenario: str, **figures: Any) -> None:
    shown = ", ".join(f"{name}={value}" for name, value in figures.items())
    print(f"\n[race {kit.name}] {scenario}: {shown}")


async def test_20_deliveries_of_one_notification_at_once_are_processed_once(racing: PaymentsKit) -> None:
    user, booking = await racing.pending_booking()
    payment = await racing.init(user, booking.id, PaymentMethod.WIDGET)
    notice = racing.paid_notice(payment)

    outcomes = await settle(*(racing.webhook(notice) for _ in range(20)))

    applied = outcomes.count(WebhookOutcome.APPLIED)
    duplicates = outcomes.count(None)
    report(racing, "one notification delivered 20 times at once", applied=applied, duplicates=duplicates)
    assert (applied, duplicates) == (1, 19)
    assert await racing.counts() == (1, 1)
    assert (await racing.payment(payment.id)).status is PaymentStatus.SUCCEEDED


async def test_20_inits_of_one_booking_at_once_open_one_payment(racing: PaymentsKit) -> None:
    user, booking = await racing.pending_booking()

    outcomes = await settle(*(racing.init(user, booking.id, PaymentMethod.QR_MANUAL) for _ in range(20)))

    opened = [o for o in outcomes if isinstance(o, Payment)]
    refused = [o for o in outcomes if isinstance(o, PaymentAlreadyOpen)]
    report(racing, "20 inits of one booking at once", opened=len(opened), refused=len(refused))
    assert (len(opened), len(refused)) == (1, 19)
    assert {r.existing_payment_id for r in refused} == {opened[0].id}


async def test_20_partial_refunds_at_once_never_exceed_the_payment(racing: PaymentsKit) -> None:
    user, booking = await racing.pending_booking()
    payment = await racing.init(user, booking.id, PaymentMethod.WIDGET)
    await racing.webhook(racing.paid_notice(payment))

    outcomes = await settle(*(racing.refund(payment.id, Decimal("100.00")) for _ in range(20)))

    made = [o for o in outcomes if isinstance(o, Refund)]
    # Refused as too large, or (once all is refunded) as no longer refundable.
    refused = [o for o in outcomes if isinstance(o, RefundTooLarge | PaymentStatusConflict)]
    refunded = await racing.payment(payment.id)
    report(racing, "20 refunds of 100.00 of a 1500.00 payment at once", made=len(made), refused=len(refused))
    assert (len(made), len(refused)) == (15, 5)
    assert (refunded.status, refunded.refunded_amount) == (PaymentStatus.REFUNDED, PRICE)


async def test_payments_racing_the_expiry_job_and_strangers_never_lose_or_double_a_seat(
    racing: PaymentsKit,
) -> None:
    """10 unpaid holds of a 10-seat event pass their end. At once: two expiry workers release
    holds (their provider does not answer, so only our own table can keep a hold), the 10
    payers' payments succeed (notification, then booking's confirmation) within 0.6 s and 20
    strangers try to book between 0.1 and 0.4 s. Each payer ends CONFIRMED, or EXPIRED with a
    refund requested when a stranger took the seat; the seats always add up to the capacity."""
    rng = random.Random(5)
    racing.probe_providers = ConfiguredProviders(SANDBOX, {})
    capacity = 10
    event_id = await racing.booking.publish(capacity, price=PRICE)
    payers = [racing.booking.new_user() for _ in range(capacity)]
    holds = [await racing.booking.book(user, event_id) for user in payers]
    payments = [
        await racing.init(user, hold.id, PaymentMethod.WIDGET)
        for user, hold in zip(payers, holds, strict=True)
    ]
    racing.clock.advance(minutes=31)

    async def pay(payment: Payment, delay: float) -> Booking | None:
        await asyncio.sleep(delay)
        await racing.webhook(racing.paid_notice(payment))
        return await racing.confirm_paid(payment.booking_id)

    async def stranger(delay: float) -> Booking:
        await asyncio.sleep(delay)
        return await racing.booking.book(racing.booking.new_user(), event_id)

    async def expiry_worker(delay: float) -> int:
        await asyncio.sleep(delay)
        return await racing.expire_holds()

    attempts: list[Any] = [expiry_worker(rng.random() / 20) for _ in range(2)]
    attempts += [pay(payment, rng.random() * 0.6) for payment in payments]
    attempts += [stranger(0.1 + rng.random() * 0.3) for _ in range(20)]
    rng.shuffle(attempts)
    outcomes = await settle(*attempts)

    ends = [await racing.payment(p.id) for p in payments]
    assert all(p.status is PaymentStatus.SUCCEEDED for p in ends)
    settled = [o for o in outcomes if isinstance(o, Booking) and o.user_id in {u.user_id for u in payers}]
    confirmed = [b for b in settled if b.status is BookingStatus.CONFIRMED]
    lost = [b for b in settled if b.payment_status is BookingPaymentStatus.REFUND_PENDING]
    strangers = [o for o in outcomes if isinstance(o, Booking) and o not in settled]
    full = [o for o in outcomes if isinstance(o, EventFull)]
    state = await racing.booking.seat_state(event_id)
    report(
        racing,
        "10 late payments vs 2 expiry workers vs 20 strangers on a 10-seat event",
        expired_by_the_job=sum(o for o in outcomes if isinstance(o, int)),
        confirmed=len(confirmed),
        refunded=len(lost),
        strangers_booked=len(strangers),
        strangers_refused=len(full),
        seat_holding=state.seat_holding_bookings,
        available=state.available,
    )
    assert len(confirmed) + len(lost) == capacity
    assert len(lost) == len(strangers)
    assert await racing.events("RefundRequested") == len(lost)
    assert state.seat_holding_bookings + state.available == capacity
    state.assert_consistent()
