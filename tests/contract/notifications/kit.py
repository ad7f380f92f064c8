"""The notification adapters on one backend (memory, SQLite or PostgreSQL): its unit of work,
what it reads of identity, catalog and booking, people and events put where those domains
keep them, and every use case built the way the application builds it."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

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
)
from aquastream.adapters.sql.booking import SqlSeatInventory
from aquastream.adapters.sql.booking.served import BookingEventParticipants
from aquastream.adapters.sql.catalog import SqlCatalogUnitOfWork
from aquastream.adapters.sql.catalog.organizers import CatalogOrganizerAccess
from aquastream.adapters.sql.catalog.served import CatalogEventDirectory
from aquastream.adapters.sql.identity import SqlIdentityUnitOfWork
from aquastream.adapters.sql.identity.served import IdentityRecipientDirectory
from aquastream.adapters.sql.notifications import SqlNotificationUnitOfWork
from aquastream.adapters.sql.notifications.inbox import entry_from_row
from aquastream.adapters.sql.notifications.messages import message_from_row
from aquastream.adapters.sql.tables.booking import bookings
from aquastream.adapters.sql.tables.notifications import inbox, messages
from aquastream.adapters.system import SystemClock
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.catalog.model import EventStatus
from aquastream.domain.identity.model import Profile
from aquastream.domain.notifications.events import PostEventNews, SendEventReminders
from aquastream.domain.notifications.inbox import ListInbox, MarkAllRead, MarkRead
from aquastream.domain.notifications.model import EventSummary, InboxEntry, Message, Notice, Recipient
from aquastream.domain.notifications.notify import Notify
from aquastream.domain.notifications.policy import NotificationPolicy
from aquastream.domain.notifications.preferences import UpdateMyPreferences
from aquastream.domain.notifications.sending import SendDueMessages
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal, Role
from aquastream.ports.notifications import (
    EventDirectory,
    EventParticipants,
    NotificationUnitOfWork,
    OrganizerAccess,
    RecipientDirectory,
)
from tests.contract.catalog.factories import an_event, an_organizer, store
from tests.contract.factories import NOW, a_user

__all__ = ["NOW", "NotificationKit"]


class NotificationKit:
    def __init__(self, name: str, *, engine: AsyncEngine | None = None) -> None:
        self.name = name
        self.engine = engine
        self.db = MemoryDatabase()
        self.clock = FrozenClock(NOW)
        self.policy = NotificationPolicy()
        self.channel = MemoryMessageSender()
        self.organizer = Principal(new_id(), Role.ORGANIZER)
        self._recipients = MemoryRecipientDirectory()
        self._events = MemoryEventDirectory()
        self._access = MemoryOrganizerAccess()

    @property
    def one_writer_at_a_time(self) -> bool:
        return self.name != "postgres"

    def uow(self) -> NotificationUnitOfWork:
        if self.engine is None:
            return MemoryNotificationUnitOfWork(self.db)
        return SqlNotificationUnitOfWork(self.engine)

    # What identity, catalog and booking serve on their own connections (the SQL ones are
    # asked while notifications' unit of work is open, as the application asks them).

    def recipients(self, uow: NotificationUnitOfWork) -> RecipientDirectory:
        if self.engine is not None:
            return IdentityRecipientDirectory(self.engine)
        return self._recipients

    def events(self, uow: NotificationUnitOfWork) -> EventDirectory:
        if self.engine is not None:
            return CatalogEventDirectory(self.engine)
        return self._events

    def participants(self, uow: NotificationUnitOfWork) -> EventParticipants:
        if self.engine is not None:
            return BookingEventParticipants(self.engine)
        return self._events

    def access(self, uow: NotificationUnitOfWork) -> OrganizerAccess:
        if self.engine is not None:
            return CatalogOrganizerAccess(self.engine)
        return self._access

    # What the identity, catalog and booking domains hold.

    async def add_person(
        self,
        *,
        email: str | None = None,
        phone: str | None = None,
        chat: int | None = None,
        verified: bool = True,
        email_verified: bool = True,
        active: bool = True,
        deleted: bool = False,
    ) -> uuid.UUID:
        """``verified``: the Telegram chat (linked by the bot); ``email_verified``: the email."""
        user = a_user(email, is_active=active, deleted_at=NOW if deleted else None)
        user.email_verified_at = NOW if email_verified else None
        if self.engine is None:
            if not deleted:
                self._recipients.add(
                    Recipient(
                        user.id,
                        email=user.email if email_verified else None,
                        phone=phone,
                        telegram_chat_id=chat if verified else None,
                    )
                )
                if not active:
                    self._recipients.blocked.add(user.id)
            return user.id
        async with SqlIdentityUnitOfWork(self.engine) as uow:
            await uow.users.add(user)
            await uow.profiles.add(
                Profile(user.id, NOW, phone=phone, telegram_chat_id=chat, telegram_verified=verified)
            )
            await uow.commit()
        return user.id

    async def add_event(
        self,
        *participants: uuid.UUID,
        starts_in: timedelta = timedelta(days=10),
        status: EventStatus = EventStatus.PUBLISHED,
    ) -> EventSummary:
        organizer = an_organizer(owner_user_id=self.organizer.user_id)
        event = an_event(organizer, starts_in=starts_in, status=status, title="Rafting on Vuoksa")
        summary = EventSummary(event.id, organizer.id, event.title, event.date_start)
        if self.engine is None:
            self._access.owners[organizer.id] = {self.organizer.user_id}
            self._events.add(summary, published=status is EventStatus.PUBLISHED)
        else:
            seats = SqlSeatInventory(self.engine, SystemClock(), BookingPolicy())
            await store(SqlCatalogUnitOfWork(self.engine, seats), organizer, event)
        for user_id in participants:
            await self.add_booking(event.id, user_id)
        return summary

    async def add_booking(self, event_id: uuid.UUID, user_id: uuid.UUID, status: str = "CONFIRMED") -> None:
        if self.engine is None:
            if status == "CONFIRMED":
                self._events.confirmed.setdefault(event_id, []).append(user_id)
            return
        async with self.engine.begin() as connection:
            await connection.execute(
                insert(bookings).values(
                    id=new_id(),
                    event_id=event_id,
                    user_id=user_id,
                    status=status,
                    payment_status="NOT_REQUIRED",
                    amount=0,
                    currency="RUB",
                    created_at=NOW,
                    updated_at=NOW,
                )
            )

    async def messages(self) -> list[Message]:
        """Every stored message, read straight from the store, oldest first."""
        if self.engine is None:
            rows = list(self.db.table(MESSAGES).values())
        else:
            async with self.engine.connect() as connection:
                rows = [message_from_row(r) for r in (await connection.execute(select(messages))).mappings()]
        return sorted(rows, key=lambda m: (m.created_at, m.id))

    async def inbox(self) -> list[InboxEntry]:
        """Every stored inbox entry, read straight from the store, oldest first."""
        if self.engine is None:
            entries = list(self.db.table(INBOX).values())
        else:
            async with self.engine.connect() as connection:
                entries = [entry_from_row(r) for r in (await connection.execute(select(inbox))).mappings()]
        return sorted(entries, key=lambda e: (e.created_at, e.id))

    # Use cases, each on a unit of work of its own.

    def list_inbox(self) -> ListInbox:
        return ListInbox(self.uow())

    def mark_read(self) -> MarkRead:
        return MarkRead(self.uow(), self.clock)

    def mark_all_read(self) -> MarkAllRead:
        return MarkAllRead(self.uow(), self.clock)

    async def notify(self, *notices: Notice) -> list[Message]:
        uow = self.uow()
        return await Notify(uow, self.clock, self.recipients(uow), self.events(uow))(*notices)

    def send(self) -> SendDueMessages:
        uow = self.uow()
        return SendDueMessages(uow, self.clock, self.channel, self.policy, self.recipients(uow))

    def remind(self) -> SendEventReminders:
        uow = self.uow()
        return SendEventReminders(
            uow, self.clock, self.recipients(uow), self.events(uow), self.participants(uow), self.policy
        )

    def post_news(self) -> PostEventNews:
        uow = self.uow()
        return PostEventNews(
            uow,
            self.clock,
            self.recipients(uow),
            self.events(uow),
            self.participants(uow),
            self.access(uow),
        )

    def update_preferences(self) -> UpdateMyPreferences:
        return UpdateMyPreferences(self.uow(), self.clock)
