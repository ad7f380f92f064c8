"""Use cases of email verification: prove the account's email yours with a code sent to it,
ask for a new code, change the email (which must be proved again).

Codes are ``OneTimeCodes`` of purpose EMAIL_VERIFICATION: the rules of recovery codes (6
digits, hashed, ``recovery_code_ttl``, ``recovery_max_attempts`` tries, the newest only).
A verified email is what carries fallback messages and recovery codes; the verification
message is the one exception, sent to the address it verifies.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from aquastream.domain.identity.access import load_me
from aquastream.domain.identity.audit import audit_entry
from aquastream.domain.identity.codes import OneTimeCodes
from aquastream.domain.identity.errors import (
    EmailAlreadyRegistered,
    EmailAlreadyVerified,
    InvalidVerificationCode,
    UserBlocked,
    UserNotFound,
    VerificationAttemptsExceeded,
    WrongPassword,
)
from aquastream.domain.identity.model import AuditAction, CodePurpose, Principal, RequestContext, User
from aquastream.domain.identity.passwords import verify_password
from aquastream.domain.identity.policy import IdentityPolicy
from aquastream.domain.identity.profile import ProfileView
from aquastream.domain.identity.profile_rules import email_problem, normalise_email
from aquastream.domain.shared.errors import FieldError, Raises, ValidationFailed
from aquastream.ports.clock import Clock
from aquastream.ports.identity import (
    IdentityUnitOfWork,
    PasswordHasher,
    SecretGenerator,
    VerificationCodeSender,
)

logger = logging.getLogger(__name__)


def verification_codes(
    uow: IdentityUnitOfWork,
    clock: Clock,
    hasher: PasswordHasher,
    secrets: SecretGenerator,
    policy: IdentityPolicy,
) -> OneTimeCodes:
    return OneTimeCodes(
        uow,
        clock,
        hasher,
        secrets,
        policy,
        CodePurpose.EMAIL_VERIFICATION,
        invalid=InvalidVerificationCode,
        exhausted=VerificationAttemptsExceeded,
    )


async def start_verification(
    uow: IdentityUnitOfWork,
    codes: OneTimeCodes,
    user: User,
    code_hash: str,
    *,
    now: datetime,
    ctx: RequestContext | None,
) -> None:
    """Inside the caller's transaction: store the new code for the user's current email (the
    earlier ones stop working) and audit EMAIL_VERIFICATION_SENT."""
    await codes.replace_open(user.id, code_hash, now=now, email=user.email)
    await uow.audit.add(
        audit_entry(AuditAction.EMAIL_VERIFICATION_SENT, at=now, actor_id=user.id, target_id=user.id, ctx=ctx)
    )


async def send_verification(sender: VerificationCodeSender, user: User, code: str) -> None:
    """After the commit: email the code to the address it verifies. A failed delivery is
    logged, not raised: the account is made or changed, and a new code can be asked for."""
    try:
        await sender.send_verification_code(email=user.email, code=code)
    except Exception:
        logger.exception("Could not deliver an email-verification code to user %s", user.id)


class _Verification:
    def __init__(
        self,
        uow: IdentityUnitOfWork,
        clock: Clock,
        hasher: PasswordHasher,
        secrets: SecretGenerator,
        sender: VerificationCodeSender,
        policy: IdentityPolicy,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._hasher = hasher
        self._sender = sender
        self._codes = verification_codes(uow, clock, hasher, secrets, policy)


class ResendEmailVerification(_Verification):
    """Send a new verification code to the caller's email.

    Rules:
    - a verified email is ``EmailAlreadyVerified``; blocked users get ``UserBlocked``;
    - the new code replaces the open one; EMAIL_VERIFICATION_SENT is audited;
    - the route is limited as the recovery routes are (a code per request is an email per
      request: the limit keeps the service from being used to flood an inbox).
    """

    raises: ClassVar[Raises] = (EmailAlreadyVerified, UserBlocked, UserNotFound)

    async def __call__(self, principal: Principal, ctx: RequestContext | None = None) -> None:
        code, code_hash = await self._codes.new_code()
        async with self._uow:
            user = await load_me(self._uow, principal)
            if user.email_verified:
                raise EmailAlreadyVerified()
            await start_verification(self._uow, self._codes, user, code_hash, now=self._clock.now(), ctx=ctx)
            await self._uow.commit()
        await send_verification(self._sender, user, code)


class VerifyMyEmail(_Verification):
    """Prove the account's email yours with the code sent to it.

    Rules:
    - the code follows the rules of recovery codes: the newest open one only, every try
      counted (committed before the check), ``VerificationAttemptsExceeded`` after
      ``recovery_max_attempts`` tries, ``InvalidVerificationCode`` for a wrong, expired or
      missing code;
    - a code proves only the address it was sent to: after the email changed, a code sent
      to the old one is ``InvalidVerificationCode``;
    - the code is consumed once; the email is verified as of now and EMAIL_VERIFIED
      audited in the same transaction;
    - an email verified already answers the profile as it is (a second click changes nothing).
    """

    raises: ClassVar[Raises] = (
        InvalidVerificationCode,
        UserBlocked,
        UserNotFound,
        VerificationAttemptsExceeded,
    )

    async def __call__(
        self, principal: Principal, code: str, ctx: RequestContext | None = None
    ) -> ProfileView:
        async with self._uow:
            user = await load_me(self._uow, principal)
        if not user.email_verified:
            request = await self._codes.check(user.id, code)
            async with self._uow:
                user = await load_me(self._uow, principal)
                now = self._clock.now()
                if request.email != user.email or request.expires_at <= now:
                    raise InvalidVerificationCode()
                if not await self._uow.recovery.mark_verified(request.id, at=now):
                    raise InvalidVerificationCode()
                user.email_verified_at = now
                user.updated_at = now
                await self._uow.users.save(user)
                await self._uow.audit.add(
                    audit_entry(
                        AuditAction.EMAIL_VERIFIED,
                        at=now,
                        actor_id=user.id,
                        target_id=user.id,
                        payload={"email": user.email},
                        ctx=ctx,
                    )
                )
                await self._uow.commit()
        async with self._uow:
            profile = await self._uow.profiles.get(user.id)
        if profile is None:
            raise UserNotFound()
        return ProfileView.of(user, profile)


@dataclass(frozen=True, slots=True)
class EmailChange:
    email: str
    password: str = field(repr=False)


class ChangeMyEmail(_Verification):
    """Give the account another email (the username, and the address messages go to).

    Rules:
    - the current password is required (``WrongPassword``): the email is what recovers the
      account, so a stolen access token alone must not be able to take it over;
    - the new email is checked as at registration (``ValidationFailed``) and unique
      case-insensitively (``EmailAlreadyRegistered``);
    - the new email is unverified: a code is sent to it (and only to it), open codes of the
      old address stop working, and until it is verified neither fallback messages nor
      recovery codes go to any email; open recovery codes are closed too;
    - EMAIL_CHANGED (old and new address) is audited in the same transaction;
    - the same email (in any case) changes nothing; blocked users get ``UserBlocked``.
    """

    raises: ClassVar[Raises] = (
        EmailAlreadyRegistered,
        UserBlocked,
        UserNotFound,
        ValidationFailed,
        WrongPassword,
    )

    async def __call__(
        self, principal: Principal, change: EmailChange, ctx: RequestContext | None = None
    ) -> ProfileView:
        email = normalise_email(change.email)
        if problem := email_problem(email):
            raise ValidationFailed(errors=[FieldError("email", problem)])
        async with self._uow:
            user = await load_me(self._uow, principal)
        if not await verify_password(self._hasher, user.password_hash, change.password):
            raise WrongPassword()
        code, code_hash = await self._codes.new_code()
        async with self._uow:
            user = await load_me(self._uow, principal)
            profile = await self._uow.profiles.get(user.id)
            changed = user.email != email
            if changed:
                if await self._uow.users.get_by_email(email) is not None:
                    raise EmailAlreadyRegistered()
                now = self._clock.now()
                old_email = user.email
                user.email = email
                user.email_verified_at = None
                user.updated_at = now
                await self._uow.users.save(user)
                await self._uow.recovery.close_all_for_user(
                    user.id, at=now, purpose=CodePurpose.PASSWORD_RESET
                )
                await self._uow.audit.add(
                    audit_entry(
                        AuditAction.EMAIL_CHANGED,
                        at=now,
                        actor_id=user.id,
                        target_id=user.id,
                        payload={"old_email": old_email, "new_email": email},
                        ctx=ctx,
                    )
                )
                await start_verification(self._uow, self._codes, user, code_hash, now=now, ctx=ctx)
                await self._uow.commit()
        if profile is None:
            raise UserNotFound()
        if changed:
            await send_verification(self._sender, user, code)
        return ProfileView.of(user, profile)
