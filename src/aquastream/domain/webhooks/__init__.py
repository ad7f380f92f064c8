"""Organizer webhooks: HTTPS endpoints an organizer registers to hear of bookings and payments
as they happen, signed deliveries retried with backoff, visible and re-sendable."""
