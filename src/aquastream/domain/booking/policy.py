"""The booking domain's durations and batch sizes, built from settings by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class BookingPolicy:
    """Defaults are the values the specification states."""

    hold: timedelta = timedelta(minutes=30)  # how long a PENDING (paid) booking keeps its seat
    waitlist_window: timedelta = timedelta(minutes=30)  # how long a seat is held for a notified user
    expiry_batch_size: int = 100  # bookings (or lapsed windows) one job pass handles at most
