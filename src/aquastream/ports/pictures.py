"""Links to the pictures media keeps, for the HTTP pages of other domains that show them
(``/users/me`` shows the caller's avatar; the catalog's pages show logos, team photos and
event covers). Served by media, on media's own connection; a port of its own, shared, so
that the asking domain and media import nothing of each other."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


@dataclass(frozen=True, slots=True)
class PictureVariantLink:
    """A resized copy of a picture: its size, a signed link, its type (WebP)."""

    width: int
    height: int
    url: str
    content_type: str


@dataclass(frozen=True, slots=True)
class AvatarLink:
    """A user's avatar: its file id, a signed link to the original, until when the links
    work, and its resized copies (smallest first; none until they are made)."""

    file_id: uuid.UUID
    url: str
    content_type: str | None
    expires_at: datetime
    variants: tuple[PictureVariantLink, ...]


class AvatarLinks(Protocol):
    """What ``/users/me`` asks media (served by media on its own connection)."""

    async def current_avatar(self, user_id: uuid.UUID) -> AvatarLink | None:
        """The user's current avatar (their newest READY one) with signed links; None when
        they have none. The answer is for the user themself: ask only for the caller."""
        ...


class PublicPicture(StrEnum):
    """The public pictures the catalog shows, named as media names their owner types."""

    ORGANIZER_LOGO = "organizer_logo"
    TEAM_PHOTO = "team_photo"
    EVENT_IMAGE = "event_image"


@dataclass(frozen=True, slots=True)
class PictureOf:
    """One picture asked about: that of ``kind`` belonging to ``owner_id`` (an organizer, a
    team member, an event). ``file_id`` names it (an organizer's ``logoMediaId``); without it,
    the owner's newest one is meant."""

    kind: PublicPicture
    owner_id: uuid.UUID
    file_id: uuid.UUID | None = None


class PictureVariants(Protocol):
    """What the catalog's pages ask media (served by media on its own connection)."""

    async def variants(
        self, pictures: Collection[PictureOf]
    ) -> dict[PictureOf, tuple[PictureVariantLink, ...]]:
        """The resized copies of each picture, smallest first, with signed links; all asked in
        one lookup. A picture is answered only when it is a READY upload of its kind and owner
        (a ``file_id`` of another owner, or of a private kind, is not); one without variants
        (unknown, deleted, not made yet) is left out."""
        ...
