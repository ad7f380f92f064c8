"""Refresh: rotation spends the old token; a replayed token revokes the whole family."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta

import pytest

from aquastream.adapters.memory.identity import MemoryIdentityUnitOfWork, MemorySessionRepository
from aquastream.domain.identity.admin import BlockUser
from aquastream.domain.identity.auth import RefreshTokens
from aquastream.domain.identity.errors import InvalidRefreshToken
from aquastream.domain.identity.model import AuditAction, Role, TokenPair
from aquastream.domain.identity.tokens import hash_token
from tests.unit.identity.identity_kit import IdentityKit


async def refresh(kit: IdentityKit, refresh_token: str) -> TokenPair:
    return await kit.make(RefreshTokens)(refresh_token)


async def test_refresh_returns_a_new_pair_and_spends_the_old_token(kit: IdentityKit) -> None:
    user_id, first = await kit.register()
    kit.clock.advance(minutes=20)

    second = await refresh(kit, first.refresh_token)

    assert second.refresh_token != first.refresh_token
    assert second.access_token.startswith(f"access:{user_id}:USER:")
    old = next(s for s in kit.sessions(user_id) if s.token_hash == hash_token(first.refresh_token))
    new = next(s for s in kit.sessions(user_id) if s.token_hash == hash_token(second.refresh_token))
    assert old.revoked_at == kit.clock.now()
    assert old.replaced_by == new.id
    assert new.family_id == old.family_id
    assert new.expires_at == kit.clock.now() + kit.policy.refresh_token_ttl


async def test_a_rotated_token_presented_again_revokes_the_whole_family(kit: IdentityKit) -> None:
    user_id, first = await kit.register()
    other_login = await kit.log_in()
    second = await refresh(kit, first.refresh_token)
    [family_id] = {
        s.family_id for s in kit.sessions(user_id) if s.token_hash != hash_token(other_login.refresh_token)
    }

    with pytest.raises(InvalidRefreshToken):
        await refresh(kit, first.refresh_token)

    [live] = kit.live_sessions(user_id)
    assert live.token_hash == hash_token(other_login.refresh_token)
    [entry] = kit.audit(AuditAction.SESSION_REUSE_DETECTED)
    assert entry.target_id == user_id
    assert entry.payload["family_id"] == str(family_id)
    with pytest.raises(InvalidRefreshToken):
        await refresh(kit, second.refresh_token)


async def test_concurrent_refresh_of_one_token_succeeds_once_and_revokes_the_family(
    kit: IdentityKit,
) -> None:
    user_id, tokens = await kit.register()

    results = await asyncio.gather(
        refresh(kit, tokens.refresh_token),
        refresh(kit, tokens.refresh_token),
        return_exceptions=True,
    )

    winners = [r for r in results if isinstance(r, TokenPair)]
    losers = [r for r in results if isinstance(r, InvalidRefreshToken)]
    assert (len(winners), len(losers)) == (1, 1)
    assert kit.live_sessions(user_id) == []
    assert len(kit.audit(AuditAction.SESSION_REUSE_DETECTED)) == 1


async def test_an_expired_token_is_refused_without_alarm(kit: IdentityKit) -> None:
    _, tokens = await kit.register()
    kit.clock.advance(kit.policy.refresh_token_ttl + timedelta(seconds=1))

    with pytest.raises(InvalidRefreshToken):
        await refresh(kit, tokens.refresh_token)

    assert kit.audit(AuditAction.SESSION_REUSE_DETECTED) == []


async def test_an_unknown_token_is_refused(kit: IdentityKit) -> None:
    await kit.register()

    with pytest.raises(InvalidRefreshToken):
        await refresh(kit, "made-up-token")


async def test_a_blocked_user_cannot_refresh(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    user_id, tokens = await kit.register()
    # Block without touching sessions, as a block racing with a refresh would look.
    kit.user(user_id).is_active = False

    with pytest.raises(InvalidRefreshToken):
        await refresh(kit, tokens.refresh_token)

    await kit.make(BlockUser)(admin, user_id)
    with pytest.raises(InvalidRefreshToken):
        await refresh(kit, tokens.refresh_token)


async def test_refreshed_access_token_carries_the_current_role(kit: IdentityKit) -> None:
    user_id, tokens = await kit.register()
    kit.user(user_id).role = Role.ORGANIZER

    second = await refresh(kit, tokens.refresh_token)

    assert second.access_token.startswith(f"access:{user_id}:ORGANIZER:")


class SessionsThatLoseTheRace(MemorySessionRepository):
    """Another request rotates the token between our read and our rotation, as PostgreSQL
    under READ COMMITTED allows."""

    async def rotate(self, session_id: uuid.UUID, *, replaced_by: uuid.UUID, at: datetime) -> bool:
        await super().rotate(session_id, replaced_by=uuid.uuid4(), at=at)
        return await super().rotate(session_id, replaced_by=replaced_by, at=at)


async def test_a_rotation_that_loses_the_race_is_treated_as_theft(kit: IdentityKit) -> None:
    user_id, tokens = await kit.register()
    racing_uow = MemoryIdentityUnitOfWork(kit.db)
    racing_uow.sessions = SessionsThatLoseTheRace(kit.db)
    use_case = RefreshTokens(racing_uow, kit.clock, kit.issuer, kit.secrets, kit.policy, kit.revocations)

    with pytest.raises(InvalidRefreshToken):
        await use_case(tokens.refresh_token)

    assert kit.live_sessions(user_id) == []
    assert len(kit.sessions(user_id)) == 1  # the successor was never stored
    assert len(kit.audit(AuditAction.SESSION_REUSE_DETECTED)) == 1
