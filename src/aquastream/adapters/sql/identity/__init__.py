"""SQL persistence of the identity domain."""

from __future__ import annotations

from aquastream.adapters.sql.identity.uow import SqlIdentityUnitOfWork

__all__ = ["SqlIdentityUnitOfWork"]
