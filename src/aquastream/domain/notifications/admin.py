"""The admin's test message, to check that a user's channel works."""

from __future__ import annotations

import uuid
from typing import ClassVar

from aquastream.domain.notifications.errors import RecipientNotFound
from aquastream.domain.notifications.model import Category, Message, Notice
from aquastream.domain.notifications.notify import look_up, write_notices
from aquastream.domain.shared.errors import FieldError, Raises, ValidationFailed
from aquastream.domain.shared.ids import new_id
from aquastream.ports.clock import Clock
from aquastream.ports.notifications import EventDirectory, NotificationUnitOfWork, RecipientDirectory

MAX_TEST_LENGTH = 4000


class SendTestMessage:
    """Queue a test message for a user through the channel their real messages would take.

    Rules: the text is 1 to 4000 characters after trimming (400); the user exists, is active
    and reachable (404 ``notifications.recipient_not_found``); every call is a new message
    (its own subject), sent by the sender job like any other, and kept in the user's inbox
    like any other (a user no channel reaches gets nothing, not even an inbox entry: the
    test is of the channel). Admins only (the route guards).
    """

    raises: ClassVar[Raises] = (RecipientNotFound, ValidationFailed)

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

    async def __call__(self, user_id: uuid.UUID, text: str) -> Message:
        text = text.strip()
        if not 1 <= len(text) <= MAX_TEST_LENGTH:
            raise ValidationFailed(errors=[FieldError("text", f"Write 1 to {MAX_TEST_LENGTH} characters.")])
        notice = Notice(
            user_id=user_id,
            category=Category.TEST,
            subject=f"test:{new_id()}",
            template="admin_test",
            params={"text": text},
        )
        addressees = await look_up(self._recipients, self._events, [notice])
        if not addressees:
            raise RecipientNotFound()
        async with self._uow:
            written = await write_notices(self._uow, addressees, now=self._clock.now())
            if not written:
                raise RecipientNotFound()
            await self._uow.commit()
        return written[0]
