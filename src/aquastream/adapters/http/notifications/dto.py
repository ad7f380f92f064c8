"""Request and response bodies of the notification routes.

Inbox entries go out with their category and template (what kind of message), the title and
text as rendered for the caller, the event and booking they are about where there is one,
and ``readAt`` with a ``read`` flag for clients that want only the flag.

Preferences travel per category with one flag per channel; a mandatory category always
shows all three on. The Telegram update keeps the Bot API's own snake_case names.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from aquastream.adapters.http.structs import CamelStruct
from aquastream.domain.notifications.inbox import AllRead, EntryRead, Inbox
from aquastream.domain.notifications.model import (
    MANDATORY_CATEGORIES,
    USER_CATEGORIES,
    Category,
    Channel,
    InboxEntry,
    Language,
    Message,
    MessageStatus,
    Preferences,
)
from aquastream.domain.notifications.preferences import PreferenceChange

MessageText = Annotated[str, Meta(min_length=1, max_length=4000)]


class CategoryPreferenceOut(CamelStruct):
    category: Category
    mandatory: bool
    telegram: bool
    email: bool
    sms: bool


class PreferencesOut(CamelStruct):
    """The caller's language (of every message they get) and, per category, whether it may
    come by each channel. Messages go by Telegram when linked, else email, else SMS; a channel
    switched off for a category is skipped for it. ``unreachableChannels`` are those whose
    address stopped reaching the caller (the Telegram bot was blocked): messages skip them
    until the caller links again (``/start`` to the bot)."""

    language: Language
    categories: list[CategoryPreferenceOut]
    unreachable_channels: list[Channel]

    @classmethod
    def of(cls, preferences: Preferences) -> PreferencesOut:
        return cls(
            language=preferences.language,
            unreachable_channels=preferences.unreachable_channels(),
            categories=[
                CategoryPreferenceOut(
                    category=category,
                    mandatory=category in MANDATORY_CATEGORIES,
                    telegram=preferences.allows(category, Channel.TELEGRAM),
                    email=preferences.allows(category, Channel.EMAIL),
                    sms=preferences.allows(category, Channel.SMS),
                )
                for category in USER_CATEGORIES
            ],
        )


class CategoryPreferenceIn(CamelStruct, forbid_unknown_fields=True):
    """Omitted channels stay as they are."""

    category: Category
    telegram: bool | UnsetType = UNSET
    email: bool | UnsetType = UNSET
    sms: bool | UnsetType = UNSET


class PreferencesIn(CamelStruct, forbid_unknown_fields=True):
    """What to change: the language, and channel switches of optional categories."""

    language: Language | UnsetType = UNSET
    categories: list[CategoryPreferenceIn] = msgspec.field(default_factory=list)

    def change(self) -> PreferenceChange:
        switches: dict[Category, dict[Channel, bool]] = {}
        for item in self.categories:
            channels = switches.setdefault(item.category, {})
            for channel, on in (
                (Channel.TELEGRAM, item.telegram),
                (Channel.EMAIL, item.email),
                (Channel.SMS, item.sms),
            ):
                if not isinstance(on, UnsetType):
                    channels[channel] = on
        language = None if isinstance(self.language, UnsetType) else self.language
        return PreferenceChange(language=language, switches=switches)


class NewsIn(CamelStruct, forbid_unknown_fields=True):
    text: MessageText


class NewsOut(CamelStruct):
    """``recipients``: confirmed participants a message was queued for (every one of them
    has the news in their inbox)."""

    news_id: uuid.UUID
    recipients: int


class TestMessageIn(CamelStruct, forbid_unknown_fields=True):
    user_id: uuid.UUID
    text: MessageText


class MessageOut(CamelStruct):
    """A queued message: the sender job delivers it within seconds."""

    id: uuid.UUID
    user_id: uuid.UUID
    category: Category
    channel: Channel
    status: MessageStatus
    created_at: datetime

    @classmethod
    def of(cls, message: Message) -> MessageOut:
        return cls(
            id=message.id,
            user_id=message.user_id,
            category=message.category,
            channel=message.channel,
            status=message.status,
            created_at=message.created_at,
        )


class NotificationOut(CamelStruct):
    """One message of the caller's inbox. ``template`` is null on messages from before the
    inbox existed; ``eventId`` and ``bookingId`` are null when the message is about none."""

    id: uuid.UUID
    category: Category
    template: str | None
    title: str
    text: str
    language: Language
    event_id: uuid.UUID | None
    booking_id: uuid.UUID | None
    created_at: datetime
    read_at: datetime | None
    read: bool

    @classmethod
    def of(cls, entry: InboxEntry) -> NotificationOut:
        return cls(
            id=entry.id,
            category=entry.category,
            template=entry.template,
            title=entry.title,
            text=entry.body,
            language=entry.language,
            event_id=entry.event_id,
            booking_id=entry.booking_id,
            created_at=entry.created_at,
            read_at=entry.read_at,
            read=entry.read_at is not None,
        )


class InboxOut(CamelStruct):
    """A page of the caller's inbox, newest first; ``unreadCount`` counts the whole inbox.

    The page's fields are spelled out rather than inherited from ``PageOut[NotificationOut]``:
    a subclass of the generic loses its item type in the schema (generated clients then make
    an anonymous item model)."""

    items: list[NotificationOut]
    total: int
    page: int
    size: int
    total_pages: int
    unread_count: int

    @classmethod
    def of_inbox(cls, inbox: Inbox) -> InboxOut:
        page = inbox.page
        return cls(
            items=[NotificationOut.of(entry) for entry in page.items],
            total=page.total,
            page=page.page,
            size=page.size,
            total_pages=page.total_pages,
            unread_count=inbox.unread_count,
        )


class NotificationReadOut(CamelStruct):
    notification: NotificationOut
    unread_count: int

    @classmethod
    def of(cls, done: EntryRead) -> NotificationReadOut:
        return cls(notification=NotificationOut.of(done.entry), unread_count=done.unread_count)


class AllReadOut(CamelStruct):
    """``marked``: how many were unread; ``unreadCount``: what is unread now (0, unless a
    message came meanwhile)."""

    marked: int
    unread_count: int

    @classmethod
    def of(cls, done: AllRead) -> AllReadOut:
        return cls(marked=done.marked, unread_count=done.unread_count)


class TelegramUser(msgspec.Struct):
    id: int
    username: str | None = None
    language_code: str | None = None


class TelegramChat(msgspec.Struct):
    id: int


class TelegramMessage(msgspec.Struct):
    chat: TelegramChat
    text: str | None = None
    sender: TelegramUser | None = msgspec.field(default=None, name="from")


class TelegramUpdate(msgspec.Struct):
    """An update as the Bot API posts it; unknown fields are ignored (the API grows)."""

    update_id: int
    message: TelegramMessage | None = None


class BotReply(msgspec.Struct, omit_defaults=True):
    """Telegram runs a Bot API method given in the webhook's answer: the bot replies without a
    call of its own. Empty when there is nothing to say."""

    method: str | None = None
    chat_id: int | None = None
    text: str | None = None
