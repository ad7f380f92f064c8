"""The sandbox provider writes its notifications' amounts as the real providers do: decimal
strings with the currency's fraction digits, read back exactly."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest

from aquastream.adapters.payments.sandbox import SandboxProvider
from aquastream.domain.payments.model import CheckoutRequest, ProviderStatus


@pytest.mark.parametrize(("amount", "currency"), [("1000", "JPY"), ("1.234", "KWD"), ("1500.00", "RUB")])
async def test_sandbox_notifications_carry_amounts_with_the_currencys_fraction_digits(
    amount: str, currency: str
) -> None:
    sandbox = SandboxProvider("sandbox-secret", "http://test/sandbox/{id}/complete")
    request = CheckoutRequest(uuid.uuid4(), Decimal(amount), currency, "Booking", "https://app.example/r")
    checkout = await sandbox.create(request)
    assert checkout.provider_payment_id is not None

    delivery = sandbox.complete(checkout.provider_payment_id, ProviderStatus.SUCCEEDED)
    notice = await sandbox.verify_webhook(delivery)

    assert (json.loads(delivery.body)["amount"], json.loads(delivery.body)["currency"]) == (amount, currency)
    assert (str(notice.payment.amount), notice.payment.currency) == (amount, currency)
