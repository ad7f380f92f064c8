"""Access tokens end with their session or their account: the rule, and what each use case ends."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from aquastream.domain.identity.admin import BlockUser, ChangeUserRole, UnblockUser
from aquastream.domain.identity.auth import LogOut, LogOutEverywhere, RefreshTokens
from aquastream.domain.identity.errors import InvalidRefreshToken
from aquastream.domain.identity.model import Principal, Role, TokenPair
from aquastream.domain.identity.privacy import DeleteMyAccount
from aquastream.domain.identity.revocation import AccountAccess, EndedSession, Revocation, RevokedAccess
from tests.unit.identity.identity_kit import CTX, OTHER_GOOD_PASSWORD, IdentityKit
from tests.unit.identity.test_password_recovery import request_code, reset, verify

MARK = datetime(2030, 1, 1, 12, 0, 0, 500_000, tzinfo=UTC)
ANNA, BORIS = uuid.uuid4(), uuid.uuid4()
PHONE, LAPTOP = uuid.uuid4(), uuid.uuid4()  # session families


def family_of(tokens: TokenPair) -> uuid.UUID:
    """The session family the fake issuer wrote in the access token."""
    return uuid.UUID(tokens.access_token.rsplit(":", 1)[1])


def ended_and_marked(
    kit: IdentityKit, user_id: uuid.UUID, *logins: TokenPair, usable: bool
) -> set[Revocation]:
    """What a use case that ends every session of the user tells the edge, now."""
    now = kit.clock.now()
    ended = {EndedSession(user_id, family_of(login), now) for login in logins}
    return ended | {AccountAccess(user_id, now, account_usable=usable)}


def revoked_with(*revocations: Revocation) -> RevokedAccess:
    revoked = RevokedAccess()
    revoked.record(*revocations)
    return revoked


# The rule


def test_a_token_nothing_was_revoked_for_holds() -> None:
    assert RevokedAccess().admits(ANNA, LAPTOP, MARK)
    assert RevokedAccess().admits(ANNA, None, MARK)


def test_no_token_of_an_ended_session_holds_and_other_sessions_do() -> None:
    revoked = revoked_with(EndedSession(ANNA, PHONE, MARK))

    assert not revoked.admits(ANNA, PHONE, MARK + timedelta(hours=1))
    assert revoked.admits(ANNA, LAPTOP, MARK - timedelta(minutes=5))
    assert revoked.admits(ANNA, None, MARK - timedelta(minutes=5))


def test_an_ended_session_concerns_its_own_user_only() -> None:
    assert revoked_with(EndedSession(ANNA, PHONE, MARK)).admits(BORIS, PHONE, MARK)


def test_tokens_issued_before_the_mark_no_longer_hold() -> None:
    revoked = revoked_with(AccountAccess(ANNA, MARK, account_usable=True))

    assert not revoked.admits(ANNA, LAPTOP, MARK - timedelta(seconds=1))
    assert not revoked.admits(ANNA, None, MARK - timedelta(seconds=1))
    assert revoked.admits(ANNA, LAPTOP, MARK + timedelta(seconds=1))
    assert revoked.admits(BORIS, LAPTOP, MARK - timedelta(seconds=1))


def test_the_mark_is_compared_at_the_whole_second_tokens_carry() -> None:
    """A token issued in the mark's own second (say, a login right after a password reset)
    is let through; its session decides for it."""
    issued_in_the_marks_second = MARK.replace(microsecond=0)
    marked = AccountAccess(ANNA, MARK, account_usable=True)

    assert revoked_with(marked).admits(ANNA, LAPTOP, issued_in_the_marks_second)
    assert not revoked_with(marked, EndedSession(ANNA, LAPTOP, MARK)).admits(
        ANNA, LAPTOP, issued_in_the_marks_second
    )


def test_no_token_of_a_blocked_or_deleted_account_holds() -> None:
    revoked = revoked_with(AccountAccess(ANNA, MARK, account_usable=False))

    assert not revoked.admits(ANNA, LAPTOP, MARK + timedelta(minutes=1))
    assert not revoked.admits(ANNA, None, MARK + timedelta(minutes=1))


def test_the_later_mark_wins_and_an_unblock_lifts_the_block() -> None:
    blocked = AccountAccess(ANNA, MARK, account_usable=False)
    stale = AccountAccess(ANNA, MARK - timedelta(hours=1), account_usable=True)
    unblocked = AccountAccess(ANNA, MARK, account_usable=True)

    assert not revoked_with(blocked, stale).admits(ANNA, LAPTOP, MARK + timedelta(minutes=1))
    assert revoked_with(blocked, unblocked).admits(ANNA, LAPTOP, MARK + timedelta(minutes=1))


def test_what_happened_before_a_moment_is_forgotten() -> None:
    revoked = revoked_with(EndedSession(ANNA, PHONE, MARK), AccountAccess(BORIS, MARK, account_usable=False))

    revoked.forget_before(MARK)
    assert not revoked.admits(ANNA, PHONE, MARK)
    assert not revoked.admits(BORIS, LAPTOP, MARK)

    revoked.forget_before(MARK + timedelta(microseconds=1))
    assert revoked.admits(ANNA, PHONE, MARK)
    assert revoked.admits(BORIS, LAPTOP, MARK)


# What the use cases end


async def test_logout_ends_the_access_tokens_of_that_login_only(kit: IdentityKit) -> None:
    user_id, phone = await kit.register()
    laptop = await kit.log_in()

    await kit.make(LogOut)(Principal(user_id, Role.USER), phone.refresh_token)

    assert not await kit.token_holds(phone)
    assert await kit.token_holds(laptop)
    assert kit.revocations.heard == [EndedSession(user_id, family_of(phone), kit.clock.now())]


async def test_logout_ends_every_token_the_login_was_refreshed_into(kit: IdentityKit) -> None:
    user_id, first = await kit.register()
    kit.clock.advance(minutes=10)
    second = await kit.make(RefreshTokens)(first.refresh_token)

    await kit.make(LogOut)(Principal(user_id, Role.USER), second.refresh_token)

    assert not await kit.token_holds(first)
    assert not await kit.token_holds(second)


async def test_logout_with_a_rotated_refresh_token_still_ends_its_login(kit: IdentityKit) -> None:
    user_id, first = await kit.register()
    second = await kit.make(RefreshTokens)(first.refresh_token)

    await kit.make(LogOut)(Principal(user_id, Role.USER), first.refresh_token)

    assert not await kit.token_holds(second)
    with pytest.raises(InvalidRefreshToken):
        await kit.make(RefreshTokens)(second.refresh_token)


async def test_logout_with_someone_elses_refresh_token_ends_nothing(kit: IdentityKit) -> None:
    _, victim = await kit.register("victim@example.com")
    intruder = await kit.user_principal("intruder@example.com")

    await kit.make(LogOut)(intruder, victim.refresh_token)

    assert await kit.token_holds(victim)
    assert kit.revocations.heard == []


async def test_logout_everywhere_ends_every_access_token_of_the_user_alone(kit: IdentityKit) -> None:
    user_id, phone = await kit.register()
    laptop = await kit.log_in()
    _, olga = await kit.register("olga@example.com")
    kit.clock.advance(seconds=30)

    await kit.make(LogOutEverywhere)(Principal(user_id, Role.USER))

    assert not await kit.token_holds(phone)
    assert not await kit.token_holds(laptop)
    assert await kit.token_holds(olga)
    assert kit.user(user_id).tokens_not_before == kit.clock.now()
    assert set(kit.revocations.heard) == ended_and_marked(kit, user_id, phone, laptop, usable=True)


async def test_a_login_right_after_logout_everywhere_holds(kit: IdentityKit) -> None:
    user_id, _ = await kit.register()
    await kit.make(LogOutEverywhere)(Principal(user_id, Role.USER))

    assert await kit.token_holds(await kit.log_in())


async def test_blocking_ends_every_access_token_and_unblocking_brings_none_back(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    user_id, tokens = await kit.register()

    await kit.make(BlockUser)(admin, user_id, CTX)
    assert not await kit.token_holds(tokens)
    blocked_at = kit.clock.now()
    assert set(kit.revocations.heard) == ended_and_marked(kit, user_id, tokens, usable=False)

    kit.clock.advance(minutes=1)
    await kit.make(UnblockUser)(admin, user_id, CTX)
    assert not await kit.token_holds(tokens)
    assert await kit.token_holds(await kit.log_in())
    assert kit.revocations.heard[-1] == AccountAccess(user_id, blocked_at, account_usable=True)


async def test_a_password_reset_ends_every_access_token_and_a_new_login_holds(kit: IdentityKit) -> None:
    user_id, tokens = await kit.register()
    reset_token, _ = await verify(kit, await request_code(kit))

    await reset(kit, reset_token)

    assert not await kit.token_holds(tokens)
    assert set(kit.revocations.heard) == ended_and_marked(kit, user_id, tokens, usable=True)
    # The same instant as the reset, as a client logging in at once would be.
    assert await kit.token_holds(await kit.log_in(password=OTHER_GOOD_PASSWORD))


async def test_a_role_change_ends_the_access_tokens_that_carry_the_old_role(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    user_id, tokens = await kit.register()

    await kit.make(ChangeUserRole)(admin, user_id, Role.ORGANIZER, CTX)

    assert not await kit.token_holds(tokens)
    assert set(kit.revocations.heard) == ended_and_marked(kit, user_id, tokens, usable=True)


async def test_deleting_the_account_ends_its_access_tokens(kit: IdentityKit) -> None:
    user_id, tokens = await kit.register()

    await kit.make(DeleteMyAccount)(Principal(user_id, Role.USER), CTX)

    assert not await kit.token_holds(tokens)
    assert set(kit.revocations.heard) == ended_and_marked(kit, user_id, tokens, usable=False)


async def test_a_replayed_refresh_token_ends_the_access_tokens_of_its_login(kit: IdentityKit) -> None:
    user_id, first = await kit.register()
    second = await kit.make(RefreshTokens)(first.refresh_token)

    with pytest.raises(InvalidRefreshToken):
        await kit.make(RefreshTokens)(first.refresh_token)

    assert not await kit.token_holds(second)
    assert kit.revocations.heard == [EndedSession(user_id, family_of(first), kit.clock.now())]
