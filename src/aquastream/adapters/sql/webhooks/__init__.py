"""SQL persistence of the webhooks domain: endpoints, deliveries and their attempts."""

from __future__ import annotations

from aquastream.adapters.sql.webhooks.uow import SqlWebhooksUnitOfWork

__all__ = ["SqlWebhooksUnitOfWork"]
