"""HTTP controllers of the booking domain: bookings, an event's bookings and participants
export, and the waitlist."""

from aquastream.adapters.http.booking.booking_routes import BookingController
from aquastream.adapters.http.booking.event_booking_routes import EventBookingController
from aquastream.adapters.http.booking.waitlist_routes import WaitlistController

CONTROLLERS = [BookingController, EventBookingController, WaitlistController]

__all__ = ["CONTROLLERS", "BookingController", "EventBookingController", "WaitlistController"]
