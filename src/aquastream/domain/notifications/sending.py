"""The sender job: deliver due messages through their channel, with retries and backoff, and
what each kind of failure means for the message."""

from __future__ import annotations

import logging
from datetime import datetime

from aquastream.domain.notifications.errors import DeliveryRefused, DeliveryThrottled, RecipientGone
from aquastream.domain.notifications.model import Channel, Message
from aquastream.domain.notifications.policy import NotificationPolicy
from aquastream.ports.clock import Clock
from aquastream.ports.notifications import MessageSender, NotificationUnitOfWork, RecipientDirectory

logger = logging.getLogger("aquastream.notifications")

MAX_ERROR_LENGTH = 1000
NO_OTHER_CHANNEL = "no other channel reaches the user"


def _error_text(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]


class SendDueMessages:
    """Send one batch of due messages; returns how many were claimed.

    Rules:
    - the batch is claimed (leased, attempt counted) in one short transaction and sent after
      it commits: no database lock is held while a channel is slow;
    - concurrent senders claim disjoint batches (``SKIP LOCKED``); a message leased by a
      sender that died is due again when the lease lapses;
    - sent: SENT with the time;
    - a passing failure (``DeliveryFailed`` or any other error: unreachable, timeout, 5xx):
      PENDING again after an exponential backoff with the error recorded, or FAILED once
      ``max_attempts`` attempts failed;
    - throttled (``DeliveryThrottled``, a 429): PENDING again, due no earlier than now plus
      the wait the channel asked for (Telegram's ``retry_after``) rather than the backoff;
      the worker never sleeps on it. The attempt counts like any other, so a message that is
      throttled ``max_attempts`` times is FAILED. The rest of the batch's messages on that
      channel are not tried (asking again before the wait is over only prolongs it): each
      is given back, due at the same moment, its attempt uncounted;
    - refused for good (``DeliveryRefused``, a 4xx that retrying would repeat): FAILED at
      once, whatever attempts are left;
    - the recipient is gone from the channel (``RecipientGone``: Telegram says the bot was
      blocked, the chat is not found or the user is deactivated): that address is marked
      unreachable for the user (their preferences show it, and later messages skip it), and
      the message falls back to the next channel the user can receive it on, chosen by the
      usual rule (Telegram, else email, else SMS, skipping channels switched off for the
      category): same text, due at once, attempts counted afresh on the new channel. When
      no other channel reaches the user (or the account is gone meanwhile), the message is
      FAILED with the channel's error and "no other channel reaches the user": there is
      nobody to send it to, and a message is never kept waiting for a link that may never
      come.
    """

    def __init__(
        self,
        uow: NotificationUnitOfWork,
        clock: Clock,
        sender: MessageSender,
        policy: NotificationPolicy,
        recipients: RecipientDirectory,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._sender = sender
        self._policy = policy
        self._recipients = recipients

    async def __call__(self) -> int:
        async with self._uow:
            claimed = await self._uow.messages.claim_due(
                now=self._clock.now(), limit=self._policy.batch_size, lease=self._policy.lease
            )
            await self._uow.commit()
        held_until: dict[Channel, datetime] = {}
        for message in claimed:
            until = held_until.get(message.channel)
            if until is not None and until > self._clock.now():
                await self._postpone(message, until)
            elif (throttled_until := await self._send(message)) is not None:
                held_until[message.channel] = throttled_until
        return len(claimed)

    async def _send(self, message: Message) -> datetime | None:
        """Send and record the outcome; when the channel asked to wait, until when."""
        try:
            await self._sender.send(message)
        except RecipientGone as gone:
            await self._fall_back(message, _error_text(gone))
        except DeliveryThrottled as throttled:
            retry_at = self._clock.now() + throttled.retry_after
            await self._failed(message, throttled, retry_at=retry_at)
            return retry_at
        except Exception as exc:
            await self._failed(message, exc)
        else:
            async with self._uow:
                await self._uow.messages.mark_sent(message.id, now=self._clock.now())
                await self._uow.commit()
        return None

    async def _failed(self, message: Message, exc: Exception, *, retry_at: datetime | None = None) -> None:
        error = _error_text(exc)
        final = isinstance(exc, DeliveryRefused)
        given_up = final or message.attempts >= self._policy.max_attempts
        _log_failure(message, error, given_up=given_up)
        async with self._uow:
            if given_up:
                await self._uow.messages.mark_failed(message.id, error=error)
            else:
                if retry_at is None:
                    retry_at = self._clock.now() + self._policy.backoff(message.attempts)
                await self._uow.messages.mark_retry(message.id, error=error, retry_at=retry_at)
            await self._uow.commit()

    async def _postpone(self, message: Message, until: datetime) -> None:
        logger.info(
            "notification held back: its channel asked to wait",
            extra={"notification_id": str(message.id), "channel": message.channel},
        )
        async with self._uow:
            await self._uow.messages.postpone(message.id, until=until)
            await self._uow.commit()

    async def _fall_back(self, message: Message, error: str) -> None:
        # Identity is asked before the transaction opens (it answers on its own connection).
        found = await self._recipients.recipients({message.user_id})
        recipient = found.get(message.user_id)
        async with self._uow:
            now = self._clock.now()
            await self._uow.preferences.mark_unreachable(
                message.user_id, message.channel, message.address, reason=error, now=now
            )
            preferences = await self._uow.preferences.get(message.user_id)
            chosen = preferences.choose(message.category, recipient) if recipient is not None else None
            if chosen is None:
                error = f"{error}; {NO_OTHER_CHANNEL}"[:MAX_ERROR_LENGTH]
                await self._uow.messages.mark_failed(message.id, error=error)
            else:
                channel, address = chosen
                await self._uow.messages.reroute(
                    message.id, channel=channel, address=address, error=error, now=now
                )
            await self._uow.commit()
        _log_failure(message, error, given_up=chosen is None, fallback=chosen[0] if chosen else None)


def _log_failure(message: Message, error: str, *, given_up: bool, fallback: str | None = None) -> None:
    extra: dict[str, object] = {
        "notification_id": str(message.id),
        "channel": message.channel,
        "attempt": message.attempts,
        "given_up": given_up,
        "error": error,
    }
    if fallback is not None:
        extra["fallback_channel"] = fallback
    logger.log(logging.ERROR if given_up else logging.WARNING, "notification delivery failed", extra=extra)
