"""Ports of the identity domain: its unit of work and repositories, and the services it needs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from aquastream.domain.identity.model import (
    AuditEntry,
    CodePurpose,
    Profile,
    RecoveryRequest,
    RefreshSession,
    Role,
    TelegramLinkCode,
    User,
)
from aquastream.domain.identity.ordering import NEWEST_AUDIT_ENTRIES, NEWEST_USERS, AuditSortKey, UserSortKey
from aquastream.domain.identity.revocation import Revocation
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.sorting import Sort
from aquastream.ports.uow import UnitOfWork


class UserRepository(Protocol):
    async def add(self, user: User) -> None:
        """Insert; raises ``EmailAlreadyRegistered`` when the email is taken."""
        ...

    async def save(self, user: User) -> None:
        """Update an existing user; raises ``EmailAlreadyRegistered`` on an email clash."""
        ...

    async def get(self, user_id: uuid.UUID) -> User | None: ...

    async def get_by_email(self, email: str) -> User | None:
        """Look up by the normalised (lower-cased) email."""
        ...

    async def search(
        self,
        paging: PageRequest,
        *,
        text: str | None = None,
        role: Role | None = None,
        is_active: bool | None = None,
        sort: Sort[UserSortKey] = NEWEST_USERS,
    ) -> Page[User]:
        """Users in ``sort`` order (newest first by default), ties by id in the same direction;
        ``email`` compares by code point on every database. ``text`` matches a substring of
        the email, case-insensitively. Deleted (anonymised) users are left out."""
        ...


class ProfileRepository(Protocol):
    async def add(self, profile: Profile) -> None: ...

    async def save(self, profile: Profile) -> None: ...

    async def get(self, user_id: uuid.UUID) -> Profile | None: ...

    async def get_by_telegram_chat(self, chat_id: int) -> Profile | None: ...


class SessionRepository(Protocol):
    async def add(self, session: RefreshSession) -> None: ...

    async def get_by_token_hash(self, token_hash: str) -> RefreshSession | None: ...

    async def rotate(self, session_id: uuid.UUID, *, replaced_by: uuid.UUID, at: datetime) -> bool:
        """Revoke the session in favour of its successor, only if it is still live.

        One atomic conditional update: of two concurrent rotations of one token exactly
        one returns True; the loser must treat the token as replayed.
        """
        ...

    async def revoke(self, session_id: uuid.UUID, *, at: datetime) -> bool:
        """Revoke one live session; False when it was already revoked."""
        ...

    async def revoke_family(self, family_id: uuid.UUID, *, at: datetime) -> int: ...

    async def revoke_all_for_user(self, user_id: uuid.UUID, *, at: datetime) -> list[uuid.UUID]:
        """Revoke every live session of the user; the session families that ended."""
        ...

    async def list_for_user(self, user_id: uuid.UUID) -> list[RefreshSession]: ...

    async def list_live_for_user(
        self, user_id: uuid.UUID, *, now: datetime, limit: int
    ) -> list[RefreshSession]:
        """At most ``limit`` of the user's sessions neither revoked nor expired at ``now``
        (rotation leaves one per live family), the latest login first (``started_at``, then
        id, descending)."""
        ...

    async def forget_devices(self, user_id: uuid.UUID) -> None:
        """Clear the user agent and IP that the user's sessions recorded."""
        ...

    async def revoke_live_family(self, user_id: uuid.UUID, family_id: uuid.UUID, *, at: datetime) -> int:
        """Revoke the family's sessions that are live (unrevoked, unexpired) at ``at``, only if
        the family is the user's; how many were revoked (0: no such live family of the user)."""
        ...

    async def purge_expired(self, *, before: datetime) -> int:
        """Delete sessions that expired before ``before``; how many went."""
        ...


class RecoveryRepository(Protocol):
    """One-time codes of every ``CodePurpose``: password recovery and email verification."""

    async def add(self, request: RecoveryRequest) -> None: ...

    async def latest_open_for_user(
        self, user_id: uuid.UUID, *, now: datetime, purpose: CodePurpose = CodePurpose.PASSWORD_RESET
    ) -> RecoveryRequest | None:
        """The newest request of ``purpose`` that is neither expired, verified nor used."""
        ...

    async def count_attempt(self, request_id: uuid.UUID, *, max_attempts: int) -> int | None:
        """Atomically add one try if fewer than ``max_attempts`` were made; the new
        count, or None when the limit was already reached."""
        ...

    async def mark_verified(
        self,
        request_id: uuid.UUID,
        *,
        at: datetime,
        reset_token_hash: str | None = None,
        reset_expires_at: datetime | None = None,
    ) -> bool:
        """Consume the code once (conditional on not yet verified nor used); a recovery code
        gives the reset token's hash and expiry."""
        ...

    async def get_by_reset_token_hash(self, token_hash: str) -> RecoveryRequest | None: ...

    async def mark_used(self, request_id: uuid.UUID, *, at: datetime) -> bool:
        """Consume the reset token once (conditional on not yet used)."""
        ...

    async def close_all_for_user(
        self, user_id: uuid.UUID, *, at: datetime, purpose: CodePurpose | None = None
    ) -> None:
        """Mark every open request of the user used (a new request or a reset supersedes them),
        of one ``purpose`` or, with None, of all."""
        ...

    async def purge_expired(self, *, before: datetime) -> int:
        """Delete requests whose code and reset token both expired before ``before``."""
        ...


class TelegramLinkRepository(Protocol):
    async def add(self, code: TelegramLinkCode) -> None: ...

    async def consume(self, code_hash: str, *, at: datetime) -> uuid.UUID | None:
        """Use the code once if it exists and is unexpired; the owner's id, else None."""
        ...

    async def purge_expired(self, *, before: datetime) -> int:
        """Delete codes that expired before ``before``, used or not."""
        ...


class AuditLog(Protocol):
    async def add(self, entry: AuditEntry) -> None: ...

    async def list_for_user(
        self, user_id: uuid.UUID, paging: PageRequest, sort: Sort[AuditSortKey] = NEWEST_AUDIT_ENTRIES
    ) -> Page[AuditEntry]:
        """Entries where the user is the target or the actor, in ``sort`` order (newest first by
        default), ties by id in the same direction."""
        ...

    async def prune(self, *, before: datetime, limit: int) -> int:
        """Delete at most ``limit`` entries made before ``before``, oldest first; how many went."""
        ...


class IdentityUnitOfWork(UnitOfWork, Protocol):
    users: UserRepository
    profiles: ProfileRepository
    sessions: SessionRepository
    recovery: RecoveryRepository
    link_codes: TelegramLinkRepository
    audit: AuditLog


class PasswordHasher(Protocol):
    def hash(self, secret: str) -> str: ...

    def verify(self, hashed: str, secret: str) -> bool:
        """True when ``secret`` matches; never raises for a mismatch or a malformed hash."""
        ...

    def needs_rehash(self, hashed: str) -> bool: ...


class AccessTokenIssuer(Protocol):
    def issue(self, user: User, *, now: datetime, session_family_id: uuid.UUID) -> tuple[str, int]:
        """A signed access token for ``user``, naming the session family it was issued
        with, and its lifetime in seconds."""
        ...


class RevocationFeed(Protocol):
    """What every instance of the edge reads, every second or so, to refuse revoked tokens."""

    async def revoked_since(self, since: datetime) -> list[Revocation]:
        """Session families ended (revoked, not rotated) and users marked at or after
        ``since``, as committed now, each account with whether it is usable now.

        Raises ``DependencyUnavailable`` when the store cannot be reached.
        """
        ...


class AccessRevocationListener(Protocol):
    def access_revoked(self, *revocations: Revocation) -> None:
        """Called after a commit that revoked access tokens (or, for an unblock, gave an
        account back): this process takes it into account at once, other processes when
        they next read the ``RevocationFeed``."""
        ...


class SecretGenerator(Protocol):
    def token(self) -> str:
        """An unguessable URL-safe token (at least 256 bits)."""
        ...

    def numeric_code(self, digits: int) -> str: ...


class RecoveryCodeSender(Protocol):
    async def send_recovery_code(self, *, email: str | None, telegram_chat_id: int | None, code: str) -> None:
        """Deliver the code through Telegram when linked, else by email. ``email`` is None
        when the account's email is not verified: then only Telegram may carry the code."""
        ...


class VerificationCodeSender(Protocol):
    async def send_verification_code(self, *, email: str, code: str) -> None:
        """Deliver an email-verification code by email to ``email``: the one message that goes
        to an address not verified yet (proving it is the point)."""
        ...


@dataclass(frozen=True, slots=True)
class UserBooking:
    """One booking of a user, as an administrator looking at the user sees it."""

    booking_id: uuid.UUID
    event_id: uuid.UUID
    event_title: str | None
    status: str
    payment_status: str
    amount: Decimal
    currency: str
    created_at: datetime


class UserBookings(Protocol):
    """What identity asks the booking domain for an administrator's view of a user: served by
    booking on its own connection, asked outside identity's transaction."""

    async def for_user(self, user_id: uuid.UUID, paging: PageRequest) -> Page[UserBooking]:
        """The user's bookings, newest first (ties by id, descending)."""
        ...
