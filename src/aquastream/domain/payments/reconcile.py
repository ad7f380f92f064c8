"""Use case (a scheduled job): ask the providers about card payments still open here, in case
their notification was lost or never sent."""

from __future__ import annotations

import logging

from aquastream.domain.payments.errors import ProviderFailed
from aquastream.domain.payments.model import WebhookOutcome
from aquastream.domain.payments.policy import PaymentsPolicy
from aquastream.domain.payments.webhooks import apply_report
from aquastream.ports.clock import Clock
from aquastream.ports.payments import PaymentProviders, PaymentsUnitOfWork

logger = logging.getLogger("aquastream.payments.reconcile")


class ReconcileOpenPayments:
    """Bring open card payments up to date with their provider.

    Rules:
    - card payments PENDING or PROCESSING with a provider id, opened between
      ``reconcile_window`` and ``reconcile_after`` ago, oldest first, at most
      ``reconcile_batch`` per run (older ones are left to the provider's own expiry);
    - each is fetched from its provider outside any transaction; what it reports is applied
      exactly as a notification would be (forwards only, amount and currency checked);
    - a provider that does not answer is skipped until the next run.
    Returns how many payments moved.
    """

    def __init__(
        self, uow: PaymentsUnitOfWork, clock: Clock, providers: PaymentProviders, policy: PaymentsPolicy
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._providers = providers
        self._policy = policy

    async def __call__(self) -> int:
        now = self._clock.now()
        async with self._uow:
            candidates = await self._uow.payments.open_card_payments(
                opened_after=now - self._policy.reconcile_window,
                opened_before=now - self._policy.reconcile_after,
                limit=self._policy.reconcile_batch,
            )
        moved = 0
        for payment in candidates:
            provider = self._providers.get(payment.provider)
            if provider is None or payment.provider_payment_id is None:
                continue
            try:
                reported = await provider.fetch(payment.provider_payment_id)
            except ProviderFailed:
                logger.warning(
                    "provider did not answer about a payment", extra={"payment_id": str(payment.id)}
                )
                continue
            async with self._uow:
                current = await self._uow.payments.get(payment.id)
                if current is None:
                    continue
                outcome = await apply_report(self._uow, current, reported, self._clock.now())
                await self._uow.commit()
            if outcome is WebhookOutcome.APPLIED:
                moved += 1
        return moved
