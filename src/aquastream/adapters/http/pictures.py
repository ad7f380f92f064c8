"""Response bodies of pictures, shared by every route that shows one: a picture's resized
variants (``/media/{id}``) and a user's avatar (``/users/me``)."""

from __future__ import annotations

import uuid
from datetime import datetime

from aquastream.adapters.http.structs import CamelStruct
from aquastream.ports.pictures import AvatarLink, PictureVariantLink


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
