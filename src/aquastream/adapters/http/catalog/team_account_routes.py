"""``/organizers/{slug}/team/{id}/account``: the organizer's manager links a team member to an
account of the service (so that the person checks seats in at the door), or unlinks it;
``/organizers/{slug}/team/accounts``: the links, for the manager only."""

from __future__ import annotations

import uuid

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, delete, get, put
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from aquastream.adapters.http.structs import CamelStruct
from aquastream.domain.catalog.team_accounts import (
    LinkTeamAccount,
    ListTeamAccounts,
    TeamAccount,
    UnlinkTeamAccount,
)
from aquastream.domain.shared.principal import Principal


class TeamAccountIn(CamelStruct, forbid_unknown_fields=True):
    """The email of an existing account of the service."""

    email: str


class TeamAccountOut(CamelStruct):
    """The link as the organizer's manager sees it (never on the public team listing)."""

    member_id: uuid.UUID
    user_id: uuid.UUID
    email: str | None  # null once the account is deleted (the link goes soon after)

    @classmethod
    def of(cls, account: TeamAccount) -> TeamAccountOut:
        return cls(account.member_id, account.user_id, account.email)


class TeamAccountController(Controller):
    path = "/organizers/{slug:str}/team"
    tags = ["organizers"]

    @get("/accounts", summary="Which team members are linked to which accounts (the manager's view)")
    @inject
    async def list_accounts(
        self,
        slug: FromPath[str],
        caller: FromDishka[Principal],
        list_accounts: FromDishka[ListTeamAccounts],
    ) -> list[TeamAccountOut]:
        return [TeamAccountOut.of(account) for account in await list_accounts(caller, slug)]

    @put(
        "/{member_id:uuid}/account",
        summary="Link a team member to an account: they may check seats in at the door",
    )
    @inject
    async def link(
        self,
        slug: FromPath[str],
        member_id: FromPath[uuid.UUID],
        data: JSONBody[TeamAccountIn],
        caller: FromDishka[Principal],
        link_account: FromDishka[LinkTeamAccount],
    ) -> TeamAccountOut:
        return TeamAccountOut.of(await link_account(caller, slug, member_id, data.email))

    @delete(
        "/{member_id:uuid}/account", status_code=HTTP_204_NO_CONTENT, summary="Unlink a team member's account"
    )
    @inject
    async def unlink(
        self,
        slug: FromPath[str],
        member_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        unlink_account: FromDishka[UnlinkTeamAccount],
    ) -> None:
        await unlink_account(caller, slug, member_id)
