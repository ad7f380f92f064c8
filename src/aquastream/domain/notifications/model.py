"""Categories, channels, preferences, the messages waiting in the notification outbox, and
the entries of the users' in-app inbox."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Category(StrEnum):
    """What a message is about (SPEC §6). ``TEST`` is the admin's test message and
    ``ACCOUNT`` what an admin did to the user's account (a role change, a block, an unblock):
    neither is a category users choose, and neither shows in the preferences."""

    BOOKING_CONFIRMED = "BOOKING_CONFIRMED"
    BOOKING_STATUS = "BOOKING_STATUS"
    PAYMENT_STATUS = "PAYMENT_STATUS"
    EVENT_REMINDER = "EVENT_REMINDER"
    WAITLIST_AVAILABLE = "WAITLIST_AVAILABLE"
    EVENT_NEWS = "EVENT_NEWS"
    CREW_ASSIGNMENT = "CREW_ASSIGNMENT"
    TEST = "TEST"
    ACCOUNT = "ACCOUNT"


MANDATORY_CATEGORIES = frozenset(
    {
        Category.BOOKING_CONFIRMED,
        Category.BOOKING_STATUS,
        Category.PAYMENT_STATUS,
        Category.EVENT_REMINDER,
        Category.TEST,
        Category.ACCOUNT,
    }
)
OPTIONAL_CATEGORIES = (Category.WAITLIST_AVAILABLE, Category.EVENT_NEWS, Category.CREW_ASSIGNMENT)
# What the preferences show, in this order.
USER_CATEGORIES = tuple(c for c in Category if c not in (Category.TEST, Category.ACCOUNT))


class Channel(StrEnum):
    """In order of preference: Telegram when linked, else email, else SMS."""

    TELEGRAM = "TELEGRAM"
    EMAIL = "EMAIL"
    SMS = "SMS"


class Language(StrEnum):
    RU = "ru"
    EN = "en"


DEFAULT_LANGUAGE = Language.RU


class MessageStatus(StrEnum):
    PENDING = "PENDING"
    SENT = "SENT"
    FAILED = "FAILED"


@dataclass(frozen=True, slots=True)
class Recipient:
    """Where a user can be reached, as the identity domain knows it now. A blocked or
    deleted account is no recipient at all."""

    user_id: uuid.UUID
    email: str | None = None
    phone: str | None = None
    telegram_chat_id: int | None = None

    def addresses(self) -> list[tuple[Channel, str]]:
        """Every channel the user can be reached on, most preferred first."""
        found: list[tuple[Channel, str]] = []
        if self.telegram_chat_id is not None:
            found.append((Channel.TELEGRAM, str(self.telegram_chat_id)))
        if self.email:
            found.append((Channel.EMAIL, self.email))
        if self.phone:
            found.append((Channel.SMS, self.phone))
        return found


@dataclass(frozen=True, slots=True)
class Preferences:
    """A user's language, the (optional category, channel) pairs they switched off, and the
    (channel, address) pairs that turned out unreachable for good.

    Users who never chose anything have the defaults: Russian, everything on, nothing
    unreachable.

    An unreachable address is how notifications unlinks a Telegram chat whose user blocked
    the bot (or that Telegram no longer knows): the link itself is identity's state, which
    still names the chat, so notifications keeps its own record and skips that chat. The
    record holds only for that address: linking another chat needs nothing, and the same chat
    comes back when its user talks to the bot again (``HandleBotMessage``).
    """

    user_id: uuid.UUID
    language: Language = DEFAULT_LANGUAGE
    switched_off: frozenset[tuple[Category, Channel]] = frozenset()
    unreachable: frozenset[tuple[Channel, str]] = frozenset()

    def allows(self, category: Category, channel: Channel) -> bool:
        return category in MANDATORY_CATEGORIES or (category, channel) not in self.switched_off

    def unreachable_channels(self) -> list[Channel]:
        """The channels with an address marked unreachable, in order of preference."""
        marked = {channel for channel, _ in self.unreachable}
        return [channel for channel in Channel if channel in marked]

    def choose(self, category: Category, recipient: Recipient) -> tuple[Channel, str] | None:
        """The first channel the user can be reached on that they did not switch off for
        ``category`` and whose address is not marked unreachable. Switching a channel off
        means "not there", not "never": the message falls back to the next channel; with
        every reachable channel off it is not sent."""
        return next(
            (
                (channel, address)
                for channel, address in recipient.addresses()
                if self.allows(category, channel) and (channel, address) not in self.unreachable
            ),
            None,
        )


@dataclass(frozen=True, slots=True)
class EventSummary:
    """What templates and the organizer check need to know of an event."""

    event_id: uuid.UUID
    organizer_id: uuid.UUID
    title: str
    starts_at: datetime


@dataclass(frozen=True, slots=True)
class Notice:
    """A request to tell one user something: written at most once per (user, category, subject).

    ``subject`` names the fact (``booking:<id>:confirmed``, ``event:<id>:reminder:24h``), so
    the same fact delivered twice is one message; ``template`` picks the text and ``params``
    fill it. With ``event_id`` the event's title and start are added to the params.
    ``booking_id`` names the booking the notice is about, for the inbox's links.
    ``to_blocked_account``: the notice goes to its user even while their account is blocked
    (the notice of the block itself; every other notice to a blocked account is dropped).
    """

    user_id: uuid.UUID
    category: Category
    subject: str
    template: str
    event_id: uuid.UUID | None = None
    params: Mapping[str, str | datetime] = field(default_factory=dict)
    booking_id: uuid.UUID | None = None
    to_blocked_account: bool = False


@dataclass(frozen=True, slots=True)
class Message:
    """One rendered message in the notification outbox, and how its delivery went."""

    id: uuid.UUID
    user_id: uuid.UUID
    category: Category
    subject: str
    channel: Channel
    address: str
    language: Language
    title: str
    body: str
    created_at: datetime
    next_attempt_at: datetime
    status: MessageStatus = MessageStatus.PENDING
    attempts: int = 0
    sent_at: datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class InboxEntry:
    """One message as the user's in-app inbox keeps it: written once per (user, category,
    subject) for every notice addressed to an active user, whether or not a channel carries
    it, rendered in the user's language at that moment. ``template`` is None on entries
    back-filled from messages written before the inbox existed (the outbox did not keep it)."""

    id: uuid.UUID
    user_id: uuid.UUID
    category: Category
    subject: str
    template: str | None
    language: Language
    title: str
    body: str
    created_at: datetime
    event_id: uuid.UUID | None = None
    booking_id: uuid.UUID | None = None
    read_at: datetime | None = None
