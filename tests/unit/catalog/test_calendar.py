"""Calendars: every public event as an .ics, and a private revocable feed of a user's bookings."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from icalendar import Calendar

from aquastream.domain.catalog.calendar import (
    DownloadEventCalendar,
    GetCalendarFeed,
    RenderCalendarFeed,
    RevokeCalendarFeed,
)
from aquastream.domain.catalog.errors import CalendarFeedNotFound, EventNotFound
from aquastream.domain.catalog.lifecycle import CancelEvent
from aquastream.domain.shared.ids import new_id
from aquastream.ports.catalog import TicketNote
from tests.unit.catalog.catalog_kit import CatalogKit, principal


def vevents(document: bytes) -> list[dict[str, str]]:
    calendar = Calendar.from_ical(document)
    return [
        {name: str(component.get(name)) for name in ("UID", "SUMMARY", "LOCATION", "STATUS")}
        | {"DTSTART": component.decoded("DTSTART").isoformat()}
        for component in calendar.walk("VEVENT")
    ]


async def test_published_event_downloads_as_icalendar(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    event = (await kit.published("vuoksa")).event

    document = await DownloadEventCalendar(kit.uow(), kit.renderer, kit.clock)(event.id)

    [entry] = vevents(document)
    assert entry == {
        "UID": f"{event.id}@aquastream",
        "SUMMARY": event.title,
        "LOCATION": "Лосево, база «Порог», Лосево",
        "STATUS": "CONFIRMED",
        "DTSTART": event.date_start.isoformat(),
    }
    calendar = Calendar.from_ical(document)
    component = next(iter(calendar.walk("VEVENT")))
    assert str(component.get("DESCRIPTION")) == event.description
    assert component.get("GEO").latitude == pytest.approx(60.68)
    assert document.startswith(b"BEGIN:VCALENDAR")


async def test_cancelled_event_downloads_marked_cancelled(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    event = (await kit.published("vuoksa")).event
    await CancelEvent(kit.uow(), kit.clock)(kit.owner, event.id)

    document = await DownloadEventCalendar(kit.uow(), kit.renderer, kit.clock)(event.id)

    assert vevents(document)[0]["STATUS"] == "CANCELLED"


async def test_draft_calendar_is_hidden_from_the_public(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    draft = (await kit.draft("vuoksa")).event
    download = DownloadEventCalendar(kit.uow(), kit.renderer, kit.clock)

    with pytest.raises(EventNotFound):
        await download(draft.id)
    assert vevents(await download(draft.id, viewer=kit.owner))[0]["SUMMARY"] == draft.title


def description(document: bytes) -> str:
    (component,) = Calendar.from_ical(document).walk("VEVENT")
    return str(component.get("DESCRIPTION"))


async def test_a_signed_in_download_names_the_viewer_s_own_tickets_and_nobody_else_s(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    event = (await kit.published("vuoksa")).event
    booking_id = new_id()
    kit.tickets.issue(
        kit.user.user_id,
        event.id,
        TicketNote(booking_id, 0, "HOLD0001", None),
        TicketNote(booking_id, 1, "COMP0002", "Ольга"),
    )
    kit.tickets.issue(kit.admin.user_id, new_id(), TicketNote(new_id(), 0, "ELSE0003", None))
    download = DownloadEventCalendar(kit.uow(), kit.renderer, kit.clock, kit.tickets)

    mine = description(await download(event.id, viewer=kit.user))
    anonymous = await download(event.id)
    someone_else = await download(event.id, viewer=kit.admin)

    assert mine == (
        f"{event.description}\n\nTickets: HOLD0001 (seat 0), COMP0002 (Ольга, seat 1). "
        f"QR codes: /api/v1/bookings/{booking_id}/tickets"
    )
    assert anonymous == await DownloadEventCalendar(kit.uow(), kit.renderer, kit.clock)(event.id)
    assert description(anonymous) == description(someone_else) == event.description


async def test_the_feed_names_the_ticket_codes_as_the_download_does(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    event = (await kit.published("vuoksa")).event
    kit.bookings.confirm(kit.user.user_id, event.id)
    kit.tickets.issue(kit.user.user_id, event.id, TicketNote(new_id(), 0, "HOLD0001", None))
    link = await GetCalendarFeed(kit.uow(), kit.signer, kit.clock)(kit.user)

    feed = await RenderCalendarFeed(kit.uow(), kit.bookings, kit.renderer, kit.clock, kit.tickets)(link.token)
    download = await DownloadEventCalendar(kit.uow(), kit.renderer, kit.clock, kit.tickets)(
        event.id, viewer=kit.user
    )

    assert "HOLD0001 (seat 0)" in description(feed)
    assert description(feed) == description(download)


async def test_feed_url_stays_the_same_until_rotated(kit: CatalogKit) -> None:
    get_feed = GetCalendarFeed(kit.uow(), kit.signer, kit.clock)

    first = await get_feed(kit.user)
    again = await get_feed(kit.user)
    rotated = await get_feed(kit.user, rotate=True)

    assert first.token == again.token
    assert rotated.token != first.token
    stored = kit.db.table("catalog.calendar_feeds")[kit.user.user_id]
    assert first.token not in (stored.token_hash, stored.nonce)
    render = RenderCalendarFeed(kit.uow(), kit.bookings, kit.renderer, kit.clock)
    with pytest.raises(CalendarFeedNotFound):
        await render(first.token)
    assert await render(rotated.token)


async def test_feed_lists_the_events_of_confirmed_bookings_by_start(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    later = (await kit.published("vuoksa", title="Later")).event
    sooner_start = later.date_start - timedelta(days=5)
    sooner = (
        await kit.published(
            "vuoksa", title="Sooner", date_start=sooner_start, date_end=sooner_start + timedelta(hours=8)
        )
    ).event
    await kit.published("vuoksa", title="Not booked")
    kit.bookings.confirm(kit.user.user_id, later.id)
    kit.bookings.confirm(kit.user.user_id, sooner.id)
    kit.bookings.confirm(principal().user_id, later.id)
    link = await GetCalendarFeed(kit.uow(), kit.signer, kit.clock)(kit.user)

    document = await RenderCalendarFeed(kit.uow(), kit.bookings, kit.renderer, kit.clock)(link.token)

    assert [entry["SUMMARY"] for entry in vevents(document)] == ["Sooner", "Later"]
    assert Calendar.from_ical(document).get("X-WR-CALNAME") == "AquaStream"


async def test_revoked_feed_stops_working_and_a_new_one_can_be_issued(kit: CatalogKit) -> None:
    get_feed = GetCalendarFeed(kit.uow(), kit.signer, kit.clock)
    render = RenderCalendarFeed(kit.uow(), kit.bookings, kit.renderer, kit.clock)
    link = await get_feed(kit.user)

    await RevokeCalendarFeed(kit.uow(), kit.clock)(kit.user)
    await RevokeCalendarFeed(kit.uow(), kit.clock)(kit.user)

    with pytest.raises(CalendarFeedNotFound):
        await render(link.token)
    fresh = await get_feed(kit.user)
    assert fresh.token != link.token
    assert vevents(await render(fresh.token)) == []


async def test_unknown_feed_token_is_not_found(kit: CatalogKit) -> None:
    with pytest.raises(CalendarFeedNotFound):
        await RenderCalendarFeed(kit.uow(), kit.bookings, kit.renderer, kit.clock)(uuid.uuid4().hex)


async def test_feeds_of_two_users_differ(kit: CatalogKit) -> None:
    get_feed = GetCalendarFeed(kit.uow(), kit.signer, kit.clock)

    assert (await get_feed(kit.user)).token != (await get_feed(kit.admin)).token
