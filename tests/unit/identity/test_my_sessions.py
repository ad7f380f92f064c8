"""The caller's sessions as devices: logins and refreshes record the device, the live ones
are listed newest first with the current one marked, and any one of them can be revoked."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from aquastream.domain.identity.auth import Credentials, LogIn, RefreshTokens
from aquastream.domain.identity.devices import (
    MAX_LISTED_SESSIONS,
    DeviceSession,
    ListMySessions,
    RevokeMySession,
)
from aquastream.domain.identity.errors import InvalidRefreshToken, SessionNotFound
from aquastream.domain.identity.model import (
    USER_AGENT_MAX_LENGTH,
    AuditAction,
    Principal,
    RequestContext,
    Role,
    TokenPair,
)
from aquastream.domain.identity.privacy import DeleteMyAccount, ExportMyData
from aquastream.domain.identity.registration import RegisterUser, Registration
from aquastream.domain.shared.ids import new_id
from tests.unit.identity.identity_kit import GOOD_PASSWORD, IdentityKit

PHONE = RequestContext(ip="198.51.100.10", user_agent="AquaStream/2.1 (iPhone; iOS 18.1)")
LAPTOP = RequestContext(ip="203.0.113.20", user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0")
TRAIN_WIFI = RequestContext(ip="192.0.2.30", user_agent="AquaStream/2.2 (iPhone; iOS 18.2)")


def session_of(tokens: TokenPair) -> uuid.UUID:
    """The session id the (fake) access token names, as a real token's ``sid`` does."""
    return uuid.UUID(tokens.access_token.split(":")[4])


async def log_in(kit: IdentityKit, ctx: RequestContext, email: str = "ivan@example.com") -> TokenPair:
    return await kit.make(LogIn)(Credentials(email, GOOD_PASSWORD), ctx)


async def registered(kit: IdentityKit, ctx: RequestContext = PHONE) -> tuple[Principal, TokenPair]:
    user_id, tokens = await kit.make(RegisterUser)(Registration("ivan@example.com", GOOD_PASSWORD), ctx)
    return Principal(user_id, Role.USER, "ivan@example.com"), tokens


async def test_registration_and_login_record_the_device_of_the_request(kit: IdentityKit) -> None:
    me, _ = await registered(kit, PHONE)
    kit.clock.advance(timedelta(minutes=5))
    await log_in(kit, LAPTOP)

    recorded = sorted((s.created_at, s.ip, s.user_agent) for s in kit.sessions(me.user_id))
    assert [(ip, agent) for _, ip, agent in recorded] == [
        (PHONE.ip, PHONE.user_agent),
        (LAPTOP.ip, LAPTOP.user_agent),
    ]


async def test_a_refresh_moves_the_last_use_address_and_agent_but_keeps_the_login_time(
    kit: IdentityKit,
) -> None:
    me, tokens = await registered(kit, PHONE)
    signed_in_at = kit.clock.now()
    kit.clock.advance(timedelta(hours=3))

    refreshed = await kit.make(RefreshTokens)(tokens.refresh_token, TRAIN_WIFI)

    [listed] = await kit.make(ListMySessions)(me, session_of(refreshed))
    assert listed == DeviceSession(
        id=session_of(tokens),
        signed_in_at=signed_in_at,
        last_used_at=signed_in_at + timedelta(hours=3),
        user_agent=TRAIN_WIFI.user_agent,
        ip=TRAIN_WIFI.ip,
        current=True,
    )


async def test_the_stored_user_agent_is_trimmed_bounded_and_none_when_blank(kit: IdentityKit) -> None:
    me, _ = await registered(kit, RequestContext(ip="198.51.100.1", user_agent="  " + "x" * 5000))
    await log_in(kit, RequestContext(ip="198.51.100.2", user_agent="   "))
    await log_in(kit, RequestContext(ip="198.51.100.3"))

    agents = sorted(kit.sessions(me.user_id), key=lambda s: s.ip or "")
    assert [s.user_agent for s in agents] == ["x" * USER_AGENT_MAX_LENGTH, None, None]


async def test_live_sessions_are_listed_newest_login_first_one_per_login(kit: IdentityKit) -> None:
    me, phone = await registered(kit, PHONE)
    kit.clock.advance(timedelta(minutes=1))
    laptop = await log_in(kit, LAPTOP)
    kit.clock.advance(timedelta(minutes=1))
    # Refreshed twice: still one session, and the phone's login stays the oldest.
    phone = await kit.make(RefreshTokens)(phone.refresh_token, PHONE)
    phone = await kit.make(RefreshTokens)(phone.refresh_token, PHONE)

    listed = await kit.make(ListMySessions)(me, session_of(laptop))

    assert [(s.id, s.user_agent, s.current) for s in listed] == [
        (session_of(laptop), LAPTOP.user_agent, True),
        (session_of(phone), PHONE.user_agent, False),
    ]


async def test_ended_and_expired_sessions_and_other_users_sessions_are_not_listed(kit: IdentityKit) -> None:
    me, first = await registered(kit, PHONE)
    await kit.make(RevokeMySession)(me, session_of(first))
    kit.clock.advance(timedelta(days=1))
    await kit.make(RegisterUser)(Registration("olga@example.com", GOOD_PASSWORD), LAPTOP)
    second = await log_in(kit, LAPTOP)
    kit.clock.advance(kit.policy.refresh_token_ttl - timedelta(hours=1))
    third = await log_in(kit, TRAIN_WIFI)

    assert [s.id for s in await kit.make(ListMySessions)(me, None)] == [session_of(third), session_of(second)]
    kit.clock.advance(timedelta(hours=1))
    assert [s.id for s in await kit.make(ListMySessions)(me, None)] == [session_of(third)]


async def test_a_token_that_names_no_session_marks_none_as_current(kit: IdentityKit) -> None:
    me, _ = await registered(kit, PHONE)
    await log_in(kit, LAPTOP)

    listed = await kit.make(ListMySessions)(me, None)

    assert [s.current for s in listed] == [False, False]


async def test_revoking_a_session_ends_its_refresh_and_access_tokens_and_leaves_the_others(
    kit: IdentityKit,
) -> None:
    me, phone = await registered(kit, PHONE)
    laptop = await log_in(kit, LAPTOP)

    await kit.make(RevokeMySession)(me, session_of(phone), LAPTOP)

    with pytest.raises(InvalidRefreshToken):
        await kit.make(RefreshTokens)(phone.refresh_token, PHONE)
    assert await kit.token_holds(phone) is False
    assert await kit.token_holds(laptop) is True
    assert [s.id for s in await kit.make(ListMySessions)(me, session_of(laptop))] == [session_of(laptop)]
    [audited] = kit.audit(AuditAction.SESSION_REVOKED)
    assert (audited.actor_id, audited.target_id, audited.payload, audited.ip) == (
        me.user_id,
        me.user_id,
        {"session_id": str(session_of(phone))},
        LAPTOP.ip,
    )


async def test_a_refreshed_session_is_revoked_by_its_stable_id(kit: IdentityKit) -> None:
    me, phone = await registered(kit, PHONE)
    refreshed = await kit.make(RefreshTokens)(phone.refresh_token, PHONE)

    await kit.make(RevokeMySession)(me, session_of(phone))

    with pytest.raises(InvalidRefreshToken):
        await kit.make(RefreshTokens)(refreshed.refresh_token, PHONE)
    assert kit.live_sessions(me.user_id) == []


async def test_the_caller_may_revoke_the_session_they_call_from(kit: IdentityKit) -> None:
    me, phone = await registered(kit, PHONE)

    await kit.make(RevokeMySession)(me, session_of(phone))

    assert await kit.token_holds(phone) is False
    assert await kit.make(ListMySessions)(me, session_of(phone)) == []


async def test_unknown_foreign_and_ended_sessions_are_not_found_alike(kit: IdentityKit) -> None:
    me, phone = await registered(kit, PHONE)
    _, olgas = await kit.make(RegisterUser)(Registration("olga@example.com", GOOD_PASSWORD), LAPTOP)
    await kit.make(RevokeMySession)(me, session_of(phone))
    revoke = kit.make(RevokeMySession)

    for session_id in (new_id(), session_of(olgas), session_of(phone)):
        with pytest.raises(SessionNotFound):
            await revoke(me, session_id)

    assert await kit.token_holds(olgas) is True
    assert len(kit.audit(AuditAction.SESSION_REVOKED)) == 1


async def test_the_data_export_shows_the_device_of_each_session(kit: IdentityKit) -> None:
    me, _ = await registered(kit, PHONE)

    export = await kit.make(ExportMyData)(me)

    [session] = export["sessions"]
    assert (session["userAgent"], session["ip"], session["signedInAt"]) == (
        PHONE.user_agent,
        PHONE.ip,
        session["createdAt"],
    )


async def test_at_most_the_latest_logins_are_listed(kit: IdentityKit) -> None:
    me, _ = await registered(kit, PHONE)
    logins = []
    for _ in range(MAX_LISTED_SESSIONS):
        kit.clock.advance(timedelta(seconds=1))
        logins.append(await log_in(kit, LAPTOP))

    listed = await kit.make(ListMySessions)(me, None)

    assert [s.id for s in listed] == [session_of(t) for t in reversed(logins)]


async def test_deleting_the_account_forgets_the_devices_of_its_sessions(kit: IdentityKit) -> None:
    me, phone = await registered(kit, PHONE)
    await kit.make(RefreshTokens)(phone.refresh_token, TRAIN_WIFI)
    await log_in(kit, LAPTOP)

    await kit.make(DeleteMyAccount)(me, LAPTOP)

    assert [(s.user_agent, s.ip) for s in kit.sessions(me.user_id)] == [(None, None)] * 3
