"""Adapters for the machine itself: the real clock and the operating system's randomness."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class SystemSecrets:
    def token(self) -> str:
        return secrets.token_urlsafe(32)

    def numeric_code(self, digits: int) -> str:
        return f"{secrets.randbelow(10**digits):0{digits}d}"
