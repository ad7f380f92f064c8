"""``Idempotency-Key`` on POST /bookings: a retry answers with the first response instead of
booking twice, even when the first answer was lost after the commit; a key is its user's,
lives 24 h, and is kept only by a request that booked."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from dishka import Provider, Scope, provide

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.domain.booking.book import BookSeat
from aquastream.domain.booking.model import Booking
from tests.api.booking.conftest import People
from tests.api.booking.kit import book, booked, fresh, seats_left
from tests.api.catalog.conftest import FrozenClockProvider
from tests.api.catalog.kit import API, Cast, published_event
from tests.api.conftest import Serve
from tests.api.identity.conftest import Account, Client, assert_problem

KEY = "6f1c7a52-8a0e-4d3c-9a51-2b7f0c1d9e11"


async def _my_bookings(api: Client, account: Account) -> int:
    total: int = (await api.get(f"{API}/bookings", headers=account.auth)).json()["total"]
    return total


async def test_a_retry_with_the_same_key_replays_the_first_answer(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    first = await book(api, people.pavel, event["id"], key=KEY)
    retry = await book(api, people.pavel, event["id"], key=KEY)

    assert first.status_code == retry.status_code == 201
    assert "idempotent-replayed" not in first.headers
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.headers["content-type"] == "application/json"
    assert retry.content == first.content
    assert await _my_bookings(api, people.pavel) == 1
    assert await seats_left(api, event["id"]) == 9


async def test_the_replay_is_the_first_answer_even_after_the_booking_changed(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    first = await book(api, people.pavel, event["id"], key=KEY)
    await api.post(f"{API}/bookings/{first.json()['id']}/cancel", headers=people.pavel.auth)

    retry = await book(api, people.pavel, event["id"], key=KEY)
    assert (retry.status_code, retry.json()["status"]) == (201, "PENDING")
    assert retry.headers["idempotent-replayed"] == "true"
    assert await _my_bookings(api, people.pavel) == 1


async def test_without_a_key_a_repeat_is_a_duplicate(api: Client, cast: Cast, people: People) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    first = await booked(api, people.pavel, event["id"])
    repeat = await book(api, people.pavel, event["id"])
    problem = assert_problem(repeat, 409, "booking.duplicate")
    assert problem["existingBookingId"] == first["id"]
    assert "idempotent-replayed" not in repeat.headers


async def test_the_same_key_for_a_different_request_is_refused(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    other = await published_event(api, cast.anna, "river-rats", title="Another river")
    await book(api, people.pavel, event["id"], key=KEY)

    reused = await book(api, people.pavel, other["id"], key=KEY)
    assert_problem(reused, 422, "idempotency.key_reused")
    assert await _my_bookings(api, people.pavel) == 1
    assert await seats_left(api, other["id"]) == 10


async def test_the_body_is_compared_by_meaning_not_by_spelling(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    headers = {**people.pavel.auth, "Idempotency-Key": KEY, "Content-Type": "application/json"}
    first = await api.post(f"{API}/bookings", content=f'{{"eventId":"{event["id"]}"}}', headers=headers)
    spaced = await api.post(
        f"{API}/bookings", content=f'{{ "eventId" : "{event["id"].upper()}" }}', headers=headers
    )
    assert (first.status_code, spaced.status_code) == (201, 201)
    assert spaced.headers["idempotent-replayed"] == "true"


async def test_keys_belong_to_their_user(api: Client, cast: Cast, people: People) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    pavel = await book(api, people.pavel, event["id"], key=KEY)
    rita = await book(api, people.rita, event["id"], key=KEY)

    assert (pavel.status_code, rita.status_code) == (201, 201)
    assert "idempotent-replayed" not in rita.headers
    assert rita.json()["userId"] == people.rita.id
    assert await seats_left(api, event["id"]) == 8


async def test_a_failed_request_releases_its_key_so_a_retry_acts_afresh(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(api, cast.anna, "river-rats", capacity=1)
    taken = await booked(api, people.pavel, event["id"])
    assert_problem(await book(api, people.rita, event["id"], key=KEY), 409, "event.full")

    await api.post(f"{API}/bookings/{taken['id']}/cancel", headers=people.pavel.auth)
    retry = await book(api, people.rita, event["id"], key=KEY)
    assert retry.status_code == 201, retry.text
    assert "idempotent-replayed" not in retry.headers
    again = await book(api, people.rita, event["id"], key=KEY)
    assert (again.headers["idempotent-replayed"], again.json()["id"]) == ("true", retry.json()["id"])


async def test_an_incomplete_profile_refusal_is_not_kept_either(api: Client, cast: Cast) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    assert_problem(await book(api, cast.vera, event["id"], key=KEY), 422, "profile.incomplete")
    await api.put(f"{API}/users/me", json={"phone": "+79001112233"}, headers=cast.vera.auth)
    assert (await book(api, cast.vera, event["id"], key=KEY)).status_code == 201


class BookSeatThenDie(BookSeat):
    """The booking commits, then the process dies before the answer leaves it."""

    async def __call__(self, *args: Any, **kwargs: Any) -> Booking:
        await super().__call__(*args, **kwargs)
        raise SystemError("the process died between the commit and the response")


class DyingAfterCommit(Provider):
    book_seat = provide(BookSeatThenDie, provides=BookSeat, scope=Scope.REQUEST)


async def test_a_retry_after_a_crash_between_commit_and_answer_replays_the_first_201(
    api: Client, cast: Cast, people: People, serve: Serve, clock: FrozenClock
) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    async with serve(FrozenClockProvider(clock), DyingAfterCommit(), rate_limit_enabled=False) as dying:
        cut_off = await book(dying, people.pavel, event["id"], key=KEY)
        assert cut_off.status_code == 500  # the client never heard of its booking

    retry = await book(api, people.pavel, event["id"], key=KEY)

    assert retry.status_code == 201, retry.text
    assert retry.headers["idempotent-replayed"] == "true"
    (mine,) = (await api.get(f"{API}/bookings", headers=people.pavel.auth)).json()["items"]
    # The first answer, as booking answers: without the event, which later reads add.
    assert retry.json() == {**mine, "updatedAt": retry.json()["updatedAt"], "event": None}
    assert await seats_left(api, event["id"]) == 9


async def test_a_repeat_while_the_first_request_runs_waits_for_it_and_replays(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(api, cast.anna, "river-rats")

    answers = await asyncio.gather(*(book(api, people.pavel, event["id"], key=KEY) for _ in range(4)))

    assert [a.status_code for a in answers] == [201] * 4
    assert len({a.content for a in answers}) == 1
    assert sorted(a.headers.get("idempotent-replayed", "false") for a in answers) == ["false"] + ["true"] * 3
    assert await _my_bookings(api, people.pavel) == 1


async def test_a_key_is_forgotten_after_24_hours(
    api: Client, cast: Cast, people: People, clock: FrozenClock
) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    first = await book(api, people.pavel, event["id"], key=KEY)
    await api.post(f"{API}/bookings/{first.json()['id']}/cancel", headers=people.pavel.auth)

    clock.advance(hours=23, minutes=59)
    (pavel,) = await fresh(api, people.pavel)
    assert (await book(api, pavel, event["id"], key=KEY)).headers["idempotent-replayed"] == "true"
    clock.advance(timedelta(minutes=1))
    (pavel,) = await fresh(api, people.pavel)
    later = await book(api, pavel, event["id"], key=KEY)
    assert later.status_code == 201, later.text
    assert "idempotent-replayed" not in later.headers
    assert later.json()["id"] != first.json()["id"]


async def test_a_key_must_be_1_to_255_characters(api: Client, cast: Cast, people: People) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    for key in ("k" * 256, ""):
        problem = assert_problem(
            await book(api, people.pavel, event["id"], key=key), 400, "validation.failed"
        )
        assert problem["errors"][0]["field"] == "Idempotency-Key"
    assert (await book(api, people.pavel, event["id"], key="k" * 255)).status_code == 201
