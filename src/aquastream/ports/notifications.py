"""Ports of the notification domain: its outbox of messages, the users' inbox and their
preferences, what it asks
the identity, catalog and booking domains, and the channels that deliver."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from aquastream.domain.notifications.model import (
    Category,
    Channel,
    EventSummary,
    InboxEntry,
    Language,
    Message,
    Preferences,
    Recipient,
)
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.principal import Principal
from aquastream.ports.uow import UnitOfWork


class MessageRepository(Protocol):
    async def add(self, message: Message) -> bool:
        """Insert unless the user already has a message of this category and subject
        (unique key); False when it was a duplicate. Never fails on a duplicate, also not
        when two transactions insert the same key at once."""
        ...

    async def add_new(self, messages: Sequence[Message]) -> list[Message]:
        """``add`` for each message, in one statement: the messages written, in their order (a
        message whose key an earlier one of ``messages`` has is a duplicate too)."""
        ...

    async def get(self, message_id: uuid.UUID) -> Message | None: ...

    async def claim_due(self, *, now: datetime, limit: int, lease: timedelta) -> list[Message]:
        """Up to ``limit`` PENDING messages due at ``now`` and not leased, oldest first; each is
        leased until ``now + lease`` and its attempt counted. Rows other transactions hold are
        skipped (``FOR UPDATE SKIP LOCKED``), so concurrent senders take disjoint batches; a
        lease that lapses (a crashed sender) makes the message due again."""
        ...

    async def mark_sent(self, message_id: uuid.UUID, *, now: datetime) -> None: ...

    async def mark_retry(self, message_id: uuid.UUID, *, error: str, retry_at: datetime) -> None: ...

    async def mark_failed(self, message_id: uuid.UUID, *, error: str) -> None: ...

    async def postpone(self, message_id: uuid.UUID, *, until: datetime) -> None:
        """Give back a claimed message that was not tried: its lease released, the attempt its
        claim counted taken back, due at ``until``."""
        ...

    async def reroute(
        self, message_id: uuid.UUID, *, channel: Channel, address: str, error: str, now: datetime
    ) -> None:
        """Hand the message over to another channel and address: still PENDING, due at
        ``now``, its lease released, its attempts counted afresh from 0 (they count the
        attempts on its current channel), ``error`` (why the old channel gave up) kept as
        the last error."""
        ...

    async def pending_by_channel(self) -> Mapping[Channel, int]:
        """How many PENDING messages (due or waiting for a retry) each channel has; a channel
        with none may be left out. One grouped count, for the metrics scrape."""
        ...

    async def list_for_user(self, user_id: uuid.UUID) -> list[Message]:
        """Every message to the user, whatever its status, newest first (for their data export)."""
        ...

    async def delete_for_user(self, user_id: uuid.UUID) -> int:
        """Delete every message of the user; how many there were."""
        ...


class InboxRepository(Protocol):
    """The users' in-app inbox: one entry per (user, category, subject), the record that the
    user was told of a fact, whatever channel (if any) carried it."""

    async def add_new(self, entries: Sequence[InboxEntry]) -> list[InboxEntry]:
        """Insert each entry unless the user already has one of its category and subject (the
        unique key; also when two transactions insert the same key at once, the second writes
        nothing); the entries written, in their order, in one statement."""
        ...

    async def users_told(self, category: Category, subject: str) -> set[uuid.UUID]:
        """The users who already have an entry of this category and subject."""
        ...

    async def page_for_user(self, user_id: uuid.UUID, paging: PageRequest) -> Page[InboxEntry]:
        """The user's entries, newest first (``created_at``, then ``id``, both descending), and
        how many they have in all."""
        ...

    async def unread_count(self, user_id: uuid.UUID) -> int:
        """How many of the user's entries are not read: counted, never a stored counter, so it
        is exact however many marks run at once."""
        ...

    async def mark_read(self, user_id: uuid.UUID, entry_id: uuid.UUID, *, now: datetime) -> InboxEntry | None:
        """Mark the user's entry read at ``now`` unless it was read before (then its first
        ``read_at`` stays); the entry as it is now, or None when the user has no entry of this
        id. One statement."""
        ...

    async def mark_all_read(self, user_id: uuid.UUID, *, now: datetime) -> int:
        """Mark every unread entry of the user read at ``now``, in one statement; how many."""
        ...

    async def list_for_user(self, user_id: uuid.UUID) -> list[InboxEntry]:
        """Every entry of the user, newest first (for their data export)."""
        ...

    async def prune(self, *, before: datetime, limit: int) -> int:
        """Delete up to ``limit`` entries created before ``before``, the oldest first; how many."""
        ...

    async def delete_for_user(self, user_id: uuid.UUID) -> int:
        """Delete every entry of the user; how many there were."""
        ...


class PreferenceRepository(Protocol):
    async def get(self, user_id: uuid.UUID) -> Preferences:
        """The user's preferences, the defaults when they never chose anything."""
        ...

    async def get_many(self, user_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Preferences]:
        """``get`` for each of these users, in one go (every one of them is in the answer)."""
        ...

    async def set_language(self, user_id: uuid.UUID, language: Language, *, now: datetime) -> None: ...

    async def switch(self, user_id: uuid.UUID, category: Category, channel: Channel, *, on: bool) -> None:
        """One switch, one atomic statement (insert-if-absent or delete of the opt-out row):
        concurrent changes of different switches never undo each other."""
        ...

    async def mark_unreachable(
        self, user_id: uuid.UUID, channel: Channel, address: str, *, reason: str, now: datetime
    ) -> None:
        """Record that ``address`` on ``channel`` no longer reaches the user (``reason`` says
        why, for the operator). One mark per (user, channel): a newer one replaces it."""
        ...

    async def clear_unreachable(self, user_id: uuid.UUID, channel: Channel) -> bool:
        """Lift the user's mark on ``channel``; whether there was one."""
        ...

    async def delete_for_user(self, user_id: uuid.UUID) -> None:
        """Back to the defaults: no language chosen, nothing switched off, nothing marked
        unreachable."""
        ...


class NotificationUnitOfWork(UnitOfWork, Protocol):
    # Read-only members, so that an adapter's more specific repository types satisfy them.
    @property
    def messages(self) -> MessageRepository: ...

    @property
    def inbox(self) -> InboxRepository: ...

    @property
    def preferences(self) -> PreferenceRepository: ...


class RecipientDirectory(Protocol):
    """What notifications asks the identity domain (identity serves it on its own connection,
    outside notifications' transaction)."""

    async def recipients(
        self, user_ids: Collection[uuid.UUID], *, blocked_too: bool = False
    ) -> Mapping[uuid.UUID, Recipient]:
        """Those of these users there is someone to notify, in one question: an unknown or
        deleted user is left out, and so is a blocked one unless ``blocked_too`` (the notice
        of the block itself). A recipient's email is there only once its owner verified it."""
        ...

    async def user_for_chat(self, chat_id: int) -> uuid.UUID | None:
        """The active user whose profile is linked to this Telegram chat."""
        ...


class EventDirectory(Protocol):
    """What notifications asks the catalog domain (served by the catalog on its own connection)."""

    async def event(self, event_id: uuid.UUID) -> EventSummary | None: ...

    async def starting_between(self, after: datetime, until: datetime) -> Sequence[EventSummary]:
        """PUBLISHED events with ``after < start <= until``."""
        ...


class EventParticipants(Protocol):
    """What notifications asks the booking domain (served by booking on its own connection)."""

    async def confirmed_participants(self, event_id: uuid.UUID) -> Sequence[uuid.UUID]:
        """The users with a CONFIRMED booking for the event."""
        ...


class OrganizerAccess(Protocol):
    async def can_manage(self, principal: Principal, organizer_id: uuid.UUID) -> bool:
        """True for the organizer's owners and for every admin."""
        ...


class MessageSender(Protocol):
    async def send(self, message: Message) -> None:
        """Deliver through ``message.channel`` to ``message.address``; raises on failure."""
        ...


class TelegramLinker(Protocol):
    """The identity domain's link of a Telegram chat to the account that made the code."""

    async def link(self, code: str, chat_id: int, username: str | None) -> uuid.UUID | None:
        """The linked user, or None when the code is unknown, used or expired."""
        ...
