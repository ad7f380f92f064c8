"""Errors of the booking domain, each with a stable machine code."""

from __future__ import annotations

import uuid

from aquastream.domain.shared.errors import Conflict, Forbidden, NotFound, RuleViolated


class ProfileIncomplete(RuleViolated):
    code = "profile.incomplete"
    default_message = "Add a phone number or a Telegram handle to your profile before booking."


class EventNotFound(NotFound):
    code = "event.not_found"
    default_message = "Event not found."


class EventNotOpen(RuleViolated):
    code = "event.not_open"
    default_message = "The event is not open for booking (not published, cancelled, over or started)."


class EventFull(Conflict):
    code = "event.full"
    default_message = "The event has no free seat; you can join its waitlist."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message, extra={"waitlistOpen": True})


class BookingDuplicate(Conflict):
    code = "booking.duplicate"
    default_message = "You already have an active booking for this event."

    def __init__(self, existing_booking_id: uuid.UUID | None = None) -> None:
        extra = {"existingBookingId": str(existing_booking_id)} if existing_booking_id else {}
        super().__init__(extra=extra)
        self.existing_booking_id = existing_booking_id


class BookingNotFound(NotFound):
    code = "booking.not_found"
    default_message = "Booking not found."


class BookingForbidden(Forbidden):
    """The caller may see the booking or the event but not do this to it."""

    code = "booking.forbidden"
    default_message = "Only the organizer of the event (or an admin) may do this."


class BookingStatusConflict(Conflict):
    code = "booking.invalid_status"
    default_message = "The booking's status does not allow this."


class EventAlreadyStarted(RuleViolated):
    code = "booking.event_started"
    default_message = "The event has started; ask the organizer."


class EventNotStarted(RuleViolated):
    code = "booking.event_not_started"
    default_message = "A no-show can only be recorded after the event has started."


class WaitlistNotNeeded(Conflict):
    code = "waitlist.seats_available"
    default_message = "The event has free seats: book one instead of queueing."


class AlreadyBooked(Conflict):
    code = "waitlist.already_booked"
    default_message = "You already have an active booking for this event."


class WaitlistDuplicate(Conflict):
    code = "waitlist.duplicate"
    default_message = "You are already on the waitlist of this event."


class WaitlistEntryNotFound(NotFound):
    code = "waitlist.not_found"
    default_message = "You are not on the waitlist of this event."


class WaitlistOfferExpired(Conflict):
    code = "waitlist.offer_expired"
    default_message = "The seat held for you was released when your window lapsed."


class PartyTooLarge(RuleViolated):
    code = "booking.party_too_large"
    default_message = "One booking holds at most the configured number of seats (you and your companions)."

    def __init__(self, max_party: int) -> None:
        super().__init__(
            f"One booking holds at most {max_party} seats (you and your companions).",
            extra={"maxParty": max_party},
        )


class CompanionNotFound(NotFound):
    code = "booking.companion_not_found"
    default_message = "The booking has no active companion seat with this number."


class PartyExceedsOffer(RuleViolated):
    code = "waitlist.party_exceeds_offer"
    default_message = "The waitlist held fewer seats for you than this booking asks for."
