"""Contract of identity's revocation feed: what every instance of the edge reads every second.

It lists what is committed: the session families ended (revoked, not rotated) and the
users marked at or after a moment, each account with whether it is usable now.
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from aquastream.adapters.memory.identity import MemoryRevocationFeed
from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.identity.revocations import SqlRevocationFeed
from aquastream.domain.identity.model import RefreshSession, User
from aquastream.domain.identity.revocation import AccountAccess, EndedSession
from aquastream.domain.shared.errors import DependencyUnavailable
from aquastream.ports.identity import RevocationFeed

from .conftest import Backend
from .factories import NOW, a_session, a_user

LATER = NOW + timedelta(minutes=5)


@pytest.fixture
def feed(backend: Backend) -> RevocationFeed:
    if backend.memory is not None:
        return MemoryRevocationFeed(backend.memory)
    assert backend.engine is not None
    return SqlRevocationFeed(backend.engine)


async def _logged_in(backend: Backend, user: User | None = None) -> RefreshSession:
    """A user (a new one unless given) with a session starting a family of its own."""
    user = user or a_user()
    session = a_session(user)
    session.family_id = session.id
    async with backend.identity_uow() as uow:
        if await uow.users.get(user.id) is None:
            await uow.users.add(user)
        await uow.sessions.add(session)
        await uow.commit()
    return session


async def _marked(
    backend: Backend,
    after: timedelta = timedelta(),
    *,
    is_active: bool = True,
    deleted_at: datetime | None = None,
) -> User:
    """A user marked ``after`` past ``LATER``."""
    user = a_user(is_active=is_active, deleted_at=deleted_at)
    user.tokens_not_before = LATER + after
    await backend.add_users(user)
    return user


async def test_nothing_revoked_lists_nothing(backend: Backend, feed: RevocationFeed) -> None:
    await _logged_in(backend)
    await backend.add_users(a_user())

    assert await feed.revoked_since(NOW) == []


async def test_a_session_family_revoked_is_listed_once_ended(backend: Backend, feed: RevocationFeed) -> None:
    session = await _logged_in(backend)
    async with backend.identity_uow() as uow:
        await uow.sessions.revoke_family(session.family_id, at=LATER)
        await uow.commit()

    assert await feed.revoked_since(NOW) == [EndedSession(session.user_id, session.family_id, LATER)]


async def test_a_rotation_ends_nothing(backend: Backend, feed: RevocationFeed) -> None:
    session = await _logged_in(backend)
    successor = dataclasses.replace(a_session(a_user()), user_id=session.user_id, family_id=session.family_id)
    async with backend.identity_uow() as uow:
        await uow.sessions.add(successor)
        await uow.sessions.rotate(session.id, replaced_by=successor.id, at=LATER)
        await uow.commit()

    assert await feed.revoked_since(NOW) == []


async def test_marked_users_are_listed_with_whether_their_account_is_usable(
    backend: Backend, feed: RevocationFeed
) -> None:
    logged_out = await _marked(backend)
    blocked = await _marked(backend, timedelta(seconds=1), is_active=False)
    deleted = await _marked(backend, timedelta(seconds=2), deleted_at=LATER)

    assert set(await feed.revoked_since(NOW)) == {
        AccountAccess(logged_out.id, LATER, account_usable=True),
        AccountAccess(blocked.id, LATER + timedelta(seconds=1), account_usable=False),
        AccountAccess(deleted.id, LATER + timedelta(seconds=2), account_usable=False),
    }


async def test_a_mark_is_read_to_the_microsecond(backend: Backend, feed: RevocationFeed) -> None:
    user = await _marked(backend, timedelta(microseconds=123_456))

    async with backend.identity_uow() as uow:
        assert await uow.users.get(user.id) == user
    marked_at = LATER + timedelta(microseconds=123_456)
    assert await feed.revoked_since(NOW) == [AccountAccess(user.id, marked_at, account_usable=True)]


async def test_what_happened_before_the_moment_is_left_out(backend: Backend, feed: RevocationFeed) -> None:
    session = await _logged_in(backend)
    await _marked(backend)
    async with backend.identity_uow() as uow:
        await uow.sessions.revoke_family(session.family_id, at=LATER)
        await uow.commit()

    assert await feed.revoked_since(LATER + timedelta(microseconds=1)) == []
    assert len(await feed.revoked_since(LATER)) == 2


async def test_an_unblock_is_read_through_the_mark_it_leaves(backend: Backend, feed: RevocationFeed) -> None:
    user = await _marked(backend, is_active=False)
    user.is_active = True
    async with backend.identity_uow() as uow:
        await uow.users.save(user)
        await uow.commit()

    assert await feed.revoked_since(NOW) == [AccountAccess(user.id, LATER, account_usable=True)]


async def test_only_committed_revocations_are_listed(backend: Backend, feed: RevocationFeed) -> None:
    session = await _logged_in(backend)
    async with backend.identity_uow() as uow:
        await uow.sessions.revoke_all_for_user(session.user_id, at=LATER)
        # Left without committing: rolled back.

    assert await feed.revoked_since(NOW) == []


async def test_a_sql_read_neither_waits_for_a_writer_nor_sees_its_changes(sql_backend: Backend) -> None:
    """SQLite lets one writer in at a time: the read must not queue behind it for the lock."""
    session = await _logged_in(sql_backend)
    assert sql_backend.engine is not None
    feed = SqlRevocationFeed(sql_backend.engine)
    async with sql_backend.identity_uow() as uow:
        await uow.sessions.revoke_all_for_user(session.user_id, at=LATER)

        async with asyncio.timeout(1):
            assert await feed.revoked_since(NOW) == []


@pytest.mark.parametrize(
    "unreachable",
    [
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql+asyncpg://postgres@127.0.0.1:1/aquastream", id="postgres"),
    ],
)
async def test_an_unreachable_database_is_reported_unavailable(unreachable: str, tmp_path: Path) -> None:
    if unreachable == "sqlite":
        unreachable = f"sqlite+aiosqlite:///{tmp_path / 'no-such-folder' / 'aquastream.db'}"
    engine = create_engine(unreachable)
    try:
        with pytest.raises(DependencyUnavailable):
            await SqlRevocationFeed(engine).revoked_since(NOW)
    finally:
        await engine.dispose()
