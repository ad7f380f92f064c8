"""Use cases of the own profile: read it, change parts of it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

import msgspec

from aquastream.domain.identity.access import load_me
from aquastream.domain.identity.audit import audit_entry
from aquastream.domain.identity.errors import UserBlocked, UserNotFound
from aquastream.domain.identity.model import AuditAction, Principal, Profile, RequestContext, Role, User
from aquastream.domain.identity.policy import IdentityPolicy
from aquastream.domain.identity.profile_rules import (
    birth_date_problem,
    extra_problem,
    name_problem,
    normalise_phone,
    normalise_telegram,
    phone_problem,
    telegram_problem,
)
from aquastream.domain.shared.errors import FieldError, Raises, ValidationFailed
from aquastream.ports.clock import Clock
from aquastream.ports.identity import IdentityUnitOfWork


@dataclass(frozen=True, slots=True)
class ProfileView:
    """The own account as the user sees it: identity fields plus the profile."""

    user_id: uuid.UUID
    email: str
    role: Role
    phone: str | None
    telegram: str | None
    telegram_verified: bool
    first_name: str | None
    last_name: str | None
    birth_date: date | None
    extra: dict[str, Any] = field(default_factory=dict)
    email_verified_at: datetime | None = None

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @classmethod
    def of(cls, user: User, profile: Profile) -> ProfileView:
        return cls(
            user_id=user.id,
            email=user.email,
            role=user.role,
            phone=profile.phone,
            telegram=profile.telegram,
            telegram_verified=profile.telegram_verified,
            first_name=profile.first_name,
            last_name=profile.last_name,
            birth_date=profile.birth_date,
            extra=dict(profile.extra),
            email_verified_at=user.email_verified_at,
        )


class ProfileChanges(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """A partial update: an unset field stays as it is, ``None`` clears it.

    Blank strings clear a field too, as web forms send them for emptied inputs; clearing
    ``extra`` leaves an empty object.
    """

    phone: str | msgspec.UnsetType | None = msgspec.UNSET
    telegram: str | msgspec.UnsetType | None = msgspec.UNSET
    first_name: str | msgspec.UnsetType | None = msgspec.UNSET
    last_name: str | msgspec.UnsetType | None = msgspec.UNSET
    birth_date: date | msgspec.UnsetType | None = msgspec.UNSET
    extra: dict[str, Any] | msgspec.UnsetType | None = msgspec.UNSET


class GetMyProfile:
    """The caller's profile with their id, email (and whether and when it was verified) and
    role (``UserNotFound`` once deleted)."""

    raises: ClassVar[Raises] = (UserBlocked, UserNotFound)

    def __init__(self, uow: IdentityUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal) -> ProfileView:
        async with self._uow:
            user = await load_me(self._uow, principal, must_be_active=False)
            profile = await self._uow.profiles.get(user.id)
        if profile is None:
            raise UserNotFound()
        return ProfileView.of(user, profile)


class UpdateMyProfile:
    """Change some fields of the caller's profile.

    Rules:
    - phone in E.164 (``+79991234567``; spaces, dashes, dots and brackets are dropped);
    - telegram is ``@`` and 5 to 32 letters, digits or underscores (the ``@`` may be omitted);
    - first and last name at most 100 characters (surrounding spaces are trimmed);
    - birth date neither in the future nor before 1900-01-01;
    - extra is a JSON object of at most ``extra_max_bytes`` encoded bytes;
    - every problem is reported at once in one ``ValidationFailed`` (camelCase fields);
    - a different Telegram handle is no longer verified (only the bot link verifies);
    - blocked users cannot change anything (``UserBlocked``);
    - PROFILE_UPDATED is audited with the names of the changed fields, never their values.
    """

    raises: ClassVar[Raises] = (UserBlocked, UserNotFound, ValidationFailed)

    def __init__(self, uow: IdentityUnitOfWork, clock: Clock, policy: IdentityPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy

    async def __call__(
        self, principal: Principal, changes: ProfileChanges, ctx: RequestContext | None = None
    ) -> ProfileView:
        now = self._clock.now()
        wanted = self._validated(changes, today=now.date())
        async with self._uow:
            user = await load_me(self._uow, principal)
            profile = await self._uow.profiles.get(user.id)
            if profile is None:
                raise UserNotFound()
            changed = [name for name, value in wanted.items() if getattr(profile, name) != value]
            if not changed:
                return ProfileView.of(user, profile)
            old_handle = profile.telegram
            for name in changed:
                setattr(profile, name, wanted[name])
            if "telegram" in changed and (old_handle or "").lower() != (profile.telegram or "").lower():
                profile.telegram_verified = False
            profile.updated_at = now
            await self._uow.profiles.save(profile)
            await self._uow.audit.add(
                audit_entry(
                    AuditAction.PROFILE_UPDATED,
                    at=now,
                    actor_id=user.id,
                    target_id=user.id,
                    payload={"fields": [_WIRE_NAMES[name] for name in changed]},
                    ctx=ctx,
                )
            )
            await self._uow.commit()
        return ProfileView.of(user, profile)

    def _validated(self, changes: ProfileChanges, *, today: date) -> dict[str, Any]:
        """The new values by profile attribute name, normalised; ``ValidationFailed`` otherwise."""
        wanted: dict[str, Any] = {}
        errors: list[FieldError] = []

        def text(name: str, normalise: Callable[[str], str], problem: Callable[[str], str | None]) -> None:
            raw = getattr(changes, name)
            if raw is msgspec.UNSET:
                return
            value = normalise(raw) if raw is not None and raw.strip() else None
            if value is not None and (message := problem(value)):
                errors.append(FieldError(_WIRE_NAMES[name], message))
            wanted[name] = value

        text("phone", normalise_phone, phone_problem)
        text("telegram", normalise_telegram, telegram_problem)
        text("first_name", str.strip, name_problem)
        text("last_name", str.strip, name_problem)
        if changes.birth_date is not msgspec.UNSET:
            if changes.birth_date is not None and (
                message := birth_date_problem(changes.birth_date, today=today)
            ):
                errors.append(FieldError("birthDate", message))
            wanted["birth_date"] = changes.birth_date
        if changes.extra is not msgspec.UNSET:
            extra = {} if changes.extra is None else changes.extra
            if message := extra_problem(extra, max_bytes=self._policy.extra_max_bytes):
                errors.append(FieldError("extra", message))
            wanted["extra"] = extra
        if errors:
            raise ValidationFailed(errors=errors)
        return wanted


_WIRE_NAMES = {
    "phone": "phone",
    "telegram": "telegram",
    "first_name": "firstName",
    "last_name": "lastName",
    "birth_date": "birthDate",
    "extra": "extra",
}
