"""The payments unit of work: its repositories share one transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.payments.repositories import (
    SqlPayeeAccounts,
    SqlPaymentRepository,
    SqlRefundRepository,
    SqlWebhookLog,
)
from aquastream.adapters.sql.request_keys import SqlRequestKeys
from aquastream.adapters.sql.tables.payments import idempotency_keys, outbox
from aquastream.adapters.sql.uow import SqlUnitOfWork


class SqlPaymentsUnitOfWork(SqlUnitOfWork):
    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine, outbox, "payments")
        self.payments = SqlPaymentRepository(self)
        self.payees = SqlPayeeAccounts(self)
        self.refunds = SqlRefundRepository(self)
        self.webhooks = SqlWebhookLog(self)
        self.request_keys = SqlRequestKeys(self, idempotency_keys)
