"""One-time codes, the one mechanism behind password recovery and email verification.

A code is 6 digits, stored only as an Argon2 hash, lives ``recovery_code_ttl``, allows
``recovery_max_attempts`` tries, and a new one closes the user's earlier open codes of the
same purpose. Tries are counted atomically and committed before the code is checked, so even
wrong codes count. What a right code then does is the use case's business.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from aquastream.domain.identity.errors import InvalidRecoveryCode, RecoveryAttemptsExceeded
from aquastream.domain.identity.model import CodePurpose, RecoveryRequest
from aquastream.domain.identity.passwords import hash_password, verify_against_dummy, verify_password
from aquastream.domain.identity.policy import IdentityPolicy
from aquastream.domain.shared.ids import new_id
from aquastream.ports.clock import Clock
from aquastream.ports.identity import IdentityUnitOfWork, PasswordHasher, SecretGenerator

CODE_DIGITS = 6


class OneTimeCodes:
    """Issues codes and checks tries against them, for any ``CodePurpose``.

    ``invalid`` and ``exhausted`` are the errors a purpose reports for a wrong (or missing,
    or expired) code and for a code out of tries.
    """

    def __init__(
        self,
        uow: IdentityUnitOfWork,
        clock: Clock,
        hasher: PasswordHasher,
        secrets: SecretGenerator,
        policy: IdentityPolicy,
        purpose: CodePurpose,
        *,
        invalid: type[Exception] = InvalidRecoveryCode,
        exhausted: type[Exception] = RecoveryAttemptsExceeded,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._hasher = hasher
        self._secrets = secrets
        self._policy = policy
        self._purpose = purpose
        self._invalid = invalid
        self._exhausted = exhausted

    async def new_code(self) -> tuple[str, str]:
        """A fresh code and its hash; made before a transaction opens (hashing is slow)."""
        code = self._secrets.numeric_code(CODE_DIGITS)
        return code, await hash_password(self._hasher, code)

    async def replace_open(
        self, user_id: uuid.UUID, code_hash: str, *, now: datetime, email: str | None = None
    ) -> RecoveryRequest:
        """Inside the caller's transaction: close the user's open codes of this purpose and
        store the new one (sent to ``email``, for a verification code)."""
        await self._uow.recovery.close_all_for_user(user_id, at=now, purpose=self._purpose)
        request = RecoveryRequest(
            id=new_id(),
            user_id=user_id,
            code_hash=code_hash,
            created_at=now,
            expires_at=now + self._policy.recovery_code_ttl,
            purpose=self._purpose,
            email=email,
        )
        await self._uow.recovery.add(request)
        return request

    async def check(self, user_id: uuid.UUID | None, code: str) -> RecoveryRequest:
        """The user's open code of this purpose, once ``code`` matched it (the try counted
        and committed first). ``invalid`` when there is none, it does not match, or (with
        ``user_id`` None) there is no user: the same work is done then, against a dummy hash.
        ``exhausted`` once the tries are used up. The caller still consumes the code with
        ``mark_verified``, which only one of two parallel tries wins."""
        request = await self._count_try(user_id) if user_id is not None else None
        if request is None:
            await verify_against_dummy(self._hasher, code)
            raise self._invalid()
        if not await verify_password(self._hasher, request.code_hash, code.strip()):
            raise self._invalid()
        return request

    async def _count_try(self, user_id: uuid.UUID) -> RecoveryRequest | None:
        async with self._uow:
            request = await self._uow.recovery.latest_open_for_user(
                user_id, now=self._clock.now(), purpose=self._purpose
            )
            if request is None:
                return None
            attempts = await self._uow.recovery.count_attempt(
                request.id, max_attempts=self._policy.recovery_max_attempts
            )
            await self._uow.commit()
        if attempts is None:
            raise self._exhausted()
        return request
