"""The sender job: deliver due messages through their channel, with retries and backoff."""

from __future__ import annotations

import logging

from aquastream.domain.notifications.model import Message
from aquastream.domain.notifications.policy import NotificationPolicy
from aquastream.ports.clock import Clock
from aquastream.ports.notifications import MessageSender, NotificationUnitOfWork

logger = logging.getLogger("aquastream.notifications")

MAX_ERROR_LENGTH = 1000


class SendDueMessages:
    """Send one batch of due messages; returns how many were claimed.

    Rules:
    - the batch is claimed (leased, attempt counted) in one short transaction and sent after
      it commits: no database lock is held while a channel is slow;
    - concurrent senders claim disjoint batches (``SKIP LOCKED``); a message leased by a
      sender that died is due again when the lease lapses;
    - sent: SENT with the time; failed: PENDING again after an exponential backoff with the
      error recorded, or FAILED once ``max_attempts`` attempts failed.
    """

    def __init__(
        self, uow: NotificationUnitOfWork, clock: Clock, sender: MessageSender, policy: NotificationPolicy
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._sender = sender
        self._policy = policy

    async def __call__(self) -> int:
        async with self._uow:
            claimed = await self._uow.messages.claim_due(
                now=self._clock.now(), limit=self._policy.batch_size, lease=self._policy.lease
            )
            await self._uow.commit()
        for message in claimed:
            await self._send(message)
        return len(claimed)

    async def _send(self, message: Message) -> None:
        try:
            await self._sender.send(message)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]
            given_up = message.attempts >= self._policy.max_attempts
            logger.log(
                logging.ERROR if given_up else logging.WARNING,
                "notification delivery failed",
                extra={
                    "notification_id": str(message.id),
                    "channel": message.channel,
                    "attempt": message.attempts,
                    "given_up": given_up,
                    "error": error,
                },
            )
            async with self._uow:
                if given_up:
                    await self._uow.messages.mark_failed(message.id, error=error)
                else:
                    retry_at = self._clock.now() + self._policy.backoff(message.attempts)
                    await self._uow.messages.mark_retry(message.id, error=error, retry_at=retry_at)
                await self._uow.commit()
        else:
            async with self._uow:
                await self._uow.messages.mark_sent(message.id, now=self._clock.now())
                await self._uow.commit()
