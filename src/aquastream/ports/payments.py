"""Ports of the payments domain: its unit of work, the payment providers, and what it asks
the booking, catalog and media domains (adapters read their tables on payments' connection).

Every status change is one conditional statement in the adapters (``UPDATE … WHERE status IN
<expected>``), so two racing changes of one payment never both apply.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from aquastream.domain.payments.model import (
    BankAccount,
    Checkout,
    CheckoutRequest,
    Payment,
    PaymentStatus,
    ProviderPayment,
    Refund,
    RefundStatus,
    WebhookDelivery,
    WebhookNotice,
    WebhookOutcome,
    WebhookRecord,
)
from aquastream.domain.payments.model import PayableBooking as PayableBooking  # what booking answers
from aquastream.domain.payments.model import ProofFile as ProofFile  # what media answers
from aquastream.domain.payments.ordering import NEWEST_PAYMENTS, PaymentSortKey
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.principal import Principal
from aquastream.domain.shared.sorting import Sort
from aquastream.ports.idempotency import KeyedUnitOfWork


class PaymentRepository(Protocol):
    async def add(self, payment: Payment) -> None:
        """Insert; raises ``PaymentAlreadyOpen`` (with the existing id) when the booking
        already has a live payment (unique index ``uq_payments_live_booking``)."""
        ...

    async def get(self, payment_id: uuid.UUID) -> Payment | None: ...

    async def by_provider_id(self, provider: str, provider_payment_id: str) -> Payment | None: ...

    async def live_for_booking(self, booking_id: uuid.UUID) -> Payment | None: ...

    async def live_for_bookings(self, booking_ids: Collection[uuid.UUID]) -> list[Payment]:
        """The live payments of these bookings (at most one each)."""
        ...

    async def for_booking(self, booking_id: uuid.UUID) -> list[Payment]:
        """Every payment of the booking, oldest first."""
        ...

    async def open_card_payments(
        self, *, opened_after: datetime, opened_before: datetime, limit: int
    ) -> list[Payment]:
        """Card payments PENDING or PROCESSING with a provider id, created in that interval,
        oldest first."""
        ...

    async def transition(
        self,
        payment_id: uuid.UUID,
        *,
        expected: Collection[PaymentStatus],
        new: PaymentStatus,
        now: datetime,
        **changes: Any,
    ) -> Payment | None:
        """Move from one of ``expected`` to ``new`` and set ``changes`` (Payment fields); the
        updated payment, or None when its status was not one of ``expected``."""
        ...

    async def attach_checkout(
        self, payment_id: uuid.UUID, checkout: Checkout, *, now: datetime
    ) -> Payment | None:
        """Store the provider's id and confirmation data, whatever the status (a webhook may
        have moved the payment on already); None for an unknown payment."""
        ...

    async def reserve_refund(
        self, payment_id: uuid.UUID, amount: Decimal, *, now: datetime
    ) -> Payment | None:
        """``refunded_amount + amount`` if the payment is paid and that does not exceed its
        amount; the status becomes REFUNDED or PARTIALLY_REFUNDED. None when it does not fit."""
        ...

    async def release_refund(self, payment_id: uuid.UUID, amount: Decimal, *, now: datetime) -> None:
        """Undo a reservation the provider refused (``refunded_amount - amount``)."""
        ...

    async def list_for_user(
        self, user_id: uuid.UUID, paging: PageRequest, sort: Sort[PaymentSortKey] = NEWEST_PAYMENTS
    ) -> Page[Payment]:
        """In ``sort`` order (newest first by default), ties by id in the same direction."""
        ...

    async def list_for_event(
        self, event_id: uuid.UUID, paging: PageRequest, sort: Sort[PaymentSortKey] = NEWEST_PAYMENTS
    ) -> Page[Payment]:
        """In ``sort`` order (newest first by default), ties by id in the same direction."""
        ...

    async def submitted(
        self, organizer_ids: Collection[uuid.UUID] | None, paging: PageRequest
    ) -> Page[Payment]:
        """SUBMITTED QR payments of these organizers' events (None: of all), oldest submission first."""
        ...


class RefundRepository(Protocol):
    async def add(self, refund: Refund) -> None: ...

    async def settle(
        self, refund_id: uuid.UUID, status: RefundStatus, provider_refund_id: str | None = None
    ) -> None: ...

    async def for_payment(self, payment_id: uuid.UUID) -> list[Refund]:
        """Oldest first."""
        ...


class WebhookLog(Protocol):
    async def add(self, record: WebhookRecord) -> bool:
        """Insert; False (and nothing stored) when this provider event id is stored already.
        A concurrent insert of the same id waits for the first to finish."""
        ...

    async def resolve(
        self, record_id: uuid.UUID, outcome: WebhookOutcome, payment_id: uuid.UUID | None
    ) -> None:
        """Record what the notification did."""
        ...

    async def get(self, provider: str, provider_event_id: str) -> WebhookRecord | None: ...

    async def prune(self, *, before: datetime, limit: int) -> int:
        """Delete at most ``limit`` notifications received before ``before``, oldest first;
        how many went."""
        ...


class PayeeAccounts(Protocol):
    """The bank account each organizer's QR transfers go to."""

    async def get(self, organizer_id: uuid.UUID) -> BankAccount | None: ...

    async def save(
        self, organizer_id: uuid.UUID, account: BankAccount, *, by: uuid.UUID, now: datetime
    ) -> None:
        """Insert or replace."""
        ...


class PaymentsUnitOfWork(KeyedUnitOfWork, Protocol):
    @property
    def payments(self) -> PaymentRepository: ...

    @property
    def payees(self) -> PayeeAccounts: ...

    @property
    def refunds(self) -> RefundRepository: ...

    @property
    def webhooks(self) -> WebhookLog: ...


class BookingDirectory(Protocol):
    """What payments asks the booking domain: a query port booking serves on its own
    connections, asked outside payments' transaction."""

    async def booking(self, booking_id: uuid.UUID) -> PayableBooking | None: ...

    async def event_organizer(self, event_id: uuid.UUID) -> uuid.UUID | None:
        """The organizer of a published event; None for an unknown event."""
        ...


class OrganizerDirectory(Protocol):
    """What payments asks the catalog domain about who manages which organizer."""

    async def can_manage(self, principal: Principal, organizer_id: uuid.UUID) -> bool:
        """True for the organizer's owners and for every admin."""
        ...

    async def managed_by(self, principal: Principal) -> Collection[uuid.UUID]:
        """The organizers the caller manages (admins: asked separately, they manage all)."""
        ...

    async def id_of(self, slug: str) -> uuid.UUID | None:
        """The id of the organizer with this slug."""
        ...


class ProofFiles(Protocol):
    """What payments asks the media domain about an uploaded receipt: a query port media
    serves on its own connections, asked outside payments' transaction."""

    async def get(self, file_id: uuid.UUID) -> ProofFile | None: ...


class PaymentProvider(Protocol):
    """One card-payment provider. Calls are bounded by the adapter's timeout; a failure raises
    ``ProviderFailed``. ``verify_webhook`` raises ``InvalidWebhookSignature`` for a notification
    it cannot authenticate."""

    @property
    def name(self) -> str: ...

    async def create(self, request: CheckoutRequest) -> Checkout:
        """Open the payment; the payment id is the idempotency key (a retry opens nothing new)."""
        ...

    async def fetch(self, provider_payment_id: str) -> ProviderPayment: ...

    async def refund(
        self, provider_payment_id: str, amount: Decimal, currency: str, *, idempotency_key: str
    ) -> str:
        """The provider's refund id."""
        ...

    async def cancel(self, provider_payment_id: str) -> None:
        """Stop the payment at the provider, where the provider lets it be stopped, so the
        payer can no longer pay it. A payment already paid there, or one the provider lets
        lapse by itself, is left alone (its outcome is reported as usual)."""
        ...

    async def verify_webhook(self, delivery: WebhookDelivery) -> WebhookNotice: ...


class PaymentProviders(Protocol):
    """The configured providers by name, and the one ``POST /payments`` uses by default."""

    @property
    def default(self) -> str: ...

    def get(self, name: str) -> PaymentProvider | None: ...

    def known(self, name: str) -> bool:
        """A provider the service knows of (configured or not)."""
        ...
