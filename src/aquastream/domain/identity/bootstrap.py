"""Use case of the operator's command line: make the first administrator."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from aquastream.domain.identity.accounts import new_account, validate_new_account
from aquastream.domain.identity.audit import audit_entry
from aquastream.domain.identity.events import UserRegistered, UserRoleChanged, UserUnblocked
from aquastream.domain.identity.model import AuditAction, Role, User
from aquastream.domain.identity.passwords import hash_password
from aquastream.domain.identity.profile_rules import normalise_email
from aquastream.domain.identity.sessions import end_every_session
from aquastream.domain.shared.errors import FieldError, ValidationFailed
from aquastream.ports.clock import Clock
from aquastream.ports.identity import IdentityUnitOfWork, PasswordHasher

# Audit payload of what the command line did; no actor, as no user ran it.
_VIA_CLI = {"via": "cli"}


@dataclass(frozen=True, slots=True)
class AdminAccount:
    user_id: uuid.UUID
    created: bool  # False: an existing account was promoted


class CreateAdmin:
    """Create an ADMIN account, or make the account of that email an active ADMIN.

    Rules:
    - a new account follows the registration rules (email form, password policy) and
      needs a password; it is audited REGISTERED and raises ``UserRegistered``; its email
      counts as verified (the operator who runs the command vouches for it, and an admin
      must be able to recover their password);
    - an existing account keeps its password; promoting it revokes its sessions and access
      tokens (they carry the old role), is audited ROLE_CHANGED and raises ``UserRoleChanged``;
      a blocked account is unblocked too (UNBLOCKED, ``UserUnblocked``);
    - running it twice is harmless: an active admin stays as it is.
    """

    def __init__(self, uow: IdentityUnitOfWork, clock: Clock, hasher: PasswordHasher) -> None:
        self._uow = uow
        self._clock = clock
        self._hasher = hasher

    async def __call__(self, email: str, password: str | None = None) -> AdminAccount:
        async with self._uow:
            existing = await self._uow.users.get_by_email(normalise_email(email))
            if existing is not None:
                await self._promote(existing)
                await self._uow.commit()
                return AdminAccount(existing.id, created=False)
        if password is None:
            raise ValidationFailed(errors=[FieldError("password", "is required for a new account")])
        email, _ = validate_new_account(email, password, None)
        password_hash = await hash_password(self._hasher, password)
        async with self._uow:
            now = self._clock.now()
            user, profile = new_account(
                email=email, password_hash=password_hash, role=Role.ADMIN, phone=None, now=now
            )
            user.email_verified_at = now
            await self._uow.users.add(user)
            await self._uow.profiles.add(profile)
            await self._uow.audit.add(
                audit_entry(
                    AuditAction.REGISTERED,
                    at=now,
                    actor_id=user.id,
                    target_id=user.id,
                    payload=dict(_VIA_CLI),
                )
            )
            self._uow.collect(UserRegistered(occurred_at=now, user_id=user.id, email=email))
            await self._uow.commit()
        return AdminAccount(user.id, created=True)

    async def _promote(self, user: User) -> None:
        if user.role == Role.ADMIN and user.is_active:
            return
        now = self._clock.now()
        if user.role != Role.ADMIN:
            old_role = user.role
            user.role = Role.ADMIN
            await end_every_session(self._uow, user, at=now)
            payload = {"old_role": str(old_role), "new_role": str(Role.ADMIN)} | _VIA_CLI
            await self._uow.audit.add(
                audit_entry(AuditAction.ROLE_CHANGED, at=now, target_id=user.id, payload=payload)
            )
            self._uow.collect(
                UserRoleChanged(
                    occurred_at=now, user_id=user.id, old_role=str(old_role), new_role=str(Role.ADMIN)
                )
            )
        if not user.is_active:
            user.is_active = True
            await self._uow.audit.add(
                audit_entry(AuditAction.UNBLOCKED, at=now, target_id=user.id, payload=dict(_VIA_CLI))
            )
            self._uow.collect(UserUnblocked(occurred_at=now, user_id=user.id))
        user.updated_at = now
        await self._uow.users.save(user)
