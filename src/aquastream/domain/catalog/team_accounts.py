"""Team members linked to accounts of the service, so that they check seats in at the door."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import ClassVar

from aquastream.domain.catalog.access import managed_organizer
from aquastream.domain.catalog.checks import FieldChecker
from aquastream.domain.catalog.errors import (
    NotOrganizerManager,
    OrganizerNotFound,
    TeamAccountNotFound,
    TeamAccountTaken,
    TeamMemberNotFound,
)
from aquastream.domain.catalog.model import TeamMember
from aquastream.domain.catalog.organizers import normalise_slug
from aquastream.domain.catalog.team import member_of
from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.principal import Principal
from aquastream.ports.catalog import CatalogUnitOfWork, TeamAccounts


@dataclass(frozen=True, slots=True)
class TeamAccount:
    """A team member's link to an account, as its organizer's manager sees it."""

    member_id: uuid.UUID
    user_id: uuid.UUID
    email: str | None  # None once the account is gone (a deletion unlinks it soon after)


async def _managed_member(
    uow: CatalogUnitOfWork, principal: Principal, slug: str, member_id: uuid.UUID
) -> TeamMember:
    organizer = await managed_organizer(uow, normalise_slug(slug), principal)
    return await member_of(uow, organizer, member_id)


class LinkTeamAccount:
    """The organizer's manager (its owner, or an admin) links a team member to an account of
    the service by the account's email. The person may then check seats in and read the
    roster at the organizer's events — nothing else a manager may do.

    Rules:
    - the caller manages the organizer (404 unknown slug, 403 ``organizer.forbidden``); a
      member of another organizer is 404 ``team_member.not_found``;
    - the email is required and valid (422 ``validation.failed``), and names a usable account
      (active, not deleted; 422 ``team_member.account_not_found``). Identity is asked only
      once the caller proved a manager, so that nobody else may probe emails;
    - an account is linked to at most one member of an organizer (409
      ``team_member.account_taken``); linking a member again replaces its account.
    The link is never shown on the public team listing.
    """

    raises: ClassVar[Raises] = (
        NotOrganizerManager,
        OrganizerNotFound,
        TeamAccountNotFound,
        TeamAccountTaken,
        TeamMemberNotFound,
    )

    def __init__(self, uow: CatalogUnitOfWork, accounts: TeamAccounts) -> None:
        self._uow = uow
        self._accounts = accounts

    async def __call__(
        self, principal: Principal, slug: str, member_id: uuid.UUID, email: str
    ) -> TeamAccount:
        check = FieldChecker()
        address = check.email("email", email) or ""
        if not address:
            check.fail("email", "is required")
        check.raise_if_any()
        async with self._uow.reading():
            await _managed_member(self._uow, principal, slug, member_id)
        # Identity is asked outside the catalog's transaction, never while it holds a connection.
        user_id = await self._accounts.account_id(address)
        if user_id is None:
            raise TeamAccountNotFound()
        async with self._uow:
            await _managed_member(self._uow, principal, slug, member_id)
            await self._uow.team.link_account(member_id, user_id)
            await self._uow.commit()
        return TeamAccount(member_id, user_id, address)


class UnlinkTeamAccount:
    """The manager unlinks a team member's account: from then on the person checks no seat
    in. Unlinking a member with no account does nothing; removing the member unlinks it too.
    Same 404/403 rules as ``LinkTeamAccount``."""

    raises: ClassVar[Raises] = (NotOrganizerManager, OrganizerNotFound, TeamMemberNotFound)

    def __init__(self, uow: CatalogUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal, slug: str, member_id: uuid.UUID) -> None:
        async with self._uow:
            await _managed_member(self._uow, principal, slug, member_id)
            await self._uow.team.link_account(member_id, None)
            await self._uow.commit()


class ListTeamAccounts:
    """The organizer's manager sees which team members are linked to which accounts (with
    the accounts' emails, asked of identity after the catalog's read), in the team's order.
    Same 404/403 rules as ``LinkTeamAccount``; the public listing never shows them."""

    raises: ClassVar[Raises] = (NotOrganizerManager, OrganizerNotFound)

    def __init__(self, uow: CatalogUnitOfWork, accounts: TeamAccounts) -> None:
        self._uow = uow
        self._accounts = accounts

    async def __call__(self, principal: Principal, slug: str) -> list[TeamAccount]:
        async with self._uow.reading():
            organizer = await managed_organizer(self._uow, normalise_slug(slug), principal)
            team = await self._uow.team.list_for_organizer(organizer.id)
        linked = [(member.id, member.user_id) for member in team if member.user_id is not None]
        emails = await self._accounts.emails({user_id for _, user_id in linked})
        return [TeamAccount(member_id, user_id, emails.get(user_id)) for member_id, user_id in linked]
