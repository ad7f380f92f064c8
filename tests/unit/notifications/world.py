"""The notification domain on memory adapters, with every use case built the way the
application builds it (a unit of work per call), and people and events to notify."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta

from aquastream.adapters.memory.booking import MemoryOrganizerAccess
from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.database import MemoryDatabase
from aquastream.adapters.memory.notifications import (
    INBOX,
    MESSAGES,
    MemoryEventDirectory,
    MemoryMessageSender,
    MemoryNotificationUnitOfWork,
    MemoryRecipientDirectory,
    MemoryTelegramLinker,
)
from aquastream.domain.notifications.admin import SendTestMessage
from aquastream.domain.notifications.bot import HandleBotMessage
from aquastream.domain.notifications.events import PostEventNews, SendEventReminders
from aquastream.domain.notifications.inbox import InboxPolicy, ListInbox, MarkAllRead, MarkRead, PruneInbox
from aquastream.domain.notifications.model import EventSummary, InboxEntry, Message, Notice, Recipient
from aquastream.domain.notifications.notify import Notify
from aquastream.domain.notifications.policy import NotificationPolicy
from aquastream.domain.notifications.preferences import GetMyPreferences, UpdateMyPreferences
from aquastream.domain.notifications.privacy import ForgetUser
from aquastream.domain.notifications.sending import SendDueMessages
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal, Role

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


class World:
    def __init__(self, policy: NotificationPolicy | None = None) -> None:
        self.db = MemoryDatabase()
        self.clock = FrozenClock(NOW)
        self.recipients = MemoryRecipientDirectory()
        self.events = MemoryEventDirectory()
        self.linker = MemoryTelegramLinker()
        self.channel = MemoryMessageSender()
        self.policy = policy or NotificationPolicy()
        self.organizer = Principal(new_id(), Role.ORGANIZER)
        self.organizer_id = new_id()
        self.access = MemoryOrganizerAccess({self.organizer_id: {self.organizer.user_id}})

    def uow(self) -> MemoryNotificationUnitOfWork:
        return MemoryNotificationUnitOfWork(self.db)

    def person(
        self, *, email: str | None = "ann@example.com", phone: str | None = None, chat: int | None = None
    ) -> uuid.UUID:
        return self.recipients.add(
            Recipient(new_id(), email=email, phone=phone, telegram_chat_id=chat)
        ).user_id

    def link_chat(self, user_id: uuid.UUID, chat: int) -> None:
        """Identity linked another Telegram chat to the user."""
        self.recipients.add(dataclasses.replace(self.recipients.users[user_id], telegram_chat_id=chat))

    def event(self, *participants: uuid.UUID, starts_in: timedelta = timedelta(days=10)) -> EventSummary:
        summary = EventSummary(new_id(), self.organizer_id, "Rafting on the Msta", NOW + starts_in)
        return self.events.add(summary, *participants)

    def messages(self) -> list[Message]:
        return sorted(self.db.table(MESSAGES).values(), key=lambda m: (m.created_at, m.id))

    def inbox(self) -> list[InboxEntry]:
        """Every inbox entry of every user, oldest first."""
        return sorted(self.db.table(INBOX).values(), key=lambda e: (e.created_at, e.id))

    # Use cases, each on a unit of work of its own.

    async def notify(self, *notices: Notice) -> list[Message]:
        return await Notify(self.uow(), self.clock, self.recipients, self.events)(*notices)

    def send(self) -> SendDueMessages:
        return SendDueMessages(self.uow(), self.clock, self.channel, self.policy, self.recipients)

    def remind(self) -> SendEventReminders:
        return SendEventReminders(
            self.uow(), self.clock, self.recipients, self.events, self.events, self.policy
        )

    def post_news(self) -> PostEventNews:
        return PostEventNews(self.uow(), self.clock, self.recipients, self.events, self.events, self.access)

    def test_message(self) -> SendTestMessage:
        return SendTestMessage(self.uow(), self.clock, self.recipients, self.events)

    def get_preferences(self) -> GetMyPreferences:
        return GetMyPreferences(self.uow())

    def update_preferences(self) -> UpdateMyPreferences:
        return UpdateMyPreferences(self.uow(), self.clock)

    def bot(self) -> HandleBotMessage:
        return HandleBotMessage(self.uow(), self.recipients, self.linker)

    def forget(self) -> ForgetUser:
        return ForgetUser(self.uow())

    def list_inbox(self) -> ListInbox:
        return ListInbox(self.uow())

    def mark_read(self) -> MarkRead:
        return MarkRead(self.uow(), self.clock)

    def mark_all_read(self) -> MarkAllRead:
        return MarkAllRead(self.uow(), self.clock)

    def prune_inbox(self, policy: InboxPolicy | None = None) -> PruneInbox:
        return PruneInbox(self.uow(), self.clock, policy or InboxPolicy())
