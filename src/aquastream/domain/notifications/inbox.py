"""The user's in-app inbox (SPEC §12): every message they receive, read or unread, and how long
it is kept.

What is in it: every notice addressed to a user whose account is active when it is written
(``notify.write_notices``), whether a channel carried it or not: no Telegram linked, an email
that bounced, a channel that failed for good, or every reachable channel switched off for an
optional category. The admin's test message is there only when it could be sent (it tests a
channel). Entries are written unread; reading is the user's own act in the app, whatever the
channel did. Messages written before the inbox existed were copied in by its migration
(``0027_notification_inbox``): those a channel delivered as read, the others unread.

Retention: entries older than ``InboxPolicy.retention`` are deleted by a scheduled job, read
or not (``PruneInbox``); a deleted account takes its inbox along (``ForgetUser``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from aquastream.domain.notifications.errors import NotificationNotFound
from aquastream.domain.notifications.model import InboxEntry
from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.ports.clock import Clock
from aquastream.ports.notifications import NotificationUnitOfWork

# Entries deleted per transaction: short transactions and locks, however large the backlog.
INBOX_PRUNE_BATCH_SIZE = 1000


@dataclass(frozen=True, slots=True)
class InboxPolicy:
    # Entries older than this are deleted, read or not. It is also how long an entry
    # recognises its fact delivered again, so settings keep it above the spine's redeliveries.
    retention: timedelta = timedelta(days=180)


@dataclass(frozen=True, slots=True)
class Inbox:
    """A page of the user's entries and how many of all their entries are unread."""

    page: Page[InboxEntry]
    unread_count: int


@dataclass(frozen=True, slots=True)
class EntryRead:
    entry: InboxEntry
    unread_count: int


@dataclass(frozen=True, slots=True)
class AllRead:
    marked: int
    unread_count: int


class ListInbox:
    """The caller's own notifications, newest first, a page at a time, with `unreadCount`
    over the whole inbox (not just the page).

    Every message the caller receives is here, also when no external channel reached them
    (no Telegram linked, no reachable email, a channel switched off or failing). Each shows
    its category, the title and text as they were rendered for the caller (in their language
    at that moment), the event and booking it is about where there is one, when it came and
    when it was read (`readAt`, null while unread). Entries older than the retention period
    (`AQUASTREAM_NOTIFICATION_INBOX_RETENTION_DAYS`) are gone."""

    raises: ClassVar[Raises] = ()

    def __init__(self, uow: NotificationUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, user_id: uuid.UUID, paging: PageRequest) -> Inbox:
        async with self._uow:
            page = await self._uow.inbox.page_for_user(user_id, paging)
            unread = await self._uow.inbox.unread_count(user_id)
        return Inbox(page=page, unread_count=unread)


class MarkRead:
    """Mark one of the caller's notifications read; returns it and the caller's new
    `unreadCount`.

    Idempotent: marking a read notification again changes nothing and keeps the time it was
    first read. A notification that is not the caller's (or does not exist, or was deleted by
    retention) is 404 `notifications.notification_not_found`: someone else's looks like
    nothing."""

    raises: ClassVar[Raises] = (NotificationNotFound,)

    def __init__(self, uow: NotificationUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, user_id: uuid.UUID, entry_id: uuid.UUID) -> EntryRead:
        async with self._uow:
            entry = await self._uow.inbox.mark_read(user_id, entry_id, now=self._clock.now())
            if entry is None:
                raise NotificationNotFound()
            unread = await self._uow.inbox.unread_count(user_id)
            await self._uow.commit()
        return EntryRead(entry=entry, unread_count=unread)


class MarkAllRead:
    """Mark every unread notification of the caller read; returns how many it marked and the
    `unreadCount` after it (0, unless a new notification arrived meanwhile). Idempotent:
    with nothing unread it marks nothing."""

    raises: ClassVar[Raises] = ()

    def __init__(self, uow: NotificationUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, user_id: uuid.UUID) -> AllRead:
        async with self._uow:
            marked = await self._uow.inbox.mark_all_read(user_id, now=self._clock.now())
            unread = await self._uow.inbox.unread_count(user_id)
            await self._uow.commit()
        return AllRead(marked=marked, unread_count=unread)


class PruneInbox:
    """Delete one batch of inbox entries older than the retention period.

    Rules:
    - an entry created within ``policy.retention`` of now stays, read or not;
    - one call deletes at most ``INBOX_PRUNE_BATCH_SIZE`` entries, the oldest first, and
      commits: the job calls again while batches come back full (``ioc.worker.sweep``).
    Returns how many entries went.
    """

    def __init__(self, uow: NotificationUnitOfWork, clock: Clock, policy: InboxPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy

    async def __call__(self) -> int:
        async with self._uow:
            before = self._clock.now() - self._policy.retention
            pruned = await self._uow.inbox.prune(before=before, limit=INBOX_PRUNE_BATCH_SIZE)
            await self._uow.commit()
        return pruned
