"""The orders the catalog's lists offer (``sort``), as the wire names them, and their defaults.

- Events (the catalog, an organizer's events): ``dateStart`` (the default, soonest first) or
  ``price`` (a free event counts as 0; amounts are compared as they are, not converted
  between currencies).
- Favorites: ``favoritedAt`` (the default, newest first), or the event's ``dateStart`` or
  ``price``.
- Organizers: ``slug`` (the default; unique lower-case ASCII, so the same order on every
  database) or ``createdAt`` (when the page was opened).

Names and titles are not offered: databases order text by their own collation, so such an
order would differ between the embedded database and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from aquastream.domain.shared.sorting import Sort


class EventSortKey(StrEnum):
    DATE_START = "dateStart"
    PRICE = "price"


class FavoriteSortKey(StrEnum):
    FAVORITED_AT = "favoritedAt"
    DATE_START = "dateStart"
    PRICE = "price"


class OrganizerSortKey(StrEnum):
    SLUG = "slug"
    CREATED_AT = "createdAt"


# The favorites' orders that are their events' own.
FAVORITES_BY_EVENT_KEY: Mapping[FavoriteSortKey, EventSortKey] = {
    FavoriteSortKey.DATE_START: EventSortKey.DATE_START,
    FavoriteSortKey.PRICE: EventSortKey.PRICE,
}

EVENTS_BY_START = Sort(EventSortKey.DATE_START)
NEWEST_FAVORITES = Sort(FavoriteSortKey.FAVORITED_AT, descending=True)
ORGANIZERS_BY_SLUG = Sort(OrganizerSortKey.SLUG)
