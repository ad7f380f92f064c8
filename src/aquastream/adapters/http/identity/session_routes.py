"""``/users/me/sessions``: the caller's logins (devices), and revoking one of them."""

from __future__ import annotations

import uuid
from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, delete, get
from litestar.params import FromPath
from litestar.status_codes import HTTP_204_NO_CONTENT

from aquastream.adapters.http.auth import current_session_of
from aquastream.adapters.http.identity.dto import SessionOut
from aquastream.domain.identity.devices import ListMySessions, RevokeMySession
from aquastream.domain.identity.model import RequestContext
from aquastream.domain.shared.principal import Principal


class SessionController(Controller):
    path = "/users/me/sessions"
    tags = ["profile"]

    @get("", summary="The caller's live sessions, newest login first")
    @inject
    async def list_sessions(
        self,
        request: Request[Any, Any, Any],
        caller: FromDishka[Principal],
        list_sessions: FromDishka[ListMySessions],
    ) -> list[SessionOut]:
        """One entry per login that can still be refreshed: when it began (`createdAt`), when
        it was last refreshed (`lastUsedAt`), and the user agent and IP address of that last
        use. `current` marks the session the access token of this request was issued in; a
        token issued before tokens named their session marks none. No token is ever listed."""
        sessions = await list_sessions(caller, current_session_of(request))
        return [SessionOut.of(session) for session in sessions]

    @delete(
        "/{session_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Revoke one of the caller's sessions"
    )
    @inject
    async def revoke_session(
        self,
        session_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        revoke_session: FromDishka[RevokeMySession],
        ctx: FromDishka[RequestContext],
    ) -> None:
        """Logs that device out: its refresh token stops working, and so do the access tokens
        issued in the session. The current session may be revoked too. An id that is not one
        of the caller's live sessions (unknown, another user's, already revoked) is a 404."""
        await revoke_session(caller, session_id, ctx)
