"""Payments, refunds and accepted notifications in SQL."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, case, delete, insert, select, update

from aquastream.adapters.currencies import amount_in
from aquastream.adapters.sql.paging import by_code_point, fetch_page, in_order
from aquastream.adapters.sql.statements import dialect_insert
from aquastream.adapters.sql.tables.payments import (
    LIVE_PAYMENT,
    payee_accounts,
    payments,
    refunds,
    webhook_events,
)
from aquastream.adapters.sql.uow import SqlRepository
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
    Refund,
    RefundStatus,
    WebhookOutcome,
    WebhookRecord,
)
from aquastream.domain.payments.ordering import NEWEST_PAYMENTS, PaymentSortKey
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.sorting import Sort

_ENUM_FIELDS = {"status", "method"}


def payment_from_row(row: RowMapping) -> Payment:
    return Payment(
        id=row["id"],
        booking_id=row["booking_id"],
        event_id=row["event_id"],
        organizer_id=row["organizer_id"],
        user_id=row["user_id"],
        method=PaymentMethod(row["method"]),
        provider=row["provider"],
        amount=amount_in(row["amount"], row["currency"]),
        currency=row["currency"],
        status=PaymentStatus(row["status"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        provider_payment_id=row["provider_payment_id"],
        confirmation=dict(row["confirmation"] or {}),
        qr_payload=row["qr_payload"],
        proof_file_id=row["proof_file_id"],
        submitted_at=row["submitted_at"],
        decided_at=row["decided_at"],
        rejection_reason=row["rejection_reason"],
        refunded_amount=amount_in(row["refunded_amount"], row["currency"]),
    )


def _column_value(name: str, value: Any) -> Any:
    if name in _ENUM_FIELDS:
        return value.value
    if name == "confirmation":
        return dict(value)
    return value


def _payment_values(payment: Payment) -> dict[str, Any]:
    return {
        column.name: _column_value(column.name, getattr(payment, column.name)) for column in payments.columns
    }


class SqlPaymentRepository(SqlRepository):
    async def add(self, payment: Payment) -> None:
        statement = (
            dialect_insert(self._connection, payments)
            .values(**_payment_values(payment))
            # A concurrent init for the same booking waits for the first, then does nothing.
            .on_conflict_do_nothing(index_elements=["booking_id"], index_where=LIVE_PAYMENT)
            .returning(payments.c.id)
        )
        if (await self._connection.execute(statement)).first() is None:
            existing = await self.live_for_booking(payment.booking_id)
            raise PaymentAlreadyOpen(existing.id if existing else None)

    async def _one(self, statement: Any) -> Payment | None:
        row = (await self._connection.execute(statement)).mappings().first()
        return payment_from_row(row) if row else None

    async def get(self, payment_id: uuid.UUID) -> Payment | None:
        return await self._one(select(payments).where(payments.c.id == payment_id))

    async def by_provider_id(self, provider: str, provider_payment_id: str) -> Payment | None:
        c = payments.c
        return await self._one(
            select(payments).where(c.provider == provider, c.provider_payment_id == provider_payment_id)
        )

    async def live_for_booking(self, booking_id: uuid.UUID) -> Payment | None:
        c = payments.c
        return await self._one(
            select(payments).where(c.booking_id == booking_id, c.status.in_([s.value for s in LIVE_STATUSES]))
        )

    async def live_for_bookings(self, booking_ids: Collection[uuid.UUID]) -> list[Payment]:
        c = payments.c
        query = select(payments).where(
            c.booking_id.in_(list(booking_ids)), c.status.in_([s.value for s in LIVE_STATUSES])
        )
        return [payment_from_row(row) for row in (await self._connection.execute(query)).mappings()]

    async def for_booking(self, booking_id: uuid.UUID) -> list[Payment]:
        query = select(payments).where(payments.c.booking_id == booking_id).order_by(payments.c.created_at)
        return [payment_from_row(row) for row in (await self._connection.execute(query)).mappings()]

    async def open_card_payments(
        self, *, opened_after: datetime, opened_before: datetime, limit: int
    ) -> list[Payment]:
        c = payments.c
        query = (
            select(payments)
            .where(
                c.method == PaymentMethod.WIDGET.value,
                c.status.in_([s.value for s in OPEN_CARD_STATUSES]),
                c.provider_payment_id.is_not(None),
                c.created_at >= opened_after,
                c.created_at <= opened_before,
            )
            .order_by(c.created_at, c.id)
            .limit(limit)
        )
        return [payment_from_row(row) for row in (await self._connection.execute(query)).mappings()]

    async def transition(
        self,
        payment_id: uuid.UUID,
        *,
        expected: Collection[PaymentStatus],
        new: PaymentStatus,
        now: datetime,
        **changes: Any,
    ) -> Payment | None:
        values = {name: _column_value(name, value) for name, value in changes.items()}
        statement = (
            update(payments)
            .where(payments.c.id == payment_id, payments.c.status.in_([s.value for s in expected]))
            .values(status=new.value, updated_at=now, **values)
            .returning(payments)
        )
        return await self._one(statement)

    async def attach_checkout(
        self, payment_id: uuid.UUID, checkout: Checkout, *, now: datetime
    ) -> Payment | None:
        values: dict[str, Any] = {"confirmation": dict(checkout.confirmation), "updated_at": now}
        if checkout.provider_payment_id is not None:
            values["provider_payment_id"] = checkout.provider_payment_id
        statement = update(payments).where(payments.c.id == payment_id).values(**values).returning(payments)
        return await self._one(statement)

    async def reserve_refund(
        self, payment_id: uuid.UUID, amount: Decimal, *, now: datetime
    ) -> Payment | None:
        c = payments.c
        refunded = c.refunded_amount + amount
        statement = (
            update(payments)
            .where(c.id == payment_id, c.status.in_([s.value for s in PAID_STATUSES]), refunded <= c.amount)
            .values(
                refunded_amount=refunded,
                status=case(
                    (refunded == c.amount, PaymentStatus.REFUNDED.value),
                    else_=PaymentStatus.PARTIALLY_REFUNDED.value,
                ),
                updated_at=now,
            )
            .returning(payments)
        )
        return await self._one(statement)

    async def release_refund(self, payment_id: uuid.UUID, amount: Decimal, *, now: datetime) -> None:
        c = payments.c
        refunded = c.refunded_amount - amount
        await self._connection.execute(
            update(payments)
            .where(c.id == payment_id, c.refunded_amount >= amount)
            .values(
                refunded_amount=refunded,
                status=case(
                    (refunded == 0, PaymentStatus.SUCCEEDED.value),
                    else_=PaymentStatus.PARTIALLY_REFUNDED.value,
                ),
                updated_at=now,
            )
        )

    async def list_for_user(
        self, user_id: uuid.UUID, paging: PageRequest, sort: Sort[PaymentSortKey] = NEWEST_PAYMENTS
    ) -> Page[Payment]:
        return await self._listed(payments.c.user_id == user_id, paging, sort)

    async def list_for_event(
        self, event_id: uuid.UUID, paging: PageRequest, sort: Sort[PaymentSortKey] = NEWEST_PAYMENTS
    ) -> Page[Payment]:
        return await self._listed(payments.c.event_id == event_id, paging, sort)

    async def _listed(
        self, condition: ColumnElement[bool], paging: PageRequest, sort: Sort[PaymentSortKey]
    ) -> Page[Payment]:
        c = payments.c
        keys: dict[PaymentSortKey, ColumnElement[Any]] = {
            PaymentSortKey.CREATED_AT: c.created_at,
            PaymentSortKey.AMOUNT: c.amount,
            PaymentSortKey.STATUS: by_code_point(c.status, self._connection.dialect),
        }
        query = in_order(select(payments).where(condition), keys[sort.key], c.id, descending=sort.descending)
        return await fetch_page(self._connection, query, paging, payment_from_row)

    async def submitted(
        self, organizer_ids: Collection[uuid.UUID] | None, paging: PageRequest
    ) -> Page[Payment]:
        c = payments.c
        query = (
            select(payments)
            .where(c.status == PaymentStatus.SUBMITTED.value, c.method == PaymentMethod.QR_MANUAL.value)
            .order_by(c.submitted_at, c.id)
        )
        if organizer_ids is not None:
            query = query.where(c.organizer_id.in_(list(organizer_ids)))
        return await fetch_page(self._connection, query, paging, payment_from_row)


def _refund_from_row(row: RowMapping) -> Refund:
    return Refund(
        id=row["id"],
        payment_id=row["payment_id"],
        amount=amount_in(row["amount"], row["currency"]),
        currency=row["currency"],
        status=RefundStatus(row["status"]),
        reason=row["reason"],
        created_at=row["created_at"],
        actor_id=row["actor_id"],
        provider_refund_id=row["provider_refund_id"],
    )


class SqlRefundRepository(SqlRepository):
    async def add(self, refund: Refund) -> None:
        await self._connection.execute(
            insert(refunds).values(
                id=refund.id,
                payment_id=refund.payment_id,
                amount=refund.amount,
                currency=refund.currency,
                status=refund.status.value,
                reason=refund.reason[:200],
                created_at=refund.created_at,
                actor_id=refund.actor_id,
                provider_refund_id=refund.provider_refund_id,
            )
        )

    async def settle(
        self, refund_id: uuid.UUID, status: RefundStatus, provider_refund_id: str | None = None
    ) -> None:
        values: dict[str, Any] = {"status": status.value}
        if provider_refund_id is not None:
            values["provider_refund_id"] = provider_refund_id
        await self._connection.execute(update(refunds).where(refunds.c.id == refund_id).values(**values))

    async def for_payment(self, payment_id: uuid.UUID) -> list[Refund]:
        query = (
            select(refunds)
            .where(refunds.c.payment_id == payment_id)
            .order_by(refunds.c.created_at, refunds.c.id)
        )
        return [_refund_from_row(row) for row in (await self._connection.execute(query)).mappings()]


class SqlWebhookLog(SqlRepository):
    async def add(self, record: WebhookRecord) -> bool:
        statement = (
            dialect_insert(self._connection, webhook_events)
            .values(
                id=record.id,
                provider=record.provider,
                provider_event_id=record.provider_event_id,
                received_at=record.received_at,
                payload=dict(record.payload),
                outcome=record.outcome.value,
                payment_id=record.payment_id,
            )
            # A concurrent delivery of the same event waits for the first, then does nothing.
            .on_conflict_do_nothing(index_elements=["provider", "provider_event_id"])
            .returning(webhook_events.c.id)
        )
        return (await self._connection.execute(statement)).first() is not None

    async def resolve(
        self, record_id: uuid.UUID, outcome: WebhookOutcome, payment_id: uuid.UUID | None
    ) -> None:
        await self._connection.execute(
            update(webhook_events)
            .where(webhook_events.c.id == record_id)
            .values(outcome=outcome.value, payment_id=payment_id)
        )

    async def get(self, provider: str, provider_event_id: str) -> WebhookRecord | None:
        c = webhook_events.c
        query = select(webhook_events).where(c.provider == provider, c.provider_event_id == provider_event_id)
        row = (await self._connection.execute(query)).mappings().first()
        if row is None:
            return None
        return WebhookRecord(
            id=row["id"],
            provider=row["provider"],
            provider_event_id=row["provider_event_id"],
            received_at=row["received_at"],
            payload=row["payload"],
            outcome=WebhookOutcome(row["outcome"]),
            payment_id=row["payment_id"],
        )

    async def prune(self, *, before: datetime, limit: int) -> int:
        c = webhook_events.c
        oldest = select(c.id).where(c.received_at < before).order_by(c.received_at, c.id).limit(limit)
        return await self._delete(delete(webhook_events).where(c.id.in_(oldest)))


class SqlPayeeAccounts(SqlRepository):
    async def get(self, organizer_id: uuid.UUID) -> BankAccount | None:
        c = payee_accounts.c
        query = select(c.name, c.account, c.bank_name, c.bic, c.correspondent_account).where(
            c.organizer_id == organizer_id
        )
        row = (await self._connection.execute(query)).first()
        return BankAccount(*row) if row else None

    async def save(
        self, organizer_id: uuid.UUID, account: BankAccount, *, by: uuid.UUID, now: datetime
    ) -> None:
        values = {
            "name": account.name,
            "account": account.account,
            "bank_name": account.bank_name,
            "bic": account.bic,
            "correspondent_account": account.correspondent_account,
            "updated_at": now,
            "updated_by": by,
        }
        statement = (
            dialect_insert(self._connection, payee_accounts)
            .values(organizer_id=organizer_id, **values)
            .on_conflict_do_update(index_elements=["organizer_id"], set_=values)
        )
        await self._connection.execute(statement)
