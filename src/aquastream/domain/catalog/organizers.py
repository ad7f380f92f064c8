"""Use cases of organizer brand pages: create, update, show, list."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from typing import ClassVar

from msgspec import UNSET, UnsetType

from aquastream.domain.catalog.access import managed_organizer
from aquastream.domain.catalog.checks import FieldChecker, given
from aquastream.domain.catalog.errors import (
    NotOrganizerManager,
    OrganizerNotFound,
    OrganizerRoleRequired,
    OrganizerSlugTaken,
)
from aquastream.domain.catalog.model import Contacts, Organizer
from aquastream.domain.catalog.ordering import ORGANIZERS_BY_SLUG, OrganizerSortKey
from aquastream.domain.shared.errors import FieldError, Raises, ValidationFailed
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.principal import Principal, Role
from aquastream.domain.shared.sorting import parse_sort
from aquastream.ports.catalog import CatalogUnitOfWork
from aquastream.ports.clock import Clock

_SLUG = re.compile(r"^[a-z0-9-]{3,64}$")
_BRAND_COLOR = re.compile(r"^#[0-9A-F]{6}$")
MAX_SEARCH_TEXT = 200


@dataclass(frozen=True, slots=True)
class OrganizerInput:
    slug: str
    name: str
    description: str | None = None
    logo_media_id: uuid.UUID | None = None
    logo_url: str | None = None
    email: str | None = None
    phone: str | None = None
    telegram: str | None = None
    website: str | None = None
    brand_color: str | None = None


@dataclass(frozen=True, slots=True)
class OrganizerChanges:
    """A partial update: UNSET leaves a field as it is, None clears an optional one."""

    slug: str | UnsetType = UNSET
    name: str | UnsetType = UNSET
    description: str | UnsetType | None = UNSET
    logo_media_id: uuid.UUID | UnsetType | None = UNSET
    logo_url: str | UnsetType | None = UNSET
    email: str | UnsetType | None = UNSET
    phone: str | UnsetType | None = UNSET
    telegram: str | UnsetType | None = UNSET
    website: str | UnsetType | None = UNSET
    brand_color: str | UnsetType | None = UNSET


def normalise_slug(slug: str) -> str:
    return slug.strip().lower()


def checked_organizer_input(data: OrganizerInput) -> OrganizerInput:
    """The input trimmed and normalised; ``ValidationFailed`` lists every problem."""
    check = FieldChecker()
    slug = normalise_slug(data.slug)
    if not _SLUG.match(slug):
        check.fail("slug", "must be 3 to 64 lowercase letters, digits or hyphens")
    name = check.text("name", data.name, min_length=2, max_length=200) or ""
    brand_color = data.brand_color.strip().upper() if data.brand_color and data.brand_color.strip() else None
    if brand_color is not None and not _BRAND_COLOR.match(brand_color):
        check.fail("brandColor", "must be a colour in the form #RRGGBB")
    checked = OrganizerInput(
        slug=slug,
        name=name,
        description=check.text("description", data.description, max_length=10_000, multiline=True),
        logo_media_id=data.logo_media_id,
        logo_url=check.url("logoUrl", data.logo_url),
        email=check.email("email", data.email),
        phone=check.phone("phone", data.phone),
        telegram=check.telegram("telegram", data.telegram),
        website=check.url("website", data.website),
        brand_color=brand_color,
    )
    check.raise_if_any()
    return checked


def _as_input(organizer: Organizer) -> OrganizerInput:
    return OrganizerInput(
        slug=organizer.slug,
        name=organizer.name,
        description=organizer.description,
        logo_media_id=organizer.logo_media_id,
        logo_url=organizer.logo_url,
        email=organizer.contacts.email,
        phone=organizer.contacts.phone,
        telegram=organizer.contacts.telegram,
        website=organizer.contacts.website,
        brand_color=organizer.brand_color,
    )


def _apply(organizer: Organizer, data: OrganizerInput) -> None:
    organizer.slug = data.slug
    organizer.name = data.name
    organizer.description = data.description
    organizer.logo_media_id = data.logo_media_id
    organizer.logo_url = data.logo_url
    organizer.contacts = Contacts(
        email=data.email, phone=data.phone, telegram=data.telegram, website=data.website
    )
    organizer.brand_color = data.brand_color


class CreateOrganizer:
    """An ORGANIZER (or ADMIN) opens a brand page they own.

    Rules:
    - USERs may not (``OrganizerRoleRequired``);
    - the slug is 3-64 lowercase letters, digits or hyphens (upper case is folded) and
      unique (``OrganizerSlugTaken``); name 2-200 characters; contacts in their usual
      forms (email, E.164 phone, @telegram, http(s) website); brand colour ``#RRGGBB``;
      every problem is reported at once (``ValidationFailed``);
    - the creator becomes the owner.
    """

    raises: ClassVar[Raises] = (OrganizerRoleRequired, OrganizerSlugTaken)

    def __init__(self, uow: CatalogUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, principal: Principal, data: OrganizerInput) -> Organizer:
        if principal.role not in (Role.ORGANIZER, Role.ADMIN):
            raise OrganizerRoleRequired()
        checked = checked_organizer_input(data)
        async with self._uow:
            if await self._uow.organizers.get_by_slug(checked.slug) is not None:
                raise OrganizerSlugTaken()
            now = self._clock.now()
            organizer = Organizer(
                id=new_id(),
                slug=checked.slug,
                name=checked.name,
                owner_user_id=principal.user_id,
                created_at=now,
                updated_at=now,
            )
            _apply(organizer, checked)
            # A concurrent creation of the same slug loses here, on the unique constraint.
            await self._uow.organizers.add(organizer)
            await self._uow.commit()
        return organizer


class UpdateOrganizer:
    """The owner (or an admin) changes the brand page; the slug may change too.

    Rules: the caller manages the organizer (404 unknown slug, 403 otherwise); the same
    checks as creation apply to the result; a new slug must be free.
    """

    raises: ClassVar[Raises] = (NotOrganizerManager, OrganizerNotFound, OrganizerSlugTaken)

    def __init__(self, uow: CatalogUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, principal: Principal, slug: str, changes: OrganizerChanges) -> Organizer:
        async with self._uow:
            organizer = await managed_organizer(self._uow, normalise_slug(slug), principal)
            checked = checked_organizer_input(replace(_as_input(organizer), **given(changes)))
            taken = checked.slug != organizer.slug and (
                await self._uow.organizers.get_by_slug(checked.slug) is not None
            )
            if taken:
                raise OrganizerSlugTaken()
            _apply(organizer, checked)
            organizer.updated_at = self._clock.now()
            await self._uow.organizers.save(organizer)
            await self._uow.commit()
        return organizer


class GetOrganizer:
    """Anyone sees a brand page by its slug."""

    raises: ClassVar[Raises] = (OrganizerNotFound,)

    def __init__(self, uow: CatalogUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, slug: str) -> Organizer:
        async with self._uow:
            organizer = await self._uow.organizers.get_by_slug(normalise_slug(slug))
        if organizer is None:
            raise OrganizerNotFound()
        return organizer


class ListOrganizers:
    """Anyone lists brand pages by slug (or the ``sort`` asked for, ``OrganizerSortKey``);
    ``text`` narrows to pages whose slug, name or description contain every word
    (case-insensitively); ``owner_user_id`` to one owner's."""

    raises: ClassVar[Raises] = (ValidationFailed,)

    def __init__(self, uow: CatalogUnitOfWork) -> None:
        self._uow = uow

    async def __call__(
        self,
        paging: PageRequest,
        *,
        text: str | None = None,
        owner_user_id: uuid.UUID | None = None,
        sort: str | None = None,
    ) -> Page[Organizer]:
        text = text.strip() if text else None
        if text and len(text) > MAX_SEARCH_TEXT:
            raise ValidationFailed(errors=[FieldError("q", f"must be at most {MAX_SEARCH_TEXT} characters")])
        order = parse_sort(sort, OrganizerSortKey, ORGANIZERS_BY_SLUG)
        async with self._uow:
            return await self._uow.organizers.search(
                paging, text=text or None, owner_user_id=owner_user_id, sort=order
            )
