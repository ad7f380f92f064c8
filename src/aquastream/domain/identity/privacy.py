"""Use cases of the user's rights over their data: download it all, delete the account."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from aquastream.domain.identity.access import load_me
from aquastream.domain.identity.audit import audit_entry
from aquastream.domain.identity.errors import UserBlocked, UserNotFound
from aquastream.domain.identity.events import UserDeleted
from aquastream.domain.identity.model import (
    AuditAction,
    AuditEntry,
    Principal,
    Profile,
    RefreshSession,
    RequestContext,
    User,
)
from aquastream.domain.identity.sessions import end_every_session
from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.privacy import every_page, iso
from aquastream.ports.clock import Clock
from aquastream.ports.identity import AccessRevocationListener, IdentityUnitOfWork

# Not an Argon2 hash, so no password ever verifies against it.
UNUSABLE_PASSWORD_HASH = "!deleted"


def deleted_email(user_id: uuid.UUID) -> str:
    """Unique (the column is) and undeliverable (``.invalid`` is reserved, RFC 2606)."""
    return f"deleted-{user_id}@deleted.invalid"


class ExportMyData:
    """Everything the identity domain holds about the caller, as a JSON-ready dict.

    Rules:
    - the account without its password hash, the profile, the sessions without token
      hashes, and every audit entry about or by the caller (camelCase keys, ISO times);
    - the export itself is audited (DATA_EXPORTED), in the same transaction as the read.
    """

    raises: ClassVar[Raises] = (UserBlocked, UserNotFound)

    def __init__(self, uow: IdentityUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, principal: Principal, ctx: RequestContext | None = None) -> dict[str, Any]:
        async with self._uow:
            user = await load_me(self._uow, principal, must_be_active=False)
            profile = await self._uow.profiles.get(user.id)
            if profile is None:
                raise UserNotFound()
            sessions = await self._uow.sessions.list_for_user(user.id)
            entries = await every_page(lambda paging: self._uow.audit.list_for_user(user.id, paging))
            now = self._clock.now()
            await self._uow.audit.add(
                audit_entry(AuditAction.DATA_EXPORTED, at=now, actor_id=user.id, target_id=user.id, ctx=ctx)
            )
            await self._uow.commit()
        return {
            "exportedAt": iso(now),
            "user": _user(user),
            "profile": _profile(profile),
            "sessions": [_session(s) for s in sessions],
            "auditLog": [_audit(e) for e in entries],
        }


class DeleteMyAccount:
    """Delete the caller's account by anonymising it.

    Rules:
    - the email becomes ``deleted-<id>@deleted.invalid`` (so it can be registered again),
      the password hash unusable, the account inactive and marked deleted;
    - the profile's personal fields are cleared (phone, Telegram, names, birth date; extra
      becomes ``{}``);
    - every session and access token is revoked, the devices the sessions recorded (user
      agent, IP) are forgotten, and open recovery requests closed;
    - bookings and payments live in other domains and are kept for accounting; they refer
      to the user by id only, and learn of the deletion from ``UserDeleted``;
    - ACCOUNT_DELETED is audited in the same transaction; blocked users cannot delete
      themselves (that would lift the block by letting them register again).
    """

    raises: ClassVar[Raises] = (UserBlocked, UserNotFound)

    def __init__(self, uow: IdentityUnitOfWork, clock: Clock, revocations: AccessRevocationListener) -> None:
        self._uow = uow
        self._clock = clock
        self._revocations = revocations

    async def __call__(self, principal: Principal, ctx: RequestContext) -> None:
        async with self._uow:
            user = await load_me(self._uow, principal)
            now = self._clock.now()
            user.email = deleted_email(user.id)
            user.email_verified_at = None
            user.password_hash = UNUSABLE_PASSWORD_HASH
            user.is_active = False
            user.deleted_at = now
            user.updated_at = now
            ended, access = await end_every_session(self._uow, user, at=now)
            await self._uow.sessions.forget_devices(user.id)
            await self._uow.users.save(user)
            await self._uow.profiles.save(Profile(user_id=user.id, updated_at=now))
            await self._uow.recovery.close_all_for_user(user.id, at=now)
            await self._uow.audit.add(
                audit_entry(AuditAction.ACCOUNT_DELETED, at=now, actor_id=user.id, target_id=user.id, ctx=ctx)
            )
            self._uow.collect(UserDeleted(occurred_at=now, user_id=user.id))
            await self._uow.commit()
        self._revocations.access_revoked(*ended, access)


def _user(user: User) -> dict[str, Any]:
    return {
        "id": str(user.id),
        "email": user.email,
        "emailVerifiedAt": iso(user.email_verified_at),
        "role": str(user.role),
        "isActive": user.is_active,
        "createdAt": iso(user.created_at),
        "updatedAt": iso(user.updated_at),
    }


def _profile(profile: Profile) -> dict[str, Any]:
    return {
        "phone": profile.phone,
        "telegram": profile.telegram,
        "telegramVerified": profile.telegram_verified,
        "telegramChatId": profile.telegram_chat_id,
        "firstName": profile.first_name,
        "lastName": profile.last_name,
        "birthDate": profile.birth_date.isoformat() if profile.birth_date else None,
        "extra": profile.extra,
        "updatedAt": iso(profile.updated_at),
    }


def _session(session: RefreshSession) -> dict[str, Any]:
    return {
        "id": str(session.id),
        "familyId": str(session.family_id),
        "createdAt": iso(session.created_at),
        "expiresAt": iso(session.expires_at),
        "revokedAt": iso(session.revoked_at),
        "signedInAt": iso(session.started_at),
        "userAgent": session.user_agent,
        "ip": session.ip,
    }


def _audit(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": str(entry.id),
        "action": str(entry.action),
        "createdAt": iso(entry.created_at),
        "actorId": str(entry.actor_id) if entry.actor_id else None,
        "targetId": str(entry.target_id) if entry.target_id else None,
        "payload": entry.payload,
        "ip": entry.ip,
    }
