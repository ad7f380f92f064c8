"""Identity's ``RevocationFeed`` in SQL: two indexed reads on one connection, outside any unit of work.

Sessions ended rather than rotated are found by ``ix_refresh_sessions_ended_revoked_at``,
marked users by ``ix_users_marked_tokens_not_before``. The statements are built once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.reads import StandaloneReads
from aquastream.adapters.sql.tables.identity import refresh_sessions, users
from aquastream.domain.identity.revocation import AccountAccess, EndedSession, Revocation

# Past it the feed gives up; the edge keeps what it knew until the next try.
FEED_TIMEOUT_SECONDS = 3.0

_ENDED_SESSIONS = select(
    refresh_sessions.c.user_id, refresh_sessions.c.family_id, refresh_sessions.c.revoked_at
).where(
    refresh_sessions.c.revoked_at >= bindparam("since", type_=refresh_sessions.c.revoked_at.type),
    refresh_sessions.c.replaced_by.is_(None),
)
_MARKED_USERS = select(users.c.id, users.c.tokens_not_before, users.c.is_active, users.c.deleted_at).where(
    users.c.tokens_not_before >= bindparam("since", type_=users.c.tokens_not_before.type)
)


class SqlRevocationFeed:
    def __init__(self, engine: AsyncEngine) -> None:
        self._reads = StandaloneReads(engine, timeout_seconds=FEED_TIMEOUT_SECONDS)

    async def revoked_since(self, since: datetime) -> list[Revocation]:
        ended, marked = await self._reads.all([_ENDED_SESSIONS, _MARKED_USERS], {"since": since})
        revocations: list[Revocation] = [
            EndedSession(row.user_id, row.family_id, row.revoked_at) for row in ended
        ]
        revocations += [
            AccountAccess(row.id, row.tokens_not_before, row.is_active and row.deleted_at is None)
            for row in marked
        ]
        return revocations
