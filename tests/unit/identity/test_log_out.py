"""Logout ends one session of the caller; logout everywhere ends them all."""

from __future__ import annotations

import pytest

from aquastream.domain.identity.auth import LogOut, LogOutEverywhere, RefreshTokens
from aquastream.domain.identity.errors import InvalidRefreshToken
from aquastream.domain.identity.model import AuditAction, Principal, Role
from tests.unit.identity.identity_kit import IdentityKit


async def test_logout_revokes_that_session_only(kit: IdentityKit) -> None:
    user_id, tokens = await kit.register()
    other = await kit.log_in()
    me = Principal(user_id, Role.USER)

    await kit.make(LogOut)(me, tokens.refresh_token)

    with pytest.raises(InvalidRefreshToken):
        await kit.make(RefreshTokens)(tokens.refresh_token)
    assert await kit.make(RefreshTokens)(other.refresh_token)
    [entry] = kit.audit(AuditAction.LOGOUT)
    assert (entry.actor_id, entry.target_id) == (user_id, user_id)


async def test_logout_twice_is_harmless_and_audited_once(kit: IdentityKit) -> None:
    user_id, tokens = await kit.register()
    me = Principal(user_id, Role.USER)

    await kit.make(LogOut)(me, tokens.refresh_token)
    await kit.make(LogOut)(me, tokens.refresh_token)

    assert kit.live_sessions(user_id) == []
    assert len(kit.audit(AuditAction.LOGOUT)) == 1


async def test_logout_with_someone_elses_token_changes_nothing(kit: IdentityKit) -> None:
    victim_id, victim_tokens = await kit.register("victim@example.com")
    intruder = await kit.user_principal("intruder@example.com")

    await kit.make(LogOut)(intruder, victim_tokens.refresh_token)
    await kit.make(LogOut)(intruder, "not-a-token")

    assert len(kit.live_sessions(victim_id)) == 1
    assert kit.audit(AuditAction.LOGOUT) == []


async def test_logout_everywhere_revokes_every_session(kit: IdentityKit) -> None:
    user_id, _ = await kit.register()
    await kit.log_in()
    await kit.log_in()
    someone_else = await kit.user_principal("olga@example.com")

    await kit.make(LogOutEverywhere)(Principal(user_id, Role.USER))

    assert kit.live_sessions(user_id) == []
    assert len(kit.live_sessions(someone_else.user_id)) == 1
    [entry] = kit.audit(AuditAction.LOGOUT_ALL)
    assert entry.payload == {"sessions_revoked": 3}
