"""Facts of the identity domain that other domains may subscribe to."""

from __future__ import annotations

import uuid

from aquastream.domain.shared.events import DomainEvent


class UserRegistered(DomainEvent, frozen=True, kw_only=True):
    user_id: uuid.UUID
    email: str


class UserRoleChanged(DomainEvent, frozen=True, kw_only=True):
    user_id: uuid.UUID
    old_role: str
    new_role: str


class UserBlocked(DomainEvent, frozen=True, kw_only=True):
    user_id: uuid.UUID


class UserUnblocked(DomainEvent, frozen=True, kw_only=True):
    user_id: uuid.UUID


class TelegramLinked(DomainEvent, frozen=True, kw_only=True):
    user_id: uuid.UUID
    chat_id: int


class UserDeleted(DomainEvent, frozen=True, kw_only=True):
    user_id: uuid.UUID
