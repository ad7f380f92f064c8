"""How long deliveries are kept: their bodies name participants, so they do not stay forever."""

from __future__ import annotations

from aquastream.domain.webhooks.policy import WebhookPolicy
from aquastream.ports.clock import Clock
from aquastream.ports.webhooks import WebhooksUnitOfWork


class PurgeOldDeliveries:
    """Delete deliveries older than ``retention`` (30 days by default) that are over, delivered
    or failed, with their attempts; a delivery still being retried stays until it is over."""

    def __init__(self, uow: WebhooksUnitOfWork, clock: Clock, policy: WebhookPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy

    async def __call__(self) -> int:
        async with self._uow:
            purged = await self._uow.deliveries.purge(before=self._clock.now() - self._policy.retention)
            await self._uow.commit()
        return purged
