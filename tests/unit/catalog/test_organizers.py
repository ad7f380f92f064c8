"""Organizer brand pages: ORGANIZERs create the pages they own, admins manage all."""

from __future__ import annotations

import uuid

import pytest

from aquastream.domain.catalog.errors import (
    NotOrganizerManager,
    OrganizerNotFound,
    OrganizerRoleRequired,
    OrganizerSlugTaken,
)
from aquastream.domain.catalog.organizers import (
    CreateOrganizer,
    GetOrganizer,
    ListOrganizers,
    OrganizerChanges,
    OrganizerInput,
    UpdateOrganizer,
)
from aquastream.domain.shared.errors import ValidationFailed
from aquastream.domain.shared.paging import PageRequest
from aquastream.domain.shared.principal import Principal, Role
from tests.unit.catalog.catalog_kit import CatalogKit


async def test_organizer_creates_a_page_they_own(kit: CatalogKit) -> None:
    organizer = await CreateOrganizer(kit.uow(), kit.clock)(
        kit.owner,
        OrganizerInput(
            slug="  Vuoksa-Rafting ",
            name=" Vuoksa Rafting ",
            description="Rafting on the Vuoksa since 2005.",
            email="Team@Vuoksa.RU",
            phone="+7 (921) 555-01-02",
            telegram="vuoksa_team",
            website="https://vuoksa.example",
            brand_color="#0a7cff",
        ),
    )

    stored = await GetOrganizer(kit.uow())("vuoksa-rafting")
    assert stored == organizer
    assert organizer.owner_user_id == kit.owner.user_id
    assert (organizer.slug, organizer.name) == ("vuoksa-rafting", "Vuoksa Rafting")
    assert organizer.contacts.email == "team@vuoksa.ru"
    assert organizer.contacts.phone == "+79215550102"
    assert organizer.contacts.telegram == "@vuoksa_team"
    assert organizer.brand_color == "#0A7CFF"
    assert organizer.created_at == kit.now


async def test_admin_may_create_an_organizer_page(kit: CatalogKit) -> None:
    organizer = await kit.organizer("admin-made", owner=kit.admin)

    assert organizer.owner_user_id == kit.admin.user_id


async def test_plain_user_may_not_create_an_organizer_page(kit: CatalogKit) -> None:
    with pytest.raises(OrganizerRoleRequired):
        await kit.organizer("user-made", owner=kit.user)


async def test_taken_slug_is_refused(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa-rafting")

    with pytest.raises(OrganizerSlugTaken) as caught:
        await kit.organizer("VUOKSA-RAFTING", owner=kit.other_organizer)
    assert caught.value.code == "organizer.slug_taken"


async def test_every_invalid_field_is_reported_at_once(kit: CatalogKit) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await CreateOrganizer(kit.uow(), kit.clock)(
            kit.owner,
            OrganizerInput(
                slug="no spaces!",
                name="x",
                email="not-an-email",
                phone="12345",
                telegram="@ab",
                website="ftp://files",
                logo_url="javascript:alert(1)",
                brand_color="blue",
            ),
        )

    fields = {error.field for error in caught.value.errors}
    assert fields == {"slug", "name", "email", "phone", "telegram", "website", "logoUrl", "brandColor"}


@pytest.mark.parametrize("slug", ["ab", "a" * 65, "under_score", "кириллица"])
async def test_slug_must_be_3_to_64_lowercase_letters_digits_or_hyphens(kit: CatalogKit, slug: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await kit.organizer(slug)
    assert [error.field for error in caught.value.errors] == ["slug"]


async def test_owner_updates_only_what_they_send(kit: CatalogKit) -> None:
    await CreateOrganizer(kit.uow(), kit.clock)(
        kit.owner, OrganizerInput(slug="vuoksa", name="Vuoksa", website="https://vuoksa.example")
    )
    kit.clock.advance(minutes=5)

    updated = await UpdateOrganizer(kit.uow(), kit.clock)(
        kit.owner, "vuoksa", OrganizerChanges(description="New text", website=None)
    )

    assert updated.description == "New text"
    assert updated.contacts.website is None
    assert updated.name == "Vuoksa"
    assert updated.updated_at == kit.now
    assert updated.created_at < updated.updated_at


async def test_slug_can_change_to_a_free_one_only(kit: CatalogKit) -> None:
    await kit.organizer("first-page")
    await kit.organizer("second-page")
    update = UpdateOrganizer(kit.uow(), kit.clock)

    with pytest.raises(OrganizerSlugTaken):
        await update(kit.owner, "first-page", OrganizerChanges(slug="second-page"))
    renamed = await update(kit.owner, "first-page", OrganizerChanges(slug="renamed-page"))

    assert renamed.slug == "renamed-page"
    with pytest.raises(OrganizerNotFound):
        await GetOrganizer(kit.uow())("first-page")


async def test_another_organizer_may_not_update_the_page(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")

    with pytest.raises(NotOrganizerManager):
        await UpdateOrganizer(kit.uow(), kit.clock)(
            kit.other_organizer, "vuoksa", OrganizerChanges(name="Hijacked")
        )


async def test_admin_updates_any_page(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")

    updated = await UpdateOrganizer(kit.uow(), kit.clock)(kit.admin, "vuoksa", OrganizerChanges(name="Fixed"))

    assert updated.name == "Fixed"


async def test_owner_demoted_to_user_no_longer_manages_the_page(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    demoted = Principal(user_id=kit.owner.user_id, role=Role.USER)

    with pytest.raises(NotOrganizerManager):
        await UpdateOrganizer(kit.uow(), kit.clock)(demoted, "vuoksa", OrganizerChanges(name="Mine"))


async def test_update_of_unknown_page_is_not_found(kit: CatalogKit) -> None:
    with pytest.raises(OrganizerNotFound):
        await UpdateOrganizer(kit.uow(), kit.clock)(kit.admin, "nobody", OrganizerChanges(name="Anything"))


async def test_invalid_update_changes_nothing(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")

    with pytest.raises(ValidationFailed):
        await UpdateOrganizer(kit.uow(), kit.clock)(
            kit.owner, "vuoksa", OrganizerChanges(name="New name", brand_color="red")
        )

    assert (await GetOrganizer(kit.uow())("vuoksa")).name == "Organizer vuoksa"


async def test_organizers_are_listed_by_slug_and_found_by_text(kit: CatalogKit) -> None:
    await CreateOrganizer(kit.uow(), kit.clock)(
        kit.owner, OrganizerInput(slug="karelia", name="Карельские Пороги", description="Сплавы по Шуе")
    )
    await CreateOrganizer(kit.uow(), kit.clock)(kit.owner, OrganizerInput(slug="alpha", name="Alpha Kayak"))
    await CreateOrganizer(kit.uow(), kit.clock)(
        kit.other_organizer, OrganizerInput(slug="beta", name="beta Hikes")
    )
    listing = ListOrganizers(kit.uow())

    everything = await listing(PageRequest())
    assert [o.slug for o in everything.items] == ["alpha", "beta", "karelia"]
    assert [o.slug for o in (await listing(PageRequest(), text="ПОРОГИ шуе")).items] == ["karelia"]
    assert [o.slug for o in (await listing(PageRequest(), text="kayak")).items] == ["alpha"]
    assert (await listing(PageRequest(), text="kayak hikes")).total == 0
    mine = await listing(PageRequest(), owner_user_id=kit.owner.user_id)
    assert [o.slug for o in mine.items] == ["alpha", "karelia"]
    second_page = await listing(PageRequest(page=1, size=2))
    assert (second_page.total, second_page.total_pages, [o.slug for o in second_page.items]) == (
        3,
        2,
        ["karelia"],
    )


async def test_overlong_search_text_is_refused(kit: CatalogKit) -> None:
    with pytest.raises(ValidationFailed):
        await ListOrganizers(kit.uow())(PageRequest(), text="x" * 201)


async def test_unknown_slug_is_not_found(kit: CatalogKit) -> None:
    with pytest.raises(OrganizerNotFound):
        await GetOrganizer(kit.uow())(str(uuid.uuid4()))


async def test_organizers_sort_by_when_opened(kit: CatalogKit) -> None:
    create = CreateOrganizer(kit.uow(), kit.clock)
    await create(kit.owner, OrganizerInput(slug="zander", name="Zander Tours"))
    kit.clock.advance(minutes=1)
    await create(kit.owner, OrganizerInput(slug="alder", name="Alder Trips"))
    listing = ListOrganizers(kit.uow())

    newest = await listing(PageRequest(), sort="-createdAt")
    oldest = await listing(PageRequest(), sort="createdAt")

    assert [o.slug for o in newest.items] == ["alder", "zander"]
    assert [o.slug for o in oldest.items] == ["zander", "alder"]
    with pytest.raises(ValidationFailed):
        await listing(PageRequest(), sort="name")
