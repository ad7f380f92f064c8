"""SQL persistence of the crews domain: its unit of work and repositories, and the adapters that
answer its questions from the catalog's and booking's tables."""

from __future__ import annotations

from aquastream.adapters.sql.crews.lookups import SqlConfirmedParticipants, SqlCrewEvents, SqlParticipantNames
from aquastream.adapters.sql.crews.uow import SqlCrewsUnitOfWork

__all__ = ["SqlConfirmedParticipants", "SqlCrewEvents", "SqlCrewsUnitOfWork", "SqlParticipantNames"]
