"""The payments adapters keep the same promises on every backend: one live payment per
booking, notifications stored once and applied forwards, receipts read from the media table,
refunds within the amount, and the hold probe answering from inside booking's transaction."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal

import pytest

from aquastream.adapters.payments.sandbox import SIGNATURE_HEADER
from aquastream.domain.booking.model import BookingStatus
from aquastream.domain.payments.errors import InvalidProof, PaymentAlreadyOpen, RefundTooLarge
from aquastream.domain.payments.model import (
    BankAccount,
    PaymentMethod,
    PaymentStatus,
    WebhookDelivery,
    WebhookOutcome,
)
from aquastream.domain.shared.ids import new_id

from .kit import PRICE, PaymentsKit


async def test_one_live_payment_per_booking(kit: PaymentsKit) -> None:
    user, booking = await kit.pending_booking()
    first = await kit.init(user, booking.id, PaymentMethod.WIDGET)

    with pytest.raises(PaymentAlreadyOpen) as refused:
        await kit.init(user, booking.id, PaymentMethod.QR_MANUAL)

    assert refused.value.existing_payment_id == first.id
    stored = await kit.payment(first.id)
    assert (stored.amount, stored.provider_payment_id, stored.confirmation) == (
        PRICE,
        first.provider_payment_id,
        first.confirmation,
    )


async def test_a_notification_is_stored_once_and_applied_once(kit: PaymentsKit) -> None:
    user, booking = await kit.pending_booking()
    payment = await kit.init(user, booking.id, PaymentMethod.WIDGET)
    notice = kit.paid_notice(payment)

    assert await kit.webhook(notice) is WebhookOutcome.APPLIED
    assert await kit.webhook(notice) is None

    assert (await kit.payment(payment.id)).status is PaymentStatus.SUCCEEDED
    assert await kit.counts() == (1, 1)


async def test_a_stale_notification_changes_nothing(kit: PaymentsKit) -> None:
    user, booking = await kit.pending_booking()
    payment = await kit.init(user, booking.id, PaymentMethod.WIDGET)
    await kit.webhook(kit.paid_notice(payment))
    body = f'{{"id": "late", "paymentId": "{payment.provider_payment_id}", "status": "PROCESSING"}}'.encode()

    outcome = await kit.webhook(WebhookDelivery({SIGNATURE_HEADER: kit.sandbox.sign(body)}, body))

    assert outcome is WebhookOutcome.NO_CHANGE
    assert (await kit.payment(payment.id)).status is PaymentStatus.SUCCEEDED


async def test_receipts_are_read_from_the_media_files(kit: PaymentsKit) -> None:
    user, booking = await kit.pending_booking()
    payment = await kit.init(user, booking.id, PaymentMethod.QR_MANUAL)

    with pytest.raises(InvalidProof):
        await kit.submit(user, payment.id, await kit.add_proof(booking, user.user_id, status="PENDING"))
    with pytest.raises(InvalidProof):
        await kit.submit(user, payment.id, await kit.add_proof(booking, kit.booking.organizer.user_id))
    submitted = await kit.submit(user, payment.id, await kit.add_proof(booking, user.user_id))

    assert (await kit.payment(payment.id)).status is PaymentStatus.SUBMITTED
    assert submitted.submitted_at == kit.clock.now()


async def test_the_probe_keeps_paid_and_reviewed_bookings(kit: PaymentsKit) -> None:
    user, booking = await kit.pending_booking()
    assert await kit.hold_until(booking.id) is None
    payment = await kit.init(user, booking.id, PaymentMethod.QR_MANUAL)
    await kit.submit(user, payment.id, await kit.add_proof(booking, user.user_id))

    assert await kit.hold_until(booking.id) == kit.clock.now() + timedelta(hours=48)
    kit.clock.advance(hours=1)
    assert await kit.expire_holds() == 0
    await kit.approve(payment.id)
    assert await kit.hold_until(booking.id) == kit.clock.now() + timedelta(minutes=5)
    confirmed = await kit.confirm_paid(booking.id)
    assert confirmed is not None
    assert confirmed.status is BookingStatus.CONFIRMED


async def test_the_probe_asks_the_provider_about_an_open_card_payment(kit: PaymentsKit) -> None:
    user, booking = await kit.pending_booking()
    payment = await kit.init(user, booking.id, PaymentMethod.WIDGET)
    kit.paid_notice(payment)  # paid at the sandbox; its notification is not delivered

    assert await kit.hold_until(booking.id) == kit.clock.now() + timedelta(minutes=5)


async def test_the_probe_answers_for_a_batch_at_once_what_it_answers_one_by_one(kit: PaymentsKit) -> None:
    reviewed_user, reviewed = await kit.pending_booking()
    card_user, card = await kit.pending_booking()
    _, unpaid = await kit.pending_booking()
    qr = await kit.init(reviewed_user, reviewed.id, PaymentMethod.QR_MANUAL)
    await kit.submit(reviewed_user, qr.id, await kit.add_proof(reviewed, reviewed_user.user_id))
    kit.paid_notice(await kit.init(card_user, card.id, PaymentMethod.WIDGET))
    ids = [reviewed.id, card.id, unpaid.id, new_id()]

    holds = await kit.hold_until_many(ids)

    assert holds == {
        reviewed.id: kit.clock.now() + timedelta(hours=48),
        card.id: kit.clock.now() + timedelta(minutes=5),
    }
    assert holds == {i: until for i in ids if (until := await kit.hold_until(i)) is not None}
    assert await kit.hold_until_many([]) == {}


@pytest.mark.parametrize(
    ("price", "currency", "part", "left"),
    [
        ("1000", "JPY", "1", "999"),
        ("12.345", "KWD", "0.005", "12.340"),
        ("1500.50", "RUB", "0.01", "1500.49"),
    ],
)
async def test_amounts_come_back_exactly_with_their_currencys_digits(
    kit: PaymentsKit, price: str, currency: str, part: str, left: str
) -> None:
    user, booking = await kit.pending_booking(price=Decimal(price), currency=currency)
    payment = await kit.init(user, booking.id, PaymentMethod.WIDGET)
    await kit.webhook(kit.paid_notice(payment))

    refund = await kit.refund(payment.id, Decimal(part))
    stored = await kit.payment(payment.id)
    ports = kit.new_ports()
    async with ports.uow:
        payable = await ports.bookings.booking(booking.id)

    assert payable is not None
    assert (str(booking.amount), str(payable.amount), str(stored.amount)) == (price, price, price)
    assert (str(stored.refunded_amount), str(stored.refundable)) == (part, left)
    assert (str(refund.amount), refund.currency, stored.status) == (
        part,
        currency,
        PaymentStatus.PARTIALLY_REFUNDED,
    )


async def test_refunds_never_exceed_the_amount(kit: PaymentsKit) -> None:
    user, booking = await kit.pending_booking()
    payment = await kit.init(user, booking.id, PaymentMethod.WIDGET)
    await kit.webhook(kit.paid_notice(payment))

    await kit.refund(payment.id, Decimal("1000.00"))
    with pytest.raises(RefundTooLarge):
        await kit.refund(payment.id, Decimal("500.01"))
    await kit.refund(payment.id, Decimal("500.00"))

    refunded = await kit.payment(payment.id)
    assert (refunded.status, refunded.refunded_amount) == (PaymentStatus.REFUNDED, PRICE)


async def test_open_card_payments_are_found_for_reconciliation(kit: PaymentsKit) -> None:
    user, booking = await kit.pending_booking()
    card = await kit.init(user, booking.id, PaymentMethod.WIDGET)
    other, other_booking = await kit.pending_booking()
    await kit.init(other, other_booking.id, PaymentMethod.QR_MANUAL)
    kit.clock.advance(minutes=11)

    assert [p.id for p in await kit.open_card_payments(minutes_old=10)] == [card.id]
    assert await kit.open_card_payments(minutes_old=12) == []
    await kit.webhook(kit.paid_notice(card))
    assert await kit.open_card_payments(minutes_old=10) == []


async def test_an_organizers_payee_account_is_stored_and_replaced(kit: PaymentsKit) -> None:
    organizer_id, by = new_id(), new_id()
    first = BankAccount("River Rats", "40702810000000000777", "T-Bank", "044525974", "30101810145250000974")
    second = dataclasses.replace(first, bank_name="Sber", bic="044525225")

    for account in (first, second):
        ports = kit.new_ports()
        async with ports.uow:
            await ports.uow.payees.save(organizer_id, account, by=by, now=kit.clock.now())
            await ports.uow.commit()

    ports = kit.new_ports()
    async with ports.uow:
        assert await ports.uow.payees.get(organizer_id) == second
        assert await ports.uow.payees.get(new_id()) is None
