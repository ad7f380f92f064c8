"""Links to the pictures media keeps, for the HTTP pages of other domains that show them
(``/users/me`` shows the caller's avatar). Served by media, on media's own connection; a
port of its own, shared, so that the asking domain and media import nothing of each other."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
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
