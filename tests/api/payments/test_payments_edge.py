"""The payments routes at the edge: their rate limit, their OpenAPI description, and a payment
that arrives after its booking's hold ended."""

from __future__ import annotations

from aquastream.adapters.http.rate_limit import category_limits
from aquastream.adapters.memory.clock import FrozenClock
from aquastream.settings import Settings
from tests.api.booking.kit import fresh, participant
from tests.api.catalog.conftest import FrozenClockProvider
from tests.api.catalog.kit import API, Cast, open_page, organizer_account
from tests.api.conftest import Serve
from tests.api.identity.conftest import Client, admin, assert_problem
from tests.api.payments.conftest import People
from tests.api.payments.kit import complete_in_sandbox, fetched, paid_booking, started
from tests.api.worker import drain_outbox, run_due_jobs


def test_payments_allow_30_a_minute_by_default() -> None:
    assert category_limits(Settings.for_tests())["payments"] == "30/minute"


async def test_payment_routes_answer_429_past_their_limit(serve: Serve, clock: FrozenClock) -> None:
    async with serve(
        FrozenClockProvider(clock), rate_limit_payments="2/minute", rate_limit_auth="1000/minute"
    ) as api:
        root = await admin(api)
        anna = await organizer_account(api, root, "anna@example.com")
        await open_page(api, anna, "river-rats", "River Rats")
        pavel = await participant(api, "pavel@example.com")

        answers = [await api.get(f"{API}/payments", headers=pavel.auth) for _ in range(3)]
        event_list = await api.get(f"{API}/events/{pavel.id}/payments", headers=anna.auth)
        browsing = await api.get(f"{API}/bookings", headers=pavel.auth)

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert_problem(answers[2], 429, "rate_limit.exceeded")
    assert answers[0].headers["x-ratelimit-limit"] == "2"
    assert event_list.headers["x-ratelimit-limit"] == "2"
    assert browsing.headers["x-ratelimit-limit"] == "100"


async def test_the_payment_routes_are_documented(api: Client) -> None:
    document = (await api.get(f"{API}/openapi.json")).json()

    paths = document["paths"]
    for path, verbs in {
        "/api/v1/payments": {"get", "post"},
        "/api/v1/payments/moderation": {"get"},
        "/api/v1/payments/{payment_id}": {"get"},
        "/api/v1/payments/{payment_id}/cancel": {"post"},
        "/api/v1/payments/{payment_id}/proof": {"post"},
        "/api/v1/payments/{payment_id}/review": {"post"},
        "/api/v1/payments/{payment_id}/refund": {"post"},
        "/api/v1/events/{event_id}/payments": {"get"},
        "/api/v1/webhooks/payments/{provider}": {"post"},
    }.items():
        assert verbs <= set(paths[path]), path
    assert "PaymentOut" in document["components"]["schemas"]
    sandbox_page = paths["/api/v1/payments/sandbox/{provider_payment_id}/complete"]["post"]
    assert sandbox_page["requestBody"]["required"] is False  # a bare POST pays
    assert paths["/api/v1/payments/{payment_id}/proof"]["post"]["requestBody"]["required"] is True


async def test_a_payment_after_the_hold_retakes_a_free_seat(
    api: Client, cast: Cast, people: People, clock: FrozenClock
) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    payment = await started(api, people.pavel, booking["id"])
    await run_due_jobs(api)
    clock.advance(minutes=31)
    await run_due_jobs(api)
    (pavel,) = await fresh(api, people.pavel)
    assert (await fetched(api, pavel, f"/bookings/{booking['id']}"))["status"] == "EXPIRED"

    await complete_in_sandbox(api, payment)
    await drain_outbox(api)

    revived = await fetched(api, pavel, f"/bookings/{booking['id']}")
    assert (revived["status"], revived["paymentStatus"]) == ("CONFIRMED", "PAID")
