"""Errors of the tickets domain, each with a stable machine code."""

from __future__ import annotations

import uuid
from datetime import datetime

from aquastream.domain.shared.errors import Conflict, Forbidden, NotFound, RuleViolated


class EventNotFound(NotFound):
    code = "event.not_found"
    default_message = "Event not found."


class OrganizerNotFound(NotFound):
    code = "organizer.not_found"
    default_message = "Organizer not found."


class TicketsNotFound(NotFound):
    code = "ticket.not_found"
    default_message = (
        "No ticket found: the booking is not confirmed (or was confirmed a moment ago), "
        "or the code is unknown."
    )


class CheckInForbidden(Forbidden):
    code = "ticket.forbidden"
    default_message = (
        "Only the event's organizer, its linked team members and admins check seats in and see the roster."
    )


class ForgedTicket(RuleViolated):
    code = "ticket.forged"
    default_message = "This code is not a ticket signed by the event's organizer."


class WrongEventTicket(RuleViolated):
    code = "ticket.wrong_event"
    default_message = "This ticket is for another event."


class VoidTicket(RuleViolated):
    code = "ticket.void"
    default_message = "This ticket's seat was cancelled or its booking expired."


class NoShowTicket(RuleViolated):
    code = "ticket.no_show"
    default_message = "This seat was recorded as a no-show."


class AlreadyCheckedIn(Conflict):
    """A second scan: says who checked the seat in, and when."""

    code = "ticket.already_checked_in"
    default_message = "This seat is already checked in."

    def __init__(
        self,
        ticket_id: uuid.UUID,
        seat: int,
        checked_in_by: uuid.UUID,
        checked_in_at: datetime,
        checked_in_by_name: str | None = None,
    ) -> None:
        when = checked_in_at.isoformat().replace("+00:00", "Z")
        by = checked_in_by_name or str(checked_in_by)
        super().__init__(
            f"This seat was checked in at {when} by {by}.",
            extra={
                "ticketId": str(ticket_id),
                "seat": seat,
                "checkedInBy": str(checked_in_by),
                "checkedInByName": checked_in_by_name,
                "checkedInAt": when,
            },
        )
        self.checked_in_by = checked_in_by
        self.checked_in_at = checked_in_at
