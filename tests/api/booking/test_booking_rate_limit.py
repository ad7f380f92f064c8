"""Booking creation has a rate limit of its own (SPEC §9: 20 per minute per user)."""

from __future__ import annotations

from aquastream.adapters.http.rate_limit import category_limits
from aquastream.adapters.memory.clock import FrozenClock
from aquastream.settings import Settings
from tests.api.booking.kit import book, participant
from tests.api.catalog.conftest import FrozenClockProvider
from tests.api.catalog.kit import API, open_page, organizer_account, published_event
from tests.api.conftest import Serve
from tests.api.identity.conftest import admin, assert_problem


def test_booking_creation_allows_20_a_minute_by_default() -> None:
    assert category_limits(Settings.for_tests())["booking"] == "20/minute"


async def test_booking_creation_answers_429_past_its_limit_per_user(serve: Serve, clock: FrozenClock) -> None:
    async with serve(
        FrozenClockProvider(clock), rate_limit_booking="3/minute", rate_limit_auth="1000/minute"
    ) as api:
        root = await admin(api)
        anna = await organizer_account(api, root, "anna@example.com")
        await open_page(api, anna, "river-rats", "River Rats")
        event = await published_event(api, anna, "river-rats")
        pavel = await participant(api, "pavel@example.com")
        rita = await participant(api, "rita@example.com")

        answers = [await book(api, pavel, event["id"]) for _ in range(4)]
        others = await book(api, rita, event["id"])
        browsing = await api.get(f"{API}/bookings", headers=pavel.auth)

    assert [a.status_code for a in answers] == [201, 409, 409, 429]
    assert [a.headers["x-ratelimit-remaining"] for a in answers[:3]] == ["2", "1", "0"]
    assert_problem(answers[3], 429, "rate_limit.exceeded")
    assert 1 <= int(answers[3].headers["retry-after"]) <= 60
    assert answers[3].headers["x-ratelimit-limit"] == "3"
    assert others.status_code == 201
    # Reading bookings counts against the general limit, not the booking one.
    assert browsing.status_code == 200
    assert browsing.headers["x-ratelimit-limit"] == "100"
