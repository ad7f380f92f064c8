"""The booking domain's durations and batch sizes, built from settings by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class BookingPolicy:
    """Defaults are the values the specification states."""

    hold: timedelta = timedelta(minutes=30)  # how long a PENDING (paid) booking keeps its seat
    waitlist_window: timedelta = timedelta(minutes=30)  # how long a seat is held for a notified user
    max_party: int = 6  # seats one booking (or waitlist entry) may ask for: the holder's and companions'
    # Due holds one expiry pass handles at most. The pass takes a fixed number of statements
    # whatever the size (``jobs.ExpireHolds``); it locks its bookings (due holds: a late payment
    # or a cancel of one waits at most the lock timeout) and, only from the seats' return to the
    # commit, the inventories of the events touched.
    expiry_batch_size: int = 500
    # Lanes of the expiry sweep that run at once, each on its own share of the events
    # (``model.EventShare``): they lock disjoint inventories and queues, so while one waits
    # for the database another does its share of the work. One where the database has a
    # single writer (SQLite).
    expiry_lanes: int = 2
    # Lapsed waitlist windows one pass handles at most: one at a time, each under its
    # event's inventory lock, so the pass stays short.
    lapse_batch_size: int = 100
