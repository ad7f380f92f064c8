"""In-memory payments repositories and unit of work, and the ports payments asks of other
domains (organizers, proof files; bookings are booking's ``MemoryBookingDirectory``), for unit
and contract tests.

Each method changes rows under the database lock the unit of work holds, which makes it as
atomic as the single SQL statement it stands for.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from aquastream.adapters.memory.database import MemoryDatabase, MemoryUnitOfWork
from aquastream.adapters.memory.request_keys import MemoryRequestKeys
from aquastream.domain.payments.errors import PaymentAlreadyOpen
from aquastream.domain.payments.model import (
    LIVE_STATUSES,
    OPEN_CARD_STATUSES,
    PAID_STATUSES,
    BankAccount,
    Checkout,
    Payment,
    PaymentMethod,
    PaymentStatus,
    ProofFile,
    Refund,
    RefundStatus,
    WebhookOutcome,
    WebhookRecord,
)
from aquastream.domain.payments.ordering import NEWEST_PAYMENTS, PaymentSortKey
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.principal import Principal, Role
from aquastream.domain.shared.sorting import Sort

PAYMENTS = "payments.payments"
PAYEES = "payments.payee_accounts"
REFUNDS = "payments.refunds"
WEBHOOKS = "payments.webhook_events"


def _page(rows: list[Payment], paging: PageRequest) -> Page[Payment]:
    return Page(rows[paging.offset : paging.offset + paging.size], len(rows), paging.page, paging.size)


def _newest_first(rows: Iterable[Payment]) -> list[Payment]:
    return sorted(rows, key=lambda p: (p.created_at, p.id), reverse=True)


# What each ``sort`` orders by (statuses by their names, by code point, as the SQL adapter does).
_PAYMENT_SORT_KEYS: Mapping[PaymentSortKey, Callable[[Payment], Any]] = {
    PaymentSortKey.CREATED_AT: lambda p: p.created_at,
    PaymentSortKey.AMOUNT: lambda p: p.amount,
    PaymentSortKey.STATUS: lambda p: p.status.value,
}


def _in_order(rows: Iterable[Payment], sort: Sort[PaymentSortKey]) -> list[Payment]:
    key = _PAYMENT_SORT_KEYS[sort.key]
    return sorted(rows, key=lambda p: (key(p), p.id), reverse=sort.descending)


class MemoryPaymentRepository:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    @property
    def _rows(self) -> dict[uuid.UUID, Payment]:
        return self._db.table(PAYMENTS)

    def _where(self, predicate: Callable[[Payment], bool]) -> list[Payment]:
        return [p for p in self._rows.values() if predicate(p)]

    async def add(self, payment: Payment) -> None:
        if payment.status in LIVE_STATUSES:
            existing = await self.live_for_booking(payment.booking_id)
            if existing is not None:
                raise PaymentAlreadyOpen(existing.id)
        self._rows[payment.id] = payment

    async def get(self, payment_id: uuid.UUID) -> Payment | None:
        return self._rows.get(payment_id)

    async def by_provider_id(self, provider: str, provider_payment_id: str) -> Payment | None:
        found = self._where(lambda p: p.provider == provider and p.provider_payment_id == provider_payment_id)
        return found[0] if found else None

    async def live_for_booking(self, booking_id: uuid.UUID) -> Payment | None:
        found = self._where(lambda p: p.booking_id == booking_id and p.status in LIVE_STATUSES)
        return found[0] if found else None

    async def live_for_bookings(self, booking_ids: Collection[uuid.UUID]) -> list[Payment]:
        wanted = set(booking_ids)
        return self._where(lambda p: p.booking_id in wanted and p.status in LIVE_STATUSES)

    async def for_booking(self, booking_id: uuid.UUID) -> list[Payment]:
        return _newest_first(self._where(lambda p: p.booking_id == booking_id))[::-1]

    async def for_bookings(self, booking_ids: Collection[uuid.UUID]) -> list[Payment]:
        wanted = set(booking_ids)
        return _newest_first(self._where(lambda p: p.booking_id in wanted))[::-1]

    async def open_card_payments(
        self, *, opened_after: datetime, opened_before: datetime, limit: int
    ) -> list[Payment]:
        rows = self._where(
            lambda p: (
                p.method is PaymentMethod.WIDGET
                and p.status in OPEN_CARD_STATUSES
                and p.provider_payment_id is not None
                and opened_after <= p.created_at <= opened_before
            )
        )
        return sorted(rows, key=lambda p: (p.created_at, p.id))[:limit]

    def _replace(self, payment: Payment, **changes: Any) -> Payment:
        updated = dataclasses.replace(payment, **changes)
        self._rows[payment.id] = updated
        return updated

    async def transition(
        self,
        payment_id: uuid.UUID,
        *,
        expected: Collection[PaymentStatus],
        new: PaymentStatus,
        now: datetime,
        **changes: Any,
    ) -> Payment | None:
        payment = self._rows.get(payment_id)
        if payment is None or payment.status not in expected:
            return None
        return self._replace(payment, status=new, updated_at=now, **changes)

    async def attach_checkout(
        self, payment_id: uuid.UUID, checkout: Checkout, *, now: datetime
    ) -> Payment | None:
        payment = self._rows.get(payment_id)
        if payment is None:
            return None
        return self._replace(
            payment,
            provider_payment_id=checkout.provider_payment_id or payment.provider_payment_id,
            confirmation=dict(checkout.confirmation),
            updated_at=now,
        )

    async def reserve_refund(
        self, payment_id: uuid.UUID, amount: Decimal, *, now: datetime
    ) -> Payment | None:
        payment = self._rows.get(payment_id)
        if payment is None or payment.status not in PAID_STATUSES:
            return None
        refunded = payment.refunded_amount + amount
        if refunded > payment.amount:
            return None
        status = PaymentStatus.REFUNDED if refunded == payment.amount else PaymentStatus.PARTIALLY_REFUNDED
        return self._replace(payment, refunded_amount=refunded, status=status, updated_at=now)

    async def release_refund(self, payment_id: uuid.UUID, amount: Decimal, *, now: datetime) -> None:
        payment = self._rows.get(payment_id)
        if payment is None:
            return
        refunded = payment.refunded_amount - amount
        status = PaymentStatus.SUCCEEDED if refunded == 0 else PaymentStatus.PARTIALLY_REFUNDED
        self._replace(payment, refunded_amount=refunded, status=status, updated_at=now)

    async def list_for_user(
        self, user_id: uuid.UUID, paging: PageRequest, sort: Sort[PaymentSortKey] = NEWEST_PAYMENTS
    ) -> Page[Payment]:
        return _page(_in_order(self._where(lambda p: p.user_id == user_id), sort), paging)

    async def list_for_event(
        self, event_id: uuid.UUID, paging: PageRequest, sort: Sort[PaymentSortKey] = NEWEST_PAYMENTS
    ) -> Page[Payment]:
        return _page(_in_order(self._where(lambda p: p.event_id == event_id), sort), paging)

    async def submitted(
        self, organizer_ids: Collection[uuid.UUID] | None, paging: PageRequest
    ) -> Page[Payment]:
        rows = self._where(
            lambda p: (
                p.status is PaymentStatus.SUBMITTED
                and p.method is PaymentMethod.QR_MANUAL
                and (organizer_ids is None or p.organizer_id in organizer_ids)
            )
        )
        return _page(sorted(rows, key=lambda p: (p.submitted_at or p.created_at, p.id)), paging)


class MemoryRefundRepository:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    @property
    def _rows(self) -> dict[uuid.UUID, Refund]:
        return self._db.table(REFUNDS)

    async def add(self, refund: Refund) -> None:
        self._rows[refund.id] = refund

    async def settle(
        self, refund_id: uuid.UUID, status: RefundStatus, provider_refund_id: str | None = None
    ) -> None:
        refund = self._rows.get(refund_id)
        if refund is not None:
            self._rows[refund_id] = dataclasses.replace(
                refund, status=status, provider_refund_id=provider_refund_id or refund.provider_refund_id
            )

    async def for_payment(self, payment_id: uuid.UUID) -> list[Refund]:
        rows = [r for r in self._rows.values() if r.payment_id == payment_id]
        return sorted(rows, key=lambda r: (r.created_at, r.id))


class MemoryWebhookLog:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    @property
    def _rows(self) -> dict[tuple[str, str], WebhookRecord]:
        return self._db.table(WEBHOOKS)

    async def add(self, record: WebhookRecord) -> bool:
        key = (record.provider, record.provider_event_id)
        if key in self._rows:
            return False
        self._rows[key] = record
        return True

    async def resolve(
        self, record_id: uuid.UUID, outcome: WebhookOutcome, payment_id: uuid.UUID | None
    ) -> None:
        for key, record in self._rows.items():
            if record.id == record_id:
                self._rows[key] = dataclasses.replace(record, outcome=outcome, payment_id=payment_id)
                return

    async def get(self, provider: str, provider_event_id: str) -> WebhookRecord | None:
        return self._rows.get((provider, provider_event_id))

    async def prune(self, *, before: datetime, limit: int) -> int:
        old = sorted(
            (key for key, record in self._rows.items() if record.received_at < before),
            key=lambda key: (self._rows[key].received_at, self._rows[key].id),
        )[:limit]
        for key in old:
            del self._rows[key]
        return len(old)


class MemoryPayeeAccounts:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def get(self, organizer_id: uuid.UUID) -> BankAccount | None:
        found: BankAccount | None = self._db.table(PAYEES).get(organizer_id)
        return found

    async def save(
        self, organizer_id: uuid.UUID, account: BankAccount, *, by: uuid.UUID, now: datetime
    ) -> None:
        self._db.table(PAYEES)[organizer_id] = account


class MemoryPaymentsUnitOfWork(MemoryUnitOfWork):
    domain = "payments"

    def __init__(self, db: MemoryDatabase) -> None:
        super().__init__(db)
        self.payments = MemoryPaymentRepository(db)
        self.payees = MemoryPayeeAccounts(db)
        self.refunds = MemoryRefundRepository(db)
        self.webhooks = MemoryWebhookLog(db)
        self.request_keys = MemoryRequestKeys(db, "payments.idempotency_keys")


class MemoryOrganizerDirectory:
    """Owners and slugs of each organizer, set by hand; admins manage every organizer."""

    def __init__(
        self,
        owners: Mapping[uuid.UUID, Iterable[uuid.UUID]] | None = None,
        slugs: Mapping[str, uuid.UUID] | None = None,
    ) -> None:
        self.owners: dict[uuid.UUID, set[uuid.UUID]] = {
            organizer_id: set(users) for organizer_id, users in (owners or {}).items()
        }
        self.slugs: dict[str, uuid.UUID] = dict(slugs or {})

    async def id_of(self, slug: str) -> uuid.UUID | None:
        return self.slugs.get(slug)

    async def can_manage(self, principal: Principal, organizer_id: uuid.UUID) -> bool:
        if principal.is_admin:
            return True
        return principal.role is Role.ORGANIZER and principal.user_id in self.owners.get(organizer_id, set())

    async def managed_by(self, principal: Principal) -> Collection[uuid.UUID]:
        if principal.role is not Role.ORGANIZER:
            return set()
        return {organizer_id for organizer_id, users in self.owners.items() if principal.user_id in users}


class MemoryProofFiles:
    """Media files known by hand."""

    def __init__(self, files: Iterable[ProofFile] = ()) -> None:
        self.files: dict[uuid.UUID, ProofFile] = {file.id: file for file in files}

    async def get(self, file_id: uuid.UUID) -> ProofFile | None:
        return self.files.get(file_id)
