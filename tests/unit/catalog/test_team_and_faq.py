"""An organizer's team and FAQ: public, ordered, managed by the organizer's managers."""

from __future__ import annotations

import pytest

from aquastream.domain.catalog.errors import (
    FaqItemNotFound,
    NotOrganizerManager,
    OrganizerNotFound,
    TeamMemberNotFound,
)
from aquastream.domain.catalog.faq import (
    AddFaqItem,
    FaqItemChanges,
    FaqItemInput,
    ListFaq,
    RemoveFaqItem,
    UpdateFaqItem,
)
from aquastream.domain.catalog.team import (
    AddTeamMember,
    ListTeam,
    RemoveTeamMember,
    TeamMemberChanges,
    TeamMemberInput,
    UpdateTeamMember,
)
from aquastream.domain.shared.errors import ValidationFailed
from tests.unit.catalog.catalog_kit import CatalogKit


async def test_team_members_are_listed_in_the_order_they_were_added(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    add = AddTeamMember(kit.uow())
    for name in ("Anna", "Boris", "Vera"):
        await add(kit.owner, "vuoksa", TeamMemberInput(name=name, role="Instructor"))

    team = await ListTeam(kit.uow())("vuoksa")

    assert [(m.name, m.sort_order) for m in team] == [("Anna", 0), ("Boris", 1), ("Vera", 2)]


async def test_setting_sort_order_reorders_the_team(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    add = AddTeamMember(kit.uow())
    anna = await add(kit.owner, "vuoksa", TeamMemberInput(name="Anna"))
    await add(kit.owner, "vuoksa", TeamMemberInput(name="Boris"))

    await UpdateTeamMember(kit.uow())(kit.owner, "vuoksa", anna.id, TeamMemberChanges(sort_order=5))

    assert [m.name for m in await ListTeam(kit.uow())("vuoksa")] == ["Boris", "Anna"]


async def test_team_member_changes_keep_what_is_not_sent(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    anna = await AddTeamMember(kit.uow())(
        kit.owner, "vuoksa", TeamMemberInput(name="Anna", role="Guide", bio="Ten years on rivers")
    )

    changed = await UpdateTeamMember(kit.uow())(
        kit.owner, "vuoksa", anna.id, TeamMemberChanges(role="Senior guide", bio=None)
    )

    assert (changed.name, changed.role, changed.bio, changed.sort_order) == ("Anna", "Senior guide", None, 0)


async def test_invalid_team_member_is_refused_with_every_field(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")

    with pytest.raises(ValidationFailed) as caught:
        await AddTeamMember(kit.uow())(
            kit.owner,
            "vuoksa",
            TeamMemberInput(name=" ", photo_url="not a url", bio="x" * 5001, sort_order=-1),
        )

    assert {e.field for e in caught.value.errors} == {"name", "photoUrl", "bio", "sortOrder"}


async def test_team_member_is_removed(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    anna = await AddTeamMember(kit.uow())(kit.owner, "vuoksa", TeamMemberInput(name="Anna"))

    await RemoveTeamMember(kit.uow())(kit.owner, "vuoksa", anna.id)

    assert await ListTeam(kit.uow())("vuoksa") == []
    with pytest.raises(TeamMemberNotFound):
        await RemoveTeamMember(kit.uow())(kit.owner, "vuoksa", anna.id)


async def test_member_of_another_organizer_is_not_found_through_this_one(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    await kit.organizer("mine", owner=kit.other_organizer)
    anna = await AddTeamMember(kit.uow())(kit.owner, "vuoksa", TeamMemberInput(name="Anna"))

    with pytest.raises(TeamMemberNotFound):
        await UpdateTeamMember(kit.uow())(
            kit.other_organizer, "mine", anna.id, TeamMemberChanges(name="Stolen")
        )
    with pytest.raises(TeamMemberNotFound):
        await RemoveTeamMember(kit.uow())(kit.other_organizer, "mine", anna.id)


async def test_only_managers_change_the_team(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    anna = await AddTeamMember(kit.uow())(kit.owner, "vuoksa", TeamMemberInput(name="Anna"))

    with pytest.raises(NotOrganizerManager):
        await AddTeamMember(kit.uow())(kit.user, "vuoksa", TeamMemberInput(name="Intruder"))
    with pytest.raises(NotOrganizerManager):
        await RemoveTeamMember(kit.uow())(kit.other_organizer, "vuoksa", anna.id)
    await UpdateTeamMember(kit.uow())(kit.admin, "vuoksa", anna.id, TeamMemberChanges(name="Anna K."))

    assert [m.name for m in await ListTeam(kit.uow())("vuoksa")] == ["Anna K."]


async def test_team_of_unknown_organizer_is_not_found(kit: CatalogKit) -> None:
    with pytest.raises(OrganizerNotFound):
        await ListTeam(kit.uow())("nobody")


async def test_faq_is_ordered_and_reordered(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    add = AddFaqItem(kit.uow())
    first = await add(kit.owner, "vuoksa", FaqItemInput(question="What to bring?", answer="Warm clothes."))
    await add(kit.owner, "vuoksa", FaqItemInput(question="Is it safe?", answer="Yes, with helmets."))
    await add(kit.owner, "vuoksa", FaqItemInput(question="Refunds?", answer="Yes.", sort_order=7))

    assert [i.sort_order for i in await ListFaq(kit.uow())("vuoksa")] == [0, 1, 7]
    await UpdateFaqItem(kit.uow())(kit.owner, "vuoksa", first.id, FaqItemChanges(sort_order=10))

    assert [i.question for i in await ListFaq(kit.uow())("vuoksa")] == [
        "Is it safe?",
        "Refunds?",
        "What to bring?",
    ]


async def test_faq_item_changes_and_removal(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    item = await AddFaqItem(kit.uow())(kit.owner, "vuoksa", FaqItemInput(question="Age limit?", answer="12+"))

    changed = await UpdateFaqItem(kit.uow())(kit.owner, "vuoksa", item.id, FaqItemChanges(answer="14+"))
    assert (changed.question, changed.answer) == ("Age limit?", "14+")
    await RemoveFaqItem(kit.uow())(kit.owner, "vuoksa", item.id)

    assert await ListFaq(kit.uow())("vuoksa") == []


async def test_invalid_faq_item_is_refused(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")

    with pytest.raises(ValidationFailed) as caught:
        await AddFaqItem(kit.uow())(kit.owner, "vuoksa", FaqItemInput(question="?", answer=""))

    assert {e.field for e in caught.value.errors} == {"question", "answer"}


async def test_faq_item_of_another_organizer_is_not_found(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    await kit.organizer("mine", owner=kit.other_organizer)
    item = await AddFaqItem(kit.uow())(kit.owner, "vuoksa", FaqItemInput(question="Age limit?", answer="12+"))

    with pytest.raises(FaqItemNotFound):
        await RemoveFaqItem(kit.uow())(kit.other_organizer, "mine", item.id)
    with pytest.raises(NotOrganizerManager):
        await RemoveFaqItem(kit.uow())(kit.other_organizer, "vuoksa", item.id)
