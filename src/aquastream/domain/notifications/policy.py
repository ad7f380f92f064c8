"""How hard the sender tries, and when reminders go out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class NotificationPolicy:
    """``retry_base * 2**(attempt-1)``, capped at ``retry_cap``, between attempts; after
    ``max_attempts`` a message is FAILED. A claimed message is leased for ``lease``: a sender
    that dies mid-batch leaves it to the next one after that."""

    max_attempts: int = 8
    retry_base: timedelta = timedelta(seconds=30)
    retry_cap: timedelta = timedelta(hours=6)
    lease: timedelta = timedelta(minutes=5)
    batch_size: int = 50
    # Longest first: the 48 h reminder covers (24 h, 48 h] before the start, the 24 h one (0, 24 h].
    reminders: tuple[timedelta, ...] = field(default=(timedelta(hours=48), timedelta(hours=24)))

    def backoff(self, attempt: int) -> timedelta:
        delay: timedelta = self.retry_base * (2 ** max(attempt - 1, 0))
        return min(delay, self.retry_cap)
