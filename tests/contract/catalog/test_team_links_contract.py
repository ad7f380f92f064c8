"""Contract of the team repository's links to accounts: one member per account and organizer,
written by ``link_account`` alone (a save never brings a link back), undone everywhere at once
when the account goes."""

from __future__ import annotations

import dataclasses

import pytest

from aquastream.domain.catalog.errors import TeamAccountTaken
from aquastream.domain.shared.ids import new_id

from .conftest import CatalogBackend
from .factories import a_member, an_organizer, store


async def test_a_member_is_linked_and_unlinked(catalog: CatalogBackend) -> None:
    organizer = an_organizer("vuoksa")
    anna = a_member(organizer, "Anna", 0)
    account = new_id()
    await store(catalog.uow(), organizer)

    async with catalog.uow() as uow:
        await uow.team.add(dataclasses.replace(anna, user_id=new_id()))  # an add links nobody
        await uow.commit()
    async with catalog.uow() as uow:
        assert (await uow.team.get(anna.id)) == anna
        await uow.team.link_account(anna.id, account)
        await uow.commit()
    async with catalog.uow() as uow:
        assert [m.user_id for m in await uow.team.list_for_organizer(organizer.id)] == [account]
        await uow.team.link_account(anna.id, None)
        await uow.commit()
    async with catalog.uow() as uow:
        assert (await uow.team.get(anna.id)) == anna


async def test_saving_a_member_read_before_a_link_keeps_the_link(catalog: CatalogBackend) -> None:
    organizer = an_organizer("vuoksa")
    anna = a_member(organizer, "Anna", 0)
    account = new_id()
    await store(catalog.uow(), organizer)
    async with catalog.uow() as uow:
        await uow.team.add(anna)
        await uow.team.link_account(anna.id, account)
        await uow.commit()

    async with catalog.uow() as uow:
        await uow.team.save(dataclasses.replace(anna, name="Anna K.", user_id=None))
        await uow.commit()

    async with catalog.uow() as uow:
        assert await uow.team.get(anna.id) == dataclasses.replace(anna, name="Anna K.", user_id=account)


async def test_an_account_is_linked_once_per_organizer_and_the_transaction_goes_on(
    catalog: CatalogBackend,
) -> None:
    vuoksa, katun = an_organizer("vuoksa"), an_organizer("katun")
    anna, boris = a_member(vuoksa, "Anna", 0), a_member(vuoksa, "Boris", 1)
    katun_anna = a_member(katun, "Anna", 0)
    account = new_id()
    await store(catalog.uow(), vuoksa, katun)
    async with catalog.uow() as uow:
        for member in (anna, boris, katun_anna):
            await uow.team.add(member)
        await uow.team.link_account(anna.id, account)
        await uow.commit()

    async with catalog.uow() as uow:
        with pytest.raises(TeamAccountTaken):
            await uow.team.link_account(boris.id, account)
        await uow.team.link_account(anna.id, account)  # the same member again
        await uow.team.link_account(katun_anna.id, account)  # another organizer's member
        await uow.commit()

    async with catalog.uow() as uow:
        linked = [
            (m.name, m.user_id)
            for organizer in (vuoksa, katun)
            for m in await uow.team.list_for_organizer(organizer.id)
        ]
    assert linked == [("Anna", account), ("Boris", None), ("Anna", account)]


async def test_an_account_s_links_are_listed_and_undone_in_every_team(catalog: CatalogBackend) -> None:
    vuoksa, katun = an_organizer("vuoksa"), an_organizer("katun")
    anna, katun_anna, boris = (
        a_member(vuoksa, "Anna", 0),
        a_member(katun, "Anna", 0),
        a_member(katun, "Boris", 1),
    )
    account, other = new_id(), new_id()
    await store(catalog.uow(), vuoksa, katun)
    async with catalog.uow() as uow:
        for member, user_id in ((anna, account), (katun_anna, account), (boris, other)):
            await uow.team.add(member)
            await uow.team.link_account(member.id, user_id)
        await uow.commit()

    async with catalog.uow() as uow:
        assert {m.id for m in await uow.team.linked_to(account)} == {anna.id, katun_anna.id}
        assert [m.id for m in await uow.team.linked_to(other)] == [boris.id]
        assert await uow.team.unlink_everywhere(account) == 2
        assert await uow.team.linked_to(account) == []
        assert await uow.team.unlink_everywhere(account) == 0
        await uow.commit()

    async with catalog.uow() as uow:
        found = [await uow.team.get(m.id) for m in (anna, katun_anna, boris)]
    assert [m.user_id if m else "gone" for m in found] == [None, None, other]
