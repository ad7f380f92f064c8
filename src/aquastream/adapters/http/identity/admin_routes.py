"""``/admin``: users (in full), roles, blocking, forced logout and password reset, audit, and
the operator's health and build information."""

from __future__ import annotations

import uuid
from typing import Annotated

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from aquastream.adapters.http.auth import requires_role
from aquastream.adapters.http.health import Readiness
from aquastream.adapters.http.identity.dto import (
    AdminHealthOut,
    AuditEntryOut,
    DependencyOut,
    ForcedLogoutOut,
    ForcedResetOut,
    InfoOut,
    RoleIn,
    UserInFullOut,
    UserOut,
)
from aquastream.adapters.http.paging import PageNumber, PageOut, PageSize, page_request, sort_parameter
from aquastream.domain.identity.admin import BlockUser, ChangeUserRole, ListUsers, ReadAuditLog, UnblockUser
from aquastream.domain.identity.incidents import ForceLogout, ForcePasswordReset, ShowUser
from aquastream.domain.identity.model import RequestContext
from aquastream.domain.identity.ordering import NEWEST_AUDIT_ENTRIES, NEWEST_USERS, AuditSortKey, UserSortKey
from aquastream.domain.shared.principal import Principal, Role
from aquastream.settings import Settings


class AdminController(Controller):
    path = "/admin"
    tags = ["admin"]
    guards = [requires_role(Role.ADMIN)]

    @get("/users", summary="List and search users (newest first, or `sort`)")
    @inject
    async def list_users(
        self,
        caller: FromDishka[Principal],
        list_users: FromDishka[ListUsers],
        q: Annotated[str | None, QueryParameter(description="Part of the email.")] = None,
        role: FromQuery[Role | None] = None,
        active: FromQuery[bool | None] = None,
        sort: Annotated[str, sort_parameter(UserSortKey)] = NEWEST_USERS.text,
        page: PageNumber = 0,
        size: PageSize = 20,
    ) -> PageOut[UserOut]:
        """``sort=email`` compares the (lower-case) emails by code point, the same on every
        database."""
        found = await list_users(
            caller, page_request(page, size), text=q, role=role, active=active, sort=sort
        )
        return PageOut.of(found, UserOut.of)

    @get("/users/{user_id:uuid}", summary="A user in full: account, profile, sessions, bookings, audit")
    @inject
    async def show_user(
        self,
        user_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        show_user: FromDishka[ShowUser],
        ctx: FromDishka[RequestContext],
    ) -> UserInFullOut:
        return UserInFullOut.of(await show_user(caller, user_id, ctx))

    @post(
        "/users/{user_id:uuid}/logout-all",
        status_code=HTTP_200_OK,
        summary="Log a user out everywhere (every session and access token)",
    )
    @inject
    async def force_logout(
        self,
        user_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        force_logout: FromDishka[ForceLogout],
        ctx: FromDishka[RequestContext],
    ) -> ForcedLogoutOut:
        return ForcedLogoutOut(await force_logout(caller, user_id, ctx))

    @post(
        "/users/{user_id:uuid}/password-reset",
        status_code=HTTP_200_OK,
        summary="Force a password reset (the password stops working; a recovery code is sent)",
    )
    @inject
    async def force_password_reset(
        self,
        user_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        force_reset: FromDishka[ForcePasswordReset],
        ctx: FromDishka[RequestContext],
    ) -> ForcedResetOut:
        return ForcedResetOut.of(await force_reset(caller, user_id, ctx))

    @post("/users/{user_id:uuid}/role", status_code=HTTP_200_OK, summary="Change a role (revokes sessions)")
    @inject
    async def change_role(
        self,
        user_id: FromPath[uuid.UUID],
        data: JSONBody[RoleIn],
        caller: FromDishka[Principal],
        change_role: FromDishka[ChangeUserRole],
        ctx: FromDishka[RequestContext],
    ) -> UserOut:
        return UserOut.of(await change_role(caller, user_id, data.role, ctx))

    @post("/users/{user_id:uuid}/block", status_code=HTTP_200_OK, summary="Block a user (revokes sessions)")
    @inject
    async def block(
        self,
        user_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        block_user: FromDishka[BlockUser],
        ctx: FromDishka[RequestContext],
    ) -> UserOut:
        return UserOut.of(await block_user(caller, user_id, ctx))

    @post("/users/{user_id:uuid}/unblock", status_code=HTTP_200_OK, summary="Unblock a user")
    @inject
    async def unblock(
        self,
        user_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        unblock_user: FromDishka[UnblockUser],
        ctx: FromDishka[RequestContext],
    ) -> UserOut:
        return UserOut.of(await unblock_user(caller, user_id, ctx))

    @get("/users/{user_id:uuid}/audit", summary="A user's audit log (newest first, or `sort`)")
    @inject
    async def audit(
        self,
        user_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        read_audit: FromDishka[ReadAuditLog],
        sort: Annotated[str, sort_parameter(AuditSortKey)] = NEWEST_AUDIT_ENTRIES.text,
        page: PageNumber = 0,
        size: PageSize = 20,
    ) -> PageOut[AuditEntryOut]:
        found = await read_audit(caller, user_id, page_request(page, size), sort=sort)
        return PageOut.of(found, AuditEntryOut.of)

    @get("/health", summary="Every dependency with its latency")
    @inject
    async def health(self, readiness: FromDishka[Readiness]) -> AdminHealthOut:
        """The readiness checks in detail: each dependency's status, latency and last error
        (always 200; ``status`` is DOWN when any is down)."""
        report = await readiness.run()
        return AdminHealthOut(
            status=report.status,
            dependencies=[DependencyOut(c.name, c.status, c.latency_ms, c.error) for c in report.checks],
        )

    @get("/info", summary="Version, git revision and build time")
    @inject
    async def info(self, settings: FromDishka[Settings]) -> InfoOut:
        """What is running: the service's version, the git revision and build time it was
        built from, and its environment."""
        return InfoOut(
            "aquastream", settings.version, settings.git_revision, settings.build_time, settings.env
        )
