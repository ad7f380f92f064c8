"""SQL persistence of the notification domain: its unit of work, the message outbox and
preferences, and what it reads of the identity, catalog and booking tables."""

from __future__ import annotations

from aquastream.adapters.sql.notifications.directory import SqlEventDirectory, SqlRecipientDirectory
from aquastream.adapters.sql.notifications.uow import SqlNotificationUnitOfWork

__all__ = ["SqlEventDirectory", "SqlNotificationUnitOfWork", "SqlRecipientDirectory"]
