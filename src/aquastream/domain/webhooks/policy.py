"""Tunable rules of the webhooks domain (from the settings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

# After the n-th failed attempt the next one waits BACKOFF[n-1] (the last one repeats).
BACKOFF: tuple[timedelta, ...] = (
    timedelta(seconds=10),
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=12),
)
MAX_ATTEMPTS = 8  # the last failure comes about 21 hours after the first


@dataclass(frozen=True, slots=True)
class WebhookPolicy:
    event_types: tuple[str, ...] = ()  # what endpoints may choose: the composition's table of facts
    backoff: tuple[timedelta, ...] = BACKOFF
    max_attempts: int = MAX_ATTEMPTS
    max_endpoints: int = 20  # per organizer
    rotation_grace: timedelta = timedelta(hours=24)  # the old secret signs too, meanwhile
    batch_size: int = 50  # deliveries claimed at once by a sender
    concurrency: int = 16  # of them in flight at once
    # A claimed delivery is someone's for this long: far above the request's timeout, so a
    # delivery is never sent twice at once while its sender lives.
    lease: timedelta = field(default=timedelta(minutes=2))
    retention: timedelta = timedelta(days=30)  # deliveries that are over, with their attempts
    allow_private_targets: bool = False  # development only (settings refuse it in production)

    def retry_delay(self, attempts: int) -> timedelta:
        """How long after the ``attempts``-th failure the next try waits."""
        return self.backoff[min(max(attempts, 1), len(self.backoff)) - 1]
