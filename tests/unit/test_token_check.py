"""The edge's token check: a list of what identity revoked lately, kept fresh by reading its feed."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from aquastream.adapters.crypto.errors import TokenRevoked
from aquastream.adapters.crypto.jwt_tokens import AccessToken
from aquastream.adapters.http.token_check import (
    FULL_READ_SECONDS,
    READ_OVERLAP,
    RETRY_SECONDS,
    STALE_GRACE_SECONDS,
    AccessTokenCheck,
)
from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.database import MemoryDatabase
from aquastream.adapters.memory.identity import MemoryRevocationFeed
from aquastream.domain.identity.model import RefreshSession, Role, User
from aquastream.domain.identity.revocation import EndedSession, Revocation
from aquastream.domain.shared.errors import DependencyUnavailable
from aquastream.domain.shared.principal import Principal
from aquastream.ports.identity import RevocationFeed

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
POLL_SECONDS = 1.0
TOKEN_TTL = timedelta(minutes=15)


class ManualMonotonic:
    def __init__(self) -> None:
        self.seconds = 100.0

    def __call__(self) -> float:
        return self.seconds


class RecordingFeed(MemoryRevocationFeed):
    """The memory feed, keeping the moments it was asked about."""

    def __init__(self, db: MemoryDatabase) -> None:
        super().__init__(db)
        self.asked: list[datetime] = []

    async def revoked_since(self, since: datetime) -> list[Revocation]:
        self.asked.append(since)
        return await super().revoked_since(since)


class SwitchableFeed(MemoryRevocationFeed):
    """The memory feed, whose database can be taken down."""

    down = False

    async def revoked_since(self, since: datetime) -> list[Revocation]:
        if self.down:
            raise DependencyUnavailable()
        return await super().revoked_since(since)


@pytest.fixture
def db() -> MemoryDatabase:
    return MemoryDatabase()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def monotonic() -> ManualMonotonic:
    return ManualMonotonic()


def reading(feed: RevocationFeed, clock: FrozenClock, monotonic: ManualMonotonic) -> AccessTokenCheck:
    return AccessTokenCheck(feed, clock, token_ttl=TOKEN_TTL, poll_seconds=POLL_SECONDS, monotonic=monotonic)


@pytest.fixture
def check(db: MemoryDatabase, clock: FrozenClock, monotonic: ManualMonotonic) -> AccessTokenCheck:
    return reading(MemoryRevocationFeed(db), clock, monotonic)


def logged_in(db: MemoryDatabase, clock: FrozenClock) -> AccessToken:
    """A user with a live session, and an access token issued with it a minute ago."""
    now = clock.now()
    user = User(uuid.uuid4(), f"{uuid.uuid4().hex}@example.com", "x", Role.USER, True, now, now)
    family_id = uuid.uuid4()
    db.table("users")[user.id] = user
    db.table("sessions")[family_id] = RefreshSession(
        family_id, user.id, family_id, uuid.uuid4().hex, now, now + timedelta(days=30)
    )
    return AccessToken(Principal(user.id, Role.USER, user.email), family_id, now - timedelta(minutes=1))


def log_out_elsewhere(db: MemoryDatabase, token: AccessToken, at: datetime) -> None:
    """What another instance committed: the token's session ended."""
    db.table("sessions")[token.session_family_id].revoked_at = at


async def test_a_token_met_before_the_first_read_waits_for_one(
    db: MemoryDatabase, clock: FrozenClock, check: AccessTokenCheck
) -> None:
    token = logged_in(db, clock)
    log_out_elsewhere(db, token, clock.now())

    with pytest.raises(TokenRevoked):
        await check.ensure_live(token)


async def test_a_revocation_made_elsewhere_is_seen_at_the_next_read(
    db: MemoryDatabase, clock: FrozenClock, check: AccessTokenCheck
) -> None:
    token, other = logged_in(db, clock), logged_in(db, clock)
    await check.refresh()
    await check.ensure_live(token)

    log_out_elsewhere(db, token, clock.now())
    await check.ensure_live(token)  # not read yet
    await check.refresh()

    with pytest.raises(TokenRevoked):
        await check.ensure_live(token)
    await check.ensure_live(other)


async def test_a_revocation_made_here_is_seen_at_once(
    db: MemoryDatabase, clock: FrozenClock, check: AccessTokenCheck
) -> None:
    token = logged_in(db, clock)
    await check.refresh()
    assert token.session_family_id is not None

    check.access_revoked(EndedSession(token.principal.user_id, token.session_family_id, clock.now()))

    with pytest.raises(TokenRevoked):
        await check.ensure_live(token)


async def test_a_read_does_not_undo_what_this_process_revoked_meanwhile(
    db: MemoryDatabase, clock: FrozenClock, check: AccessTokenCheck
) -> None:
    token = logged_in(db, clock)
    assert token.session_family_id is not None
    check.access_revoked(EndedSession(token.principal.user_id, token.session_family_id, clock.now()))

    await check.refresh()  # began before the revocation was committed: it does not know of it

    with pytest.raises(TokenRevoked):
        await check.ensure_live(token)


async def test_a_list_read_too_long_ago_is_read_again_before_a_token_is_judged(
    db: MemoryDatabase, clock: FrozenClock, monotonic: ManualMonotonic
) -> None:
    feed = RecordingFeed(db)
    check = reading(feed, clock, monotonic)
    token = logged_in(db, clock)
    await check.refresh()
    log_out_elsewhere(db, token, clock.now())

    monotonic.seconds += POLL_SECONDS + STALE_GRACE_SECONDS
    await check.ensure_live(token)  # the list is just fresh enough: not read again
    assert len(feed.asked) == 1
    monotonic.seconds += 0.01
    with pytest.raises(TokenRevoked):
        await check.ensure_live(token)
    assert len(feed.asked) == 2


async def test_while_the_database_cannot_be_read_tokens_get_503_and_work_again_after_a_read(
    db: MemoryDatabase, clock: FrozenClock, monotonic: ManualMonotonic
) -> None:
    feed = SwitchableFeed(db)
    check = reading(feed, clock, monotonic)
    token = logged_in(db, clock)
    await check.refresh()

    feed.down = True
    with pytest.raises(DependencyUnavailable):
        await check.refresh()
    await check.ensure_live(token)  # what was read is still fresh enough
    monotonic.seconds += POLL_SECONDS + STALE_GRACE_SECONDS + 0.01
    with pytest.raises(DependencyUnavailable):
        await check.ensure_live(token)

    feed.down = False
    await check.refresh()
    await check.ensure_live(token)


async def test_requests_waiting_for_a_read_share_one(
    db: MemoryDatabase, clock: FrozenClock, monotonic: ManualMonotonic
) -> None:
    feed = RecordingFeed(db)
    check = reading(feed, clock, monotonic)
    tokens = [logged_in(db, clock) for _ in range(5)]

    await asyncio.gather(*(check.ensure_live(token) for token in tokens))

    assert len(feed.asked) == 1


async def test_a_feed_that_cannot_be_read_leaves_tokens_unvouched_for(
    db: MemoryDatabase, clock: FrozenClock, monotonic: ManualMonotonic
) -> None:
    feed = SwitchableFeed(db)
    feed.down = True
    check = reading(feed, clock, monotonic)
    await check.start()
    try:
        with pytest.raises(DependencyUnavailable):
            await check.ensure_live(logged_in(db, clock))
    finally:
        await check.stop()


async def test_after_a_failed_read_the_next_comes_sooner_than_the_poll(
    db: MemoryDatabase, clock: FrozenClock
) -> None:
    feed = SwitchableFeed(db)
    feed.down = True
    check = AccessTokenCheck(feed, clock, token_ttl=TOKEN_TTL, poll_seconds=60.0)
    token = logged_in(db, clock)
    await check.start()
    try:
        feed.down = False
        async with asyncio.timeout(RETRY_SECONDS * 4):  # far less than the poll's 60 s
            while True:
                try:
                    await check.ensure_live(token)
                except DependencyUnavailable:
                    await asyncio.sleep(0.05)
                else:
                    break
    finally:
        await check.stop()


async def test_as_a_readiness_check_it_reads_a_stale_list_and_fails_while_it_cannot(
    db: MemoryDatabase, clock: FrozenClock, monotonic: ManualMonotonic
) -> None:
    feed = SwitchableFeed(db)
    check = reading(feed, clock, monotonic)
    feed.down = True
    with pytest.raises(DependencyUnavailable):
        await check.check()

    feed.down = False
    await check.check()  # read now, not at the next poll
    await check.ensure_live(logged_in(db, clock))


async def test_revocations_older_than_a_token_lifetime_are_forgotten(
    db: MemoryDatabase, clock: FrozenClock, check: AccessTokenCheck
) -> None:
    token = logged_in(db, clock)
    log_out_elsewhere(db, token, clock.now())
    await check.refresh()
    with pytest.raises(TokenRevoked):
        await check.ensure_live(token)

    clock.advance(TOKEN_TTL + timedelta(minutes=2))
    await check.refresh()

    # Only a forged token could still claim that session: every real one has expired.
    await check.ensure_live(token)


async def test_the_feed_is_read_in_the_background_until_stopped(
    db: MemoryDatabase, clock: FrozenClock
) -> None:
    check = AccessTokenCheck(MemoryRevocationFeed(db), clock, token_ttl=TOKEN_TTL, poll_seconds=0.01)
    token = logged_in(db, clock)
    await check.start()
    try:
        await check.ensure_live(token)
        log_out_elsewhere(db, token, clock.now())
        async with asyncio.timeout(2):
            while True:
                try:
                    await check.ensure_live(token)
                except TokenRevoked:
                    break
                await asyncio.sleep(0.01)
    finally:
        await check.stop()


async def test_a_read_asks_for_what_is_new_since_the_last_one_less_the_overlap(
    db: MemoryDatabase, clock: FrozenClock, monotonic: ManualMonotonic
) -> None:
    feed = RecordingFeed(db)
    check = reading(feed, clock, monotonic)
    first_read = clock.now()
    await check.refresh()
    clock.advance(seconds=1)
    monotonic.seconds += 1
    await check.refresh()
    clock.set(first_read - timedelta(hours=1))  # a clock set back
    await check.refresh()

    assert feed.asked == [
        first_read - TOKEN_TTL - READ_OVERLAP,
        first_read - READ_OVERLAP,
        clock.now() - READ_OVERLAP,
    ]


async def test_a_revocation_committed_later_than_the_overlap_is_caught_by_the_next_full_read(
    db: MemoryDatabase, clock: FrozenClock, check: AccessTokenCheck, monotonic: ManualMonotonic
) -> None:
    token = logged_in(db, clock)
    await check.refresh()
    clock.advance(seconds=1)
    log_out_elsewhere(db, token, clock.now() - READ_OVERLAP - timedelta(seconds=5))

    monotonic.seconds += 1
    await check.refresh()
    await check.ensure_live(token)

    monotonic.seconds += FULL_READ_SECONDS
    await check.refresh()
    with pytest.raises(TokenRevoked):
        await check.ensure_live(token)
