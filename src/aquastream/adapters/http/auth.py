"""Who is calling and may they: bearer-token authentication with default deny, and role guards.

Every route needs an authenticated caller unless its handler is marked public (``@public``
or ``opt={"public": True}``). Public routes (SPEC §9): auth (register, login, refresh,
recovery), catalog reads (events, organizers, team, FAQ), health, metrics and the API
docs. A token that is present but invalid, expired or revoked is refused with 401 even on
a public route, so clients learn at once that they must refresh or log in again. Whether
a token was revoked (its session ended, its account was blocked) is judged by
``AccessTokenCheck`` from what identity revoked lately; when it cannot tell (the database
is down), the answer is 503.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from dishka import AsyncContainer
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.handlers import BaseRouteHandler, HTTPRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from aquastream.adapters.crypto.errors import TokenInvalid
from aquastream.adapters.crypto.jwt_tokens import AccessToken, JwtAccessTokens
from aquastream.adapters.http.route_options import PUBLIC, raising
from aquastream.adapters.http.token_check import AccessTokenCheck
from aquastream.domain.shared.errors import Forbidden, Unauthenticated
from aquastream.domain.shared.principal import Principal, Role

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]
HandlerT = TypeVar("HandlerT", bound=HTTPRouteHandler)


class AuthenticationMiddleware(ASGIMiddleware):
    """Puts the caller in ``scope["user"]`` (``request.user``): a ``Principal``, or None when
    anonymous; and what their token says in ``scope["auth"]``: an ``AccessToken``, or None."""

    scopes = (ScopeType.HTTP,)

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        access = await self._authenticate(scope)
        if access is None and not _admits_anonymous(scope):
            raise Unauthenticated()
        scope["user"] = access.principal if access else None
        scope["auth"] = access
        await next_app(scope, receive, send)

    async def _authenticate(self, scope: Scope) -> AccessToken | None:
        header = next((value for name, value in scope["headers"] if name == b"authorization"), None)
        if header is None:
            return None
        scheme, _, token = header.decode("latin-1").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise TokenInvalid("Use 'Authorization: Bearer <access token>'.")
        tokens = await self._container.get(JwtAccessTokens)
        access = tokens.decode(token)
        check = await self._container.get(AccessTokenCheck)
        await check.ensure_live(access)
        return access


def public(handler: HandlerT) -> HandlerT:
    """Mark a route handler callable without a token: put it above ``@get``/``@post``.

    The same as passing ``opt={"public": True}`` (which also works on a whole Router or
    Controller).
    """
    handler.opt[PUBLIC] = True
    return handler


def _admits_anonymous(scope: Scope) -> bool:
    """Default deny: a public route, or a CORS preflight. Judged here rather than by an
    application-wide guard: Litestar hands every guard a copy of the route handler, which
    cost 5 % of a check-in's time."""
    return bool(scope["route_handler"].opt.get(PUBLIC)) or scope.get("method") == "OPTIONS"


def requires_role(*roles: Role) -> Guard:
    """A guard admitting callers with one of ``roles``; admins are always admitted (SPEC §2)."""
    allowed = frozenset(roles) | {Role.ADMIN}

    @raising(Forbidden)
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if principal_of(connection).role not in allowed:
            raise Forbidden()

    return guard


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """The authenticated caller; ``Unauthenticated`` (401) for an anonymous one."""
    principal = optional_principal(connection)
    if principal is None:
        raise Unauthenticated()
    return principal


def optional_principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    """The caller on a public route, where anonymous callers are welcome."""
    user = connection.scope.get("user")
    return user if isinstance(user, Principal) else None


def current_session_of(connection: ASGIConnection[Any, Any, Any, Any]) -> uuid.UUID | None:
    """The session (family) the caller's access token was issued in; None for an anonymous
    caller or a token that names none (issued before tokens carried ``sid``)."""
    access = connection.scope.get("auth")
    return access.session_family_id if isinstance(access, AccessToken) else None
