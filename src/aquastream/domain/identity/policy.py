"""The identity domain's durations and limits, built from settings by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class IdentityPolicy:
    """Defaults are the values the specification states."""

    refresh_token_ttl: timedelta = timedelta(days=30)
    recovery_code_ttl: timedelta = timedelta(minutes=15)
    reset_token_ttl: timedelta = timedelta(minutes=15)
    telegram_link_ttl: timedelta = timedelta(minutes=15)
    recovery_max_attempts: int = 5
    telegram_bot_username: str = "AquaStreamBot"
    extra_max_bytes: int = 8192
    audit_retention: timedelta = timedelta(days=180)  # audit entries older than this are deleted
