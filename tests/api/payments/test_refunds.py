"""Refunds through the API: by the organizer, and when a paid booking or its event is cancelled."""

from __future__ import annotations

from typing import Any

from tests.api.catalog.kit import API, Cast
from tests.api.identity.conftest import Account, Client, assert_problem
from tests.api.payments.conftest import People
from tests.api.payments.kit import complete_in_sandbox, fetched, paid_booking, started
from tests.api.worker import drain_outbox


async def _paid(api: Client, cast: Cast, payer: Account) -> tuple[dict[str, Any], dict[str, Any]]:
    booking = await paid_booking(api, cast, payer)
    payment = await started(api, payer, booking["id"])
    await complete_in_sandbox(api, payment)
    await drain_outbox(api)
    return booking, payment


async def _refund(api: Client, account: Account, payment: dict[str, Any], **body: Any) -> Any:
    return await api.post(f"{API}/payments/{payment['id']}/refund", json=body, headers=account.auth)


async def test_the_organizer_refunds_in_parts(api: Client, cast: Cast, people: People) -> None:
    booking, payment = await _paid(api, cast, people.pavel)

    part = await _refund(api, cast.anna, payment, amount="400.00", reason="No lunch")
    assert part.status_code == 201, part.text
    assert (part.json()["amount"], part.json()["status"]) == ("400.00", "SUCCEEDED")
    await drain_outbox(api)
    assert (await fetched(api, people.pavel, f"/payments/{payment['id']}"))["status"] == "PARTIALLY_REFUNDED"
    partly = await fetched(api, people.pavel, f"/bookings/{booking['id']}")
    assert (partly["status"], partly["paymentStatus"]) == ("CONFIRMED", "PARTIALLY_REFUNDED")
    assert_problem(await _refund(api, cast.anna, payment, amount="1100.01"), 422, "payment.refund_too_large")
    too_fine = assert_problem(
        await _refund(api, cast.anna, payment, amount="12.345"), 422, "money.too_many_fraction_digits"
    )
    assert [e["field"] for e in too_fine["errors"]] == ["amount"]
    assert_problem(await _refund(api, cast.anna, payment, amount="-12"), 400, "validation.failed")
    assert_problem(await _refund(api, people.pavel, payment), 403, "payment.forbidden")
    assert_problem(await _refund(api, cast.boris, payment), 404, "payment.not_found")

    rest = await _refund(api, cast.root, payment)
    assert rest.json()["amount"] == "1100.00"
    shown = await fetched(api, people.pavel, f"/payments/{payment['id']}")
    assert (shown["status"], shown["refundedAmount"]) == ("REFUNDED", "1500.00")
    assert [r["amount"] for r in shown["refunds"]] == ["400.00", "1100.00"]
    await drain_outbox(api)
    assert (await fetched(api, people.pavel, f"/bookings/{booking['id']}"))["paymentStatus"] == "REFUNDED"
    assert_problem(await _refund(api, cast.anna, payment), 409, "payment.invalid_status")


async def test_cancelling_a_paid_booking_refunds_it(api: Client, cast: Cast, people: People) -> None:
    booking, payment = await _paid(api, cast, people.pavel)

    cancelled = await api.post(f"{API}/bookings/{booking['id']}/cancel", headers=people.pavel.auth)
    assert cancelled.json()["paymentStatus"] == "REFUND_PENDING"
    await drain_outbox(api)

    assert (await fetched(api, people.pavel, f"/payments/{payment['id']}"))["status"] == "REFUNDED"
    assert (await fetched(api, people.pavel, f"/bookings/{booking['id']}"))["paymentStatus"] == "REFUNDED"


async def test_cancelling_an_event_refunds_its_paid_bookings(api: Client, cast: Cast, people: People) -> None:
    booking, payment = await _paid(api, cast, people.pavel)

    cancelled = await api.post(
        f"{API}/events/{booking['eventId']}/cancel", json={"reason": "flood"}, headers=cast.anna.auth
    )
    assert cancelled.status_code == 200
    await drain_outbox(api)

    refunded = await fetched(api, people.pavel, f"/payments/{payment['id']}")
    assert (refunded["status"], refunded["refunds"][0]["reason"]) == ("REFUNDED", "EVENT_CANCELLED")
