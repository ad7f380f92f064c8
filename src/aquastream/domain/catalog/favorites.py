"""Use cases of favorites: a user marks events, unmarks them and lists them."""

from __future__ import annotations

import uuid
from typing import ClassVar

from aquastream.domain.catalog.errors import EventNotFound
from aquastream.domain.catalog.model import EventStatus, Favorite
from aquastream.domain.catalog.ordering import NEWEST_FAVORITES, FavoriteSortKey
from aquastream.domain.catalog.views import EventView, event_facts
from aquastream.domain.shared.errors import Raises, ValidationFailed
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.principal import Principal
from aquastream.domain.shared.sorting import parse_sort
from aquastream.ports.catalog import CatalogUnitOfWork
from aquastream.ports.clock import Clock


class AddFavorite:
    """A user favorites a public event (a draft is 404, even to its organizer). Adding it
    again changes nothing. Returns the event with its new ``favorites_count``."""

    raises: ClassVar[Raises] = (EventNotFound,)

    def __init__(self, uow: CatalogUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, principal: Principal, event_id: uuid.UUID) -> EventView:
        now = self._clock.now()
        async with self._uow:
            event = await self._uow.events.get(event_id)
            if event is None or event.status is EventStatus.DRAFT:
                raise EventNotFound()
            await self._uow.favorites.add(
                Favorite(user_id=principal.user_id, event_id=event_id, created_at=now)
            )
            facts = await event_facts(self._uow, [event], viewer=principal)
            await self._uow.commit()
        return await facts.view(self._uow.seats, now=now)


class RemoveFavorite:
    """A user unfavorites an event; removing one that is not there is fine (idempotent)."""

    raises: ClassVar[Raises] = ()

    def __init__(self, uow: CatalogUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal, event_id: uuid.UUID) -> None:
        async with self._uow:
            await self._uow.favorites.remove(principal.user_id, event_id)
            await self._uow.commit()


class ListFavorites:
    """A user lists the events they favorited, most recently favorited first, or in the
    ``sort`` they ask for (``FavoriteSortKey``; an unknown one is ``ValidationFailed``)."""

    raises: ClassVar[Raises] = (ValidationFailed,)

    def __init__(self, uow: CatalogUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(
        self, principal: Principal, paging: PageRequest, *, sort: str | None = None
    ) -> Page[EventView]:
        order = parse_sort(sort, FavoriteSortKey, NEWEST_FAVORITES)
        async with self._uow.reading():
            favorites = await self._uow.favorites.list_for_user(principal.user_id, paging, order)
            events = await self._uow.events.get_many([f.event_id for f in favorites.items])
            ordered = [events[f.event_id] for f in favorites.items if f.event_id in events]
            facts = await event_facts(self._uow, ordered, viewer=principal)
        views = await facts.views(self._uow.seats, now=self._clock.now())
        return Page(views, favorites.total, favorites.page, favorites.size)
