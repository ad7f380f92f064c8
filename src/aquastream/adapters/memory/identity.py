"""In-memory identity repositories and unit of work."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import Generic, TypeVar

from aquastream.adapters.memory.database import MemoryDatabase, MemoryUnitOfWork
from aquastream.domain.identity.errors import EmailAlreadyRegistered
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
from aquastream.domain.identity.revocation import AccountAccess, EndedSession, Revocation
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.sorting import Sort
from aquastream.ports.booking import ParticipantContact
from aquastream.ports.identity import (
    AuditLog,
    ProfileRepository,
    RecoveryRepository,
    SessionRepository,
    TelegramLinkRepository,
    UserRepository,
)

_Key = TypeVar("_Key")
_Row = TypeVar("_Row")


class _Repository(Generic[_Key, _Row]):
    """One memory table of ``_Row``s by ``_Key``."""

    table_name: str

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    @property
    def _rows(self) -> dict[_Key, _Row]:
        return self._db.table(self.table_name)

    def _delete_where(self, doomed: Callable[[_Row], bool]) -> int:
        keys = [key for key, row in self._rows.items() if doomed(row)]
        for key in keys:
            del self._rows[key]
        return len(keys)


class MemoryUserRepository(_Repository[uuid.UUID, User]):
    table_name = "users"

    def _check_email_free(self, user: User) -> None:
        # Unique case-insensitively, as the SQL unique index on lower(email).
        email = user.email.lower()
        if any(row.email.lower() == email and row.id != user.id for row in self._rows.values()):
            raise EmailAlreadyRegistered()

    async def add(self, user: User) -> None:
        self._check_email_free(user)
        self._rows[user.id] = copy.copy(user)

    async def save(self, user: User) -> None:
        self._check_email_free(user)
        self._rows[user.id] = copy.copy(user)

    async def get(self, user_id: uuid.UUID) -> User | None:
        row = self._rows.get(user_id)
        return copy.copy(row) if row else None

    async def get_by_email(self, email: str) -> User | None:
        email = email.lower()
        return next((copy.copy(u) for u in self._rows.values() if u.email.lower() == email), None)

    async def search(
        self,
        paging: PageRequest,
        *,
        text: str | None = None,
        role: Role | None = None,
        is_active: bool | None = None,
        sort: Sort[UserSortKey] = NEWEST_USERS,
    ) -> Page[User]:
        needle = text.lower() if text else None
        matches = [
            u
            for u in self._rows.values()
            if u.deleted_at is None
            and (needle is None or needle in u.email.lower())
            and (role is None or u.role == role)
            and (is_active is None or u.is_active == is_active)
        ]
        # Emails are stored lower-cased; Python compares them by code point, as the SQL adapter does.
        key: Callable[[User], object] = (
            (lambda u: u.created_at) if sort.key is UserSortKey.CREATED_AT else (lambda u: u.email)
        )
        matches.sort(key=lambda u: (key(u), u.id), reverse=sort.descending)
        items = [copy.copy(u) for u in matches[paging.offset : paging.offset + paging.size]]
        return Page(items, len(matches), paging.page, paging.size)


class MemoryProfileRepository(_Repository[uuid.UUID, Profile]):
    table_name = "profiles"

    async def add(self, profile: Profile) -> None:
        self._rows[profile.user_id] = copy.deepcopy(profile)

    async def save(self, profile: Profile) -> None:
        self._rows[profile.user_id] = copy.deepcopy(profile)

    async def get(self, user_id: uuid.UUID) -> Profile | None:
        row = self._rows.get(user_id)
        return copy.deepcopy(row) if row else None

    async def get_by_telegram_chat(self, chat_id: int) -> Profile | None:
        return next((copy.deepcopy(p) for p in self._rows.values() if p.telegram_chat_id == chat_id), None)


class MemorySessionRepository(_Repository[uuid.UUID, RefreshSession]):
    table_name = "sessions"

    async def add(self, session: RefreshSession) -> None:
        self._rows[session.id] = copy.copy(session)

    async def get_by_token_hash(self, token_hash: str) -> RefreshSession | None:
        return next((copy.copy(s) for s in self._rows.values() if s.token_hash == token_hash), None)

    async def rotate(self, session_id: uuid.UUID, *, replaced_by: uuid.UUID, at: datetime) -> bool:
        row = self._rows.get(session_id)
        if row is None or row.revoked_at is not None:
            return False
        row.revoked_at = at
        row.replaced_by = replaced_by
        return True

    async def revoke(self, session_id: uuid.UUID, *, at: datetime) -> bool:
        row = self._rows.get(session_id)
        if row is None or row.revoked_at is not None:
            return False
        row.revoked_at = at
        return True

    def _revoke_where(
        self, predicate: Callable[[RefreshSession], bool], at: datetime
    ) -> list[RefreshSession]:
        revoked = [row for row in self._rows.values() if row.revoked_at is None and predicate(row)]
        for row in revoked:
            row.revoked_at = at
        return revoked

    async def revoke_family(self, family_id: uuid.UUID, *, at: datetime) -> int:
        return len(self._revoke_where(lambda s: s.family_id == family_id, at))

    async def revoke_all_for_user(self, user_id: uuid.UUID, *, at: datetime) -> list[uuid.UUID]:
        return [s.family_id for s in self._revoke_where(lambda s: s.user_id == user_id, at)]

    async def list_for_user(self, user_id: uuid.UUID) -> list[RefreshSession]:
        rows = [copy.copy(s) for s in self._rows.values() if s.user_id == user_id]
        return sorted(rows, key=lambda s: (s.created_at, s.id))

    async def list_live_for_user(
        self, user_id: uuid.UUID, *, now: datetime, limit: int
    ) -> list[RefreshSession]:
        rows = [
            copy.copy(s)
            for s in self._rows.values()
            if s.user_id == user_id and s.revoked_at is None and s.expires_at > now
        ]
        return sorted(rows, key=lambda s: (s.started_at, s.id), reverse=True)[:limit]

    async def forget_devices(self, user_id: uuid.UUID) -> None:
        for row in self._rows.values():
            if row.user_id == user_id:
                row.user_agent = row.ip = None

    async def revoke_live_family(self, user_id: uuid.UUID, family_id: uuid.UUID, *, at: datetime) -> int:
        def live_in_family(s: RefreshSession) -> bool:
            return s.user_id == user_id and s.family_id == family_id and s.expires_at > at

        return len(self._revoke_where(live_in_family, at))

    async def purge_expired(self, *, before: datetime) -> int:
        return self._delete_where(lambda s: s.expires_at < before)


class MemoryRecoveryRepository(_Repository[uuid.UUID, RecoveryRequest]):
    table_name = "recovery"

    async def add(self, request: RecoveryRequest) -> None:
        self._rows[request.id] = copy.copy(request)

    async def latest_open_for_user(
        self, user_id: uuid.UUID, *, now: datetime, purpose: CodePurpose = CodePurpose.PASSWORD_RESET
    ) -> RecoveryRequest | None:
        open_requests = [
            r
            for r in self._rows.values()
            if r.user_id == user_id
            and r.purpose == purpose
            and r.verified_at is None
            and r.used_at is None
            and r.expires_at > now
        ]
        if not open_requests:
            return None
        return copy.copy(max(open_requests, key=lambda r: (r.created_at, r.id)))

    async def count_attempt(self, request_id: uuid.UUID, *, max_attempts: int) -> int | None:
        row = self._rows.get(request_id)
        if row is None or row.attempts >= max_attempts:
            return None
        row.attempts += 1
        return row.attempts

    async def mark_verified(
        self,
        request_id: uuid.UUID,
        *,
        at: datetime,
        reset_token_hash: str | None = None,
        reset_expires_at: datetime | None = None,
    ) -> bool:
        row = self._rows.get(request_id)
        if row is None or row.verified_at is not None or row.used_at is not None:
            return False
        row.verified_at = at
        row.reset_token_hash = reset_token_hash
        row.reset_expires_at = reset_expires_at
        return True

    async def get_by_reset_token_hash(self, token_hash: str) -> RecoveryRequest | None:
        return next((copy.copy(r) for r in self._rows.values() if r.reset_token_hash == token_hash), None)

    async def mark_used(self, request_id: uuid.UUID, *, at: datetime) -> bool:
        row = self._rows.get(request_id)
        if row is None or row.used_at is not None:
            return False
        row.used_at = at
        return True

    async def close_all_for_user(
        self, user_id: uuid.UUID, *, at: datetime, purpose: CodePurpose | None = None
    ) -> None:
        for row in self._rows.values():
            if row.user_id == user_id and row.used_at is None and purpose in (None, row.purpose):
                row.used_at = at

    async def purge_expired(self, *, before: datetime) -> int:
        return self._delete_where(
            lambda r: r.expires_at < before and (r.reset_expires_at is None or r.reset_expires_at < before)
        )


class MemoryTelegramLinkRepository(_Repository[str, TelegramLinkCode]):
    table_name = "telegram_link_codes"

    async def add(self, code: TelegramLinkCode) -> None:
        self._rows[code.code_hash] = copy.copy(code)

    async def consume(self, code_hash: str, *, at: datetime) -> uuid.UUID | None:
        row = self._rows.get(code_hash)
        if row is None or row.used_at is not None or row.expires_at <= at:
            return None
        row.used_at = at
        return row.user_id

    async def purge_expired(self, *, before: datetime) -> int:
        return self._delete_where(lambda c: c.expires_at < before)


class MemoryAuditLog(_Repository[uuid.UUID, AuditEntry]):
    table_name = "audit"

    async def add(self, entry: AuditEntry) -> None:
        self._rows[entry.id] = copy.deepcopy(entry)

    async def list_for_user(
        self, user_id: uuid.UUID, paging: PageRequest, sort: Sort[AuditSortKey] = NEWEST_AUDIT_ENTRIES
    ) -> Page[AuditEntry]:
        matches = [e for e in self._rows.values() if user_id in (e.target_id, e.actor_id)]
        matches.sort(key=lambda e: (e.created_at, e.id), reverse=sort.descending)  # the one key: createdAt
        items = [copy.deepcopy(e) for e in matches[paging.offset : paging.offset + paging.size]]
        return Page(items, len(matches), paging.page, paging.size)

    async def prune(self, *, before: datetime, limit: int) -> int:
        old = sorted(
            (e for e in self._rows.values() if e.created_at < before), key=lambda e: (e.created_at, e.id)
        )
        for entry in old[:limit]:
            del self._rows[entry.id]
        return len(old[:limit])


class MemoryIdentityUnitOfWork(MemoryUnitOfWork):
    domain = "identity"

    def __init__(self, db: MemoryDatabase) -> None:
        super().__init__(db)
        # Typed as the ports: the protocol's attributes are invariant.
        self.users: UserRepository = MemoryUserRepository(db)
        self.profiles: ProfileRepository = MemoryProfileRepository(db)
        self.sessions: SessionRepository = MemorySessionRepository(db)
        self.recovery: RecoveryRepository = MemoryRecoveryRepository(db)
        self.link_codes: TelegramLinkRepository = MemoryTelegramLinkRepository(db)
        self.audit: AuditLog = MemoryAuditLog(db)


class MemoryRevocationFeed:
    """Identity's ``RevocationFeed`` over the memory tables (the SQL twin is
    ``SqlRevocationFeed``); it waits for a unit of work in progress, so that it reads only
    what is committed."""

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def revoked_since(self, since: datetime) -> list[Revocation]:
        async with self._db.lock:
            sessions: list[RefreshSession] = list(self._db.table("sessions").values())
            users: list[User] = list(self._db.table("users").values())
            revocations: list[Revocation] = [
                EndedSession(s.user_id, s.family_id, s.revoked_at)
                for s in sessions
                if s.revoked_at is not None and s.revoked_at >= since and s.replaced_by is None
            ]
            revocations += [
                AccountAccess(u.id, u.tokens_not_before, u.is_usable)
                for u in users
                if u.tokens_not_before is not None and u.tokens_not_before >= since
            ]
            return revocations


class MemoryIdentityParticipantDirectory:
    """Booking's ``ParticipantDirectory`` over the memory identity tables (the SQL twin is
    ``IdentityParticipantDirectory``)."""

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def is_contactable(self, user_id: uuid.UUID) -> bool:
        user: User | None = self._db.table("users").get(user_id)
        profile: Profile | None = self._db.table("profiles").get(user_id)
        if user is None or profile is None or not user.is_active or user.deleted_at is not None:
            return False
        return profile.is_contactable

    async def contacts(self, user_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, ParticipantContact]:
        found = {}
        for user_id in user_ids:
            user: User | None = self._db.table("users").get(user_id)
            if user is None:
                continue
            profile: Profile | None = self._db.table("profiles").get(user_id)
            found[user_id] = ParticipantContact(
                user_id=user_id,
                email=None if user.deleted_at is not None else user.email,
                first_name=profile.first_name if profile else None,
                last_name=profile.last_name if profile else None,
                phone=profile.phone if profile else None,
                telegram=profile.telegram if profile else None,
            )
        return found


class MemoryIdentityTeamAccounts:
    """The catalog's ``TeamAccounts`` over the memory identity tables (the SQL twin is
    ``IdentityTeamAccounts``); it reads without the lock, as the catalog asks outside its own
    unit of work."""

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def account_id(self, email: str) -> uuid.UUID | None:
        email = email.lower()
        users: dict[uuid.UUID, User] = self._db.table(MemoryUserRepository.table_name)
        return next((u.id for u in users.values() if u.email.lower() == email and u.is_usable), None)

    async def emails(self, user_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, str]:
        users: dict[uuid.UUID, User] = self._db.table(MemoryUserRepository.table_name)
        found = (users.get(user_id) for user_id in user_ids)
        return {u.id: u.email for u in found if u is not None and not u.is_deleted}
