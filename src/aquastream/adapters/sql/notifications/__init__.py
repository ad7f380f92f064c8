"""SQL persistence of the notification domain: its unit of work, the message outbox, the
users' inbox and preferences. What it asks identity, catalog and booking those domains serve (their
``served`` modules)."""

from __future__ import annotations

from aquastream.adapters.sql.notifications.uow import SqlNotificationUnitOfWork

__all__ = ["SqlNotificationUnitOfWork"]
