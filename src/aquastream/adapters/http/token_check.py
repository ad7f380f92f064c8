"""Refusing revoked access tokens at the edge, from a list every instance keeps fresh.

Each instance keeps what identity revoked within the lifetime of an access token
(``RevokedAccess``) and reads identity's ``RevocationFeed`` again every ``poll_seconds``
(2 s at most): judging a token costs no database round trip, and a revocation made by
another instance is seen within about that interval. A revocation made in this process is
seen at once: the use case that made it calls ``access_revoked``.

A read asks for what was stamped since the previous read began, less ``READ_OVERLAP``: a
revocation is stamped by its instance's clock before it commits, so one that committed
late, or came from a clock a little behind this one, is still read. Every
``FULL_READ_SECONDS`` a read covers a token's whole lifetime again, for whatever was later
than even that.

A token is judged only by a list whose read began at most ``poll_seconds`` +
``STALE_GRACE_SECONDS`` ago (3 s by default), so it is refused at most that long after its
revocation committed. Should the list be older (a busy process read it late), the request
waits for a read; while the database cannot be read, requests that carry a token are
answered 503.

After a failed read the next one comes sooner (``RETRY_SECONDS``, not ``poll_seconds``), so
the instance judges tokens again soon after the database is back. The check is also one of
``/health/ready``'s (``name`` "revocations"): an instance that cannot judge tokens is not
ready, and a readiness probe on a stale list reads it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from aquastream.adapters.crypto.errors import TokenRevoked
from aquastream.adapters.crypto.jwt_tokens import AccessToken
from aquastream.adapters.outage import is_schema_missing
from aquastream.domain.identity.revocation import Revocation, RevokedAccess
from aquastream.domain.shared.errors import DependencyUnavailable
from aquastream.ports.clock import Clock
from aquastream.ports.identity import RevocationFeed

STALE_GRACE_SECONDS = 2.0
READ_OVERLAP = timedelta(seconds=30)
FULL_READ_SECONDS = 300.0
RETRY_SECONDS = 0.5

logger = logging.getLogger("aquastream.http.auth")


class AccessTokenCheck:
    """Raises ``TokenRevoked`` for a revoked token, ``DependencyUnavailable`` when it cannot tell."""

    name = "revocations"

    def __init__(
        self,
        feed: RevocationFeed,
        clock: Clock,
        *,
        token_ttl: timedelta,
        poll_seconds: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._feed = feed
        self._clock = clock
        self._window = token_ttl + READ_OVERLAP
        self._poll_seconds = poll_seconds
        self._stale_after = poll_seconds + STALE_GRACE_SECONDS
        self._monotonic = monotonic
        self._revoked = RevokedAccess()
        self._read_at: float | None = None  # when the last successful read began
        self._read_as_of: datetime | None = None  # the same, by the clock revocations are stamped with
        self._full_read_at: float | None = None
        self._poller: asyncio.Task[None] | None = None
        self._reading: asyncio.Task[None] | None = None
        self._failing = False  # the last read failed

    async def ensure_live(self, token: AccessToken) -> None:
        if not self._fresh():
            await self._read_now()
        if not self._revoked.admits(token.principal.user_id, token.session_family_id, token.issued_at):
            raise TokenRevoked()

    async def check(self) -> None:
        """``ReadinessCheck``: return when tokens can be judged, reading the list if it is
        stale; raise when it cannot be read."""
        if self._fresh():
            return
        try:
            await self.refresh()
        except Exception as error:
            if is_schema_missing(error):  # said once, by the schema's own check
                raise DependencyUnavailable("the database schema is behind this release") from None
            raise

    def access_revoked(self, *revocations: Revocation) -> None:
        """Take revocations made in this process into account at once (``AccessRevocationListener``)."""
        self._revoked.record(*revocations)

    async def refresh(self) -> None:
        """Read the feed, or wait for the read under way; ``DependencyUnavailable`` when the
        database cannot answer. A failure is logged once, not at every try, until a read
        works again."""
        if self._reading is None:
            self._reading = asyncio.create_task(self._read(), name="access-token-revocations-read")
            self._reading.add_done_callback(self._read_done)
        try:
            await asyncio.shield(self._reading)
        except Exception as error:
            if not self._failing:
                behind = is_schema_missing(error)
                logger.warning(
                    "Cannot read the revoked access tokens (%s); requests with a token get 503 "
                    "until a read works again",
                    "the database schema is behind this release: run `aquastream migrate`"
                    if behind
                    else type(error.__cause__ or error).__name__,
                    # Anything but an unreachable or unmigrated database is a bug: show where.
                    exc_info=not (behind or isinstance(error, DependencyUnavailable)),
                )
            self._failing = True
            raise
        if self._failing:
            logger.warning("The revoked access tokens are read again")
            self._failing = False

    async def start(self) -> None:
        """Read the feed, then keep reading it in the background until ``stop``."""
        with contextlib.suppress(Exception):  # logged; tokens get 503 until a read works
            await self.refresh()
        self._poller = asyncio.create_task(self._poll(), name="access-token-revocations")

    async def stop(self) -> None:
        if self._poller is None:
            return
        self._poller.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._poller
        self._poller = None

    def _fresh(self) -> bool:
        return self._read_at is not None and self._monotonic() - self._read_at <= self._stale_after

    async def _read_now(self) -> None:
        """The list is stale: a late read is waited for (a busy process is no reason to
        refuse), but while the database is known to be down the answer is 503 at once."""
        if self._failing:
            raise DependencyUnavailable()
        await self.refresh()
        if not self._fresh():  # the read waited for had begun too long ago
            raise DependencyUnavailable()

    async def _read(self) -> None:
        began, now = self._monotonic(), self._clock.now()
        oldest_of_interest = now - self._window
        full = self._full_read_at is None or began - self._full_read_at >= FULL_READ_SECONDS
        since = oldest_of_interest
        if not full and self._read_as_of is not None:
            # ``min``: should the clock have been set back, read from its new time.
            since = max(oldest_of_interest, min(now, self._read_as_of) - READ_OVERLAP)
        self._revoked.record(*await self._feed.revoked_since(since))
        self._revoked.forget_before(oldest_of_interest)
        self._read_at, self._read_as_of = began, now
        if full:
            self._full_read_at = began

    def _read_done(self, read: asyncio.Task[None]) -> None:
        self._reading = None
        if not read.cancelled():
            read.exception()  # retrieved here too, should every waiter have gone

    async def _poll(self) -> None:
        while True:
            pause = min(self._poll_seconds, RETRY_SECONDS) if self._failing else self._poll_seconds
            await asyncio.sleep(pause)
            with contextlib.suppress(Exception):  # logged by ``refresh``
                await self.refresh()
