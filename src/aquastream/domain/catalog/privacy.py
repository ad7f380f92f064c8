"""The catalog's part of a user's rights over their data (SPEC §2): export it, forget it."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from aquastream.domain.catalog.calendar import revoke_live_feed
from aquastream.domain.catalog.model import CalendarFeed, Favorite, Organizer, TeamMember
from aquastream.domain.shared.privacy import every_page, iso
from aquastream.ports.catalog import CatalogUnitOfWork
from aquastream.ports.clock import Clock


class ExportMyCatalogData:
    """The user's favorites (most recent first), their calendar feed, the organizer pages
    they own and the team members of organizers linked to their account.

    The feed is exported without its token hash and nonce: they are a credential, not data
    about the user, and the URL cannot be rebuilt from them anyway (see ``CalendarFeed``).
    """

    def __init__(self, uow: CatalogUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, user_id: uuid.UUID) -> dict[str, Any]:
        async with self._uow:
            favorites = await every_page(lambda paging: self._uow.favorites.list_for_user(user_id, paging))
            feed = await self._uow.feeds.get(user_id)
            organizers = await every_page(
                lambda paging: self._uow.organizers.search(paging, owner_user_id=user_id)
            )
            team_places = await self._uow.team.linked_to(user_id)
        return {
            "favorites": [_favorite(f) for f in favorites],
            "calendarFeed": _feed(feed) if feed else None,
            "organizers": [_organizer(o) for o in organizers],
            "teamMemberships": [_team_place(m) for m in team_places],
        }


class ForgetCatalogUser:
    """A deleted account's favorites go, its calendar feed is revoked (the feed URL
    stops working; the row keeps no personal data beyond the user id) and the team members
    linked to it are unlinked (the people stay on their organizers' pages).

    Organizer pages the user owned stay: they are a business's public page that events,
    bookings and payments refer to, not the person's private data. Idempotent (the outbox
    delivers at least once): a second run finds nothing left to do.
    """

    def __init__(self, uow: CatalogUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, user_id: uuid.UUID) -> None:
        async with self._uow:
            favorites = await every_page(lambda paging: self._uow.favorites.list_for_user(user_id, paging))
            for favorite in favorites:
                await self._uow.favorites.remove(user_id, favorite.event_id)
            await revoke_live_feed(self._uow, user_id, now=self._clock.now())
            await self._uow.team.unlink_everywhere(user_id)
            await self._uow.commit()


def _favorite(favorite: Favorite) -> dict[str, Any]:
    return {"eventId": str(favorite.event_id), "createdAt": iso(favorite.created_at)}


def _feed(feed: CalendarFeed) -> dict[str, Any]:
    return {"createdAt": iso(feed.created_at), "revokedAt": iso(feed.revoked_at)}


def _organizer(organizer: Organizer) -> dict[str, Any]:
    return {
        "id": str(organizer.id),
        "slug": organizer.slug,
        "name": organizer.name,
        "description": organizer.description,
        "logoMediaId": str(organizer.logo_media_id) if organizer.logo_media_id else None,
        "contacts": dataclasses.asdict(organizer.contacts),
        "brandColor": organizer.brand_color,
        "createdAt": iso(organizer.created_at),
        "updatedAt": iso(organizer.updated_at),
    }


def _team_place(member: TeamMember) -> dict[str, Any]:
    return {
        "organizerId": str(member.organizer_id),
        "teamMemberId": str(member.id),
        "name": member.name,
        "role": member.role,
    }
