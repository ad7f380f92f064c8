"""``/organizers/{slug}/team`` and ``/organizers/{slug}/faq``: read by anyone, managed by the
organizer's owner or an admin."""

from __future__ import annotations

import uuid

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from aquastream.adapters.http.auth import public
from aquastream.adapters.http.catalog.organizer_dto import (
    FaqItemChangesIn,
    FaqItemIn,
    FaqItemOut,
    TeamMemberChangesIn,
    TeamMemberIn,
    TeamMemberOut,
    team_out,
)
from aquastream.domain.catalog.faq import AddFaqItem, ListFaq, RemoveFaqItem, UpdateFaqItem
from aquastream.domain.catalog.team import AddTeamMember, ListTeam, RemoveTeamMember, UpdateTeamMember
from aquastream.domain.shared.principal import Principal
from aquastream.ports.pictures import PictureVariants


class TeamController(Controller):
    path = "/organizers/{slug:str}/team"
    tags = ["organizers"]

    @public
    @get("", summary="An organizer's team, in its order")
    @inject
    async def list_team(
        self, slug: FromPath[str], list_team: FromDishka[ListTeam], pictures: FromDishka[PictureVariants]
    ) -> list[TeamMemberOut]:
        return await team_out(pictures, await list_team(slug))

    @post("", status_code=HTTP_201_CREATED, summary="Add a team member")
    @inject
    async def add(
        self,
        slug: FromPath[str],
        data: JSONBody[TeamMemberIn],
        caller: FromDishka[Principal],
        add_member: FromDishka[AddTeamMember],
        pictures: FromDishka[PictureVariants],
    ) -> TeamMemberOut:
        [added] = await team_out(pictures, [await add_member(caller, slug, data.to_input())])
        return added

    @put("/{member_id:uuid}", summary="Change a team member (a new sortOrder reorders)")
    @inject
    async def update(
        self,
        slug: FromPath[str],
        member_id: FromPath[uuid.UUID],
        data: JSONBody[TeamMemberChangesIn],
        caller: FromDishka[Principal],
        update_member: FromDishka[UpdateTeamMember],
        pictures: FromDishka[PictureVariants],
    ) -> TeamMemberOut:
        [changed] = await team_out(
            pictures, [await update_member(caller, slug, member_id, data.to_changes())]
        )
        return changed

    @delete("/{member_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Remove a team member")
    @inject
    async def remove(
        self,
        slug: FromPath[str],
        member_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        remove_member: FromDishka[RemoveTeamMember],
    ) -> None:
        await remove_member(caller, slug, member_id)


class FaqController(Controller):
    path = "/organizers/{slug:str}/faq"
    tags = ["organizers"]

    @public
    @get("", summary="An organizer's FAQ, in its order")
    @inject
    async def list_faq(self, slug: FromPath[str], list_faq: FromDishka[ListFaq]) -> list[FaqItemOut]:
        return [FaqItemOut.of(item) for item in await list_faq(slug)]

    @post("", status_code=HTTP_201_CREATED, summary="Add a FAQ item")
    @inject
    async def add(
        self,
        slug: FromPath[str],
        data: JSONBody[FaqItemIn],
        caller: FromDishka[Principal],
        add_item: FromDishka[AddFaqItem],
    ) -> FaqItemOut:
        return FaqItemOut.of(await add_item(caller, slug, data.to_input()))

    @put("/{item_id:uuid}", summary="Change a FAQ item (a new sortOrder reorders)")
    @inject
    async def update(
        self,
        slug: FromPath[str],
        item_id: FromPath[uuid.UUID],
        data: JSONBody[FaqItemChangesIn],
        caller: FromDishka[Principal],
        update_item: FromDishka[UpdateFaqItem],
    ) -> FaqItemOut:
        return FaqItemOut.of(await update_item(caller, slug, item_id, data.to_changes()))

    @delete("/{item_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Remove a FAQ item")
    @inject
    async def remove(
        self,
        slug: FromPath[str],
        item_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        remove_item: FromDishka[RemoveFaqItem],
    ) -> None:
        await remove_item(caller, slug, item_id)
