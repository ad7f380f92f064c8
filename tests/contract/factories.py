"""Domain objects for the contract tests, valid unless a test says otherwise."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from aquastream.domain.identity.model import (
    AuditAction,
    AuditEntry,
    RecoveryRequest,
    RefreshSession,
    Role,
    TelegramLinkCode,
    User,
)
from aquastream.domain.shared.ids import new_id

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


def a_user(
    email: str | None = None,
    *,
    role: Role = Role.USER,
    is_active: bool = True,
    created_at: datetime = NOW,
    deleted_at: datetime | None = None,
) -> User:
    return User(
        id=new_id(),
        email=email or f"user-{uuid.uuid4().hex[:10]}@example.com",
        password_hash="$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA",
        role=role,
        is_active=is_active,
        created_at=created_at,
        updated_at=created_at,
        deleted_at=deleted_at,
    )


def a_session(
    user: User, *, family_id: uuid.UUID | None = None, created_at: datetime = NOW
) -> RefreshSession:
    return RefreshSession(
        id=new_id(),
        user_id=user.id,
        family_id=family_id or new_id(),
        token_hash=uuid.uuid4().hex * 2,
        created_at=created_at,
        expires_at=created_at + timedelta(days=30),
    )


def a_recovery_request(
    user: User, *, created_at: datetime = NOW, ttl: timedelta = timedelta(minutes=15)
) -> RecoveryRequest:
    return RecoveryRequest(
        id=new_id(),
        user_id=user.id,
        code_hash=uuid.uuid4().hex,
        created_at=created_at,
        expires_at=created_at + ttl,
    )


def a_link_code(
    user: User, *, created_at: datetime = NOW, ttl: timedelta = timedelta(minutes=15)
) -> TelegramLinkCode:
    return TelegramLinkCode(
        code_hash=uuid.uuid4().hex,
        user_id=user.id,
        created_at=created_at,
        expires_at=created_at + ttl,
    )


def an_audit_entry(
    action: AuditAction,
    *,
    actor: User | None = None,
    target: User | None = None,
    created_at: datetime = NOW,
) -> AuditEntry:
    return AuditEntry(
        id=new_id(),
        action=action,
        created_at=created_at,
        actor_id=actor.id if actor else None,
        target_id=target.id if target else None,
        payload={"note": "contract test", "nested": {"count": 2, "tags": ["a", "b"]}},
        ip="203.0.113.7",
    )
