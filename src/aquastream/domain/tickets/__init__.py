"""Tickets: one signed ticket per confirmed seat, check-in at the door, the event's roster."""
