"""Tickets and check-in through the real app: a confirmed booking's tickets with QR images
that decode to a code the organizer's public key verifies; check-in once, by the organizer;
forged codes and other events' codes refused; the roster; no-shows at the end."""

from __future__ import annotations

import base64
import io
from typing import Any

import zxingcpp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from icalendar import Calendar
from PIL import Image

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.domain.tickets.codes import PREFIX
from tests.api.booking.conftest import People
from tests.api.booking.kit import booked, fresh
from tests.api.catalog.kit import API, Cast, published_event
from tests.api.identity.conftest import Account, Client, assert_problem
from tests.api.worker import drain_outbox, run_due_jobs

from .conftest import Trip


async def _tickets(api: Client, account: Account, booking_id: str) -> dict[str, Any]:
    response = await api.get(f"{API}/bookings/{booking_id}/tickets", headers=account.auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _check_in(api: Client, account: Account, event_id: str, code: str) -> Any:
    return await api.post(f"{API}/events/{event_id}/check-ins", json={"code": code}, headers=account.auth)


def _verify(public_key: str, code: str) -> bool:
    raw = base64.b32decode(code.removeprefix(PREFIX) + "=" * (-len(code.removeprefix(PREFIX)) % 8))
    key = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(public_key + "=="))
    try:
        key.verify(raw[51:], raw[:51])
    except Exception:
        return False
    return True


async def test_the_holder_gets_a_ticket_whose_qr_image_a_scanner_verifies_offline(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    booking = trip.bookings[people.pavel.email]

    found = await _tickets(api, people.pavel, booking["id"])

    (ticket,) = found["items"]
    assert (ticket["seat"], ticket["holder"], ticket["status"], ticket["name"]) == (
        0,
        True,
        "CONFIRMED",
        "Павел Смирнов",
    )
    assert len(ticket["shortCode"]) == 8
    png = await api.get(ticket["qrPng"], headers=people.pavel.auth)
    assert png.status_code == 200
    assert png.headers["content-type"] == "image/png"
    (decoded,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert decoded.text == ticket["code"]
    svg = await api.get(ticket["qrSvg"], headers=people.pavel.auth)
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in svg.content

    key = await api.get(found["publicKeyUrl"])  # public: scanner apps carry no token
    assert key.status_code == 200, key.text
    assert key.json()["algorithm"] == "Ed25519"
    assert _verify(key.json()["publicKey"], decoded.text)
    pem = load_pem_public_key(key.json()["publicKeyPem"].encode())
    assert isinstance(pem, Ed25519PublicKey)
    by_slug = await api.get(f"{API}/organizers/river-rats/ticket-key")
    assert by_slug.json()["publicKey"] == key.json()["publicKey"]
    other = await api.get(f"{API}/organizers/forest-club/ticket-key")
    assert not _verify(other.json()["publicKey"], decoded.text)
    assert_problem(await api.get(f"{API}/organizers/nobody/ticket-key"), 404, "organizer.not_found")


async def test_tickets_are_for_the_holder_and_the_organizer_only(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    booking_id = trip.bookings[people.pavel.email]["id"]

    assert (await _tickets(api, cast.anna, booking_id))["items"]
    assert (await _tickets(api, cast.root, booking_id))["items"]
    for stranger in (people.rita, cast.boris):
        response = await api.get(f"{API}/bookings/{booking_id}/tickets", headers=stranger.auth)
        assert_problem(response, 404, "ticket.not_found")
    ticket = (await _tickets(api, people.pavel, booking_id))["items"][0]
    assert_problem(await api.get(ticket["qrPng"], headers=people.rita.auth), 404, "ticket.not_found")


async def test_the_organizer_checks_a_seat_in_once_and_a_second_scan_says_who_and_when(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    booking_id = trip.bookings[people.pavel.email]["id"]
    ticket = (await _tickets(api, people.pavel, booking_id))["items"][0]

    first = await _check_in(api, cast.anna, trip.event_id, ticket["code"])
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "CHECKED_IN"
    assert first.json()["checkedInBy"] == cast.anna.id

    again = assert_problem(
        await _check_in(api, cast.root, trip.event_id, ticket["shortCode"]), 409, "ticket.already_checked_in"
    )
    assert again["checkedInBy"] == cast.anna.id
    assert again["checkedInAt"] == first.json()["checkedInAt"]
    after = await _tickets(api, people.pavel, booking_id)
    assert after["items"][0]["status"] == "CHECKED_IN"


async def test_forged_codes_and_other_events_codes_are_refused(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    code = (await _tickets(api, people.pavel, trip.bookings[people.pavel.email]["id"]))["items"][0]["code"]
    raw = bytearray(base64.b32decode(code.removeprefix(PREFIX) + "=" * (-len(code.removeprefix(PREFIX)) % 8)))
    raw[50] ^= 1  # another seat, the same signature
    forged = PREFIX + base64.b32encode(bytes(raw)).decode().rstrip("=")
    other = await published_event(api, cast.anna, "river-rats", price="0", title="Another trip")

    assert_problem(await _check_in(api, cast.anna, trip.event_id, forged), 422, "ticket.forged")
    assert_problem(await _check_in(api, cast.anna, trip.event_id, "garbage!"), 422, "ticket.forged")
    assert_problem(await _check_in(api, cast.anna, other["id"], code), 422, "ticket.wrong_event")
    assert_problem(await _check_in(api, cast.anna, trip.event_id, "ZZZZZZZZ"), 404, "ticket.not_found")


async def test_participants_and_other_organizers_cannot_check_in_or_see_the_roster(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    code = (await _tickets(api, people.pavel, trip.bookings[people.pavel.email]["id"]))["items"][0]["code"]

    for caller in (people.pavel, cast.boris):
        assert_problem(await _check_in(api, caller, trip.event_id, code), 403, "ticket.forbidden")
        roster = await api.get(f"{API}/events/{trip.event_id}/roster", headers=caller.auth)
        assert_problem(roster, 403, "ticket.forbidden")
    missing = f"{API}/events/{'0' * 8}-0000-7000-8000-{'0' * 12}/roster"
    assert_problem(await api.get(missing, headers=cast.anna.auth), 404, "event.not_found")


async def test_the_roster_lists_every_seat_and_a_cancelled_booking_s_seat_as_void(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    pavel = trip.bookings[people.pavel.email]["id"]
    rita = trip.bookings[people.rita.email]["id"]
    code = (await _tickets(api, people.pavel, pavel))["items"][0]["code"]
    await _check_in(api, cast.anna, trip.event_id, code)
    cancelled = await api.post(f"{API}/bookings/{rita}/cancel", headers=people.rita.auth)
    assert cancelled.status_code == 200, cancelled.text
    await drain_outbox(api)

    response = await api.get(f"{API}/events/{trip.event_id}/roster", headers=cast.anna.auth)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["total"], body["page"], body["size"]) == (2, 0, 20)
    assert [(s["bookingId"], s["status"]) for s in body["items"]] == [(pavel, "CHECKED_IN"), (rita, "VOID")]
    assert body["items"][0]["checkedInBy"] == cast.anna.id
    assert body["items"][0]["name"] == "Павел Смирнов"
    rita_ticket = (await _tickets(api, people.rita, rita))["items"][0]
    assert_problem(await _check_in(api, cast.anna, trip.event_id, rita_ticket["code"]), 422, "ticket.void")
    paged = await api.get(f"{API}/events/{trip.event_id}/roster?page=1&size=1", headers=cast.anna.auth)
    assert [s["bookingId"] for s in paged.json()["items"]] == [rita]


async def test_at_the_end_unchecked_bookings_become_no_shows_when_check_in_was_used(
    api: Client, cast: Cast, people: People, trip: Trip, clock: FrozenClock
) -> None:
    came = trip.bookings[people.pavel.email]["id"]
    stayed_home = trip.bookings[people.rita.email]["id"]
    code = (await _tickets(api, people.pavel, came))["items"][0]["code"]
    assert (await _check_in(api, cast.anna, trip.event_id, code)).status_code == 201
    untouched = await published_event(api, cast.anna, "river-rats", price="0", title="No scanner")
    unscanned = await booked(api, people.sasha, untouched["id"])
    await run_due_jobs(api)

    clock.advance(days=32)
    assert "catalog.complete_finished_events" in await run_due_jobs(api)
    await drain_outbox(api)
    await drain_outbox(api)  # booking's no-shows reach tickets

    pavel, rita, sasha, anna = await fresh(api, people.pavel, people.rita, people.sasha, cast.anna)
    status = {
        b: (await api.get(f"{API}/bookings/{b}", headers=who.auth)).json()["status"]
        for b, who in ((came, pavel), (stayed_home, rita), (unscanned["id"], sasha))
    }
    assert status == {came: "COMPLETED", stayed_home: "NO_SHOW", unscanned["id"]: "COMPLETED"}
    roster = (await api.get(f"{API}/events/{trip.event_id}/roster", headers=anna.auth)).json()
    assert [s["status"] for s in roster["items"]] == ["CHECKED_IN", "NO_SHOW"]


async def test_the_private_calendar_feed_names_the_ticket_codes(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    booking_id = trip.bookings[people.pavel.email]["id"]
    ticket = (await _tickets(api, people.pavel, booking_id))["items"][0]
    link = (await api.get(f"{API}/users/me/calendar-feed", headers=people.pavel.auth)).json()["url"]

    feed = await api.get(link)

    (event,) = list(Calendar.from_ical(feed.content).walk("VEVENT"))
    description = str(event.get("description"))
    assert f"{ticket['shortCode']} (seat 0)" in description
    assert f"/api/v1/bookings/{booking_id}/tickets" in description
