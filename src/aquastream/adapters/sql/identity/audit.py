"""The identity audit log in SQL."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import RowMapping, delete, insert, or_, select

from aquastream.adapters.sql.paging import fetch_page, in_order
from aquastream.adapters.sql.tables.identity import audit_log
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.identity.model import AuditAction, AuditEntry
from aquastream.domain.identity.ordering import NEWEST_AUDIT_ENTRIES, AuditSortKey
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.sorting import Sort


def _entry_from_row(row: RowMapping) -> AuditEntry:
    return AuditEntry(
        id=row["id"],
        action=AuditAction(row["action"]),
        created_at=row["created_at"],
        actor_id=row["actor_id"],
        target_id=row["target_id"],
        payload=dict(row["payload"]),
        ip=row["ip"],
    )


class SqlAuditLog(SqlRepository):
    async def add(self, entry: AuditEntry) -> None:
        await self._connection.execute(
            insert(audit_log).values(
                id=entry.id,
                action=entry.action.value,
                created_at=entry.created_at,
                actor_id=entry.actor_id,
                target_id=entry.target_id,
                payload=entry.payload,
                ip=entry.ip,
            )
        )

    async def list_for_user(
        self, user_id: uuid.UUID, paging: PageRequest, sort: Sort[AuditSortKey] = NEWEST_AUDIT_ENTRIES
    ) -> Page[AuditEntry]:
        mentioning = select(audit_log).where(
            or_(audit_log.c.target_id == user_id, audit_log.c.actor_id == user_id)
        )
        # One key so far: ``createdAt``.
        query = in_order(mentioning, audit_log.c.created_at, audit_log.c.id, descending=sort.descending)
        return await fetch_page(self._connection, query, paging, _entry_from_row)

    async def prune(self, *, before: datetime, limit: int) -> int:
        oldest = (
            select(audit_log.c.id)
            .where(audit_log.c.created_at < before)
            .order_by(audit_log.c.created_at, audit_log.c.id)
            .limit(limit)
        )
        return await self._delete(delete(audit_log).where(audit_log.c.id.in_(oldest)))
