"""Questions other domains ask media, answered from media's own tables: the avatar that
``/users/me`` links (identity's ``AvatarLinks``)."""

from __future__ import annotations

import uuid

from aquastream.domain.media.files import file_link
from aquastream.domain.media.model import MediaPolicy, OwnerType
from aquastream.ports.clock import Clock
from aquastream.ports.media import MediaUnitOfWork, ObjectStorage
from aquastream.ports.pictures import AvatarLink, PictureVariantLink


class ServedAvatarLinks:
    """A user's current avatar: the newest READY file of owner type ``avatar`` for them, with
    links to it and its variants as ``GetFileLink`` gives them to its user."""

    def __init__(
        self, uow: MediaUnitOfWork, storage: ObjectStorage, clock: Clock, policy: MediaPolicy
    ) -> None:
        self._uow = uow
        self._storage = storage
        self._clock = clock
        self._policy = policy

    async def current_avatar(self, user_id: uuid.UUID) -> AvatarLink | None:
        async with self._uow:
            file = await self._uow.files.newest_ready(OwnerType.AVATAR, user_id)
            variants = await self._uow.variants.of_files([file.id]) if file else {}
        if file is None:
            return None
        link = await file_link(
            self._storage, self._policy, file, variants.get(file.id, []), now=self._clock.now()
        )
        return AvatarLink(
            file_id=file.id,
            url=link.download.url,
            content_type=file.content_type,
            expires_at=link.download.expires_at,
            variants=tuple(
                PictureVariantLink(v.variant.width, v.variant.height, v.download.url, v.variant.content_type)
                for v in link.variants
            ),
        )
