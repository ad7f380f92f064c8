"""The catalog's SQL adapters: its unit of work (the query ports it serves other domains are in
``organizers`` and ``served``)."""

from __future__ import annotations

from aquastream.adapters.sql.catalog.uow import SqlCatalogUnitOfWork

__all__ = ["SqlCatalogUnitOfWork"]
