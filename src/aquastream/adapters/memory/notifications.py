"""In-memory notification outbox, inbox, preferences, and the answers of the other domains.

Each method runs under the database lock its unit of work holds, which makes it as atomic
as the single SQL statement it stands for.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from aquastream.adapters.memory.database import MemoryDatabase, MemoryUnitOfWork
from aquastream.domain.notifications.model import (
    Category,
    Channel,
    EventSummary,
    InboxEntry,
    Language,
    Message,
    MessageStatus,
    Preferences,
    Recipient,
)
from aquastream.domain.shared.paging import Page, PageRequest

MESSAGES = "notifications.messages"
INBOX = "notifications.inbox"
LEASES = "notifications.leases"
LANGUAGES = "notifications.user_settings"
OPT_OUTS = "notifications.opt_outs"
UNREACHABLE = "notifications.unreachable_addresses"


Keyed = TypeVar("Keyed", Message, InboxEntry)


def _add_once(rows: dict[uuid.UUID, Keyed], items: Sequence[Keyed]) -> list[Keyed]:
    """Store each item unless its (user, category, subject) key is taken (also by an earlier
    one of ``items``); the items stored, in their order."""
    keys = {(row.user_id, row.category, row.subject) for row in rows.values()}
    written = []
    for item in items:
        key = (item.user_id, item.category, item.subject)
        if key not in keys:
            keys.add(key)
            rows[item.id] = item
            written.append(item)
    return written


class _Tables:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    def _table(self, name: str) -> dict[Any, Any]:
        # Looked up on every use: a rollback replaces the database's tables.
        return self._db.table(name)


class MemoryMessageRepository(_Tables):
    async def add(self, message: Message) -> bool:
        return bool(await self.add_new([message]))

    async def add_new(self, messages: Sequence[Message]) -> list[Message]:
        return _add_once(self._table(MESSAGES), messages)

    async def get(self, message_id: uuid.UUID) -> Message | None:
        found: Message | None = self._table(MESSAGES).get(message_id)
        return found

    async def claim_due(self, *, now: datetime, limit: int, lease: timedelta) -> list[Message]:
        rows, leases = self._table(MESSAGES), self._table(LEASES)
        due = sorted(
            (
                m
                for m in rows.values()
                if m.status is MessageStatus.PENDING
                and m.next_attempt_at <= now
                and leases.get(m.id, now) <= now
            ),
            key=lambda m: (m.next_attempt_at, m.id),
        )[:limit]
        claimed = []
        for message in due:
            leases[message.id] = now + lease
            rows[message.id] = claimed_message = dataclasses.replace(message, attempts=message.attempts + 1)
            claimed.append(claimed_message)
        return claimed

    def _update(self, message_id: uuid.UUID, **changes: Any) -> None:
        rows = self._table(MESSAGES)
        self._table(LEASES).pop(message_id, None)
        if message_id in rows:
            rows[message_id] = dataclasses.replace(rows[message_id], **changes)

    async def mark_sent(self, message_id: uuid.UUID, *, now: datetime) -> None:
        self._update(message_id, status=MessageStatus.SENT, sent_at=now)

    async def mark_retry(self, message_id: uuid.UUID, *, error: str, retry_at: datetime) -> None:
        self._update(message_id, last_error=error, next_attempt_at=retry_at)

    async def mark_failed(self, message_id: uuid.UUID, *, error: str) -> None:
        self._update(message_id, status=MessageStatus.FAILED, last_error=error)

    async def postpone(self, message_id: uuid.UUID, *, until: datetime) -> None:
        message = self._table(MESSAGES).get(message_id)
        if message is not None:
            self._update(message_id, next_attempt_at=until, attempts=max(message.attempts - 1, 0))

    async def reroute(
        self, message_id: uuid.UUID, *, channel: Channel, address: str, error: str, now: datetime
    ) -> None:
        self._update(
            message_id, channel=channel, address=address, last_error=error, next_attempt_at=now, attempts=0
        )

    async def pending_by_channel(self) -> Mapping[Channel, int]:
        return Counter(m.channel for m in self._table(MESSAGES).values() if m.status is MessageStatus.PENDING)

    async def list_for_user(self, user_id: uuid.UUID) -> list[Message]:
        mine = [m for m in self._table(MESSAGES).values() if m.user_id == user_id]
        return sorted(mine, key=lambda m: (m.created_at, m.id), reverse=True)

    async def delete_for_user(self, user_id: uuid.UUID) -> int:
        rows = self._table(MESSAGES)
        doomed = [message_id for message_id, m in rows.items() if m.user_id == user_id]
        for message_id in doomed:
            del rows[message_id]
            self._table(LEASES).pop(message_id, None)
        return len(doomed)


def _newest_first(entries: Collection[InboxEntry]) -> list[InboxEntry]:
    return sorted(entries, key=lambda e: (e.created_at, e.id), reverse=True)


class MemoryInboxRepository(_Tables):
    async def add_new(self, entries: Sequence[InboxEntry]) -> list[InboxEntry]:
        return _add_once(self._table(INBOX), entries)

    async def users_told(self, category: Category, subject: str) -> set[uuid.UUID]:
        return {
            e.user_id for e in self._table(INBOX).values() if (e.category, e.subject) == (category, subject)
        }

    def _of(self, user_id: uuid.UUID) -> list[InboxEntry]:
        return [e for e in self._table(INBOX).values() if e.user_id == user_id]

    async def page_for_user(self, user_id: uuid.UUID, paging: PageRequest) -> Page[InboxEntry]:
        mine = _newest_first(self._of(user_id))
        return Page(mine[paging.offset : paging.offset + paging.size], len(mine), paging.page, paging.size)

    async def unread_count(self, user_id: uuid.UUID) -> int:
        return sum(1 for e in self._of(user_id) if e.read_at is None)

    async def mark_read(self, user_id: uuid.UUID, entry_id: uuid.UUID, *, now: datetime) -> InboxEntry | None:
        rows = self._table(INBOX)
        entry: InboxEntry | None = rows.get(entry_id)
        if entry is None or entry.user_id != user_id:
            return None
        if entry.read_at is None:
            rows[entry_id] = entry = dataclasses.replace(entry, read_at=now)
        return entry

    async def mark_all_read(self, user_id: uuid.UUID, *, now: datetime) -> int:
        rows = self._table(INBOX)
        unread = [e for e in self._of(user_id) if e.read_at is None]
        for entry in unread:
            rows[entry.id] = dataclasses.replace(entry, read_at=now)
        return len(unread)

    async def list_for_user(self, user_id: uuid.UUID) -> list[InboxEntry]:
        return _newest_first(self._of(user_id))

    async def prune(self, *, before: datetime, limit: int) -> int:
        rows = self._table(INBOX)
        old = sorted((e for e in rows.values() if e.created_at < before), key=lambda e: (e.created_at, e.id))
        for entry in old[:limit]:
            del rows[entry.id]
        return len(old[:limit])

    async def delete_for_user(self, user_id: uuid.UUID) -> int:
        rows = self._table(INBOX)
        mine = self._of(user_id)
        for entry in mine:
            del rows[entry.id]
        return len(mine)


class MemoryPreferenceRepository(_Tables):
    async def get(self, user_id: uuid.UUID) -> Preferences:
        language = self._table(LANGUAGES).get(user_id, Language.RU)
        switched_off = frozenset(
            (category, channel) for (owner, category, channel) in self._table(OPT_OUTS) if owner == user_id
        )
        unreachable = frozenset(
            (channel, address)
            for (owner, channel), address in self._table(UNREACHABLE).items()
            if owner == user_id
        )
        return Preferences(
            user_id=user_id, language=language, switched_off=switched_off, unreachable=unreachable
        )

    async def get_many(self, user_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Preferences]:
        return {user_id: await self.get(user_id) for user_id in user_ids}

    async def set_language(self, user_id: uuid.UUID, language: Language, *, now: datetime) -> None:
        self._table(LANGUAGES)[user_id] = language

    async def switch(self, user_id: uuid.UUID, category: Category, channel: Channel, *, on: bool) -> None:
        opt_outs = self._table(OPT_OUTS)
        if on:
            opt_outs.pop((user_id, category, channel), None)
        else:
            opt_outs[(user_id, category, channel)] = True

    async def mark_unreachable(
        self, user_id: uuid.UUID, channel: Channel, address: str, *, reason: str, now: datetime
    ) -> None:
        self._table(UNREACHABLE)[(user_id, channel)] = address

    async def clear_unreachable(self, user_id: uuid.UUID, channel: Channel) -> bool:
        return self._table(UNREACHABLE).pop((user_id, channel), None) is not None

    async def delete_for_user(self, user_id: uuid.UUID) -> None:
        self._table(LANGUAGES).pop(user_id, None)
        for table in (self._table(OPT_OUTS), self._table(UNREACHABLE)):
            for key in [key for key in table if key[0] == user_id]:
                del table[key]


class MemoryNotificationUnitOfWork(MemoryUnitOfWork):
    domain = "notifications"

    def __init__(self, db: MemoryDatabase) -> None:
        super().__init__(db)
        self.messages = MemoryMessageRepository(db)
        self.inbox = MemoryInboxRepository(db)
        self.preferences = MemoryPreferenceRepository(db)


class MemoryRecipientDirectory:
    """Users as tests declare them (with the emails they verified); a user not declared is
    unknown, one in ``blocked`` is blocked."""

    def __init__(self) -> None:
        self.users: dict[uuid.UUID, Recipient] = {}
        self.blocked: set[uuid.UUID] = set()

    def add(self, recipient: Recipient) -> Recipient:
        self.users[recipient.user_id] = recipient
        return recipient

    async def recipients(
        self, user_ids: Collection[uuid.UUID], *, blocked_too: bool = False
    ) -> Mapping[uuid.UUID, Recipient]:
        return {
            user_id: self.users[user_id]
            for user_id in user_ids
            if user_id in self.users and (blocked_too or user_id not in self.blocked)
        }

    async def user_for_chat(self, chat_id: int) -> uuid.UUID | None:
        return next(
            (
                r.user_id
                for r in self.users.values()
                if r.telegram_chat_id == chat_id and r.user_id not in self.blocked
            ),
            None,
        )


class MemoryEventDirectory:
    """Published events and their confirmed participants, as tests declare them."""

    def __init__(self) -> None:
        self.events: dict[uuid.UUID, EventSummary] = {}
        self.published: set[uuid.UUID] = set()
        self.confirmed: dict[uuid.UUID, list[uuid.UUID]] = {}

    def add(self, event: EventSummary, *participants: uuid.UUID, published: bool = True) -> EventSummary:
        self.events[event.event_id] = event
        if published:
            self.published.add(event.event_id)
        self.confirmed.setdefault(event.event_id, []).extend(participants)
        return event

    async def event(self, event_id: uuid.UUID) -> EventSummary | None:
        return self.events.get(event_id)

    async def starting_between(self, after: datetime, until: datetime) -> Sequence[EventSummary]:
        found = [
            e for e in self.events.values() if e.event_id in self.published and after < e.starts_at <= until
        ]
        return sorted(found, key=lambda e: (e.starts_at, e.event_id))

    async def confirmed_participants(self, event_id: uuid.UUID) -> Sequence[uuid.UUID]:
        return list(self.confirmed.get(event_id, ()))


class MemoryTelegramLinker:
    """Link codes as tests hand them out: each works once."""

    def __init__(self) -> None:
        self.codes: dict[str, uuid.UUID] = {}
        self.linked: list[tuple[uuid.UUID, int, str | None]] = []

    async def link(self, code: str, chat_id: int, username: str | None) -> uuid.UUID | None:
        user_id = self.codes.pop(code, None)
        if user_id is not None:
            self.linked.append((user_id, chat_id, username))
        return user_id


class MemoryMessageSender:
    """Keeps what it sends; fails the next ``fail_next`` sends, to exercise retries, and raises
    each of ``failures`` in turn before that, to exercise how a kind of failure is handled."""

    def __init__(self) -> None:
        self.sent: list[Message] = []
        self.fail_next = 0
        self.failures: list[Exception] = []

    async def send(self, message: Message) -> None:
        if self.failures:
            raise self.failures.pop(0)
        if self.fail_next > 0:
            self.fail_next -= 1
            raise ConnectionError("channel unavailable")
        self.sent.append(message)
