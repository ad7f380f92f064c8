"""Use cases of administrators handling an incident: see a user in full, log them out
everywhere, force a password reset."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import ClassVar

from aquastream.domain.identity.access import require_admin
from aquastream.domain.identity.admin import ChangeAccess, UserSummary
from aquastream.domain.identity.audit import audit_entry
from aquastream.domain.identity.codes import OneTimeCodes
from aquastream.domain.identity.devices import MAX_LISTED_SESSIONS, DeviceSession
from aquastream.domain.identity.errors import CannotChangeOwnAccess, NotAllowed, UserNotFound
from aquastream.domain.identity.model import AuditAction, AuditEntry, Principal, RequestContext
from aquastream.domain.identity.ordering import NEWEST_AUDIT_ENTRIES
from aquastream.domain.identity.policy import IdentityPolicy
from aquastream.domain.identity.profile import ProfileView
from aquastream.domain.identity.recovery import recovery_codes, send_recovery_code
from aquastream.domain.identity.sessions import end_every_session
from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.ports.clock import Clock
from aquastream.ports.identity import (
    AccessRevocationListener,
    IdentityUnitOfWork,
    PasswordHasher,
    RecoveryCodeSender,
    SecretGenerator,
    UserBooking,
    UserBookings,
)

# A hash no password matches: Argon2 refuses it as malformed, so every login fails.
RESET_PASSWORD_HASH = "!reset-by-admin"
# How much of the user's bookings and audit log the full view shows (the audit route pages on).
RECENT_ITEMS = 20


@dataclass(frozen=True, slots=True)
class UserInFull:
    """Everything an administrator handling an incident needs to see of one user."""

    account: UserSummary
    profile: ProfileView | None  # None once the account is deleted and its profile gone
    sessions: list[DeviceSession]
    bookings: Page[UserBooking]
    audit: Page[AuditEntry]


class ShowUser:
    """A user in full: the account, its profile, its live sessions (devices), its newest
    bookings (asked of the booking domain) and its newest audit entries.

    Rules:
    - admins only (``NotAllowed``); an unknown id is ``UserNotFound``; a deleted account
      still shows (anonymised), as its audit log does;
    - the sessions are the live ones, newest login first, none marked current;
    - bookings and audit entries: the newest ``RECENT_ITEMS`` of each, with the totals;
    - the view reads personal data, so it is audited (USER_VIEWED, actor the admin) after
      the entries shown were read.
    """

    raises: ClassVar[Raises] = (NotAllowed, UserNotFound)

    def __init__(self, uow: IdentityUnitOfWork, clock: Clock, bookings: UserBookings) -> None:
        self._uow = uow
        self._clock = clock
        self._bookings = bookings

    async def __call__(
        self, principal: Principal, user_id: uuid.UUID, ctx: RequestContext | None = None
    ) -> UserInFull:
        recent = PageRequest(0, RECENT_ITEMS)
        async with self._uow:
            await require_admin(self._uow, principal)
            if await self._uow.users.get(user_id) is None:
                raise UserNotFound()
        # Booking answers on its own connection, outside identity's transaction.
        bookings = await self._bookings.for_user(user_id, recent)
        async with self._uow:
            await require_admin(self._uow, principal)
            user = await self._uow.users.get(user_id)
            if user is None:
                raise UserNotFound()
            now = self._clock.now()
            profile = await self._uow.profiles.get(user_id)
            live = await self._uow.sessions.list_live_for_user(user_id, now=now, limit=MAX_LISTED_SESSIONS)
            audit = await self._uow.audit.list_for_user(user_id, recent, NEWEST_AUDIT_ENTRIES)
            await self._uow.audit.add(
                audit_entry(
                    AuditAction.USER_VIEWED, at=now, actor_id=principal.user_id, target_id=user_id, ctx=ctx
                )
            )
            await self._uow.commit()
        return UserInFull(
            account=UserSummary.of(user),
            profile=ProfileView.of(user, profile) if profile is not None else None,
            sessions=[DeviceSession.of(s, current_session_id=None) for s in live],
            bookings=bookings,
            audit=audit,
        )


class ForceLogout(ChangeAccess):
    """Log a user out everywhere: every refresh session ends, and every access token issued
    to them so far stops working within seconds (the revocation feed).

    Rules:
    - admins only, never on themselves (they have ``/auth/logout-all``), the user must exist;
    - FORCED_LOGOUT (how many sessions were live) is audited, also when there were none;
    - the answer is how many sessions ended.
    """

    raises: ClassVar[Raises] = (CannotChangeOwnAccess, NotAllowed, UserNotFound)

    async def __call__(
        self, principal: Principal, user_id: uuid.UUID, ctx: RequestContext | None = None
    ) -> int:
        async with self._uow:
            user = await self._target(principal, user_id)
            now = self._clock.now()
            ended, access = await end_every_session(self._uow, user, at=now)
            user.updated_at = now
            await self._uow.users.save(user)
            await self._uow.audit.add(
                audit_entry(
                    AuditAction.FORCED_LOGOUT,
                    at=now,
                    actor_id=principal.user_id,
                    target_id=user.id,
                    payload={"sessions_revoked": len(ended)},
                    ctx=ctx,
                )
            )
            await self._uow.commit()
        self._revocations.access_revoked(*ended, access)
        return len(ended)


@dataclass(frozen=True, slots=True)
class ForcedReset:
    sessions_revoked: int
    code_sent: bool  # False: no linked Telegram chat and no verified email (or blocked)


class ForcePasswordReset(ChangeAccess):
    """Make a user choose a new password: the current one stops working at once.

    Rules:
    - admins only, never on themselves, the user must exist;
    - the password hash is replaced by one no password matches, so logging in fails;
      every session and access token is revoked (as a logout everywhere);
    - a recovery code is made as ``/auth/recovery/init`` makes one (earlier codes close) and
      sent through the usual channels: a linked Telegram chat, else the email once verified.
      The user then finishes with ``/auth/recovery/verify`` and ``/auth/recovery/reset``;
    - a blocked account gets no code (recovery is closed to it); ``code_sent`` says whether
      a channel was there to carry the code;
    - PASSWORD_RESET_FORCED (sessions revoked, whether a code was sent) is audited.
    """

    raises: ClassVar[Raises] = (CannotChangeOwnAccess, NotAllowed, UserNotFound)

    def __init__(
        self,
        uow: IdentityUnitOfWork,
        clock: Clock,
        revocations: AccessRevocationListener,
        hasher: PasswordHasher,
        secrets: SecretGenerator,
        policy: IdentityPolicy,
        sender: RecoveryCodeSender,
    ) -> None:
        super().__init__(uow, clock, revocations)
        self._codes: OneTimeCodes = recovery_codes(uow, clock, hasher, secrets, policy)
        self._sender = sender

    async def __call__(
        self, principal: Principal, user_id: uuid.UUID, ctx: RequestContext | None = None
    ) -> ForcedReset:
        code, code_hash = await self._codes.new_code()
        async with self._uow:
            user = await self._target(principal, user_id)
            profile = await self._uow.profiles.get(user.id)
            now = self._clock.now()
            user.password_hash = RESET_PASSWORD_HASH
            user.updated_at = now
            ended, access = await end_every_session(self._uow, user, at=now)
            await self._uow.users.save(user)
            linked_chat = (
                profile is not None and profile.telegram_verified and profile.telegram_chat_id is not None
            )
            code_sent = user.is_active and (linked_chat or user.email_verified)
            if user.is_active:
                await self._codes.replace_open(user.id, code_hash, now=now)
            await self._uow.audit.add(
                audit_entry(
                    AuditAction.PASSWORD_RESET_FORCED,
                    at=now,
                    actor_id=principal.user_id,
                    target_id=user.id,
                    payload={"sessions_revoked": len(ended), "code_sent": code_sent},
                    ctx=ctx,
                )
            )
            await self._uow.commit()
        self._revocations.access_revoked(*ended, access)
        if code_sent:
            await send_recovery_code(self._sender, user, profile, code)
        return ForcedReset(sessions_revoked=len(ended), code_sent=code_sent)
