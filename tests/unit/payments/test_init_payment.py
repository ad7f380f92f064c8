"""Starting a payment: who may, for which booking, and what the client gets back."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aquastream.adapters.memory.payments import PAYMENTS
from aquastream.domain.payments.errors import (
    BookingNotFound,
    BookingNotPayable,
    PaymentAlreadyOpen,
    ProviderNotConfigured,
    ProviderUnknown,
    QrNotConfigured,
    QrOnlyInRoubles,
)
from aquastream.domain.payments.model import PaymentMethod, PaymentStatus
from aquastream.domain.payments.policy import PaymentsPolicy
from tests.unit.payments.payments_world import PRICE, PaymentsWorld


async def test_a_card_payment_freezes_the_booking_price_and_opens_at_the_provider(
    world: PaymentsWorld,
) -> None:
    user, booking = await world.pending_booking()

    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)

    assert (payment.amount, payment.currency, payment.status) == (PRICE, "RUB", PaymentStatus.PENDING)
    assert (payment.provider, payment.booking_id, payment.user_id) == ("sandbox", booking.id, user.user_id)
    assert payment.organizer_id == world.organizer_id
    assert payment.provider_payment_id == f"sbx_{payment.id.hex}"
    assert payment.confirmation["url"] == f"http://test/sandbox/{payment.provider_payment_id}/complete"
    assert world.payment(payment.id) == payment


async def test_a_qr_payment_carries_the_unified_payload_in_kopecks(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()

    payment = await world.init_payment(user, booking.id, PaymentMethod.QR_MANUAL)

    assert payment.provider == "manual"
    assert payment.qr_payload is not None
    assert payment.qr_payload.startswith(
        "ST00012|Name=River Rats LLC|PersonalAcc=40702810900000000001|BankName=PAO SBERBANK"
        "|BIC=044525225|CorrespAcc=30101810400000000225|Sum=150000|Purpose=Оплата бронирования "
    )
    assert str(booking.id) in payment.qr_payload


@pytest.mark.parametrize(("price", "currency"), [(Decimal("1000"), "JPY"), (Decimal("20.500"), "KWD")])
async def test_a_qr_payment_is_for_roubles_only_and_a_card_takes_any_currency(
    world: PaymentsWorld, price: Decimal, currency: str
) -> None:
    user, booking = await world.pending_booking(price=price, currency=currency)

    with pytest.raises(QrOnlyInRoubles) as caught:
        await world.init_payment(user, booking.id, PaymentMethod.QR_MANUAL)
    assert (caught.value.code, world.db.table(PAYMENTS)) == ("payment.qr_rub_only", {})
    by_card = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)

    assert (by_card.amount, by_card.currency) == (price, currency)


async def test_only_the_owner_may_pay_a_booking(world: PaymentsWorld) -> None:
    _, booking = await world.pending_booking()

    with pytest.raises(BookingNotFound):
        await world.init_payment(world.new_user(), booking.id, PaymentMethod.WIDGET)
    with pytest.raises(BookingNotFound):
        await world.init_payment(world.organizer, booking.id, PaymentMethod.WIDGET)


async def test_a_free_a_confirmed_or_an_expired_booking_cannot_be_paid(world: PaymentsWorld) -> None:
    user = world.new_user()
    free_event = await world.publish(price=None)
    free = await world.book(user, free_event)
    with pytest.raises(BookingNotPayable):
        await world.init_payment(user, free.id, PaymentMethod.WIDGET)

    owner, held = await world.pending_booking()
    world.clock.advance(minutes=31)
    with pytest.raises(BookingNotPayable):
        await world.init_payment(owner, held.id, PaymentMethod.WIDGET)
    assert world.db.table("payments.payments") == {}


async def test_a_second_init_names_the_open_payment_instead_of_opening_another(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    first = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)

    with pytest.raises(PaymentAlreadyOpen) as refused:
        await world.init_payment(user, booking.id, PaymentMethod.QR_MANUAL)

    assert refused.value.existing_payment_id == first.id
    await world.cancel_payment(user, first.id)
    second = await world.init_payment(user, booking.id, PaymentMethod.QR_MANUAL)
    assert second.id != first.id


async def test_unknown_and_unconfigured_providers_are_refused(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()

    with pytest.raises(ProviderUnknown):
        await world.init_payment(user, booking.id, PaymentMethod.WIDGET, "paypal")
    with pytest.raises(ProviderNotConfigured):
        await world.init_payment(user, booking.id, PaymentMethod.WIDGET, "stripe")


async def test_qr_payments_need_a_configured_payee() -> None:
    world = PaymentsWorld(PaymentsPolicy(bank_account=None))
    user, booking = await world.pending_booking()

    with pytest.raises(QrNotConfigured):
        await world.init_payment(user, booking.id, PaymentMethod.QR_MANUAL)
