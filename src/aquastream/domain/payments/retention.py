"""Retention of provider notifications: each stored notification (its raw, masked payload,
its event id and outcome) is deleted once older than ``PaymentsPolicy.webhook_retention``.

Pruning deletes the whole row, not just its payload. The row's event id is what
deduplicates deliveries, so the period must outlast every provider's resending: providers
resend a notification for hours to a few days (YooKassa for about a day, Stripe for up to
three), and Stripe keeps an event, which can be resent by hand, for 30 days. Settings refuse
a period under 30 days; the 90-day default leaves a wide margin. Should a notification still
arrive after its row went, it is processed again, which is harmless: news only moves a
payment forwards (``reported_transition``), so a repeat finds the payment already past it
and changes nothing. What the notification did lives on in the payment's own state.
"""

from __future__ import annotations

from aquastream.domain.payments.policy import PaymentsPolicy
from aquastream.ports.clock import Clock
from aquastream.ports.payments import PaymentsUnitOfWork

# Notifications deleted per transaction: short transactions and locks, however large the backlog.
WEBHOOK_PRUNE_BATCH_SIZE = 1000


class PruneWebhookEvents:
    """Delete one batch of stored notifications older than the retention period.

    Rules:
    - a notification received within ``policy.webhook_retention`` of now stays;
    - one call deletes at most ``WEBHOOK_PRUNE_BATCH_SIZE`` notifications, the oldest first, and
      commits: the job calls again while batches come back full (``ioc.worker.sweep``).
    Returns how many notifications went.
    """

    def __init__(self, uow: PaymentsUnitOfWork, clock: Clock, policy: PaymentsPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy

    async def __call__(self) -> int:
        async with self._uow:
            before = self._clock.now() - self._policy.webhook_retention
            pruned = await self._uow.webhooks.prune(before=before, limit=WEBHOOK_PRUNE_BATCH_SIZE)
            await self._uow.commit()
        return pruned
