"""Use cases of password recovery: ask for a code, trade it for a reset token, set a new password."""

from __future__ import annotations

import logging
from typing import ClassVar

from aquastream.domain.identity.audit import audit_entry
from aquastream.domain.identity.codes import OneTimeCodes
from aquastream.domain.identity.errors import (
    InvalidRecoveryCode,
    InvalidResetToken,
    RecoveryAttemptsExceeded,
    WeakPassword,
)
from aquastream.domain.identity.model import (
    AuditAction,
    CodePurpose,
    Profile,
    RecoveryRequest,
    RequestContext,
    User,
)
from aquastream.domain.identity.passwords import check_password, hash_password
from aquastream.domain.identity.policy import IdentityPolicy
from aquastream.domain.identity.profile_rules import normalise_email
from aquastream.domain.identity.sessions import end_every_session
from aquastream.domain.identity.tokens import hash_token
from aquastream.domain.shared.errors import Raises
from aquastream.ports.clock import Clock
from aquastream.ports.identity import (
    AccessRevocationListener,
    IdentityUnitOfWork,
    PasswordHasher,
    RecoveryCodeSender,
    SecretGenerator,
)

logger = logging.getLogger(__name__)


def recovery_codes(
    uow: IdentityUnitOfWork,
    clock: Clock,
    hasher: PasswordHasher,
    secrets: SecretGenerator,
    policy: IdentityPolicy,
) -> OneTimeCodes:
    return OneTimeCodes(uow, clock, hasher, secrets, policy, CodePurpose.PASSWORD_RESET)


async def send_recovery_code(
    sender: RecoveryCodeSender, user: User, profile: Profile | None, code: str
) -> bool:
    """Send a committed recovery code through Telegram when a chat is linked, else to the
    email once verified; whether there was a channel to try. A failed delivery is logged,
    not raised: an error would tell a stranger that the email exists."""
    chat_id = profile.telegram_chat_id if profile and profile.telegram_verified else None
    email = user.verified_email
    if chat_id is None and email is None:
        logger.info("No channel carries a recovery code to user %s (email not verified)", user.id)
        return False
    try:
        await sender.send_recovery_code(email=email, telegram_chat_id=chat_id, code=code)
    except Exception:
        logger.exception("Could not deliver a recovery code to user %s", user.id)
    return True


class RequestPasswordRecovery:
    """Send a one-time code to the owner of an email address.

    Rules:
    - the answer is the same whether or not the email belongs to an active account, and
      the work is similar both ways (a code is generated and hashed either way);
    - a new request closes the user's earlier open ones: only the newest code works;
    - the 6-digit code is stored hashed (Argon2) and lives ``recovery_code_ttl``
      (``OneTimeCodes``, shared with email verification);
    - RECOVERY_REQUESTED is audited in the same transaction;
    - the code is sent only after the commit, so a rolled-back request never sends one.
      It does not go through the outbox, which would store it in plain text;
    - it goes through a linked Telegram chat, else to the email only once it is verified:
      an unverified address may not be the user's; with neither, nothing is sent;
    - a failed delivery is logged, not reported: an error would tell that the email exists.
    """

    raises: ClassVar[Raises] = ()

    def __init__(
        self,
        uow: IdentityUnitOfWork,
        clock: Clock,
        hasher: PasswordHasher,
        secrets: SecretGenerator,
        sender: RecoveryCodeSender,
        policy: IdentityPolicy,
    ) -> None:
        self._uow = uow
        self._codes = recovery_codes(uow, clock, hasher, secrets, policy)
        self._clock = clock
        self._sender = sender

    async def __call__(self, email: str, ctx: RequestContext) -> None:
        email = normalise_email(email)
        code, code_hash = await self._codes.new_code()
        async with self._uow:
            user = await self._uow.users.get_by_email(email)
            if user is None or user.is_deleted or not user.is_active:
                return
            profile = await self._uow.profiles.get(user.id)
            now = self._clock.now()
            await self._codes.replace_open(user.id, code_hash, now=now)
            await self._uow.audit.add(
                audit_entry(AuditAction.RECOVERY_REQUESTED, at=now, target_id=user.id, ctx=ctx)
            )
            await self._uow.commit()
        await send_recovery_code(self._sender, user, profile, code)


class VerifyRecoveryCode:
    """Trade a recovery code for a short-lived reset token.

    Rules (the code's, ``OneTimeCodes``, shared with email verification):
    - only the newest open (unexpired, unverified, unused) recovery code of the email's
      active account counts; none, or a wrong code, gives ``InvalidRecoveryCode``;
    - every try is counted atomically and committed before the code is checked, so even
      wrong codes count; after ``recovery_max_attempts`` tries ``RecoveryAttemptsExceeded``;
    - a right code is consumed once and returns a random reset token, stored hashed, that
      lives ``reset_token_ttl``; the answer is ``(reset_token, expires_in_seconds)``.
    """

    raises: ClassVar[Raises] = (InvalidRecoveryCode, RecoveryAttemptsExceeded)

    def __init__(
        self,
        uow: IdentityUnitOfWork,
        clock: Clock,
        hasher: PasswordHasher,
        secrets: SecretGenerator,
        policy: IdentityPolicy,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._codes = recovery_codes(uow, clock, hasher, secrets, policy)
        self._secrets = secrets
        self._policy = policy

    async def __call__(self, email: str, code: str) -> tuple[str, int]:
        async with self._uow:
            user = await self._uow.users.get_by_email(normalise_email(email))
        active = user is not None and user.is_active
        request = await self._codes.check(user.id if user is not None and active else None, code)
        reset_token = self._secrets.token()
        async with self._uow:
            now = self._clock.now()
            # The code may have expired, or been used by a parallel try, while it was checked.
            verified = request.expires_at > now and await self._uow.recovery.mark_verified(
                request.id,
                at=now,
                reset_token_hash=hash_token(reset_token),
                reset_expires_at=now + self._policy.reset_token_ttl,
            )
            if not verified:
                raise InvalidRecoveryCode()
            await self._uow.commit()
        return reset_token, int(self._policy.reset_token_ttl.total_seconds())


class ResetPassword:
    """Set a new password with the token that ``VerifyRecoveryCode`` gave.

    Rules:
    - the token must exist, be unused and unexpired (``InvalidResetToken``), and its
      account must be active;
    - the new password follows the policy (``WeakPassword``);
    - the token is consumed once, atomically: two resets with one token cannot both win;
    - every session and access token of the user is revoked and every other open
      recovery request closed;
    - PASSWORD_CHANGED is audited in the same transaction.
    """

    raises: ClassVar[Raises] = (InvalidResetToken, WeakPassword)

    def __init__(
        self,
        uow: IdentityUnitOfWork,
        clock: Clock,
        hasher: PasswordHasher,
        revocations: AccessRevocationListener,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._hasher = hasher
        self._revocations = revocations

    async def __call__(self, reset_token: str, new_password: str, ctx: RequestContext) -> None:
        token_hash = hash_token(reset_token)
        async with self._uow:
            request, user = await self._find(token_hash)
        check_password(new_password, email=user.email)
        password_hash = await hash_password(self._hasher, new_password)
        async with self._uow:
            request, user = await self._find(token_hash)
            now = self._clock.now()
            if not await self._uow.recovery.mark_used(request.id, at=now):
                raise InvalidResetToken()
            user.password_hash = password_hash
            user.updated_at = now
            ended, access = await end_every_session(self._uow, user, at=now)
            await self._uow.users.save(user)
            await self._uow.recovery.close_all_for_user(user.id, at=now, purpose=CodePurpose.PASSWORD_RESET)
            await self._uow.audit.add(
                audit_entry(
                    AuditAction.PASSWORD_CHANGED,
                    at=now,
                    actor_id=user.id,
                    target_id=user.id,
                    payload={"via": "recovery"},
                    ctx=ctx,
                )
            )
            await self._uow.commit()
        self._revocations.access_revoked(*ended, access)

    async def _find(self, token_hash: str) -> tuple[RecoveryRequest, User]:
        request = await self._uow.recovery.get_by_reset_token_hash(token_hash)
        now = self._clock.now()
        if (
            request is None
            or request.used_at is not None
            or request.reset_expires_at is None
            or request.reset_expires_at <= now
        ):
            raise InvalidResetToken()
        user = await self._uow.users.get(request.user_id)
        if user is None or user.is_deleted or not user.is_active:
            raise InvalidResetToken()
        return request, user
