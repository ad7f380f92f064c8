"""Housekeeping: refresh sessions, recovery requests and Telegram link codes that can no
longer be used are deleted, so these tables hold live credentials and not years of logins.

Rows are kept ``CREDENTIAL_GRACE`` past their expiry: within it a replayed rotated token
still finds its session and revokes its family (reuse detection); after it the token is
simply unknown, which answers the same 401.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from aquastream.ports.clock import Clock
from aquastream.ports.identity import IdentityUnitOfWork

CREDENTIAL_GRACE = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class PurgeReport:
    sessions: int
    recovery_requests: int
    link_codes: int


class PurgeExpiredCredentials:
    """Delete credentials expired more than ``CREDENTIAL_GRACE`` ago (a periodic job)."""

    def __init__(self, uow: IdentityUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self) -> PurgeReport:
        before = self._clock.now() - CREDENTIAL_GRACE
        async with self._uow as uow:
            report = PurgeReport(
                sessions=await uow.sessions.purge_expired(before=before),
                recovery_requests=await uow.recovery.purge_expired(before=before),
                link_codes=await uow.link_codes.purge_expired(before=before),
            )
            await uow.commit()
        return report
