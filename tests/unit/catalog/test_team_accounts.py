"""Team members linked to accounts of the service by the organizer's manager: who may link,
which accounts, once per organizer, and what the link leaves alone."""

from __future__ import annotations

import uuid

import pytest

from aquastream.adapters.memory.identity import MemoryIdentityTeamAccounts, MemoryUserRepository
from aquastream.domain.catalog.errors import (
    NotOrganizerManager,
    OrganizerNotFound,
    TeamAccountNotFound,
    TeamAccountTaken,
    TeamMemberNotFound,
)
from aquastream.domain.catalog.model import TeamMember
from aquastream.domain.catalog.privacy import ExportMyCatalogData, ForgetCatalogUser
from aquastream.domain.catalog.team import (
    AddTeamMember,
    ListTeam,
    RemoveTeamMember,
    TeamMemberChanges,
    TeamMemberInput,
    UpdateTeamMember,
)
from aquastream.domain.catalog.team_accounts import (
    LinkTeamAccount,
    ListTeamAccounts,
    TeamAccount,
    UnlinkTeamAccount,
)
from aquastream.domain.identity.model import User
from aquastream.domain.shared.errors import ValidationFailed
from aquastream.domain.shared.principal import Role
from tests.unit.catalog.catalog_kit import CatalogKit


async def _account(kit: CatalogKit, email: str, *, active: bool = True, deleted: bool = False) -> uuid.UUID:
    user = User(
        id=uuid.uuid4(),
        email=email,
        password_hash="-",
        role=Role.USER,
        is_active=active,
        created_at=kit.now,
        updated_at=kit.now,
        deleted_at=kit.now if deleted else None,
    )
    await MemoryUserRepository(kit.db).add(user)
    return user.id


def _link(kit: CatalogKit) -> LinkTeamAccount:
    return LinkTeamAccount(kit.uow(), MemoryIdentityTeamAccounts(kit.db))


async def _member(kit: CatalogKit, slug: str = "vuoksa", name: str = "Anna") -> TeamMember:
    return await AddTeamMember(kit.uow())(kit.owner, slug, TeamMemberInput(name=name, role="Guide"))


async def _stored(kit: CatalogKit, member_id: uuid.UUID) -> TeamMember:
    async with kit.uow() as uow:
        member = await uow.team.get(member_id)
    assert member is not None
    return member


async def test_the_owner_links_a_team_member_to_an_account_by_its_email(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    anna = await _member(kit)
    account = await _account(kit, "anna@example.com")

    linked = await _link(kit)(kit.owner, "vuoksa", anna.id, "  Anna@Example.COM ")

    assert (linked.member_id, linked.user_id, linked.email) == (anna.id, account, "anna@example.com")
    assert (await _stored(kit, anna.id)).user_id == account


async def test_an_admin_links_too_but_nobody_else(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    anna = await _member(kit)
    await _account(kit, "anna@example.com")

    assert (await _link(kit)(kit.admin, "vuoksa", anna.id, "anna@example.com")).member_id == anna.id
    for stranger in (kit.other_organizer, kit.user):
        with pytest.raises(NotOrganizerManager):
            await _link(kit)(stranger, "vuoksa", anna.id, "anna@example.com")
    with pytest.raises(OrganizerNotFound):
        await _link(kit)(kit.owner, "nobody", anna.id, "anna@example.com")


async def test_a_member_of_another_organizer_is_not_found(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    await kit.organizer("katun")
    katun_member = await _member(kit, "katun")
    await _account(kit, "anna@example.com")

    with pytest.raises(TeamMemberNotFound):
        await _link(kit)(kit.owner, "vuoksa", katun_member.id, "anna@example.com")


@pytest.mark.parametrize("email", ["", "   ", "not-an-email"])
async def test_an_email_is_required_and_valid(kit: CatalogKit, email: str) -> None:
    await kit.organizer("vuoksa")
    anna = await _member(kit)

    with pytest.raises(ValidationFailed):
        await _link(kit)(kit.owner, "vuoksa", anna.id, email)


async def test_only_a_usable_account_is_linked(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    anna = await _member(kit)
    await _account(kit, "blocked@example.com", active=False)
    await _account(kit, "gone@example.com", deleted=True)

    for email in ("nobody@example.com", "blocked@example.com", "gone@example.com"):
        with pytest.raises(TeamAccountNotFound):
            await _link(kit)(kit.owner, "vuoksa", anna.id, email)
    assert (await _stored(kit, anna.id)).user_id is None


async def test_an_account_is_linked_once_per_organizer(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    await kit.organizer("katun")
    anna, boris = await _member(kit), await _member(kit, name="Boris")
    katun_anna = await _member(kit, "katun")
    account = await _account(kit, "anna@example.com")
    await _link(kit)(kit.owner, "vuoksa", anna.id, "anna@example.com")

    with pytest.raises(TeamAccountTaken):
        await _link(kit)(kit.owner, "vuoksa", boris.id, "anna@example.com")
    # The same member again, and another organizer's member: both fine.
    await _link(kit)(kit.owner, "vuoksa", anna.id, "anna@example.com")
    await _link(kit)(kit.owner, "katun", katun_anna.id, "anna@example.com")

    assert (await _stored(kit, boris.id)).user_id is None
    assert (await _stored(kit, katun_anna.id)).user_id == account


async def test_linking_again_replaces_the_account_and_unlinking_ends_it(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    anna = await _member(kit)
    await _account(kit, "anna@example.com")
    second = await _account(kit, "anna.work@example.com")
    await _link(kit)(kit.owner, "vuoksa", anna.id, "anna@example.com")

    await _link(kit)(kit.owner, "vuoksa", anna.id, "anna.work@example.com")
    assert (await _stored(kit, anna.id)).user_id == second

    unlink = UnlinkTeamAccount(kit.uow())
    await unlink(kit.owner, "vuoksa", anna.id)
    await unlink(kit.owner, "vuoksa", anna.id)  # nothing linked: nothing to do
    assert (await _stored(kit, anna.id)).user_id is None
    with pytest.raises(NotOrganizerManager):
        await unlink(kit.user, "vuoksa", anna.id)


async def test_changing_a_member_keeps_its_account_and_the_team_listing_does_not_change(
    kit: CatalogKit,
) -> None:
    await kit.organizer("vuoksa")
    anna = await _member(kit)
    account = await _account(kit, "anna@example.com")
    await _link(kit)(kit.owner, "vuoksa", anna.id, "anna@example.com")

    await UpdateTeamMember(kit.uow())(kit.owner, "vuoksa", anna.id, TeamMemberChanges(role="Senior guide"))

    assert (await _stored(kit, anna.id)).user_id == account
    assert [m.role for m in await ListTeam(kit.uow())("vuoksa")] == ["Senior guide"]


async def test_the_link_is_exported_and_ends_with_the_member_or_the_account(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    anna, boris = await _member(kit), await _member(kit, name="Boris")
    anna_account = await _account(kit, "anna@example.com")
    await _account(kit, "boris@example.com")
    await _link(kit)(kit.owner, "vuoksa", anna.id, "anna@example.com")
    await _link(kit)(kit.owner, "vuoksa", boris.id, "boris@example.com")

    exported = await ExportMyCatalogData(kit.uow())(anna_account)
    assert exported["teamMemberships"] == [
        {"organizerId": str(anna.organizer_id), "teamMemberId": str(anna.id), "name": "Anna", "role": "Guide"}
    ]

    await RemoveTeamMember(kit.uow())(kit.owner, "vuoksa", boris.id)
    await ForgetCatalogUser(kit.uow(), kit.clock)(anna_account)
    await ForgetCatalogUser(kit.uow(), kit.clock)(anna_account)

    assert [(m.name, m.user_id) for m in await ListTeam(kit.uow())("vuoksa")] == [("Anna", None)]
    assert (await ExportMyCatalogData(kit.uow())(anna_account))["teamMemberships"] == []
    # Boris's account is free again: a new member may take it.
    carl = await _member(kit, name="Carl")
    await _link(kit)(kit.owner, "vuoksa", carl.id, "boris@example.com")


async def test_the_manager_sees_the_links_in_team_order_and_nobody_else_does(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    anna, _, vera = await _member(kit), await _member(kit, name="Boris"), await _member(kit, name="Vera")
    anna_account = await _account(kit, "anna@example.com")
    vera_account = await _account(kit, "vera@example.com")
    await _link(kit)(kit.owner, "vuoksa", vera.id, "vera@example.com")
    await _link(kit)(kit.owner, "vuoksa", anna.id, "anna@example.com")
    accounts = MemoryIdentityTeamAccounts(kit.db)

    assert await ListTeamAccounts(kit.uow(), accounts)(kit.owner, "vuoksa") == [
        TeamAccount(anna.id, anna_account, "anna@example.com"),
        TeamAccount(vera.id, vera_account, "vera@example.com"),
    ]
    assert len(await ListTeamAccounts(kit.uow(), accounts)(kit.admin, "vuoksa")) == 2
    with pytest.raises(NotOrganizerManager):
        await ListTeamAccounts(kit.uow(), accounts)(kit.user, "vuoksa")
