"""Questions other domains ask media, answered from media's own tables: the avatar that
``/users/me`` links (identity's ``AvatarLinks``) and the variants of the logos, team photos
and covers the catalog's pages show (``PictureVariants``)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable

from aquastream.domain.media.base import StorageUseCase
from aquastream.domain.media.files import file_link
from aquastream.domain.media.model import MediaFile, OwnerType
from aquastream.domain.media.variants import VariantLink, variant_links
from aquastream.ports.pictures import AvatarLink, PictureOf, PictureVariantLink, PublicPicture


class ServedAvatarLinks(StorageUseCase):
    """A user's current avatar: the newest READY file of owner type ``avatar`` for them, with
    links to it and its variants as ``GetFileLink`` gives them to its user."""

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
            variants=_answers(link.variants),
        )


def _answers(links: Iterable[VariantLink]) -> tuple[PictureVariantLink, ...]:
    return tuple(
        PictureVariantLink(v.variant.width, v.variant.height, v.download.url, v.variant.content_type)
        for v in links
    )


class ServedPictureVariants(StorageUseCase):
    """The variants of the public pictures a catalog page shows, for everyone (these owner
    types are public, ``GET /media/{id}`` links them to anyone too).

    Rules:
    - a picture named by its file id (an organizer's ``logoMediaId``) is that file only when
      it is a READY upload of the picture's kind for that owner: an id of another owner's
      file, or of an avatar or a payment proof, links nothing;
    - a picture not named is the owner's newest READY upload of its kind (a team member's
      photo, an event's cover), as a user's avatar is;
    - one read of media's tables for the whole page (the files, then their variants), none
      when nothing is asked; links live ``policy.link_ttl``.
    """

    async def variants(
        self, pictures: Collection[PictureOf]
    ) -> dict[PictureOf, tuple[PictureVariantLink, ...]]:
        if not pictures:
            return {}
        named = {picture.file_id for picture in pictures if picture.file_id is not None}
        unnamed: dict[PublicPicture, set[uuid.UUID]] = {}
        for picture in pictures:
            if picture.file_id is None:
                unnamed.setdefault(picture.kind, set()).add(picture.owner_id)
        newest: dict[tuple[PublicPicture, uuid.UUID], MediaFile] = {}
        async with self._uow.reading():
            files = {file.id: file for file in await self._uow.files.ready_of(named)}
            for kind, owners in unnamed.items():
                found = await self._uow.files.newest_ready_of(OwnerType(kind.value), owners)
                newest.update({(kind, owner_id): file for owner_id, file in found.items()})
            chosen = {picture: _picture_file(picture, files, newest) for picture in pictures}
            wanted = sorted({file.id for file in chosen.values() if file is not None})
            variants = await self._uow.variants.of_files(wanted) if wanted else {}
        now = self._clock.now()
        answers: dict[PictureOf, tuple[PictureVariantLink, ...]] = {}
        for picture, file in chosen.items():
            if file is None or file.id not in variants:
                continue
            links = await variant_links(
                self._storage, variants[file.id], expires_in=self._policy.link_ttl, now=now
            )
            answers[picture] = _answers(links)
        return answers


def _picture_file(
    picture: PictureOf,
    named: dict[uuid.UUID, MediaFile],
    newest: dict[tuple[PublicPicture, uuid.UUID], MediaFile],
) -> MediaFile | None:
    if picture.file_id is None:
        return newest.get((picture.kind, picture.owner_id))
    file = named.get(picture.file_id)
    if file is None or (file.owner_type.value, file.owner_id) != (picture.kind.value, picture.owner_id):
        return None
    return file
