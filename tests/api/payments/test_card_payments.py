"""Card payments through the sandbox, end to end: init, the payer pays on the sandbox page, the
signed notification arrives, the booking is confirmed through the outbox."""

from __future__ import annotations

from aquastream.domain.payments.errors import PaymentAlreadyOpen
from tests.api.catalog.kit import API, Cast
from tests.api.identity.conftest import Client, assert_problem
from tests.api.payments.conftest import People
from tests.api.payments.kit import complete_in_sandbox, fetched, paid_booking, start_payment, started
from tests.api.worker import drain_outbox


async def test_a_sandbox_card_payment_confirms_the_booking(api: Client, cast: Cast, people: People) -> None:
    booking = await paid_booking(api, cast, people.pavel)

    payment = await started(api, people.pavel, booking["id"])
    assert payment["status"] == "PENDING"
    assert (payment["amount"], payment["currency"], payment["provider"]) == ("1500.00", "RUB", "sandbox")
    assert payment["confirmation"]["type"] == "sandbox"
    assert payment["qr"] is None

    paid = await complete_in_sandbox(api, payment)
    assert paid.status_code == 200, paid.text
    assert paid.json() == {"received": True, "duplicate": False, "outcome": "APPLIED"}
    await drain_outbox(api)

    assert (await fetched(api, people.pavel, f"/payments/{payment['id']}"))["status"] == "SUCCEEDED"
    confirmed = await fetched(api, people.pavel, f"/bookings/{booking['id']}")
    assert (confirmed["status"], confirmed["paymentStatus"]) == ("CONFIRMED", "PAID")


async def test_posting_the_sandbox_page_with_no_body_pays(api: Client, cast: Cast, people: People) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    payment = await started(api, people.pavel, booking["id"])
    path = payment["confirmation"]["url"].removeprefix("http://localhost:8000")

    paid = await api.post(path)  # what the README says: POST the confirmation.url

    assert paid.request.content == b""
    assert "content-type" not in paid.request.headers
    assert (paid.status_code, paid.json()["outcome"]) == (200, "APPLIED"), paid.text
    assert (await fetched(api, people.pavel, f"/payments/{payment['id']}"))["status"] == "SUCCEEDED"


async def test_a_sandbox_page_body_must_name_a_known_outcome(api: Client, cast: Cast, people: People) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    payment = await started(api, people.pavel, booking["id"])
    path = payment["confirmation"]["url"].removeprefix("http://localhost:8000")

    for body in ({"outcome": "MAYBE"}, {"result": "SUCCEEDED"}, [1]):
        assert_problem(await api.post(path, json=body), 400, "validation.failed")
    assert_problem(
        await api.post(path, content=b"{", headers={"content-type": "application/json"}),
        400,
        "validation.failed",
    )

    assert (await fetched(api, people.pavel, f"/payments/{payment['id']}"))["status"] == "PENDING"


async def test_a_failed_sandbox_payment_leaves_the_booking_pending(
    api: Client, cast: Cast, people: People
) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    payment = await started(api, people.pavel, booking["id"])

    await complete_in_sandbox(api, payment, "FAILED")
    await drain_outbox(api)

    assert (await fetched(api, people.pavel, f"/payments/{payment['id']}"))["status"] == "FAILED"
    assert (await fetched(api, people.pavel, f"/bookings/{booking['id']}"))["status"] == "PENDING"
    # A failed payment is over: the booking may be paid again.
    assert (await start_payment(api, people.pavel, booking["id"])).status_code == 201


async def test_init_errors(api: Client, cast: Cast, people: People) -> None:
    booking = await paid_booking(api, cast, people.pavel)

    assert_problem(await start_payment(api, people.rita, booking["id"]), 404, "booking.not_found")
    assert_problem(await start_payment(api, people.pavel, booking["id"], "CASH"), 400, "validation.failed")
    assert_problem(
        await start_payment(api, people.pavel, booking["id"], provider="paypal"),
        404,
        "payment.provider_unknown",
    )
    assert_problem(
        await start_payment(api, people.pavel, booking["id"], provider="stripe"),
        422,
        "payment.provider_unavailable",
    )
    anonymous = await api.post(f"{API}/payments", json={"bookingId": booking["id"], "method": "WIDGET"})
    assert_problem(anonymous, 401, "auth.unauthenticated")

    first = await started(api, people.pavel, booking["id"])
    second = assert_problem(
        await start_payment(api, people.pavel, booking["id"], "QR_MANUAL"), 409, PaymentAlreadyOpen.code
    )
    assert second["existingPaymentId"] == first["id"]


async def test_a_free_booking_is_not_payable(api: Client, cast: Cast, people: People) -> None:
    booking = await paid_booking(api, cast, people.pavel, price="0")

    assert_problem(await start_payment(api, people.pavel, booking["id"]), 409, "payment.booking_not_payable")


async def test_init_honours_the_idempotency_key(api: Client, cast: Cast, people: People) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    headers = {**people.pavel.auth, "Idempotency-Key": "pay-once"}
    body = {"bookingId": booking["id"], "method": "WIDGET"}

    first = await api.post(f"{API}/payments", json=body, headers=headers)
    again = await api.post(f"{API}/payments", json=body, headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"


async def test_the_payer_cancels_an_open_payment(api: Client, cast: Cast, people: People) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    payment = await started(api, people.pavel, booking["id"])
    path = f"{API}/payments/{payment['id']}/cancel"

    assert_problem(await api.post(path, headers=cast.anna.auth), 403, "payment.forbidden")
    assert_problem(await api.post(path, headers=people.rita.auth), 404, "payment.not_found")
    cancelled = await api.post(path, headers=people.pavel.auth)
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "CANCELLED")
    assert_problem(await api.post(path, headers=people.pavel.auth), 409, "payment.invalid_status")

    # Cancelled at the sandbox too: its payment page can no longer make it succeed.
    late = await complete_in_sandbox(api, payment)
    assert (late.status_code, late.json()["outcome"]) == (200, "NO_CHANGE")
    await drain_outbox(api)
    assert (await fetched(api, people.pavel, f"/payments/{payment['id']}"))["status"] == "CANCELLED"
    assert (await fetched(api, people.pavel, f"/bookings/{booking['id']}"))["status"] == "PENDING"


async def test_payments_are_listed_for_their_payer_and_their_event(
    api: Client, cast: Cast, people: People
) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    payment = await started(api, people.pavel, booking["id"])

    mine = await fetched(api, people.pavel, "/payments")
    event = await fetched(api, cast.anna, f"/events/{booking['eventId']}/payments")
    by_admin = await fetched(api, cast.root, f"/events/{booking['eventId']}/payments")

    assert [p["id"] for p in mine["items"]] == [payment["id"]]
    assert (mine["total"], mine["page"], mine["size"], mine["totalPages"]) == (1, 0, 20, 1)
    assert [p["id"] for p in event["items"]] == [p["id"] for p in by_admin["items"]] == [payment["id"]]
    assert (await fetched(api, people.rita, "/payments"))["items"] == []
    assert_problem(
        await api.get(f"{API}/payments?size=101", headers=people.pavel.auth), 400, "validation.failed"
    )
    forbidden = await api.get(f"{API}/events/{booking['eventId']}/payments", headers=cast.boris.auth)
    assert_problem(forbidden, 403, "payment.forbidden")
    missing = await api.get(f"{API}/events/{payment['id']}/payments", headers=cast.anna.auth)
    assert_problem(missing, 404, "event.not_found")


async def test_a_payment_is_shown_to_its_payer_and_organizer_only(
    api: Client, cast: Cast, people: People
) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    payment = await started(api, people.pavel, booking["id"])

    assert (await fetched(api, cast.anna, f"/payments/{payment['id']}"))["refunds"] == []
    hidden = await api.get(f"{API}/payments/{payment['id']}", headers=cast.boris.auth)
    assert_problem(hidden, 404, "payment.not_found")
