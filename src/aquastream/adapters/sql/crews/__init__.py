"""SQL persistence of the crews domain: its unit of work and repositories, and its read model
of booking's facts."""

from __future__ import annotations

from aquastream.adapters.sql.crews.lookups import SqlConfirmedParticipants
from aquastream.adapters.sql.crews.uow import SqlCrewsUnitOfWork

__all__ = ["SqlConfirmedParticipants", "SqlCrewsUnitOfWork"]
