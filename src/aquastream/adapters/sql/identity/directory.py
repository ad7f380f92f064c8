"""Booking's ``ParticipantDirectory``, answered from the identity tables.

``IdentityParticipantDirectory`` is the one booking is given: identity serves it on a
connection of its own engine, outside booking's transaction, so booking runs no SQL on
identity's tables and identity may sit where booking's role cannot see. It reads outside
any transaction (on SQLite, WAL: it never waits for booking's writer). A blocked or deleted
account is not contactable (it cannot book), though its contacts still show in an
organizer's participant list.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.driver import Prepared
from aquastream.adapters.sql.reads import StandaloneReads
from aquastream.adapters.sql.tables.identity import profiles, users
from aquastream.ports.booking import ParticipantContact

# Asked before every booking: built once with a bound parameter, sent by the driver itself.
CONTACTABLE = Prepared(
    select(profiles.c.phone, profiles.c.telegram)
    .join(users, users.c.id == profiles.c.user_id)
    .where(profiles.c.user_id == bindparam("user_id"), users.c.is_active, users.c.deleted_at.is_(None))
)


def _contacts_query(user_ids: Collection[uuid.UUID]) -> Select[Any]:
    return (
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


def _contact(row: Any) -> ParticipantContact:
    return ParticipantContact(
        user_id=row.id,
        email=None if row.deleted_at is not None else row.email,
        first_name=row.first_name,
        last_name=row.last_name,
        phone=row.phone,
        telegram=row.telegram,
    )


class IdentityParticipantDirectory:
    def __init__(self, engine: AsyncEngine) -> None:
        self._reads = StandaloneReads(engine)

    async def is_contactable(self, user_id: uuid.UUID) -> bool:
        (rows,) = await self._reads.all([CONTACTABLE], {"user_id": user_id})
        return bool(rows) and bool(rows[0].phone or rows[0].telegram)

    async def contacts(self, user_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, ParticipantContact]:
        if not user_ids:
            return {}
        rows = await self._reads.rows(_contacts_query(user_ids))
        return {row.id: _contact(row) for row in rows}


class IdentityParticipantNames(IdentityParticipantDirectory):
    """Crews' ``ParticipantNames``, served by identity on its own engine: "First Last" of the
    profiles that give a name."""

    async def names(self, user_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, str]:
        found = {}
        for user_id, contact in (await self.contacts(user_ids)).items():
            name = " ".join(part for part in (contact.first_name, contact.last_name) if part)
            if name:
                found[user_id] = name
        return found
