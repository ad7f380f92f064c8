"""Media's ``OwnerDirectory``, answered from the identity, catalog and booking tables.

It reads on the connection of the media unit of work it is given, like booking's
``SqlParticipantDirectory``: one connection per request, and on SQLite no second
connection waiting for the first one's lock. A deleted user has no avatar owner any more;
a blocked one still has (their files stay theirs).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from aquastream.adapters.sql.tables.booking import bookings
from aquastream.adapters.sql.tables.catalog import events, organizers, team_members
from aquastream.adapters.sql.tables.identity import users
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.booking.model import BookingStatus
from aquastream.domain.media.model import OwnerType
from aquastream.ports.media import OwnerFacts


class SqlOwnerDirectory(SqlRepository):
    async def _first(self, query: Any) -> Any:
        return (await self._connection.execute(query)).first()

    async def facts(self, owner_type: OwnerType, owner_id: uuid.UUID) -> OwnerFacts | None:
        owner = organizers.c.owner_user_id
        match owner_type:
            case OwnerType.AVATAR:
                row = await self._first(
                    select(users.c.id).where(users.c.id == owner_id, users.c.deleted_at.is_(None))
                )
                return None if row is None else OwnerFacts(user_id=row.id)
            case OwnerType.ORGANIZER_LOGO:
                row = await self._first(select(owner).where(organizers.c.id == owner_id))
            case OwnerType.TEAM_PHOTO:
                row = await self._first(
                    select(owner)
                    .join(team_members, team_members.c.organizer_id == organizers.c.id)
                    .where(team_members.c.id == owner_id)
                )
            case OwnerType.EVENT_IMAGE:
                row = await self._first(
                    select(owner)
                    .join(events, events.c.organizer_id == organizers.c.id)
                    .where(events.c.id == owner_id)
                )
            case OwnerType.PAYMENT_PROOF:
                row = await self._first(
                    select(bookings.c.user_id, bookings.c.status, owner)
                    .join(events, events.c.id == bookings.c.event_id, isouter=True)
                    .join(organizers, organizers.c.id == events.c.organizer_id, isouter=True)
                    .where(bookings.c.id == owner_id)
                )
                if row is None:
                    return None
                return OwnerFacts(
                    user_id=row.user_id,
                    organizer_owner_id=row.owner_user_id,
                    booking_pending=row.status == BookingStatus.PENDING.value,
                )
        return None if row is None else OwnerFacts(organizer_owner_id=row.owner_user_id)
