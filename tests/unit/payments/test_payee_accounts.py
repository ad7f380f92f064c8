"""An organizer's own bank account for QR transfers, with the service-wide payee as fallback."""

from __future__ import annotations

import dataclasses

import pytest

from aquastream.domain.payments.errors import OrganizerNotFound, PaymentForbidden, QrNotConfigured
from aquastream.domain.payments.model import BankAccount, PaymentMethod
from aquastream.domain.payments.policy import PaymentsPolicy
from aquastream.domain.shared.errors import ValidationFailed
from tests.unit.payments.payments_world import PaymentsWorld

OWN = BankAccount(
    "Речные крысы", "40702810000000000777", "банк Тинькофф", "044525974", "30101810145250000974"
)


async def test_new_qr_payments_go_to_the_organizers_own_account(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    before = await world.init_payment(user, booking.id, PaymentMethod.QR_MANUAL)
    assert before.qr_payload is not None
    assert "PersonalAcc=40702810900000000001" in before.qr_payload  # the service-wide payee
    await world.cancel_payment(user, before.id)

    assert await world.set_payee(world.organizer, "river-rats", OWN) == OWN
    after = await world.init_payment(user, booking.id, PaymentMethod.QR_MANUAL)

    assert after.qr_payload is not None
    assert after.qr_payload.startswith("ST00012|Name=Речные крысы|PersonalAcc=40702810000000000777|")
    assert await world.get_payee(world.admin, "river-rats") == OWN


async def test_an_organizer_without_an_account_and_no_service_payee_offers_no_qr() -> None:
    world = PaymentsWorld(PaymentsPolicy(bank_account=None))
    user, booking = await world.pending_booking()
    assert await world.get_payee(world.organizer, "river-rats") is None

    with pytest.raises(QrNotConfigured):
        await world.init_payment(user, booking.id, PaymentMethod.QR_MANUAL)
    await world.set_payee(world.organizer, "river-rats", OWN)
    assert (await world.init_payment(user, booking.id, PaymentMethod.QR_MANUAL)).qr_payload


async def test_only_the_organizers_managers_see_or_set_its_account(world: PaymentsWorld) -> None:
    with pytest.raises(PaymentForbidden):
        await world.set_payee(world.new_user(), "river-rats", OWN)
    with pytest.raises(PaymentForbidden):
        await world.get_payee(world.new_user(), "river-rats")
    with pytest.raises(OrganizerNotFound):
        await world.set_payee(world.admin, "nobody", OWN)


async def test_bank_details_are_checked_field_by_field(world: PaymentsWorld) -> None:
    bad = dataclasses.replace(OWN, account="4070", bic="04452597X", name=" ", bank_name="A|B")

    with pytest.raises(ValidationFailed) as refused:
        await world.set_payee(world.organizer, "river-rats", bad)

    assert {error.field for error in refused.value.errors} == {"account", "bic", "name", "bankName"}
    assert await world.get_payee(world.organizer, "river-rats") is None
