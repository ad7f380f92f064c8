"""The facts organizers can receive as webhooks, one line each: the fact, its event type on the
wire, and (for a fact that names only its booking) where its event is found.

The webhooks domain's reactions (``ioc.webhooks``), the event types an endpoint may choose and
the OpenAPI enum of them are all made from this table: adding a fact is one line here.
"""

from __future__ import annotations

from aquastream.domain.booking.events import BookingCancelled, BookingConfirmed, BookingCreated
from aquastream.domain.payments.events import PaymentRefunded, PaymentSucceeded
from aquastream.domain.tickets.events import SeatCheckedIn
from aquastream.domain.webhooks.facts import WebhookFact

FACTS: tuple[WebhookFact, ...] = (
    WebhookFact(BookingCreated, "booking.created"),
    WebhookFact(BookingConfirmed, "booking.confirmed"),
    WebhookFact(BookingCancelled, "booking.cancelled"),
    WebhookFact(PaymentSucceeded, "payment.received"),
    WebhookFact(PaymentRefunded, "payment.refunded", by_booking=True),
    WebhookFact(SeatCheckedIn, "checkin.created"),
)

EVENT_TYPES: tuple[str, ...] = tuple(fact.event_type for fact in FACTS)
