"""What notifications reads of the other domains' tables, on its own unit of work's connection.

Recipients come from identity (an inactive or deleted account is nobody to notify; a
Telegram chat counts only once the bot verified it); events from the catalog; confirmed
participants from booking.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, select

from aquastream.adapters.sql.tables.booking import bookings
from aquastream.adapters.sql.tables.catalog import events
from aquastream.adapters.sql.tables.identity import profiles, users
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.notifications.model import EventSummary, Recipient

_ACTIVE_USER = (users.c.is_active, users.c.deleted_at.is_(None))


class SqlRecipientDirectory(SqlRepository):
    async def recipient(self, user_id: uuid.UUID) -> Recipient | None:
        query = (
            select(
                users.c.email,
                profiles.c.phone,
                profiles.c.telegram_chat_id,
                profiles.c.telegram_verified,
            )
            .join(profiles, profiles.c.user_id == users.c.id, isouter=True)
            .where(users.c.id == user_id, *_ACTIVE_USER)
        )
        row = (await self._connection.execute(query)).first()
        if row is None:
            return None
        return Recipient(
            user_id=user_id,
            email=row.email,
            phone=row.phone,
            telegram_chat_id=row.telegram_chat_id if row.telegram_verified else None,
        )

    async def user_for_chat(self, chat_id: int) -> uuid.UUID | None:
        query = (
            select(users.c.id)
            .join(profiles, profiles.c.user_id == users.c.id)
            .where(profiles.c.telegram_chat_id == chat_id, profiles.c.telegram_verified, *_ACTIVE_USER)
        )
        found: uuid.UUID | None = await self._connection.scalar(query)
        return found


def _summary(row: Row[tuple[uuid.UUID, uuid.UUID, str, datetime]]) -> EventSummary:
    return EventSummary(
        event_id=row.id, organizer_id=row.organizer_id, title=row.title, starts_at=row.date_start
    )


_EVENT_COLUMNS = (events.c.id, events.c.organizer_id, events.c.title, events.c.date_start)


class SqlEventDirectory(SqlRepository):
    async def event(self, event_id: uuid.UUID) -> EventSummary | None:
        row = (await self._connection.execute(select(*_EVENT_COLUMNS).where(events.c.id == event_id))).first()
        return _summary(row) if row else None

    async def starting_between(self, after: datetime, until: datetime) -> Sequence[EventSummary]:
        query = (
            select(*_EVENT_COLUMNS)
            .where(events.c.status == "PUBLISHED", events.c.date_start > after, events.c.date_start <= until)
            .order_by(events.c.date_start, events.c.id)
        )
        return [_summary(row) for row in await self._connection.execute(query)]

    async def confirmed_participants(self, event_id: uuid.UUID) -> Sequence[uuid.UUID]:
        query = (
            select(bookings.c.user_id)
            .where(bookings.c.event_id == event_id, bookings.c.status == "CONFIRMED")
            .order_by(bookings.c.created_at, bookings.c.user_id)
        )
        return list((await self._connection.scalars(query)).all())
