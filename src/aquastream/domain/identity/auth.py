"""Use cases of a session: log in, refresh the tokens, log out here or everywhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from aquastream.domain.identity.access import load_me
from aquastream.domain.identity.audit import audit_entry
from aquastream.domain.identity.errors import (
    InvalidCredentials,
    InvalidRefreshToken,
    UserBlocked,
    UserNotFound,
)
from aquastream.domain.identity.model import (
    AuditAction,
    Principal,
    RefreshSession,
    RequestContext,
    TokenPair,
    User,
)
from aquastream.domain.identity.passwords import hash_password, verify_against_dummy, verify_password
from aquastream.domain.identity.policy import IdentityPolicy
from aquastream.domain.identity.profile_rules import normalise_email
from aquastream.domain.identity.revocation import EndedSession
from aquastream.domain.identity.sessions import TokenMinter, end_every_session
from aquastream.domain.identity.tokens import hash_token
from aquastream.domain.shared.errors import Raises
from aquastream.ports.clock import Clock
from aquastream.ports.identity import (
    AccessRevocationListener,
    AccessTokenIssuer,
    IdentityUnitOfWork,
    PasswordHasher,
    SecretGenerator,
)


@dataclass(frozen=True, slots=True)
class Credentials:
    email: str
    password: str = field(repr=False)


class LogIn:
    """Exchange email and password for a token pair.

    Rules:
    - an unknown email and a wrong password give the same ``InvalidCredentials`` after the
      same work (an unknown email is checked against a dummy hash);
    - every failure is audited (LOGIN_FAILED, target = the user when known, payload = the
      email) in its own committed transaction, before the error is raised;
    - a blocked (inactive) user with the right password gets ``UserBlocked``;
    - success starts a new session family, which records the request's IP and user agent,
      and is audited as LOGIN;
    - a hash made with outdated Argon2 parameters is replaced by a fresh one.
    """

    raises: ClassVar[Raises] = (InvalidCredentials, UserBlocked)

    def __init__(
        self,
        uow: IdentityUnitOfWork,
        clock: Clock,
        hasher: PasswordHasher,
        issuer: AccessTokenIssuer,
        secrets: SecretGenerator,
        policy: IdentityPolicy,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._hasher = hasher
        self._minter = TokenMinter(issuer, secrets, policy)

    async def __call__(self, credentials: Credentials, ctx: RequestContext) -> TokenPair:
        email = normalise_email(credentials.email)
        async with self._uow:
            user = await self._uow.users.get_by_email(email)
        # The password is checked outside any transaction: Argon2 is slow on purpose.
        if user is None:
            await verify_against_dummy(self._hasher, credentials.password)
            await self._record_failure(email, None, ctx)
            raise InvalidCredentials()
        if not await verify_password(self._hasher, user.password_hash, credentials.password):
            await self._record_failure(email, user, ctx)
            raise InvalidCredentials()
        if not user.is_active:
            await self._record_failure(email, user, ctx, reason="blocked")
            raise UserBlocked()
        new_hash = None
        if self._hasher.needs_rehash(user.password_hash):
            new_hash = await hash_password(self._hasher, credentials.password)
        return await self._start_session(user, new_hash, ctx)

    async def _start_session(self, checked: User, new_hash: str | None, ctx: RequestContext) -> TokenPair:
        async with self._uow:
            now = self._clock.now()
            user = await self._uow.users.get(checked.id)
            # The account may have changed since its password was checked.
            if user is None or user.is_deleted or user.password_hash != checked.password_hash:
                raise InvalidCredentials()
            if not user.is_active:
                raise UserBlocked()
            if new_hash is not None:
                user.password_hash = new_hash
                await self._uow.users.save(user)
            session, tokens = self._minter.mint(user, now=now, ctx=ctx)
            await self._uow.sessions.add(session)
            await self._uow.audit.add(
                audit_entry(AuditAction.LOGIN, at=now, actor_id=user.id, target_id=user.id, ctx=ctx)
            )
            await self._uow.commit()
        return tokens

    async def _record_failure(
        self, email: str, user: User | None, ctx: RequestContext, *, reason: str | None = None
    ) -> None:
        payload = {"email": email} | ({"reason": reason} if reason else {})
        async with self._uow:
            entry = audit_entry(
                AuditAction.LOGIN_FAILED,
                at=self._clock.now(),
                target_id=user.id if user else None,
                payload=payload,
                ctx=ctx,
            )
            await self._uow.audit.add(entry)
            await self._uow.commit()


class RefreshTokens:
    """Exchange a refresh token for a new pair; the old token is spent.

    Rules:
    - rotation is one atomic conditional update, so one token yields at most one new pair;
    - a token that is already revoked, or whose rotation loses a race, is treated as
      stolen: its whole session family is revoked (and with it the access tokens issued
      in that family) and SESSION_REUSE_DETECTED audited and committed, then
      ``InvalidRefreshToken`` is raised;
    - an unknown or expired token, or a blocked or deleted user, gives ``InvalidRefreshToken``;
    - the new session stays in the family of the old one, keeps the time of its login and
      lives the full refresh TTL; it records the refreshing request's IP and user agent, so
      the family's last use, address and device are those of its latest refresh.
    """

    raises: ClassVar[Raises] = (InvalidRefreshToken,)

    def __init__(
        self,
        uow: IdentityUnitOfWork,
        clock: Clock,
        issuer: AccessTokenIssuer,
        secrets: SecretGenerator,
        policy: IdentityPolicy,
        revocations: AccessRevocationListener,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._minter = TokenMinter(issuer, secrets, policy)
        self._revocations = revocations

    async def __call__(self, refresh_token: str, ctx: RequestContext | None = None) -> TokenPair:
        async with self._uow:
            now = self._clock.now()
            session = await self._uow.sessions.get_by_token_hash(hash_token(refresh_token))
            if session is None:
                raise InvalidRefreshToken()
            if session.revoked_at is None:
                if session.expires_at <= now:
                    raise InvalidRefreshToken()
                user = await self._uow.users.get(session.user_id)
                if user is None or user.is_deleted or not user.is_active:
                    raise InvalidRefreshToken()
                successor, tokens = self._minter.mint(user, now=now, ctx=ctx, rotated=session)
                # Inserted before the rotation so the old row can point at it; a lost race
                # leaves without committing, which takes the insert back.
                await self._uow.sessions.add(successor)
                if await self._uow.sessions.rotate(session.id, replaced_by=successor.id, at=now):
                    await self._uow.commit()
                    return tokens
        await self._revoke_family(session, ctx)
        raise InvalidRefreshToken()

    async def _revoke_family(self, session: RefreshSession, ctx: RequestContext | None) -> None:
        async with self._uow:
            now = self._clock.now()
            await self._uow.sessions.revoke_family(session.family_id, at=now)
            await self._uow.audit.add(
                audit_entry(
                    AuditAction.SESSION_REUSE_DETECTED,
                    at=now,
                    target_id=session.user_id,
                    payload={"family_id": str(session.family_id), "session_id": str(session.id)},
                    ctx=ctx,
                )
            )
            await self._uow.commit()
        self._revocations.access_revoked(EndedSession(session.user_id, session.family_id, now))


class LogOut:
    """End the session of one refresh token, and the access tokens issued with it.

    Rules:
    - the token's whole session family is revoked (the login it belongs to, through every
      rotation), so the access tokens issued with it stop working too; other sessions of
      the user stay;
    - only a session of the caller is revoked; anything else is quietly ignored, so the
      answer does not tell whether a token exists;
    - idempotent: logging out twice is fine, and only the first is audited (LOGOUT).
    """

    raises: ClassVar[Raises] = ()

    def __init__(self, uow: IdentityUnitOfWork, clock: Clock, revocations: AccessRevocationListener) -> None:
        self._uow = uow
        self._clock = clock
        self._revocations = revocations

    async def __call__(
        self, principal: Principal, refresh_token: str, ctx: RequestContext | None = None
    ) -> None:
        async with self._uow:
            now = self._clock.now()
            session = await self._uow.sessions.get_by_token_hash(hash_token(refresh_token))
            if session is None or session.user_id != principal.user_id:
                return
            if not await self._uow.sessions.revoke_family(session.family_id, at=now):
                return
            await self._uow.audit.add(
                audit_entry(
                    AuditAction.LOGOUT,
                    at=now,
                    actor_id=principal.user_id,
                    target_id=principal.user_id,
                    ctx=ctx,
                )
            )
            await self._uow.commit()
        self._revocations.access_revoked(EndedSession(principal.user_id, session.family_id, now))


class LogOutEverywhere:
    """End every session of the caller and every access token issued to them so far
    (audited as LOGOUT_ALL with how many sessions were live)."""

    raises: ClassVar[Raises] = (UserBlocked, UserNotFound)

    def __init__(self, uow: IdentityUnitOfWork, clock: Clock, revocations: AccessRevocationListener) -> None:
        self._uow = uow
        self._clock = clock
        self._revocations = revocations

    async def __call__(self, principal: Principal, ctx: RequestContext | None = None) -> None:
        async with self._uow:
            now = self._clock.now()
            user = await load_me(self._uow, principal, must_be_active=False)
            ended, access = await end_every_session(self._uow, user, at=now)
            await self._uow.users.save(user)
            await self._uow.audit.add(
                audit_entry(
                    AuditAction.LOGOUT_ALL,
                    at=now,
                    actor_id=principal.user_id,
                    target_id=principal.user_id,
                    payload={"sessions_revoked": len(ended)},
                    ctx=ctx,
                )
            )
            await self._uow.commit()
        self._revocations.access_revoked(*ended, access)
