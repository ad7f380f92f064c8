"""Payments in currencies other than roubles through the real app: amounts with the currency's
fraction digits end to end (booking, payment, sandbox notification, refund), and no QR."""

from __future__ import annotations

import pytest

from tests.api.catalog.kit import API, Cast
from tests.api.identity.conftest import Client, assert_problem
from tests.api.payments.conftest import People
from tests.api.payments.kit import complete_in_sandbox, fetched, paid_booking, start_payment, started
from tests.api.worker import drain_outbox


@pytest.mark.parametrize(
    ("price", "currency", "zero", "too_fine", "part", "left"),
    [("1000", "JPY", "0", "100.5", "100", "900"), ("12.345", "KWD", "0.000", "1.2345", "0.005", "12.340")],
)
async def test_a_card_payment_and_its_refunds_keep_the_currencys_digits(
    api: Client,
    cast: Cast,
    people: People,
    price: str,
    currency: str,
    zero: str,
    too_fine: str,
    part: str,
    left: str,
) -> None:
    booking = await paid_booking(api, cast, people.pavel, price=price, currency=currency)
    payment = await started(api, people.pavel, booking["id"])
    assert (booking["amount"], payment["amount"], payment["refundedAmount"]) == (
        price,
        price,
        f"{0:.{len(price.partition('.')[2])}f}",
    )
    await complete_in_sandbox(api, payment)
    await drain_outbox(api)
    refund_path = f"{API}/payments/{payment['id']}/refund"

    refused = await api.post(refund_path, json={"amount": too_fine}, headers=cast.anna.auth)
    refund = await api.post(refund_path, json={"amount": part}, headers=cast.anna.auth)

    problem = assert_problem(refused, 422, "money.too_many_fraction_digits")
    assert [e["field"] for e in problem["errors"]] == ["amount"]
    assert refund.status_code == 201, refund.text
    assert (refund.json()["amount"], refund.json()["currency"]) == (part, currency)
    shown = await fetched(api, people.pavel, f"/payments/{payment['id']}")
    assert (shown["status"], shown["amount"], shown["refundedAmount"]) == ("PARTIALLY_REFUNDED", price, part)
    assert [r["amount"] for r in shown["refunds"]] == [part]
    assert (await fetched(api, people.pavel, f"/bookings/{booking['id']}"))["status"] == "CONFIRMED"
    rest = await api.post(refund_path, json={}, headers=cast.anna.auth)
    assert rest.json()["amount"] == left


async def test_a_qr_transfer_is_refused_for_a_booking_not_in_roubles(
    api: Client, cast: Cast, people: People
) -> None:
    booking = await paid_booking(api, cast, people.pavel, price="1000", currency="JPY")

    refused = await start_payment(api, people.pavel, booking["id"], "QR_MANUAL")
    by_card = await start_payment(api, people.pavel, booking["id"])

    assert_problem(refused, 422, "payment.qr_rub_only")
    assert by_card.status_code == 201, by_card.text
    assert by_card.json()["amount"] == "1000"
