"""The catalog's SQL adapters: its unit of work and booking's view of organizer access."""

from __future__ import annotations

from aquastream.adapters.sql.catalog.organizers import SqlOrganizerAccess
from aquastream.adapters.sql.catalog.uow import SqlCatalogUnitOfWork

__all__ = ["SqlCatalogUnitOfWork", "SqlOrganizerAccess"]
