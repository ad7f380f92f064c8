"""The booking domain: seats of published events, bookings, their log, and the FIFO waitlist."""
