"""Turning notices into inbox entries and rendered messages in the notification outbox, and
the use case that other domains' facts reach through the composition root's subscriptions."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from aquastream.domain.notifications.model import (
    Channel,
    EventSummary,
    InboxEntry,
    Message,
    Notice,
    Recipient,
)
from aquastream.domain.notifications.templates import render
from aquastream.domain.shared.ids import new_id
from aquastream.ports.clock import Clock
from aquastream.ports.notifications import EventDirectory, NotificationUnitOfWork, RecipientDirectory


@dataclass(frozen=True, slots=True)
class Addressee:
    """A notice with what identity says of its user and the catalog of its event."""

    notice: Notice
    recipient: Recipient
    event: EventSummary | None


async def look_up(
    recipients: RecipientDirectory, events: EventDirectory, notices: Iterable[Notice]
) -> list[Addressee]:
    """Ask identity about the notices' users (one question) and the catalog about each of
    their events (once each); a notice whose user is unknown, blocked or deleted is dropped
    (there is nobody to send to), unless it is one for a blocked account too (a second
    question, asked only when there is such a notice).

    Asked before notifications' transaction opens: those domains answer on connections of
    their own, and a transaction that holds (on SQLite) the write lock must not wait for one."""
    notices = list(notices)
    if not notices:
        return []
    found_recipients = await recipients.recipients({notice.user_id for notice in notices})
    blocked_too: Mapping[uuid.UUID, Recipient] = {}
    if blocked := {n.user_id for n in notices if n.to_blocked_account} - found_recipients.keys():
        blocked_too = await recipients.recipients(blocked, blocked_too=True)
    found = []
    event_cache: dict[uuid.UUID, EventSummary | None] = {}
    for notice in notices:
        recipient = found_recipients.get(notice.user_id)
        if recipient is None and notice.to_blocked_account:
            recipient = blocked_too.get(notice.user_id)
        if recipient is None:
            continue
        event = None
        if notice.event_id is not None:
            if notice.event_id not in event_cache:
                event_cache[notice.event_id] = await events.event(notice.event_id)
            event = event_cache[notice.event_id]
        found.append(Addressee(notice, recipient, event))
    return found


async def write_notices(
    uow: NotificationUnitOfWork, addressees: Iterable[Addressee], *, now: datetime
) -> list[Message]:
    """Inside ``uow``'s transaction: render each notice for its user, put it in their inbox,
    and write the message a channel will carry. Returns the messages written.

    What a user receives is every notice addressed to them while their account is active (a
    notice to an unknown, blocked or deleted user is dropped by ``look_up``): each one is an
    inbox entry, also when no channel reaches the user (no Telegram linked, no email or
    phone, every reachable channel switched off for the category, or marked unreachable).

    The inbox entry is the decision, once per (user, category, subject):

    - a notice whose user has an entry of the same category and subject already (the fact
      was delivered twice, or another worker wrote it first: the unique key keeps the first)
      writes nothing, neither entry nor message;
    - otherwise the entry is written, and a message too when a channel the user left on for
      the category reaches them (it shares the entry's id); with none, the inbox is all.
      The message's own unique key still holds for messages older than their entries
      (an entry pruned by retention, then its fact delivered again, writes a new entry
      but no second message).

    Rendered now, in the user's language, the same text for the inbox and the channel: what
    the user is told reflects the moment of the fact, not of the sending. The users'
    preferences are read, and the entries and messages written, in one go for all the
    notices."""
    addressees = list(addressees)
    if not addressees:
        return []
    all_preferences = await uow.preferences.get_many({a.notice.user_id for a in addressees})
    entries = []
    channels: dict[uuid.UUID, tuple[Channel, str] | None] = {}
    for addressee in addressees:
        notice, event = addressee.notice, addressee.event
        preferences = all_preferences[notice.user_id]
        text = render(notice.template, preferences.language, notice.params, event)
        entry = InboxEntry(
            id=new_id(),
            user_id=notice.user_id,
            category=notice.category,
            subject=notice.subject,
            template=notice.template,
            language=preferences.language,
            title=text.title,
            body=text.body,
            created_at=now,
            event_id=notice.event_id,
            booking_id=notice.booking_id,
        )
        entries.append(entry)
        channels[entry.id] = preferences.choose(notice.category, addressee.recipient)
    rendered = [
        _message(entry, chosen, now=now)
        for entry in await uow.inbox.add_new(entries)
        if (chosen := channels[entry.id]) is not None
    ]
    return await uow.messages.add_new(rendered)


def _message(entry: InboxEntry, chosen: tuple[Channel, str], *, now: datetime) -> Message:
    channel, address = chosen
    return Message(
        id=entry.id,
        user_id=entry.user_id,
        category=entry.category,
        subject=entry.subject,
        channel=channel,
        address=address,
        language=entry.language,
        title=entry.title,
        body=entry.body,
        created_at=now,
        next_attempt_at=now,
    )


class Notify:
    """Write the inbox entries and messages a fact of another domain calls for (a booking
    confirmed, a seat offered from the waitlist…); the subscriptions in the composition root
    turn each event into notices. Idempotent: delivering the same event again writes nothing
    new (see ``write_notices``)."""

    def __init__(
        self,
        uow: NotificationUnitOfWork,
        clock: Clock,
        recipients: RecipientDirectory,
        events: EventDirectory,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._recipients = recipients
        self._events = events

    async def __call__(self, *notices: Notice) -> list[Message]:
        if not notices:
            return []
        addressees = await look_up(self._recipients, self._events, notices)
        if not addressees:
            return []
        async with self._uow:
            written = await write_notices(self._uow, addressees, now=self._clock.now())
            await self._uow.commit()
        return written
