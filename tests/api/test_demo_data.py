"""``demo-data`` loads every step of the journey, and the API shows each one: bookings
confirmed, under way, awaiting payment and in review, a queue, crews, and the messages the
demo participant received."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from aquastream.app import make_container
from aquastream.demo import (
    ACCOUNTS,
    CONTEXT,
    ORGANIZER_EMAIL,
    PARTICIPANT_EMAIL,
    Caller,
    DemoClock,
    DemoClockProvider,
    DemoSummary,
    load_demo_data,
)
from aquastream.demo_content import EVENTS, HIKE, KAYAK, ORGANIZER_SLUG, RAFTING, UNDER_WAY, WORKSHOP
from aquastream.domain.identity.admin import BlockUser
from aquastream.domain.identity.bootstrap import CreateAdmin
from aquastream.domain.identity.registration import RegisterUser, Registration
from aquastream.domain.shared.dispatch import OutboxDispatcher
from aquastream.domain.shared.principal import Principal, Role
from aquastream.ports.outbox import Inbox
from aquastream.settings import Settings
from tests.api.conftest import Serve

API = "/api/v1"
PASSWORD = "Demo-Paddle-2030!"


async def _load(settings: Settings) -> DemoSummary:
    clock = DemoClock()
    container = make_container(settings, DemoClockProvider(clock))
    try:
        return await load_demo_data(container, clock, PASSWORD)
    finally:
        await container.close()


@pytest.fixture
async def demo(
    make_settings: Callable[..., Settings], serve: Serve
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    summary = await _load(make_settings())
    assert summary == DemoSummary(loaded=True, events=len(EVENTS), accounts=ACCOUNTS)
    async with serve(rate_limit_enabled=False) as client:
        yield client


async def _auth(client: AsyncTestClient[Litestar], email: str) -> dict[str, str]:
    response = await client.post(f"{API}/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['accessToken']}"}


async def _get(client: AsyncTestClient[Litestar], path: str, auth: dict[str, str] | None = None) -> Any:
    response = await client.get(f"{API}{path}", headers=auth or {})
    assert response.status_code == 200, response.text
    return response.json()


async def _event_ids(client: AsyncTestClient[Litestar]) -> dict[str, str]:
    listed = await _get(client, f"/organizers/{ORGANIZER_SLUG}/events?size=100")
    return {event["title"]: event["id"] for event in listed["items"]}


async def test_every_demo_account_logs_in_and_the_catalog_shows_the_events(
    demo: AsyncTestClient[Litestar],
) -> None:
    for email in ACCOUNTS:
        await _auth(demo, email)
    events = await _event_ids(demo)
    assert set(events) == {event.title for event in EVENTS}
    workshop = await _get(demo, f"/events/{events[WORKSHOP.title]}")
    assert workshop["isFull"]


async def test_the_demo_participant_has_a_booking_at_each_step_and_a_place_in_a_queue(
    demo: AsyncTestClient[Litestar],
) -> None:
    auth = await _auth(demo, PARTICIPANT_EMAIL)
    events = await _event_ids(demo)

    bookings = (await _get(demo, "/bookings?sort=startsAt", auth))["items"]
    queues = (await _get(demo, "/users/me/waitlist", auth))["items"]
    payments = (await _get(demo, "/payments", auth))["items"]

    by_title = {b["event"]["title"]: b for b in bookings}
    assert [b["event"]["title"] for b in bookings] == [
        UNDER_WAY.title,
        RAFTING.title,
        HIKE.title,
        KAYAK.title,
    ]
    assert {b["event"]["organizer"]["name"] for b in bookings} == {"Белая вода"}
    assert (by_title[RAFTING.title]["status"], by_title[UNDER_WAY.title]["paymentStatus"]) == (
        "CONFIRMED",
        "PAID",
    )
    awaiting = by_title[HIKE.title]
    assert (awaiting["status"], awaiting["actions"]) == ("PENDING", ["PAY", "CANCEL"])
    assert awaiting["payUrl"]
    in_review = by_title[KAYAK.title]
    assert in_review["status"] == "PENDING"
    # The receipt holds the seat until the organizer decides: far beyond the 30-minute hold.
    expires_at = datetime.fromisoformat(in_review["expiresAt"])
    assert expires_at > datetime.now(UTC) + timedelta(hours=24)
    assert [(p["method"], p["status"], p["bookingId"]) for p in payments] == [
        ("QR_MANUAL", "SUBMITTED", in_review["id"])
    ]
    assert [(q["eventId"], q["position"], q["status"]) for q in queues] == [
        (events[WORKSHOP.title], 1, "WAITING")
    ]


async def test_the_demo_participant_has_a_boat_and_a_tent_with_teammates(
    demo: AsyncTestClient[Litestar],
) -> None:
    auth = await _auth(demo, PARTICIPANT_EMAIL)
    rafting = (await _event_ids(demo))[RAFTING.title]

    mine = await _get(demo, f"/events/{rafting}/crews/me", auth)

    assert sorted(place["crew"]["type"] for place in mine["places"]) == ["CREW", "TENT"]
    assert all(place["teammates"] for place in mine["places"])


async def test_the_organizer_reviews_a_receipt_and_records_a_no_show_on_the_trip_under_way(
    demo: AsyncTestClient[Litestar],
) -> None:
    auth = await _auth(demo, ORGANIZER_EMAIL)
    under_way = (await _event_ids(demo))[UNDER_WAY.title]

    queue = (await _get(demo, "/payments/moderation", auth))["items"]
    bookings = (await _get(demo, f"/events/{under_way}/bookings", auth))["items"]

    assert [p["status"] for p in queue] == ["SUBMITTED"]
    assert {b["participant"]["firstName"] for b in bookings} == {"Мария", "Иван", "Ольга"}
    assert all("NO_SHOW" in b["actions"] for b in bookings)
    marked = await demo.post(f"{API}/bookings/{bookings[0]['id']}/no-show", headers=auth)
    assert marked.status_code == 200, marked.text
    assert marked.json()["status"] == "NO_SHOW"


async def test_the_demo_participant_received_the_messages_of_what_happened(
    demo: AsyncTestClient[Litestar],
) -> None:
    auth = await _auth(demo, PARTICIPANT_EMAIL)

    exported = await _get(demo, "/users/me/export", auth)

    categories = {m["category"] for m in exported["notifications"]["messages"]}
    assert {"BOOKING_STATUS", "BOOKING_CONFIRMED", "CREW_ASSIGNMENT", "EVENT_NEWS"} <= categories


async def test_loading_the_demo_twice_changes_nothing(
    make_settings: Callable[..., Settings], demo: AsyncTestClient[Litestar]
) -> None:
    again = await _load(make_settings())

    assert again == DemoSummary(loaded=False, events=0, accounts=ACCOUNTS)
    assert len(await _event_ids(demo)) == len(EVENTS)


async def test_the_demo_waits_for_the_deliveries_a_served_worker_holds(
    make_settings: Callable[..., Settings],
) -> None:
    """``demo-data`` may run beside ``serve``, whose worker claims deliveries too: the demo's
    next step needs them handled (crews learn who is confirmed), not merely claimed."""
    settings = make_settings()
    mine, theirs = make_container(settings), make_container(settings)
    try:
        call = Caller(mine)
        admin = await call(CreateAdmin, "admin@example.com", PASSWORD)
        user_id, _ = await call(RegisterUser, Registration("held@example.com", PASSWORD), CONTEXT)
        admin_principal = Principal(admin.user_id, Role.ADMIN, "admin@example.com")
        await call(BlockUser, admin_principal, user_id, CONTEXT)  # the user is told
        worker = await theirs.get(OutboxDispatcher)
        for relay in worker.relays:
            await relay.relay_once()
        for intake in worker.intakes:
            await intake.intake_once()
        inboxes = await theirs.get(Mapping[str, Inbox])
        now = datetime.now(UTC)
        held = {
            domain: await inbox.claim(now=now, limit=100, lease=timedelta(minutes=5))
            for domain, inbox in inboxes.items()
        }
        assert any(held.values())

        draining = asyncio.create_task(call.drain())
        await asyncio.sleep(0.5)
        assert not draining.done()

        for domain, deliveries in held.items():
            await inboxes[domain].mark_delivered([d.id for d in deliveries], now=datetime.now(UTC))
        await asyncio.wait_for(draining, timeout=10)
    finally:
        await mine.close()
        await theirs.close()
