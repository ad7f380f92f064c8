"""Contract of the sessions a user sees as devices: what a session records of its device,
and which sessions are live, in which order, on every backend."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from aquastream.domain.identity.model import User
from aquastream.domain.shared.ids import new_id

from .conftest import Backend
from .factories import NOW, a_session, a_user

LATER = NOW + timedelta(minutes=5)


async def _user(backend: Backend) -> User:
    user = a_user()
    await backend.add_users(user)
    return user


async def test_a_session_keeps_its_device_and_login_time(backend: Backend) -> None:
    session = dataclasses.replace(
        a_session(await _user(backend), created_at=LATER),
        signed_in_at=NOW,
        user_agent="Mozilla/5.0 (X11; Linux x86_64) " + "é" * 400,
        ip="2001:db8::1234",
    )
    async with backend.identity_uow() as uow:
        await uow.sessions.add(session)
        await uow.commit()

    async with backend.identity_uow() as uow:
        stored = await uow.sessions.get_by_token_hash(session.token_hash)
    assert stored == session


async def test_live_sessions_are_unrevoked_unexpired_and_listed_latest_login_first(backend: Backend) -> None:
    anna, boris = await _user(backend), await _user(backend)
    first_login = dataclasses.replace(a_session(anna, created_at=NOW - timedelta(days=2)), signed_in_at=None)
    # The newest row of a family logged in long ago: it sorts by its login, not its creation.
    refreshed = dataclasses.replace(
        a_session(anna, created_at=LATER), signed_in_at=NOW - timedelta(days=1), user_agent="phone"
    )
    latest = dataclasses.replace(a_session(anna, created_at=NOW), signed_in_at=NOW)
    revoked = dataclasses.replace(a_session(anna, created_at=NOW), revoked_at=LATER)
    expired = dataclasses.replace(
        a_session(anna, created_at=NOW - timedelta(days=40)), expires_at=LATER + timedelta(seconds=1)
    )
    borises = a_session(boris, created_at=NOW)
    async with backend.identity_uow() as uow:
        for session in (first_login, refreshed, latest, revoked, expired, borises):
            await uow.sessions.add(session)
        await uow.commit()

    async with backend.identity_uow() as uow:
        live = await uow.sessions.list_live_for_user(anna.id, now=LATER)
        after_expiry = await uow.sessions.list_live_for_user(anna.id, now=LATER + timedelta(seconds=1))
        nobodys = await uow.sessions.list_live_for_user(new_id(), now=LATER)

    assert live == [latest, refreshed, first_login, expired]
    assert after_expiry == [latest, refreshed, first_login]
    assert nobodys == []
