"""``GET /users/me/export`` gathers every domain's data about the caller, and ``DELETE
/users/me`` (through the outbox) removes or anonymises it everywhere but bookings and payments."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from dishka import AsyncContainer

from aquastream.domain.shared.privacy import ERASED_NAME, PersonalDataSection
from tests.api.booking.conftest import People
from tests.api.booking.kit import booked, join_queue
from tests.api.catalog.kit import API, Cast, published_event
from tests.api.crews.kit import assigned, new_crew
from tests.api.identity.conftest import Account, Client, assert_problem
from tests.api.media.kit import uploaded
from tests.api.payments.kit import complete_in_sandbox, started
from tests.api.worker import drain_outbox, in_request
from tests.unit.media.samples import PNG

DOMAIN_KEYS = ("catalog", "bookings", "payments", "notifications", "crews", "media", "tickets")
COMPANIONS = [{"name": "Ольга Петрова", "phone": "+7 999 000-11-22"}, {"name": "Пётр"}]


@dataclass(frozen=True)
class Footprint:
    """What pavel left in every domain, by the ids the API answered."""

    trip_id: str
    free_booking_id: str
    paid_booking_id: str
    payment_id: str
    full_event_id: str
    crew_id: str
    avatar_id: str
    rita_booking_id: str


async def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


@pytest.fixture
async def footprint(api: Client, cast: Cast, people: People) -> Footprint:
    pavel, rita = people.pavel, people.rita
    trip = await published_event(api, cast.anna, "river-rats", price="0", capacity=10)
    free = await booked(api, pavel, trip["id"])
    rita_booking = await booked(api, rita, trip["id"])
    paid_event = await published_event(api, cast.anna, "river-rats", title="Paid trip")
    paid = await booked(api, pavel, paid_event["id"])
    payment = await started(api, pavel, paid["id"])
    await ok(await complete_in_sandbox(api, payment))
    full = await published_event(api, cast.anna, "river-rats", title="Full trip", price="0", capacity=1)
    await booked(api, rita, full["id"])
    await join_queue(api, pavel, full["id"])
    await ok(await api.post(f"{API}/events/{trip['id']}/favorite", headers=pavel.auth))
    await ok(await api.post(f"{API}/events/{trip['id']}/favorite", headers=rita.auth))
    await ok(await api.get(f"{API}/users/me/calendar-feed", headers=pavel.auth))
    await drain_outbox(api)  # crews files the confirmed bookings
    crew = await new_crew(api, cast.anna, trip["id"], name="Raft Alpha")
    await assigned(api, cast.anna, crew["id"], pavel.id, seatNumber=1)
    await ok(
        await api.put(
            f"{API}/events/{trip['id']}/crews/preferences", json={"prefer": [rita.id]}, headers=pavel.auth
        )
    )
    await ok(await api.put(f"{API}/notifications/preferences", json={"language": "en"}, headers=pavel.auth))
    avatar = await uploaded(api, pavel, "avatar", pavel.id, PNG)
    await uploaded(api, rita, "avatar", rita.id, PNG)
    await drain_outbox(api)  # notifications write the booking and payment messages
    return Footprint(
        trip_id=trip["id"],
        free_booking_id=free["id"],
        paid_booking_id=paid["id"],
        payment_id=payment["id"],
        full_event_id=full["id"],
        crew_id=crew["id"],
        avatar_id=avatar["id"],
        rita_booking_id=rita_booking["id"],
    )


async def export_of(api: Client, account: Account) -> dict[str, Any]:
    body: dict[str, Any] = await ok(await api.get(f"{API}/users/me/export", headers=account.auth))
    return body


async def sections_of(api: Client, user_id: str) -> dict[str, dict[str, Any]]:
    """Every domain's section as the export route reads it, for a user who cannot log in."""

    async def export(request: AsyncContainer) -> dict[str, dict[str, Any]]:
        sections = await request.get(list[PersonalDataSection])
        return {s.key: await s.export(uuid.UUID(user_id)) for s in sections}

    return await in_request(api, export)


async def test_the_export_holds_the_callers_data_from_every_domain_and_nobody_elses(
    api: Client, people: People, footprint: Footprint
) -> None:
    body = await export_of(api, people.pavel)

    assert set(body) == {"exportedAt", "user", "profile", "sessions", "auditLog", *DOMAIN_KEYS}
    assert body["user"]["email"] == people.pavel.email
    catalog = body["catalog"]
    assert [f["eventId"] for f in catalog["favorites"]] == [footprint.trip_id]
    assert catalog["calendarFeed"]["revokedAt"] is None
    assert catalog["organizers"] == []
    bookings = body["bookings"]
    assert {b["id"] for b in bookings["bookings"]} == {footprint.free_booking_id, footprint.paid_booking_id}
    assert all(b["log"] for b in bookings["bookings"])
    assert [w["eventId"] for w in bookings["waitlist"]] == [footprint.full_event_id]
    [payment] = body["payments"]["payments"]
    assert (payment["id"], payment["status"]) == (footprint.payment_id, "SUCCEEDED")
    notifications = body["notifications"]
    assert notifications["preferences"]["language"] == "en"
    assert notifications["messages"]
    assert {m["address"] for m in notifications["messages"]} == {people.pavel.email}
    crews = body["crews"]
    assert [(a["crewId"], a["seatNumber"]) for a in crews["assignments"]] == [(footprint.crew_id, 1)]
    assert crews["preferences"] == [{"eventId": footprint.trip_id, "prefer": [people.rita.id], "avoid": []}]
    assert [f["id"] for f in body["media"]["files"]] == [footprint.avatar_id]
    assert [(t["bookingId"], t["seat"], t["state"]) for t in body["tickets"]["tickets"]] == [
        (footprint.free_booking_id, 0, "CONFIRMED"),
        (footprint.paid_booking_id, 0, "CONFIRMED"),
    ]
    text = str(body)
    assert people.rita.email not in text
    assert footprint.rita_booking_id not in text
    assert "passwordHash" not in text


async def test_an_organizer_exports_the_pages_they_own(api: Client, cast: Cast) -> None:
    body = await export_of(api, cast.anna)

    assert [o["slug"] for o in body["catalog"]["organizers"]] == ["river-rats"]
    assert body["bookings"] == {"bookings": [], "waitlist": []}
    assert body["tickets"] == {"tickets": []}


async def test_deleting_the_account_forgets_personal_data_everywhere_but_keeps_bookings_and_payments(
    api: Client, people: People, footprint: Footprint
) -> None:
    pavel = people.pavel

    await ok(await api.delete(f"{API}/users/me", headers=pavel.auth), 204)
    await drain_outbox(api)
    await drain_outbox(api)  # at-least-once: a second delivery finds nothing left to do

    left = await sections_of(api, pavel.id)
    assert left["catalog"]["favorites"] == []
    assert left["catalog"]["calendarFeed"]["revokedAt"] is not None
    assert left["crews"]["preferences"] == []
    assert [a["crewId"] for a in left["crews"]["assignments"]] == [footprint.crew_id]
    assert left["bookings"]["waitlist"] == []
    assert left["notifications"] == {
        "preferences": {"language": "ru", "switchedOff": [], "unreachable": []},
        "messages": [],
        "inbox": [],
    }
    assert left["media"] == {"files": []}
    assert {b["id"] for b in left["bookings"]["bookings"]} == {
        footprint.free_booking_id,
        footprint.paid_booking_id,
    }
    assert [p["id"] for p in left["payments"]["payments"]] == [footprint.payment_id]
    others = await sections_of(api, people.rita.id)
    assert [f["eventId"] for f in others["catalog"]["favorites"]] == [footprint.trip_id]
    assert len(others["media"]["files"]) == 1


async def _group_booking(api: Client, cast: Cast, holder: Account) -> tuple[str, dict[str, Any]]:
    """A free trip that ``holder`` booked for themselves and two companions, confirmed at
    once; its tickets issued."""
    trip = await published_event(api, cast.anna, "river-rats", price="0", capacity=10)
    booking = await ok(
        await api.post(
            f"{API}/bookings", json={"eventId": trip["id"], "companions": COMPANIONS}, headers=holder.auth
        ),
        201,
    )
    await drain_outbox(api)  # tickets issues one per seat
    return trip["id"], booking


async def test_the_export_holds_each_seat_s_ticket_and_the_companions_on_the_bookings(
    api: Client, cast: Cast, people: People
) -> None:
    _, booking = await _group_booking(api, cast, people.pavel)
    listed = await ok(await api.get(f"{API}/bookings/{booking['id']}/tickets", headers=people.pavel.auth))
    await _group_booking(api, cast, people.rita)

    body = await export_of(api, people.pavel)

    (exported,) = body["bookings"]["bookings"]
    assert [(c["seat"], c["name"], c["phone"]) for c in exported["companions"]] == [
        (1, "Ольга Петрова", "+79990001122"),
        (2, "Пётр", None),
    ]
    tickets = body["tickets"]["tickets"]
    assert [(t["bookingId"], t["seat"], t["shortCode"], t["state"], t["checkedInAt"]) for t in tickets] == [
        (booking["id"], item["seat"], item["shortCode"], "CONFIRMED", None) for item in listed["items"]
    ]
    assert [(t["name"], t["phone"]) for t in tickets] == [
        ("Павел Смирнов", None),
        ("Ольга Петрова", "+79990001122"),
        ("Пётр", None),
    ]
    assert people.rita.id not in str(body)


async def test_deleting_the_account_erases_the_companions_names_and_phones_everywhere(
    api: Client, cast: Cast, people: People
) -> None:
    event_id, booking = await _group_booking(api, cast, people.pavel)
    _, ritas = await _group_booking(api, cast, people.rita)
    boat = await new_crew(api, cast.anna, event_id)
    await ok(
        await api.post(
            f"{API}/crews/{boat['id']}/assignments",
            json={"bookingId": booking["id"], "seat": 1},
            headers=cast.anna.auth,
        ),
        201,
    )

    await ok(await api.delete(f"{API}/users/me", headers=people.pavel.auth), 204)
    await drain_outbox(api)
    await drain_outbox(api)  # at-least-once: a second delivery finds nothing left to do

    left = await sections_of(api, people.pavel.id)
    (kept,) = left["bookings"]["bookings"]
    assert (kept["id"], kept["status"], kept["partySize"]) == (booking["id"], "CONFIRMED", 3)
    assert [(c["seat"], c["name"], c["phone"]) for c in kept["companions"]] == [
        (1, ERASED_NAME, None),
        (2, ERASED_NAME, None),
    ]
    assert [(t["seat"], t["name"], t["phone"], t["state"]) for t in left["tickets"]["tickets"]] == [
        (0, None, None, "CONFIRMED"),
        (1, ERASED_NAME, None, "CONFIRMED"),
        (2, ERASED_NAME, None, "CONFIRMED"),
    ]
    csv = await api.get(f"{API}/events/{event_id}/participants.csv", headers=cast.anna.auth)
    assert csv.status_code == 200, csv.text
    assert "Ольга" not in csv.text
    assert "+79990001122" not in csv.text
    roster = await ok(await api.get(f"{API}/bookings/{booking['id']}/tickets", headers=cast.anna.auth))
    assert [t["name"] for t in roster["items"][1:]] == [ERASED_NAME, ERASED_NAME]
    crew = await ok(await api.get(f"{API}/crews/{boat['id']}", headers=cast.anna.auth))
    assert [(m["partySeat"], m["name"]) for m in crew["members"]] == [(1, ERASED_NAME)]
    others = await sections_of(api, people.rita.id)
    assert [c["name"] for c in others["bookings"]["bookings"][0]["companions"]] == ["Ольга Петрова", "Пётр"]
    assert others["bookings"]["bookings"][0]["id"] == ritas["id"]


async def test_the_export_needs_a_caller_and_reads_no_domain_without_one(api: Client) -> None:
    assert_problem(await api.get(f"{API}/users/me/export"), 401, "auth.unauthenticated")


async def test_every_download_is_audited(api: Client, people: People) -> None:
    await export_of(api, people.pavel)
    body = await export_of(api, people.pavel)

    # The first download's entry; this one's is written in the same transaction, after the read.
    assert [e["action"] for e in body["auditLog"]].count("DATA_EXPORTED") == 1
