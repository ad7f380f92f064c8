"""The sender job: POST due deliveries to their endpoints, signed, and retry with backoff."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from aquastream.domain.shared.ids import new_id
from aquastream.domain.webhooks.model import Attempt, Delivery, Endpoint
from aquastream.domain.webhooks.policy import WebhookPolicy
from aquastream.domain.webhooks.signing import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    signature_header,
)
from aquastream.ports.clock import Clock
from aquastream.ports.webhooks import WebhooksUnitOfWork, WebhookTransport

logger = logging.getLogger("aquastream.webhooks")

USER_AGENT = "AquaStream-Webhooks/1"


class SendDueDeliveries:
    """Send one batch of due deliveries; returns how many were claimed.

    Rules:
    - the batch is claimed (leased, attempt counted) in one short transaction that commits
      before anything is sent; senders running at once claim disjoint batches (``SKIP
      LOCKED``), and a delivery leased by a sender that died is due again when its lease ends;
    - the deliveries of a batch are sent at once (up to ``concurrency``), each on its own with
      the transport's short timeout, and each outcome is filed as soon as it is known: a slow
      or dead endpoint delays no other endpoint's delivery;
    - each request is signed at the time of sending (``AquaStream-Signature``, by the current
      secret and, during a rotation's grace period, the previous one too);
    - a 2xx answer delivers it; anything else (another status, a redirect, a refused
      target, an unreachable host, a timeout) is retried after the backoff of its attempt,
      until ``max_attempts`` attempts failed: then it is FAILED (the organizer may re-send it).
    """

    def __init__(
        self, uow: WebhooksUnitOfWork, clock: Clock, transport: WebhookTransport, policy: WebhookPolicy
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._transport = transport
        self._policy = policy
        self._filing = asyncio.Lock()  # one unit of work: outcomes are filed one at a time

    async def __call__(self) -> int:
        async with self._uow:
            claimed = await self._uow.deliveries.claim_due(
                now=self._clock.now(), limit=self._policy.batch_size, lease=self._policy.lease
            )
            endpoints = await self._uow.endpoints.get_many({d.endpoint_id for d in claimed})
            await self._uow.commit()
        slots = asyncio.Semaphore(self._policy.concurrency)

        async def send(delivery: Delivery) -> None:
            endpoint = endpoints.get(delivery.endpoint_id)
            if endpoint is None:
                return  # deleted meanwhile, its deliveries with it
            async with slots:
                await self._send(endpoint, delivery)

        await asyncio.gather(*(send(delivery) for delivery in claimed))
        return len(claimed)

    async def _send(self, endpoint: Endpoint, delivery: Delivery) -> None:
        now = self._clock.now()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            EVENT_HEADER: delivery.event_type,
            DELIVERY_HEADER: str(delivery.id),
            SIGNATURE_HEADER: signature_header(
                endpoint.signing_secrets(now), int(now.timestamp()), delivery.payload
            ),
        }
        outcome = await self._transport.post(endpoint.url, delivery.payload, headers)
        attempt = Attempt(
            id=new_id(),
            delivery_id=delivery.id,
            attempted_at=now,
            duration_ms=outcome.duration_ms,
            status_code=outcome.status_code,
            error=outcome.error,
        )
        retry_at = None if attempt.succeeded else self._retry_at(delivery)
        if not attempt.succeeded:
            logger.warning(
                "webhook delivery failed",
                extra={
                    "delivery_id": str(delivery.id),
                    "endpoint_id": str(endpoint.id),
                    "attempt": delivery.attempts,
                    "status_code": outcome.status_code,
                    "error": outcome.error,
                    "given_up": retry_at is None,
                },
            )
        async with self._filing, self._uow:
            await self._uow.deliveries.record(attempt, delivered=attempt.succeeded, retry_at=retry_at)
            await self._uow.commit()

    def _retry_at(self, delivery: Delivery) -> datetime | None:
        if delivery.attempts >= self._policy.max_attempts:
            return None
        return self._clock.now() + self._policy.retry_delay(delivery.attempts)
