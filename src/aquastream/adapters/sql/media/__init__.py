"""SQL persistence of the media domain: its unit of work and file rows. What it asks about
owners the owners' domains serve (their ``served`` modules)."""

from __future__ import annotations

from aquastream.adapters.sql.media.files import SqlFileRepository
from aquastream.adapters.sql.media.uow import SqlMediaUnitOfWork

__all__ = ["SqlFileRepository", "SqlMediaUnitOfWork"]
