"""The payments domain's settings, built from settings by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from aquastream.domain.payments.model import BankAccount


@dataclass(frozen=True, slots=True)
class PaymentsPolicy:
    return_url: str = "http://localhost:8000/payments/return"  # where a provider sends the payer back
    proof_hold: timedelta = timedelta(hours=48)  # a submitted QR receipt keeps the seat this long
    # A succeeded payment whose booking is not confirmed yet keeps the seat this much longer:
    # the confirmation is on its way through the outbox.
    confirmation_grace: timedelta = timedelta(minutes=5)
    bank_account: BankAccount | None = None  # None: QR transfers are not offered
    # Open card payments are re-read from their provider once they are this old, for this long.
    reconcile_after: timedelta = timedelta(minutes=10)
    reconcile_window: timedelta = timedelta(hours=24)
    reconcile_batch: int = 50
    # Stored notifications older than this are deleted (``retention.PruneWebhookEvents``).
    webhook_retention: timedelta = timedelta(days=90)
