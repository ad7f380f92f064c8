"""Favorites: ``/events/{id}/favorite`` marks and unmarks, ``/users/me/favorites`` lists."""

from __future__ import annotations

import uuid
from typing import Annotated

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, delete, get, post
from litestar.params import FromPath
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from aquastream.adapters.http.catalog.event_dto import EventOut, event_out, event_page
from aquastream.adapters.http.paging import PageNumber, PageOut, PageSize, page_request, sort_parameter
from aquastream.domain.catalog.favorites import AddFavorite, ListFavorites, RemoveFavorite
from aquastream.domain.catalog.ordering import NEWEST_FAVORITES, FavoriteSortKey
from aquastream.domain.shared.principal import Principal
from aquastream.ports.pictures import PictureVariants


class FavoriteController(Controller):
    path = "/"
    tags = ["favorites"]

    @post("/events/{event_id:uuid}/favorite", status_code=HTTP_200_OK, summary="Favorite an event")
    @inject
    async def add(
        self,
        event_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        add_favorite: FromDishka[AddFavorite],
        pictures: FromDishka[PictureVariants],
    ) -> EventOut:
        """Idempotent: favoriting again changes nothing. Answers the event with its new count."""
        return await event_out(pictures, await add_favorite(caller, event_id))

    @delete(
        "/events/{event_id:uuid}/favorite", status_code=HTTP_204_NO_CONTENT, summary="Unfavorite an event"
    )
    @inject
    async def remove(
        self,
        event_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        remove_favorite: FromDishka[RemoveFavorite],
    ) -> None:
        """Idempotent: unfavoriting an event that is not a favorite is fine."""
        await remove_favorite(caller, event_id)

    @get(
        "/users/me/favorites",
        summary="The caller's favorite events, most recently favorited first (or `sort`)",
    )
    @inject
    async def list_favorites(
        self,
        caller: FromDishka[Principal],
        list_favorites: FromDishka[ListFavorites],
        pictures: FromDishka[PictureVariants],
        sort: Annotated[str, sort_parameter(FavoriteSortKey)] = NEWEST_FAVORITES.text,
        page: PageNumber = 0,
        size: PageSize = 20,
    ) -> PageOut[EventOut]:
        found = await list_favorites(caller, page_request(page, size), sort=sort)
        return await event_page(pictures, found)
