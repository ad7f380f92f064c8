"""POST /bookings and the life of a booking through the real app: every rule of SPEC §4."""

from __future__ import annotations

import uuid

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.ioc.booking import EXPIRE_HOLDS_JOB
from tests.api.booking.conftest import People
from tests.api.booking.kit import book, booked, fresh, seats_left
from tests.api.catalog.kit import API, Cast, at, create_event, published_event
from tests.api.identity.conftest import Client, assert_problem
from tests.api.worker import run_due_jobs


async def test_a_paid_event_gives_a_pending_booking_held_until_now_plus_the_hold(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(api, cast.anna, "river-rats", price="1500", capacity=3)
    response = await book(api, people.pavel, event["id"])

    assert response.status_code == 201, response.text
    body = response.json()
    assert uuid.UUID(body["id"])
    assert (body["eventId"], body["userId"]) == (event["id"], people.pavel.id)
    assert (body["status"], body["paymentStatus"]) == ("PENDING", "PENDING")
    assert (body["amount"], body["currency"]) == ("1500.00", "RUB")
    assert body["createdAt"] == body["updatedAt"] == at(0)
    assert body["expiresAt"] == at(0, hours=0.5)
    assert body["waitlistEntryId"] is None
    assert await seats_left(api, event["id"]) == 2


async def test_a_free_event_confirms_at_once_without_payment(api: Client, cast: Cast, people: People) -> None:
    event = await published_event(api, cast.anna, "river-rats", price=None)
    body = await booked(api, people.pavel, event["id"])

    assert (body["status"], body["paymentStatus"]) == ("CONFIRMED", "NOT_REQUIRED")
    assert (body["amount"], body["expiresAt"]) == ("0.00", None)


async def test_the_price_is_frozen_into_the_booking(api: Client, cast: Cast, people: People) -> None:
    event = await published_event(api, cast.anna, "river-rats", price="1500.50", currency="EUR")
    first = await booked(api, people.pavel, event["id"])
    await api.put(f"{API}/events/{event['id']}", json={"capacity": 20}, headers=cast.anna.auth)

    shown = (await api.get(f"{API}/bookings/{first['id']}", headers=people.pavel.auth)).json()
    assert (shown["amount"], shown["currency"]) == ("1500.50", "EUR")


async def test_booking_needs_a_phone_or_telegram_in_the_profile(api: Client, cast: Cast) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    assert_problem(await book(api, cast.vera, event["id"]), 422, "profile.incomplete")
    assert await seats_left(api, event["id"]) == 10

    linked = await api.put(f"{API}/users/me", json={"telegram": "@vera_rafts"}, headers=cast.vera.auth)
    assert linked.status_code == 200, linked.text
    assert (await book(api, cast.vera, event["id"])).status_code == 201


async def test_booking_needs_an_account(api: Client, cast: Cast) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    refused = await api.post(f"{API}/bookings", json={"eventId": event["id"]})
    assert_problem(refused, 401, "auth.unauthenticated")


async def test_organizers_and_admins_may_book_too(api: Client, cast: Cast) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    for account in (cast.boris, cast.root):
        await api.put(f"{API}/users/me", json={"phone": "+79001234567"}, headers=account.auth)
        assert (await book(api, account, event["id"])).status_code == 201
    assert await seats_left(api, event["id"]) == 8


async def test_only_published_events_can_be_booked(api: Client, cast: Cast, people: People) -> None:
    draft = await create_event(api, cast.anna, "river-rats")
    assert_problem(await book(api, people.pavel, draft["id"]), 404, "event.not_found")
    assert_problem(await book(api, people.pavel, str(uuid.uuid4())), 404, "event.not_found")

    cancelled = await published_event(api, cast.anna, "river-rats")
    await api.post(f"{API}/events/{cancelled['id']}/cancel", headers=cast.anna.auth)
    assert_problem(await book(api, people.pavel, cancelled["id"]), 422, "event.not_open")


async def test_an_event_that_has_started_cannot_be_booked(
    api: Client, cast: Cast, people: People, clock: FrozenClock
) -> None:
    event = await published_event(api, cast.anna, "river-rats", dateStart=at(1), dateEnd=at(2))
    clock.advance(days=1)
    (pavel,) = await fresh(api, people.pavel)
    assert_problem(await book(api, pavel, event["id"]), 422, "event.not_open")


async def test_a_malformed_body_is_a_400(api: Client, cast: Cast, people: People) -> None:
    for body in ({}, {"eventId": "not-a-uuid"}, {"eventId": str(uuid.uuid4()), "seats": 2}):
        response = await api.post(f"{API}/bookings", json=body, headers=people.pavel.auth)
        assert_problem(response, 400, "validation.failed")


async def test_a_second_active_booking_for_the_same_event_is_refused_with_the_first_id(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    first = await booked(api, people.pavel, event["id"])

    problem = assert_problem(await book(api, people.pavel, event["id"]), 409, "booking.duplicate")
    assert problem["existingBookingId"] == first["id"]
    assert await seats_left(api, event["id"]) == 9

    await api.post(f"{API}/bookings/{first['id']}/cancel", headers=people.pavel.auth)
    again = await book(api, people.pavel, event["id"])
    assert again.status_code == 201
    assert again.json()["id"] != first["id"]


async def test_a_full_event_refuses_with_a_hint_that_the_waitlist_is_open(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(api, cast.anna, "river-rats", capacity=1)
    await booked(api, people.pavel, event["id"])

    problem = assert_problem(await book(api, people.rita, event["id"]), 409, "event.full")
    assert problem["waitlistOpen"] is True
    shown = (await api.get(f"{API}/events/{event['id']}")).json()
    assert (shown["available"], shown["isFull"]) == (0, True)


async def test_cancelling_returns_the_seat(api: Client, cast: Cast, people: People) -> None:
    event = await published_event(api, cast.anna, "river-rats", capacity=1)
    booking = await booked(api, people.pavel, event["id"])
    assert await seats_left(api, event["id"]) == 0

    cancelled = await api.post(f"{API}/bookings/{booking['id']}/cancel", headers=people.pavel.auth)
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["status"], cancelled.json()["expiresAt"]) == ("CANCELLED", None)
    assert await seats_left(api, event["id"]) == 1
    assert (await book(api, people.rita, event["id"])).status_code == 201

    again = await api.post(f"{API}/bookings/{booking['id']}/cancel", headers=people.pavel.auth)
    assert_problem(again, 409, "booking.invalid_status")


async def test_participants_cannot_cancel_once_the_event_started_but_the_organizer_can(
    api: Client, cast: Cast, people: People, clock: FrozenClock
) -> None:
    event = await published_event(api, cast.anna, "river-rats", price=None, dateStart=at(1), dateEnd=at(3))
    booking = await booked(api, people.pavel, event["id"])
    clock.advance(days=1, hours=1)
    pavel, anna = await fresh(api, people.pavel, cast.anna)

    url = f"{API}/bookings/{booking['id']}/cancel"
    assert_problem(await api.post(url, headers=pavel.auth), 422, "booking.event_started")
    by_organizer = await api.post(url, headers=anna.auth)
    assert by_organizer.status_code == 200
    assert by_organizer.json()["status"] == "CANCELLED"


async def test_a_booking_is_shown_to_its_owner_the_organizer_and_admins_only(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    booking = await booked(api, people.pavel, event["id"])
    url = f"{API}/bookings/{booking['id']}"

    assert booking["actions"] == ["PAY", "CANCEL"]
    assert booking["event"] is None  # the answer to booking reads nothing more
    mine = (await api.get(url, headers=people.pavel.auth)).json()
    assert mine == {**booking, "event": mine["event"]}
    assert mine["event"]["title"] == event["title"]
    # The organizer and admins see what they may do and who booked, and no pay link: it pays
    # for the owner.
    for account in (cast.anna, cast.root):
        shown = await api.get(url, headers=account.auth)
        assert shown.status_code == 200, shown.text
        assert shown.json() == {
            **mine,
            "actions": ["CANCEL", "CONFIRM"],
            "payUrl": None,
            "participant": shown.json()["participant"],
        }
        assert shown.json()["participant"]["email"] == people.pavel.email
    # Others learn nothing, not even that the booking exists.
    for account in (people.rita, cast.boris):
        assert_problem(await api.get(url, headers=account.auth), 404, "booking.not_found")
        cancel = await api.post(f"{url}/cancel", headers=account.auth)
        assert_problem(cancel, 404, "booking.not_found")
    assert_problem(
        await api.get(f"{API}/bookings/{uuid.uuid4()}", headers=people.pavel.auth), 404, "booking.not_found"
    )
    assert_problem(await api.get(url), 401, "auth.unauthenticated")


async def test_the_organizer_confirms_a_pending_booking_by_hand(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(api, cast.anna, "river-rats", price="1500")
    booking = await booked(api, people.pavel, event["id"])
    url = f"{API}/bookings/{booking['id']}/confirm"

    assert_problem(await api.post(url, headers=people.pavel.auth), 403, "booking.forbidden")
    assert_problem(await api.post(url, headers=cast.boris.auth), 404, "booking.not_found")
    confirmed = await api.post(url, headers=cast.anna.auth)
    assert confirmed.status_code == 200, confirmed.text
    body = confirmed.json()
    assert (body["status"], body["paymentStatus"], body["expiresAt"]) == ("CONFIRMED", "PAID", None)
    assert_problem(await api.post(url, headers=cast.anna.auth), 409, "booking.invalid_status")

    other = await booked(api, people.rita, event["id"])
    by_admin = await api.post(f"{API}/bookings/{other['id']}/confirm", headers=cast.root.auth)
    assert by_admin.json()["status"] == "CONFIRMED"


async def test_a_no_show_is_recorded_only_after_the_start_and_keeps_the_seat(
    api: Client, cast: Cast, people: People, clock: FrozenClock
) -> None:
    event = await published_event(
        api, cast.anna, "river-rats", price=None, capacity=2, dateStart=at(1), dateEnd=at(2)
    )
    booking = await booked(api, people.pavel, event["id"])
    url = f"{API}/bookings/{booking['id']}/no-show"

    assert_problem(await api.post(url, headers=cast.anna.auth), 422, "booking.event_not_started")
    clock.advance(days=1, minutes=5)
    pavel, anna, boris = await fresh(api, people.pavel, cast.anna, cast.boris)
    assert_problem(await api.post(url, headers=pavel.auth), 403, "booking.forbidden")
    assert_problem(await api.post(url, headers=boris.auth), 404, "booking.not_found")
    marked = await api.post(url, headers=anna.auth)
    assert marked.status_code == 200, marked.text
    assert marked.json()["status"] == "NO_SHOW"
    assert await seats_left(api, event["id"]) == 1
    assert_problem(await api.post(url, headers=anna.auth), 409, "booking.invalid_status")


async def test_a_pending_booking_cannot_be_marked_a_no_show(
    api: Client, cast: Cast, people: People, clock: FrozenClock
) -> None:
    event = await published_event(api, cast.anna, "river-rats", dateStart=at(1), dateEnd=at(2))
    booking = await booked(api, people.pavel, event["id"])
    clock.advance(days=1, minutes=5)
    (root,) = await fresh(api, cast.root)
    marked = await api.post(f"{API}/bookings/{booking['id']}/no-show", headers=root.auth)
    assert_problem(marked, 409, "booking.invalid_status")


async def test_my_bookings_are_newest_first_with_a_status_filter_and_paging(
    api: Client, cast: Cast, people: People, clock: FrozenClock
) -> None:
    paid = await published_event(api, cast.anna, "river-rats", title="Paid trip")
    free = await published_event(api, cast.anna, "river-rats", title="Free trip", price=None)
    other = await published_event(api, cast.boris, "forest-club", title="Forest walk", price=None)
    first = await booked(api, people.pavel, paid["id"])
    clock.advance(minutes=1)
    second = await booked(api, people.pavel, free["id"])
    clock.advance(minutes=1)
    third = await booked(api, people.pavel, other["id"])
    await api.post(f"{API}/bookings/{third['id']}/cancel", headers=people.pavel.auth)
    await booked(api, people.rita, paid["id"])

    mine = (await api.get(f"{API}/bookings", headers=people.pavel.auth)).json()
    assert [b["id"] for b in mine["items"]] == [third["id"], second["id"], first["id"]]
    assert (mine["total"], mine["page"], mine["size"], mine["totalPages"]) == (3, 0, 20, 1)

    async def ids(**params: object) -> list[str]:
        page = await api.get(f"{API}/bookings", params=params, headers=people.pavel.auth)
        assert page.status_code == 200, page.text
        return [b["id"] for b in page.json()["items"]]

    assert await ids(status="CONFIRMED") == [second["id"]]
    assert await ids(status=["PENDING", "CANCELLED"]) == [third["id"], first["id"]]
    assert await ids(status="pending,confirmed") == [second["id"], first["id"]]
    assert await ids(size=1, page=1) == [second["id"]]
    assert await ids(size=2, page=2) == []


async def test_bad_paging_and_unknown_statuses_are_400(api: Client, cast: Cast, people: People) -> None:
    for params in ({"size": 0}, {"size": 101}, {"page": -1}, {"page": "x"}):
        response = await api.get(f"{API}/bookings", params=params, headers=people.pavel.auth)
        assert_problem(response, 400, "validation.failed")
    unknown = await api.get(f"{API}/bookings", params={"status": "BOOKED"}, headers=people.pavel.auth)
    problem = assert_problem(unknown, 400, "validation.failed")
    assert problem["errors"][0]["field"] == "status"


async def test_the_hold_of_an_unpaid_booking_expires_and_its_seat_returns(
    api: Client, cast: Cast, people: People, clock: FrozenClock
) -> None:
    event = await published_event(api, cast.anna, "river-rats", capacity=1)
    booking = await booked(api, people.pavel, event["id"])

    clock.advance(minutes=29)
    assert EXPIRE_HOLDS_JOB in await run_due_jobs(api)
    assert await seats_left(api, event["id"]) == 0
    clock.advance(minutes=2)
    assert EXPIRE_HOLDS_JOB in await run_due_jobs(api)

    pavel, rita = await fresh(api, people.pavel, people.rita)
    shown = (await api.get(f"{API}/bookings/{booking['id']}", headers=pavel.auth)).json()
    assert (shown["status"], shown["expiresAt"]) == ("EXPIRED", None)
    assert await seats_left(api, event["id"]) == 1
    assert (await book(api, rita, event["id"])).status_code == 201
