"""Use cases about events: reminders before the start, and the organizer's news."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from aquastream.domain.notifications.errors import EventNotFound
from aquastream.domain.notifications.model import Category, Notice
from aquastream.domain.notifications.notify import look_up, write_notices
from aquastream.domain.notifications.policy import NotificationPolicy
from aquastream.domain.shared.errors import FieldError, Raises, ValidationFailed
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal
from aquastream.ports.clock import Clock
from aquastream.ports.notifications import (
    EventDirectory,
    EventParticipants,
    NotificationUnitOfWork,
    OrganizerAccess,
    RecipientDirectory,
)

MAX_NEWS_LENGTH = 4000  # Telegram's limit for one message is 4096 characters.


def reminder_label(before: timedelta) -> str:
    return f"{int(before.total_seconds() // 3600)}h"


class SendEventReminders:
    """Remind the confirmed participants of events starting soon; returns how many messages
    were written.

    Rules:
    - each reminder of the policy (48 h and 24 h) covers the events starting within it but
      not within the next shorter one: a booking made 10 h before the start gets the 24 h
      reminder only, not both at once;
    - exactly once per (participant, event, reminder): the subject
      ``event:<id>:reminder:<hours>`` is unique per user in the inbox (a participant no
      channel reaches is reminded there, and counts as reminded), so re-running the sweep (every few
      minutes, also after a crash, or on two workers) writes nothing new; a participant
      confirmed after the first sweep is reminded by the next one. Participants already
      reminded are skipped before anything is looked up, so a sweep over a big event that
      was reminded already costs two queries.
    """

    def __init__(
        self,
        uow: NotificationUnitOfWork,
        clock: Clock,
        recipients: RecipientDirectory,
        events: EventDirectory,
        participants: EventParticipants,
        policy: NotificationPolicy,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._recipients = recipients
        self._events = events
        self._participants = participants
        self._policy = policy

    async def __call__(self) -> int:
        windows = sorted(self._policy.reminders)
        now = self._clock.now()
        due = [
            (reminder_label(before), event)
            for shorter, before in zip([timedelta(0), *windows], windows, strict=False)
            for event in await self._events.starting_between(now + shorter, now + before)
        ]
        written = 0
        for label, event in due:
            subject = f"event:{event.event_id}:reminder:{label}"
            async with self._uow:
                reminded = await self._uow.inbox.users_told(Category.EVENT_REMINDER, subject)
            notices = [
                Notice(
                    user_id=user_id,
                    category=Category.EVENT_REMINDER,
                    subject=subject,
                    template=f"event_reminder_{label}",
                    event_id=event.event_id,
                )
                for user_id in await self._participants.confirmed_participants(event.event_id)
                if user_id not in reminded
            ]
            addressees = await look_up(self._recipients, self._events, notices)
            if not addressees:
                continue
            async with self._uow:
                written += len(await write_notices(self._uow, addressees, now=now))
                await self._uow.commit()
        return written


@dataclass(frozen=True, slots=True)
class NewsPosted:
    news_id: uuid.UUID
    recipients: int


class PostEventNews:
    """The organizer tells every confirmed participant of their event something (EVENT_NEWS).

    Rules:
    - the event's organizer or an admin; for anyone else the event does not exist (404);
    - the text is 1 to 4000 characters after trimming (400 otherwise);
    - each post is its own subject (``news:<id>``): two posts are two messages, one post is
      never sent twice to the same person; every participant finds it in their inbox, and
      ``recipients`` counts those a channel carries it to (participants who switched
      EVENT_NEWS off on every channel they can be reached on, or whom none reaches, have it
      in the inbox only).
    """

    raises: ClassVar[Raises] = (EventNotFound, ValidationFailed)

    def __init__(
        self,
        uow: NotificationUnitOfWork,
        clock: Clock,
        recipients: RecipientDirectory,
        events: EventDirectory,
        participants: EventParticipants,
        access: OrganizerAccess,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._recipients = recipients
        self._events = events
        self._participants = participants
        self._access = access

    async def __call__(self, principal: Principal, event_id: uuid.UUID, text: str) -> NewsPosted:
        text = text.strip()
        if not 1 <= len(text) <= MAX_NEWS_LENGTH:
            raise ValidationFailed(errors=[FieldError("text", f"Write 1 to {MAX_NEWS_LENGTH} characters.")])
        news_id = new_id()
        # The other domains are asked first: see ``look_up``.
        event = await self._events.event(event_id)
        if event is None or not await self._access.can_manage(principal, event.organizer_id):
            raise EventNotFound()
        notices = [
            Notice(
                user_id=user_id,
                category=Category.EVENT_NEWS,
                subject=f"news:{news_id}",
                template="event_news",
                event_id=event_id,
                params={"text": text},
            )
            for user_id in await self._participants.confirmed_participants(event_id)
        ]
        addressees = await look_up(self._recipients, self._events, notices)
        async with self._uow:
            written = await write_notices(self._uow, addressees, now=self._clock.now())
            await self._uow.commit()
        return NewsPosted(news_id=news_id, recipients=len(written))
