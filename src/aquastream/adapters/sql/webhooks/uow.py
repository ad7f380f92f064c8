"""The webhooks unit of work: its repositories share one transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.crypto.sealing import SecretBox
from aquastream.adapters.sql.tables.webhooks import outbox
from aquastream.adapters.sql.uow import SqlUnitOfWork
from aquastream.adapters.sql.webhooks.repositories import SqlDeliveryRepository, SqlEndpointRepository


class SqlWebhooksUnitOfWork(SqlUnitOfWork):
    def __init__(self, engine: AsyncEngine, box: SecretBox) -> None:
        """``box`` seals the endpoints' signing secrets in the table."""
        super().__init__(engine, outbox, "webhooks")
        self.endpoints = SqlEndpointRepository(self, box)
        self.deliveries = SqlDeliveryRepository(self)
