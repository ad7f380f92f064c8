"""The confirmation message links the booking's tickets."""

from __future__ import annotations

from datetime import UTC, datetime

from aquastream.domain.booking.events import BookingConfirmed
from aquastream.domain.notifications.model import Language
from aquastream.domain.notifications.templates import render
from aquastream.domain.shared.ids import new_id
from aquastream.ioc.notifications import NOTICE_RULES


def test_the_confirmation_links_the_tickets_in_both_languages() -> None:
    booking_id = new_id()
    fact = BookingConfirmed(
        occurred_at=datetime(2030, 1, 1, tzinfo=UTC),
        booking_id=booking_id,
        event_id=new_id(),
        user_id=new_id(),
    )
    (notice,) = [n for rule in NOTICE_RULES if isinstance(fact, rule.event_type) for n in rule.notices(fact)]

    for language in Language:
        text = render(notice.template, language, notice.params).body
        assert f"/api/v1/bookings/{booking_id}/tickets" in text
