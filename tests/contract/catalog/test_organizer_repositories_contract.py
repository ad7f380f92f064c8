"""Contract of the organizer, team and FAQ repositories, and of booking's organizer access."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import pytest

from aquastream.domain.booking.model import OrganizerName
from aquastream.domain.catalog.errors import OrganizerSlugTaken
from aquastream.domain.shared.paging import PageRequest
from aquastream.domain.shared.principal import Principal, Role

from .conftest import CatalogBackend
from .factories import NOW, a_faq_item, a_member, an_organizer, store


async def test_organizer_round_trips_every_field(catalog: CatalogBackend) -> None:
    organizer = an_organizer("vuoksa")
    await store(catalog.uow(), organizer)

    async with catalog.uow() as uow:
        assert await uow.organizers.get(organizer.id) == organizer
        assert await uow.organizers.get_by_slug("vuoksa") == organizer
        assert await uow.organizers.get_by_slug("other") is None
        assert await uow.organizers.get(uuid.uuid4()) is None


async def test_organizer_changes_are_saved(catalog: CatalogBackend) -> None:
    organizer = an_organizer("vuoksa")
    await store(catalog.uow(), organizer)
    changed = dataclasses.replace(
        organizer, slug="vuoksa-2", name="Renamed", description=None, brand_color=None
    )

    async with catalog.uow() as uow:
        await uow.organizers.save(changed)
        await uow.commit()

    async with catalog.uow() as uow:
        assert await uow.organizers.get(organizer.id) == changed


async def test_taken_slug_is_refused_and_the_transaction_goes_on(catalog: CatalogBackend) -> None:
    first, second = an_organizer("first"), an_organizer("second")
    await store(catalog.uow(), first, second)
    survivor = an_organizer("third")

    async with catalog.uow() as uow:
        with pytest.raises(OrganizerSlugTaken):
            await uow.organizers.add(an_organizer("first"))
        with pytest.raises(OrganizerSlugTaken):
            await uow.organizers.save(dataclasses.replace(second, slug="first"))
        await uow.organizers.add(survivor)
        await uow.commit()

    async with catalog.uow() as uow:
        assert await uow.organizers.get(survivor.id) == survivor
        assert (await uow.organizers.get(second.id)) == second


async def test_get_many_returns_the_known_ones(catalog: CatalogBackend) -> None:
    first, second = an_organizer(), an_organizer()
    await store(catalog.uow(), first, second)

    async with catalog.uow() as uow:
        found = await uow.organizers.get_many([first.id, second.id, uuid.uuid4()])
        assert found == {first.id: first, second.id: second}
        assert await uow.organizers.get_many([]) == {}


async def test_organizer_search_by_words_owner_and_pages(catalog: CatalogBackend) -> None:
    owner = uuid.uuid4()
    await store(
        catalog.uow(),
        an_organizer("karelia", name="Карельские ПОРОГИ", description="Сплавы по Шуе", owner_user_id=owner),
        an_organizer("alpha", name="Alpha Kayak", description="100% fun_times", owner_user_id=owner),
        an_organizer("beta", name="Beta Hikes", description=None),
    )

    async def slugs(paging: PageRequest | None = None, **filters: Any) -> list[str]:
        async with catalog.uow() as uow:
            page = await uow.organizers.search(paging or PageRequest(), **filters)
            return [o.slug for o in page.items]

    assert await slugs() == ["alpha", "beta", "karelia"]
    assert await slugs(text="пороги шуе") == ["karelia"]
    assert await slugs(text="KAYAK") == ["alpha"]
    assert await slugs(text="kayak hikes") == []
    # LIKE wildcards in the query are plain characters.
    assert await slugs(text="100%") == ["alpha"]
    assert await slugs(text="f_n") == []
    assert await slugs(text="un_t") == ["alpha"]
    assert await slugs(owner_user_id=owner) == ["alpha", "karelia"]
    assert await slugs(PageRequest(page=1, size=2)) == ["karelia"]
    async with catalog.uow() as uow:
        page = await uow.organizers.search(PageRequest(page=1, size=2))
        assert (page.total, page.total_pages) == (3, 2)


async def test_team_is_listed_in_sort_order_and_changes(catalog: CatalogBackend) -> None:
    organizer, other = an_organizer(), an_organizer()
    await store(catalog.uow(), organizer, other)
    anna, boris, vera = (
        a_member(organizer, "Anna", 2),
        a_member(organizer, "Boris", 0),
        a_member(organizer, "Vera", 1),
    )

    async with catalog.uow() as uow:
        assert await uow.team.next_sort_order(organizer.id) == 0
        for member in (anna, boris, vera, a_member(other, "Someone else", 0)):
            await uow.team.add(member)
        await uow.commit()

    async with catalog.uow() as uow:
        assert [m.name for m in await uow.team.list_for_organizer(organizer.id)] == ["Boris", "Vera", "Anna"]
        assert await uow.team.next_sort_order(organizer.id) == 3
        assert await uow.team.get(anna.id) == anna
        await uow.team.save(dataclasses.replace(anna, sort_order=0, bio=None))
        assert await uow.team.delete(boris.id)
        assert not await uow.team.delete(boris.id)
        await uow.commit()

    async with catalog.uow() as uow:
        team = await uow.team.list_for_organizer(organizer.id)
        assert [(m.name, m.sort_order, m.bio) for m in team] == [
            ("Anna", 0, None),
            ("Vera", 1, "Ten years on rivers"),
        ]
        assert await uow.team.get(boris.id) is None


async def test_faq_is_listed_in_sort_order_and_changes(catalog: CatalogBackend) -> None:
    organizer = an_organizer()
    await store(catalog.uow(), organizer)
    first, second = a_faq_item(organizer, "Age limit?", 1), a_faq_item(organizer, "What to bring?", 0)

    async with catalog.uow() as uow:
        await uow.faq.add(first)
        await uow.faq.add(second)
        await uow.commit()

    async with catalog.uow() as uow:
        assert [i.question for i in await uow.faq.list_for_organizer(organizer.id)] == [
            "What to bring?",
            "Age limit?",
        ]
        assert await uow.faq.next_sort_order(organizer.id) == 2
        await uow.faq.save(dataclasses.replace(first, answer="14+", sort_order=0))
        await uow.faq.delete(second.id)
        await uow.commit()

    async with catalog.uow() as uow:
        assert await uow.faq.list_for_organizer(organizer.id) == [
            dataclasses.replace(first, answer="14+", sort_order=0)
        ]


async def test_organizer_access_answers_for_owners_and_admins(catalog: CatalogBackend) -> None:
    owner = Principal(user_id=uuid.uuid4(), role=Role.ORGANIZER)
    organizer = an_organizer(owner_user_id=owner.user_id, created_at=NOW)
    await store(catalog.uow(), organizer)

    assert await catalog.can_manage(owner, organizer.id)
    assert await catalog.can_manage(Principal(user_id=uuid.uuid4(), role=Role.ADMIN), organizer.id)
    assert not await catalog.can_manage(Principal(user_id=uuid.uuid4(), role=Role.ORGANIZER), organizer.id)
    assert not await catalog.can_manage(Principal(user_id=owner.user_id, role=Role.USER), organizer.id)
    assert not await catalog.can_manage(owner, uuid.uuid4())


async def test_organizer_names_answer_a_whole_page_in_one_question(catalog: CatalogBackend) -> None:
    vuoksa = an_organizer("vuoksa", name="Vuoksa Rafting")
    msta = an_organizer("msta", name="Мста: сплавы")
    await store(catalog.uow(), vuoksa, msta, an_organizer("other"))

    names = await catalog.organizer_names.names([vuoksa.id, msta.id, uuid.uuid4()])

    assert names == {
        vuoksa.id: OrganizerName(vuoksa.id, "vuoksa", "Vuoksa Rafting"),
        msta.id: OrganizerName(msta.id, "msta", "Мста: сплавы"),
    }
    assert await catalog.organizer_names.names([]) == {}
