"""Identity entities: users, profiles, refresh sessions, recovery requests, link codes, audit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from aquastream.domain.shared.principal import Principal, Role

__all__ = [
    "USER_AGENT_MAX_LENGTH",
    "AuditAction",
    "AuditEntry",
    "CodePurpose",
    "Principal",
    "Profile",
    "RecoveryRequest",
    "RefreshSession",
    "RequestContext",
    "Role",
    "TelegramLinkCode",
    "TokenPair",
    "User",
]


# Real browsers send 100-300 characters; beyond this a user agent is noise or abuse.
USER_AGENT_MAX_LENGTH = 512


class AuditAction(StrEnum):
    REGISTERED = "REGISTERED"
    LOGIN = "LOGIN"
    LOGIN_FAILED = "LOGIN_FAILED"
    LOGOUT = "LOGOUT"
    LOGOUT_ALL = "LOGOUT_ALL"
    PASSWORD_CHANGED = "PASSWORD_CHANGED"
    RECOVERY_REQUESTED = "RECOVERY_REQUESTED"
    ROLE_CHANGED = "ROLE_CHANGED"
    PROFILE_UPDATED = "PROFILE_UPDATED"
    TELEGRAM_LINKED = "TELEGRAM_LINKED"
    BLOCKED = "BLOCKED"
    UNBLOCKED = "UNBLOCKED"
    SESSION_REUSE_DETECTED = "SESSION_REUSE_DETECTED"
    SESSION_REVOKED = "SESSION_REVOKED"
    DATA_EXPORTED = "DATA_EXPORTED"
    ACCOUNT_DELETED = "ACCOUNT_DELETED"
    EMAIL_VERIFICATION_SENT = "EMAIL_VERIFICATION_SENT"
    EMAIL_VERIFIED = "EMAIL_VERIFIED"
    EMAIL_CHANGED = "EMAIL_CHANGED"
    USER_VIEWED = "USER_VIEWED"  # an admin opened the account in full (personal data was read)
    FORCED_LOGOUT = "FORCED_LOGOUT"
    PASSWORD_RESET_FORCED = "PASSWORD_RESET_FORCED"


class CodePurpose(StrEnum):
    """What a one-time code proves: its owner may reset the password, or owns the email."""

    PASSWORD_RESET = "PASSWORD_RESET"
    EMAIL_VERIFICATION = "EMAIL_VERIFICATION"


@dataclass(slots=True)
class User:
    id: uuid.UUID
    email: str  # stored lower-cased: the username, unique case-insensitively
    password_hash: str
    role: Role
    is_active: bool
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None
    # Access tokens issued before this instant are refused (see ``revocation``).
    tokens_not_before: datetime | None = None
    # When the owner proved the current email theirs; None until then (and after a change).
    email_verified_at: datetime | None = None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def verified_email(self) -> str | None:
        """The email, when it may carry messages and recovery codes (it is verified)."""
        return self.email if self.email_verified else None

    @property
    def is_usable(self) -> bool:
        """Active and not deleted: the account may log in and hold tokens."""
        return self.is_active and not self.is_deleted


@dataclass(slots=True)
class Profile:
    user_id: uuid.UUID
    updated_at: datetime
    phone: str | None = None
    telegram: str | None = None
    telegram_verified: bool = False
    telegram_chat_id: int | None = None
    first_name: str | None = None
    last_name: str | None = None
    birth_date: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_contactable(self) -> bool:
        """Booking needs a phone or a Telegram handle."""
        return bool(self.phone or self.telegram)


@dataclass(slots=True)
class RefreshSession:
    """One refresh token. Rotation chains sessions of one login into a family.

    A row is made by a login (or registration) or by a refresh, and records the device of
    that request: its ``created_at`` is when the family was last used, and its user agent
    and IP are the device's as of that use. ``signed_in_at`` is when the family's login
    happened, carried from row to row on rotation.
    """

    id: uuid.UUID
    user_id: uuid.UUID
    family_id: uuid.UUID
    token_hash: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    replaced_by: uuid.UUID | None = None
    # None in rows stored before devices were recorded (the migration copies ``created_at``).
    signed_in_at: datetime | None = None
    user_agent: str | None = None  # at most ``USER_AGENT_MAX_LENGTH`` characters
    ip: str | None = None

    @property
    def started_at(self) -> datetime:
        """When the login this session continues happened."""
        return self.signed_in_at or self.created_at


@dataclass(slots=True)
class RecoveryRequest:
    """A one-time code (hashed) sent to a user, for one ``purpose``.

    Password recovery: once verified, the reset token (hashed). Email verification: the
    address the code was sent to, which it proves only while it is still the account's.
    """

    id: uuid.UUID
    user_id: uuid.UUID
    code_hash: str
    created_at: datetime
    expires_at: datetime
    purpose: CodePurpose = CodePurpose.PASSWORD_RESET
    email: str | None = None
    attempts: int = 0
    verified_at: datetime | None = None
    reset_token_hash: str | None = None
    reset_expires_at: datetime | None = None
    used_at: datetime | None = None


@dataclass(slots=True)
class TelegramLinkCode:
    code_hash: str
    user_id: uuid.UUID
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(slots=True)
class AuditEntry:
    id: uuid.UUID
    action: AuditAction
    created_at: datetime
    actor_id: uuid.UUID | None = None
    target_id: uuid.UUID | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    ip: str | None = None


@dataclass(frozen=True, slots=True)
class RequestContext:
    """Facts about the request that the audit log and refresh sessions keep."""

    ip: str | None = None
    user_agent: str | None = None

    @property
    def bounded_user_agent(self) -> str | None:
        """The user agent as stored: trimmed, cut to ``USER_AGENT_MAX_LENGTH``, None when empty.
        The header is the client's to fill, so its length is bounded here, not trusted."""
        if self.user_agent is None:
            return None
        return self.user_agent.strip()[:USER_AGENT_MAX_LENGTH] or None


@dataclass(frozen=True, slots=True)
class TokenPair:
    """What signing in gives: the tokens, and whose they are (clients need the id at once)."""

    access_token: str
    refresh_token: str
    expires_in: int
    user_id: uuid.UUID
    token_type: str = "Bearer"
