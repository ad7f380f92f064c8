"""Use case: a visitor opens an account (and is logged in by it)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import ClassVar

from aquastream.domain.identity.accounts import new_account, validate_new_account
from aquastream.domain.identity.audit import audit_entry
from aquastream.domain.identity.errors import EmailAlreadyRegistered, WeakPassword
from aquastream.domain.identity.events import UserRegistered
from aquastream.domain.identity.model import AuditAction, RequestContext, Role, TokenPair
from aquastream.domain.identity.passwords import hash_password
from aquastream.domain.identity.policy import IdentityPolicy
from aquastream.domain.identity.sessions import TokenMinter
from aquastream.domain.identity.verification import send_verification, start_verification, verification_codes
from aquastream.domain.shared.errors import Raises, ValidationFailed
from aquastream.ports.clock import Clock
from aquastream.ports.identity import (
    AccessTokenIssuer,
    IdentityUnitOfWork,
    PasswordHasher,
    SecretGenerator,
    VerificationCodeSender,
)


@dataclass(frozen=True, slots=True)
class Registration:
    email: str
    password: str = field(repr=False)
    phone: str | None = None


class RegisterUser:
    """Open an account and log it in.

    Rules:
    - the email is the username: trimmed, lower-cased, checked for a plausible form, and
      unique case-insensitively (``EmailAlreadyRegistered``);
    - the password follows the policy (``WeakPassword`` lists every broken rule);
    - a phone, when given, is in E.164 form (separators such as spaces are dropped);
    - every input problem is reported at once;
    - the account starts as an active USER with an empty profile that holds the phone;
    - registration logs the user in: a new refresh-session family (with the request's IP
      and user agent) and a token pair;
    - the email starts unverified: a verification code is stored with the account
      (EMAIL_VERIFICATION_SENT audited) and emailed to it after the commit;
    - the account, the session, the code, the audit entries and ``UserRegistered`` are
      committed together.
    """

    raises: ClassVar[Raises] = (EmailAlreadyRegistered, ValidationFailed, WeakPassword)

    def __init__(
        self,
        uow: IdentityUnitOfWork,
        clock: Clock,
        hasher: PasswordHasher,
        issuer: AccessTokenIssuer,
        secrets: SecretGenerator,
        policy: IdentityPolicy,
        verification_sender: VerificationCodeSender,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._hasher = hasher
        self._minter = TokenMinter(issuer, secrets, policy)
        self._codes = verification_codes(uow, clock, hasher, secrets, policy)
        self._verification_sender = verification_sender

    async def __call__(self, registration: Registration, ctx: RequestContext) -> tuple[uuid.UUID, TokenPair]:
        email, phone = validate_new_account(registration.email, registration.password, registration.phone)
        # Hashed before the transaction opens, so the slow part holds no database locks.
        password_hash = await hash_password(self._hasher, registration.password)
        code, code_hash = await self._codes.new_code()
        async with self._uow:
            if await self._uow.users.get_by_email(email) is not None:
                raise EmailAlreadyRegistered()
            now = self._clock.now()
            user, profile = new_account(
                email=email, password_hash=password_hash, role=Role.USER, phone=phone, now=now
            )
            # A concurrent registration of the same email loses here, on the unique index.
            await self._uow.users.add(user)
            await self._uow.profiles.add(profile)
            session, tokens = self._minter.mint(user, now=now, ctx=ctx)
            await self._uow.sessions.add(session)
            await self._uow.audit.add(
                audit_entry(AuditAction.REGISTERED, at=now, actor_id=user.id, target_id=user.id, ctx=ctx)
            )
            await start_verification(self._uow, self._codes, user, code_hash, now=now, ctx=ctx)
            self._uow.collect(UserRegistered(occurred_at=now, user_id=user.id, email=email))
            await self._uow.commit()
        await send_verification(self._verification_sender, user, code)
        return user.id, tokens
