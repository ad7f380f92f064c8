"""HTTP controllers of the tickets domain: a booking's tickets and their QR images, check-in
and the roster of an event, and the organizers' public keys."""

from aquastream.adapters.http.tickets.routes import (
    BookingTicketController,
    CheckInController,
    TicketKeyController,
)

CONTROLLERS = [BookingTicketController, CheckInController, TicketKeyController]

__all__ = ["CONTROLLERS", "BookingTicketController", "CheckInController", "TicketKeyController"]
