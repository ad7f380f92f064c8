"""Use cases of administrators: find users, change roles, block and unblock, read the audit log."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from aquastream.domain.identity import events
from aquastream.domain.identity.access import require_admin
from aquastream.domain.identity.audit import audit_entry
from aquastream.domain.identity.errors import CannotChangeOwnAccess, NotAllowed, UserNotFound
from aquastream.domain.identity.model import AuditAction, AuditEntry, Principal, RequestContext, Role, User
from aquastream.domain.identity.ordering import NEWEST_AUDIT_ENTRIES, NEWEST_USERS, AuditSortKey, UserSortKey
from aquastream.domain.identity.revocation import AccountAccess
from aquastream.domain.identity.sessions import end_every_session
from aquastream.domain.shared.errors import Raises, ValidationFailed
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.sorting import parse_sort
from aquastream.ports.clock import Clock
from aquastream.ports.identity import AccessRevocationListener, IdentityUnitOfWork


@dataclass(frozen=True, slots=True)
class UserSummary:
    """A user as an administrator sees them in lists."""

    id: uuid.UUID
    email: str
    role: Role
    is_active: bool
    created_at: datetime
    updated_at: datetime
    email_verified_at: datetime | None = None

    @classmethod
    def of(cls, user: User) -> UserSummary:
        return cls(
            user.id,
            user.email,
            user.role,
            user.is_active,
            user.created_at,
            user.updated_at,
            user.email_verified_at,
        )


class ListUsers:
    """Users newest first, or in the ``sort`` asked for (``UserSortKey``: ``createdAt``,
    ``email``; an unknown one is ``ValidationFailed``), filtered by a piece of the email, a
    role and/or being active.

    Admins only (``NotAllowed``); deleted accounts are not listed.
    """

    raises: ClassVar[Raises] = (NotAllowed, ValidationFailed)

    def __init__(self, uow: IdentityUnitOfWork) -> None:
        self._uow = uow

    async def __call__(
        self,
        principal: Principal,
        paging: PageRequest,
        *,
        text: str | None = None,
        role: Role | None = None,
        active: bool | None = None,
        sort: str | None = None,
    ) -> Page[UserSummary]:
        order = parse_sort(sort, UserSortKey, NEWEST_USERS)
        async with self._uow:
            await require_admin(self._uow, principal)
            found = await self._uow.users.search(
                paging, text=(text or "").strip() or None, role=role, is_active=active, sort=order
            )
        return found.map(UserSummary.of)


class ChangeAccess:
    """What role changes, blocks and the incident tools share: an admin acting on another,
    existing user."""

    def __init__(self, uow: IdentityUnitOfWork, clock: Clock, revocations: AccessRevocationListener) -> None:
        self._uow = uow
        self._clock = clock
        self._revocations = revocations

    async def _target(self, principal: Principal, user_id: uuid.UUID) -> User:
        admin = await require_admin(self._uow, principal)
        if user_id == admin.id:
            raise CannotChangeOwnAccess()
        user = await self._uow.users.get(user_id)
        if user is None or user.is_deleted:
            raise UserNotFound()
        return user


class ChangeUserRole(ChangeAccess):
    """Give a user another role.

    Rules:
    - admins only (``NotAllowed``), never on themselves (``CannotChangeOwnAccess``);
    - an unknown or deleted user is ``UserNotFound``;
    - the user's sessions and access tokens are revoked, so their next tokens carry the
      new role;
    - ROLE_CHANGED (old and new role) is audited and ``UserRoleChanged`` raised (the user is
      told of it: notifications reacts);
    - giving the role the user already has changes and records nothing.
    """

    raises: ClassVar[Raises] = (CannotChangeOwnAccess, NotAllowed, UserNotFound)

    async def __call__(
        self, principal: Principal, user_id: uuid.UUID, role: Role, ctx: RequestContext
    ) -> UserSummary:
        async with self._uow:
            user = await self._target(principal, user_id)
            if user.role == role:
                return UserSummary.of(user)
            now = self._clock.now()
            old_role = user.role
            user.role = role
            user.updated_at = now
            ended, access = await end_every_session(self._uow, user, at=now)
            await self._uow.users.save(user)
            await self._uow.audit.add(
                audit_entry(
                    AuditAction.ROLE_CHANGED,
                    at=now,
                    actor_id=principal.user_id,
                    target_id=user.id,
                    payload={"old_role": str(old_role), "new_role": str(role)},
                    ctx=ctx,
                )
            )
            self._uow.collect(
                events.UserRoleChanged(
                    occurred_at=now, user_id=user.id, old_role=str(old_role), new_role=str(role)
                )
            )
            await self._uow.commit()
        self._revocations.access_revoked(*ended, access)
        return UserSummary.of(user)


class BlockUser(ChangeAccess):
    """Block a user: they can no longer log in, refresh, recover their password or use the
    access tokens they hold.

    Rules:
    - admins only, never on themselves, the user must exist (as for role changes);
    - every session and access token of the user is revoked and open recovery requests
      closed; unblocking brings none of them back;
    - BLOCKED is audited and ``UserBlocked`` raised (the user is told of it, blocked as they
      are); blocking a blocked user does nothing.
    """

    raises: ClassVar[Raises] = (CannotChangeOwnAccess, NotAllowed, UserNotFound)

    async def __call__(
        self, principal: Principal, user_id: uuid.UUID, ctx: RequestContext | None = None
    ) -> UserSummary:
        async with self._uow:
            user = await self._target(principal, user_id)
            if not user.is_active:
                return UserSummary.of(user)
            now = self._clock.now()
            user.is_active = False
            user.updated_at = now
            ended, access = await end_every_session(self._uow, user, at=now)
            await self._uow.users.save(user)
            await self._uow.recovery.close_all_for_user(user.id, at=now)
            await self._uow.audit.add(
                audit_entry(
                    AuditAction.BLOCKED, at=now, actor_id=principal.user_id, target_id=user.id, ctx=ctx
                )
            )
            self._uow.collect(events.UserBlocked(occurred_at=now, user_id=user.id))
            await self._uow.commit()
        self._revocations.access_revoked(*ended, access)
        return UserSummary.of(user)


class UnblockUser(ChangeAccess):
    """Let a blocked user in again (UNBLOCKED audited, ``UserUnblocked`` raised: the user is
    told of it).

    Same access rules as blocking; unblocking an active user does nothing. The tokens the
    block revoked stay revoked: the user logs in again.
    """

    raises: ClassVar[Raises] = (CannotChangeOwnAccess, NotAllowed, UserNotFound)

    async def __call__(
        self, principal: Principal, user_id: uuid.UUID, ctx: RequestContext | None = None
    ) -> UserSummary:
        async with self._uow:
            user = await self._target(principal, user_id)
            if user.is_active:
                return UserSummary.of(user)
            now = self._clock.now()
            user.is_active = True
            user.updated_at = now
            await self._uow.users.save(user)
            await self._uow.audit.add(
                audit_entry(
                    AuditAction.UNBLOCKED, at=now, actor_id=principal.user_id, target_id=user.id, ctx=ctx
                )
            )
            self._uow.collect(events.UserUnblocked(occurred_at=now, user_id=user.id))
            await self._uow.commit()
        if user.tokens_not_before is not None:
            self._revocations.access_revoked(AccountAccess(user.id, user.tokens_not_before, user.is_usable))
        return UserSummary.of(user)


class ReadAuditLog:
    """A user's audit entries (as target or actor), newest first, or oldest first with
    ``sort=createdAt`` (``AuditSortKey``; an unknown one is ``ValidationFailed``).

    Admins only; deleted users' entries stay readable; an unknown id is ``UserNotFound``.
    """

    raises: ClassVar[Raises] = (NotAllowed, UserNotFound, ValidationFailed)

    def __init__(self, uow: IdentityUnitOfWork) -> None:
        self._uow = uow

    async def __call__(
        self, principal: Principal, user_id: uuid.UUID, paging: PageRequest, *, sort: str | None = None
    ) -> Page[AuditEntry]:
        order = parse_sort(sort, AuditSortKey, NEWEST_AUDIT_ENTRIES)
        async with self._uow:
            await require_admin(self._uow, principal)
            if await self._uow.users.get(user_id) is None:
                raise UserNotFound()
            return await self._uow.audit.list_for_user(user_id, paging, order)
