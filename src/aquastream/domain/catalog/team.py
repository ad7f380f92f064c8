"""Use cases of an organizer's team: list, add, change (including the order), remove."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import ClassVar

from msgspec import UNSET, UnsetType

from aquastream.domain.catalog.access import managed_organizer
from aquastream.domain.catalog.checks import FieldChecker, given
from aquastream.domain.catalog.errors import NotOrganizerManager, OrganizerNotFound, TeamMemberNotFound
from aquastream.domain.catalog.model import Organizer, TeamMember
from aquastream.domain.catalog.organizers import normalise_slug
from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal
from aquastream.ports.catalog import CatalogUnitOfWork

MAX_SORT_ORDER = 1_000_000


@dataclass(frozen=True, slots=True)
class TeamMemberInput:
    name: str
    role: str | None = None
    photo_url: str | None = None
    bio: str | None = None
    sort_order: int | None = None  # None = after the last one


@dataclass(frozen=True, slots=True)
class TeamMemberChanges:
    name: str | UnsetType = UNSET
    role: str | UnsetType | None = UNSET
    photo_url: str | UnsetType | None = UNSET
    bio: str | UnsetType | None = UNSET
    sort_order: int | UnsetType = UNSET


def _checked(data: TeamMemberInput) -> TeamMemberInput:
    check = FieldChecker()
    checked = TeamMemberInput(
        name=check.text("name", data.name, min_length=1, max_length=200) or "",
        role=check.text("role", data.role, max_length=200),
        photo_url=check.url("photoUrl", data.photo_url),
        bio=check.text("bio", data.bio, max_length=5_000, multiline=True),
        sort_order=data.sort_order,
    )
    if data.sort_order is not None:
        check.whole_number("sortOrder", data.sort_order, minimum=0, maximum=MAX_SORT_ORDER)
    check.raise_if_any()
    return checked


async def member_of(uow: CatalogUnitOfWork, organizer: Organizer, member_id: uuid.UUID) -> TeamMember:
    """The organizer's team member (404 for none, or another organizer's)."""
    member = await uow.team.get(member_id)
    if member is None or member.organizer_id != organizer.id:
        raise TeamMemberNotFound()
    return member


class ListTeam:
    """Anyone sees an organizer's team in its order (``sort_order``, then creation)."""

    raises: ClassVar[Raises] = (OrganizerNotFound,)

    def __init__(self, uow: CatalogUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, slug: str) -> list[TeamMember]:
        async with self._uow:
            organizer = await self._uow.organizers.get_by_slug(normalise_slug(slug))
            if organizer is None:
                raise OrganizerNotFound()
            return await self._uow.team.list_for_organizer(organizer.id)


class AddTeamMember:
    """The organizer's manager adds a person: name 1-200, role ≤ 200, photo an http(s)
    URL, bio ≤ 5000; without a ``sort_order`` the person goes last."""

    raises: ClassVar[Raises] = (NotOrganizerManager, OrganizerNotFound)

    def __init__(self, uow: CatalogUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal, slug: str, data: TeamMemberInput) -> TeamMember:
        checked = _checked(data)
        async with self._uow:
            organizer = await managed_organizer(self._uow, normalise_slug(slug), principal)
            sort_order = checked.sort_order
            if sort_order is None:
                sort_order = await self._uow.team.next_sort_order(organizer.id)
            member = TeamMember(
                id=new_id(),
                organizer_id=organizer.id,
                name=checked.name,
                role=checked.role,
                photo_url=checked.photo_url,
                bio=checked.bio,
                sort_order=sort_order,
            )
            await self._uow.team.add(member)
            await self._uow.commit()
        return member


class UpdateTeamMember:
    """The manager changes a person; setting ``sort_order`` reorders the team. A member
    of another organizer is 404."""

    raises: ClassVar[Raises] = (NotOrganizerManager, OrganizerNotFound, TeamMemberNotFound)

    def __init__(self, uow: CatalogUnitOfWork) -> None:
        self._uow = uow

    async def __call__(
        self, principal: Principal, slug: str, member_id: uuid.UUID, changes: TeamMemberChanges
    ) -> TeamMember:
        async with self._uow:
            organizer = await managed_organizer(self._uow, normalise_slug(slug), principal)
            member = await member_of(self._uow, organizer, member_id)
            current = TeamMemberInput(
                name=member.name,
                role=member.role,
                photo_url=member.photo_url,
                bio=member.bio,
                sort_order=member.sort_order,
            )
            checked = _checked(replace(current, **given(changes)))
            member.name = checked.name
            member.role = checked.role
            member.photo_url = checked.photo_url
            member.bio = checked.bio
            member.sort_order = member.sort_order if checked.sort_order is None else checked.sort_order
            await self._uow.team.save(member)
            await self._uow.commit()
        return member


class RemoveTeamMember:
    """The manager removes a person; a member of another organizer is 404."""

    raises: ClassVar[Raises] = (NotOrganizerManager, OrganizerNotFound, TeamMemberNotFound)

    def __init__(self, uow: CatalogUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal, slug: str, member_id: uuid.UUID) -> None:
        async with self._uow:
            organizer = await managed_organizer(self._uow, normalise_slug(slug), principal)
            await member_of(self._uow, organizer, member_id)
            await self._uow.team.delete(member_id)
            await self._uow.commit()
