"""Booking's ``ParticipantDirectory``, answered from the identity tables.

It reads on the connection of the booking unit of work it is given: booking asks from
inside its transaction, which saves a connection of its own per question (and, on SQLite,
a second connection would wait for that transaction's write lock). A blocked or deleted
account is not contactable (it cannot book), though its contacts still show in an
organizer's participant list.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping

from sqlalchemy import select

from aquastream.adapters.sql.tables.identity import profiles, users
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.booking.model import ParticipantContact


class SqlParticipantDirectory(SqlRepository):
    async def is_contactable(self, user_id: uuid.UUID) -> bool:
        query = (
            select(profiles.c.phone, profiles.c.telegram)
            .join(users, users.c.id == profiles.c.user_id)
            .where(profiles.c.user_id == user_id, users.c.is_active, users.c.deleted_at.is_(None))
        )
        row = (await self._connection.execute(query)).first()
        return row is not None and bool(row.phone or row.telegram)

    async def contacts(self, user_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, ParticipantContact]:
        if not user_ids:
            return {}
        query = (
            select(
                users.c.id,
                users.c.email,
                users.c.deleted_at,
                profiles.c.first_name,
                profiles.c.last_name,
                profiles.c.phone,
                profiles.c.telegram,
            )
            .join(profiles, profiles.c.user_id == users.c.id, isouter=True)
            .where(users.c.id.in_(list(user_ids)))
        )
        rows = (await self._connection.execute(query)).all()
        return {
            row.id: ParticipantContact(
                user_id=row.id,
                email=None if row.deleted_at is not None else row.email,
                first_name=row.first_name,
                last_name=row.last_name,
                phone=row.phone,
                telegram=row.telegram,
            )
            for row in rows
        }
