"""Response bodies of pictures, shared by every route that shows one: a picture's resized
variants (``/media/{id}``, and the catalog's logos, team photos and covers) and a user's
avatar (``/users/me``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime

from aquastream.adapters.http.structs import CamelStruct
from aquastream.ports.pictures import AvatarLink, PictureOf, PictureVariantLink, PictureVariants


class PictureVariantOut(CamelStruct):
    """A resized copy of a picture (WebP, upright, without metadata): its size in pixels and a
    signed link that expires with the picture's own."""

    width: int
    height: int
    url: str
    content_type: str

    @classmethod
    def of(cls, variant: PictureVariantLink) -> PictureVariantOut:
        return cls(variant.width, variant.height, variant.url, variant.content_type)


class AvatarOut(CamelStruct):
    """The caller's current avatar: the media file ``id``, a signed ``url`` to the original and
    its ``variants``, smallest first (empty until the worker made them), all good until
    ``expiresAt``."""

    id: uuid.UUID
    url: str
    content_type: str | None
    expires_at: datetime
    variants: list[PictureVariantOut]

    @classmethod
    def of(cls, avatar: AvatarLink | None) -> AvatarOut | None:
        if avatar is None:
            return None
        return cls(
            avatar.file_id,
            avatar.url,
            avatar.content_type,
            avatar.expires_at,
            [PictureVariantOut.of(variant) for variant in avatar.variants],
        )


class LinkedVariants:
    """The variants media found for the pictures of one response, as the response shows
    them: an empty list for a picture without any (external, not made yet, deleted)."""

    def __init__(self, found: Mapping[PictureOf, tuple[PictureVariantLink, ...]]) -> None:
        self._found = found

    def of(self, picture: PictureOf | None) -> list[PictureVariantOut]:
        if picture is None:
            return []
        return [PictureVariantOut.of(variant) for variant in self._found.get(picture, ())]


async def linked_variants(pictures: PictureVariants, asked: Iterable[PictureOf | None]) -> LinkedVariants:
    """One question to media for every picture of a response (a whole page at once)."""
    return LinkedVariants(await pictures.variants({picture for picture in asked if picture is not None}))
