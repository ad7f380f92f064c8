"""Contract of the sessions a user sees as devices: what a session records of its device,
and which sessions are live, in which order, on every backend."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from aquastream.domain.identity.model import RefreshSession, User
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
        live = await uow.sessions.list_live_for_user(anna.id, now=LATER, limit=10)
        after_expiry = await uow.sessions.list_live_for_user(
            anna.id, now=LATER + timedelta(seconds=1), limit=10
        )
        the_latest_two = await uow.sessions.list_live_for_user(anna.id, now=LATER, limit=2)
        nobodys = await uow.sessions.list_live_for_user(new_id(), now=LATER, limit=10)

    assert live == [latest, refreshed, first_login, expired]
    assert after_expiry == [latest, refreshed, first_login]
    assert the_latest_two == [latest, refreshed]
    assert nobodys == []


async def test_a_live_family_is_revoked_only_for_its_own_user(backend: Backend) -> None:
    anna, boris = await _user(backend), await _user(backend)
    rotated = dataclasses.replace(a_session(anna), revoked_at=NOW, replaced_by=new_id())
    current = a_session(anna, family_id=rotated.family_id, created_at=NOW)
    other_login = a_session(anna)
    async with backend.identity_uow() as uow:
        for session in (rotated, current, other_login):
            await uow.sessions.add(session)
        assert await uow.sessions.revoke_live_family(boris.id, rotated.family_id, at=LATER) == 0
        assert await uow.sessions.revoke_live_family(anna.id, new_id(), at=LATER) == 0
        assert await uow.sessions.revoke_live_family(anna.id, rotated.family_id, at=LATER) == 1
        assert await uow.sessions.revoke_live_family(anna.id, rotated.family_id, at=LATER) == 0
        await uow.commit()

    async with backend.identity_uow() as uow:
        stored = {s.id: s for s in await uow.sessions.list_for_user(anna.id)}
    assert stored == {
        rotated.id: rotated,
        current.id: dataclasses.replace(current, revoked_at=LATER),
        other_login.id: other_login,
    }


async def test_an_expired_family_is_not_revoked_again(backend: Backend) -> None:
    anna = await _user(backend)
    expired = dataclasses.replace(a_session(anna), expires_at=LATER)
    async with backend.identity_uow() as uow:
        await uow.sessions.add(expired)
        assert await uow.sessions.revoke_live_family(anna.id, expired.family_id, at=LATER) == 0
        await uow.commit()

    async with backend.identity_uow() as uow:
        assert await uow.sessions.get_by_token_hash(expired.token_hash) == expired


async def test_forgetting_a_users_devices_clears_them_from_every_session_of_theirs_only(
    backend: Backend,
) -> None:
    anna, boris = await _user(backend), await _user(backend)

    def on_a_device(session: RefreshSession) -> RefreshSession:
        return dataclasses.replace(session, user_agent="Firefox/133.0", ip="203.0.113.9")

    annas = [on_a_device(a_session(anna)), on_a_device(dataclasses.replace(a_session(anna), revoked_at=NOW))]
    boriss = on_a_device(a_session(boris))
    async with backend.identity_uow() as uow:
        for session in (*annas, boriss):
            await uow.sessions.add(session)
        await uow.sessions.forget_devices(anna.id)
        await uow.commit()

    async with backend.identity_uow() as uow:
        stored = [await uow.sessions.get_by_token_hash(s.token_hash) for s in (*annas, boriss)]
    assert stored == [
        *(dataclasses.replace(s, user_agent=None, ip=None) for s in annas),
        boriss,
    ]
