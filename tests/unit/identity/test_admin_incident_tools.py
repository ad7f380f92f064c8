"""Admin incident tools (issue 13, item 2): a user in full, a forced logout everywhere, a forced
password reset; every one of them audited."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from decimal import Decimal

import pytest

from aquastream.adapters.memory.booking import BOOKINGS
from aquastream.domain.booking.model import Booking, BookingStatus, PaymentStatus
from aquastream.domain.identity.admin import BlockUser
from aquastream.domain.identity.errors import (
    CannotChangeOwnAccess,
    InvalidCredentials,
    NotAllowed,
    UserNotFound,
)
from aquastream.domain.identity.incidents import ForceLogout, ForcePasswordReset, ShowUser
from aquastream.domain.identity.model import AuditAction, Principal, Role
from aquastream.domain.identity.recovery import ResetPassword, VerifyRecoveryCode
from aquastream.domain.shared.ids import new_id
from tests.unit.identity.identity_kit import CTX, GOOD_PASSWORD, OTHER_GOOD_PASSWORD, IdentityKit

EMAIL = "ivan@example.com"


def a_booking(kit: IdentityKit, user_id: uuid.UUID, *, minutes_ago: int) -> Booking:
    at = kit.clock.now() - timedelta(minutes=minutes_ago)
    booking = Booking(
        id=new_id(),
        event_id=new_id(),
        user_id=user_id,
        status=BookingStatus.CONFIRMED,
        payment_status=PaymentStatus.PAID,
        amount=Decimal("1500.00"),
        currency="RUB",
        created_at=at,
        updated_at=at,
    )
    kit.db.table(BOOKINGS)[booking.id] = booking
    return booking


async def test_an_admin_sees_a_user_in_full_and_the_view_is_audited(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    user_id, _ = await kit.register(EMAIL, phone="+79991234567")
    kit.clock.advance(timedelta(minutes=1))
    await kit.log_in(EMAIL)
    older = a_booking(kit, user_id, minutes_ago=10)
    newer = a_booking(kit, user_id, minutes_ago=1)
    a_booking(kit, new_id(), minutes_ago=5)  # someone else's

    shown = await kit.make(ShowUser)(admin, user_id, CTX)

    assert (shown.account.id, shown.account.email, shown.account.role) == (user_id, EMAIL, Role.USER)
    assert shown.account.email_verified_at is not None
    assert shown.profile is not None
    assert shown.profile.phone == "+79991234567"
    assert len(shown.sessions) == 2  # registration and login
    assert not any(session.current for session in shown.sessions)
    assert [b.booking_id for b in shown.bookings.items] == [newer.id, older.id]
    assert shown.bookings.items[0].status == "CONFIRMED"
    assert shown.bookings.total == 2
    assert shown.audit.items[0].action is AuditAction.LOGIN
    assert AuditAction.USER_VIEWED not in {e.action for e in shown.audit.items}
    [viewed] = kit.audit(AuditAction.USER_VIEWED)
    assert (viewed.actor_id, viewed.target_id, viewed.ip) == (admin.user_id, user_id, CTX.ip)


async def test_only_an_admin_sees_a_user_in_full_and_an_unknown_id_is_not_found(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    user_id, _ = await kit.register(EMAIL)

    with pytest.raises(NotAllowed):
        await kit.make(ShowUser)(Principal(user_id, Role.USER, EMAIL), user_id)
    with pytest.raises(UserNotFound):
        await kit.make(ShowUser)(admin, new_id())


async def test_a_forced_logout_ends_every_session_and_access_token_and_is_audited(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    user_id, registered = await kit.register(EMAIL)
    logged_in = await kit.log_in(EMAIL)

    ended = await kit.make(ForceLogout)(admin, user_id, CTX)

    assert ended == 2
    assert kit.live_sessions(user_id) == []
    assert not await kit.token_holds(registered)
    assert not await kit.token_holds(logged_in)
    [entry] = kit.audit(AuditAction.FORCED_LOGOUT)
    assert (entry.actor_id, entry.target_id, entry.payload, entry.ip) == (
        admin.user_id,
        user_id,
        {"sessions_revoked": 2},
        CTX.ip,
    )
    # The user can log in again: only what was issued before is ended.
    kit.clock.advance(timedelta(seconds=1))
    assert await kit.token_holds(await kit.log_in(EMAIL))


async def test_a_forced_password_reset_stops_the_password_and_sends_a_recovery_code(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    user_id, tokens = await kit.register(EMAIL)

    reset = await kit.make(ForcePasswordReset)(admin, user_id, CTX)

    assert (reset.sessions_revoked, reset.code_sent) == (1, True)
    assert not await kit.token_holds(tokens)
    with pytest.raises(InvalidCredentials):
        await kit.log_in(EMAIL, GOOD_PASSWORD)
    [sent] = kit.sender.sent
    assert (sent.email, sent.telegram_chat_id) == (EMAIL, None)
    [entry] = kit.audit(AuditAction.PASSWORD_RESET_FORCED)
    assert (entry.actor_id, entry.target_id, entry.payload) == (
        admin.user_id,
        user_id,
        {"sessions_revoked": 1, "code_sent": True},
    )
    # The user finishes as after any recovery request.
    reset_token, _ = await kit.make(VerifyRecoveryCode)(EMAIL, sent.code)
    await kit.make(ResetPassword)(reset_token, OTHER_GOOD_PASSWORD, CTX)
    kit.clock.advance(timedelta(seconds=1))
    assert await kit.token_holds(await kit.log_in(EMAIL, OTHER_GOOD_PASSWORD))


async def test_a_forced_reset_sends_no_code_where_no_channel_may_carry_it(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    unverified, _ = await kit.register(EMAIL, verified=False)
    blocked, _ = await kit.register("blocked@example.com")
    await kit.make(BlockUser)(admin, blocked)

    assert not (await kit.make(ForcePasswordReset)(admin, unverified)).code_sent
    assert not (await kit.make(ForcePasswordReset)(admin, blocked)).code_sent

    assert kit.sender.sent == []
    assert [e.payload["code_sent"] for e in kit.audit(AuditAction.PASSWORD_RESET_FORCED)] == [False, False]
    with pytest.raises(InvalidCredentials):
        await kit.log_in(EMAIL, GOOD_PASSWORD)


async def test_incident_tools_are_for_admins_only_and_never_on_themselves(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    user_id, _ = await kit.register(EMAIL)
    user = Principal(user_id, Role.USER, EMAIL)

    tools: list[Callable[[], Callable[[Principal, uuid.UUID], Awaitable[object]]]] = [
        lambda: kit.make(ForceLogout),
        lambda: kit.make(ForcePasswordReset),
    ]
    for tool in tools:
        with pytest.raises(NotAllowed):
            await tool()(user, admin.user_id)
        with pytest.raises(CannotChangeOwnAccess):
            await tool()(admin, admin.user_id)
        with pytest.raises(UserNotFound):
            await tool()(admin, new_id())
    assert kit.audit(AuditAction.FORCED_LOGOUT) == kit.audit(AuditAction.PASSWORD_RESET_FORCED) == []
