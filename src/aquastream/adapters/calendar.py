"""iCalendar (RFC 5545) documents with the ``icalendar`` library, and the keyed tokens of
private calendar feeds.

``icalendar`` is imported by the first document rendered, not with the application (66 ms
and 3 MB of every start, for a download most processes serve rarely).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from aquastream.adapters.crypto.signing import HmacSigner
from aquastream.ports.catalog import CalendarEntry

if TYPE_CHECKING:
    from icalendar import Event as CalendarEvent

PRODUCT_ID = "-//AquaStream//Catalog//EN"


# SEQUENCE counts minutes since this instant: it grows with every change, so a calendar
# that imported an event takes a later download as an update, and stays a small integer.
SEQUENCE_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


class IcalendarRenderer:
    """One VEVENT per entry, its UID stable across downloads and feeds."""

    def render(self, entries: Sequence[CalendarEntry], *, name: str, generated_at: datetime) -> bytes:
        from icalendar import Calendar

        calendar = Calendar()
        calendar.add("prodid", PRODUCT_ID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", name)
        for entry in entries:
            calendar.add_component(_vevent(entry, generated_at))
        document: bytes = calendar.to_ical()
        return document


def _vevent(entry: CalendarEntry, generated_at: datetime) -> CalendarEvent:
    from icalendar import Event as CalendarEvent

    event = CalendarEvent()
    event.add("uid", entry.uid)
    event.add("dtstamp", generated_at)
    event.add("dtstart", entry.starts_at)
    event.add("dtend", entry.ends_at)
    event.add("last-modified", entry.updated_at)
    event.add("sequence", max(int((entry.updated_at - SEQUENCE_EPOCH).total_seconds() // 60), 0))
    event.add("summary", entry.title)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    if entry.description:
        event.add("description", entry.description)
    if entry.location:
        event.add("location", entry.location)
    if entry.latitude is not None and entry.longitude is not None:
        event.add("geo", (entry.latitude, entry.longitude))
    if entry.organizer_name:
        # ORGANIZER must be a URI; the brand name alone goes into a custom property.
        event.add("x-aquastream-organizer", entry.organizer_name)
    if entry.categories:
        event.add("categories", list(entry.categories))
    return event


class HmacFeedTokenSigner(HmacSigner):
    """HMAC-SHA256 under a server secret, base64url without padding (43 characters)."""

    def __init__(self, secret: str | bytes) -> None:
        super().__init__(secret, b"aquastream calendar feed")
