"""Favorites and calendar feeds in SQL."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from aquastream.adapters.sql.catalog.events import EVENT_SORT_KEYS
from aquastream.adapters.sql.paging import fetch_page, in_order
from aquastream.adapters.sql.tables.catalog import calendar_feeds, events, favorites
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.catalog.model import CalendarFeed, Favorite
from aquastream.domain.catalog.ordering import FAVORITES_BY_EVENT_KEY, NEWEST_FAVORITES, FavoriteSortKey
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.sorting import Sort


def _favorite_from_row(row: RowMapping) -> Favorite:
    return Favorite(user_id=row["user_id"], event_id=row["event_id"], created_at=row["created_at"])


# Built once with bound parameters (see EVENT_BY_ID in ``events``: no cache key per call).
FAVORITE_COUNTS = (
    select(favorites.c.event_id, func.count())
    .where(favorites.c.event_id.in_(bindparam("event_ids", expanding=True)))
    .group_by(favorites.c.event_id)
)
FAVORITED_BY = select(favorites.c.event_id).where(
    favorites.c.user_id == bindparam("user_id"),
    favorites.c.event_id.in_(bindparam("event_ids", expanding=True)),
)


class SqlFavoriteRepository(SqlRepository):
    async def add(self, favorite: Favorite) -> bool:
        values = {
            "user_id": favorite.user_id,
            "event_id": favorite.event_id,
            "created_at": favorite.created_at,
        }
        try:
            # The primary key makes a second favorite (even a concurrent one) a no-op; the
            # savepoint keeps the transaction usable after it.
            async with self._connection.begin_nested():
                await self._connection.execute(insert(favorites).values(values))
        except IntegrityError:
            exists = await self._connection.scalar(
                select(func.count())
                .select_from(favorites)
                .where(favorites.c.user_id == favorite.user_id, favorites.c.event_id == favorite.event_id)
            )
            if exists:
                return False
            raise
        return True

    async def remove(self, user_id: uuid.UUID, event_id: uuid.UUID) -> bool:
        result = await self._connection.execute(
            delete(favorites).where(favorites.c.user_id == user_id, favorites.c.event_id == event_id)
        )
        return bool(result.rowcount)

    async def list_for_user(
        self, user_id: uuid.UUID, paging: PageRequest, sort: Sort[FavoriteSortKey] = NEWEST_FAVORITES
    ) -> Page[Favorite]:
        query = select(favorites).where(favorites.c.user_id == user_id)
        key: ColumnElement[Any] = favorites.c.created_at
        if (event_key := FAVORITES_BY_EVENT_KEY.get(sort.key)) is not None:
            query = query.join(events, events.c.id == favorites.c.event_id)
            key = EVENT_SORT_KEYS[event_key]
        query = in_order(query, key, favorites.c.event_id, descending=sort.descending)
        return await fetch_page(self._connection, query, paging, _favorite_from_row)

    async def counts(self, event_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, int]:
        if not event_ids:
            return {}
        rows = await self._connection.execute(FAVORITE_COUNTS, {"event_ids": list(set(event_ids))})
        return {event_id: count for event_id, count in rows.tuples()}

    async def favorited_by(self, user_id: uuid.UUID, event_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
        if not event_ids:
            return set()
        parameters = {"user_id": user_id, "event_ids": list(set(event_ids))}
        return set((await self._connection.execute(FAVORITED_BY, parameters)).scalars())


def _feed_from_row(row: RowMapping) -> CalendarFeed:
    return CalendarFeed(
        user_id=row["user_id"],
        nonce=row["nonce"],
        token_hash=row["token_hash"],
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
    )


class SqlCalendarFeedRepository(SqlRepository):
    async def get(self, user_id: uuid.UUID) -> CalendarFeed | None:
        query = select(calendar_feeds).where(calendar_feeds.c.user_id == user_id)
        row = (await self._connection.execute(query)).mappings().first()
        return _feed_from_row(row) if row else None

    async def put(self, feed: CalendarFeed) -> None:
        values = {
            "nonce": feed.nonce,
            "token_hash": feed.token_hash,
            "created_at": feed.created_at,
            "revoked_at": feed.revoked_at,
        }
        result = await self._connection.execute(
            update(calendar_feeds).where(calendar_feeds.c.user_id == feed.user_id).values(values)
        )
        if not result.rowcount:
            await self._connection.execute(insert(calendar_feeds).values(user_id=feed.user_id, **values))

    async def find_live(self, token_hash: str) -> CalendarFeed | None:
        query = select(calendar_feeds).where(
            calendar_feeds.c.token_hash == token_hash, calendar_feeds.c.revoked_at.is_(None)
        )
        row = (await self._connection.execute(query)).mappings().first()
        return _feed_from_row(row) if row else None
