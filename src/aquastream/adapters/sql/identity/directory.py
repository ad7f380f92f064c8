"""Booking's ``ParticipantDirectory``, answered from the identity tables.

Each question is one short read on a connection of its own: booking asks before it opens
its transaction (or after it ends), so this never waits on booking's locks. A blocked or
deleted account is not contactable (it cannot book), though its contacts still show in an
organizer's participant list.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.tables.identity import profiles, users
from aquastream.domain.booking.model import ParticipantContact


class SqlParticipantDirectory:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def is_contactable(self, user_id: uuid.UUID) -> bool:
        query = (
            select(profiles.c.phone, profiles.c.telegram)
            .join(users, users.c.id == profiles.c.user_id)
            .where(profiles.c.user_id == user_id, users.c.is_active, users.c.deleted_at.is_(None))
        )
        async with self._engine.connect() as connection:
            row = (await connection.execute(query)).first()
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
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
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
