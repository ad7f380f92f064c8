"""The caller's sessions as devices: list the live ones, revoke one.

A session here is a login: a refresh-session family. Rotation revokes every row of a
family but the newest, and that row records the device of the family's latest use (see
``RefreshSession``). On the wire a session's id is its family id: it stays the same across
refreshes, and it is the ``sid`` that every access token issued in the session carries, so
the caller's own session can be pointed out.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from aquastream.domain.identity.access import load_me
from aquastream.domain.identity.audit import audit_entry
from aquastream.domain.identity.errors import SessionNotFound, UserBlocked, UserNotFound
from aquastream.domain.identity.model import AuditAction, Principal, RefreshSession, RequestContext
from aquastream.domain.identity.revocation import EndedSession
from aquastream.domain.shared.errors import Raises
from aquastream.ports.clock import Clock
from aquastream.ports.identity import AccessRevocationListener, IdentityUnitOfWork

# People use a handful of devices; beyond this many live logins, the oldest are not listed
# (they can still be revoked by id, or all at once by logging out everywhere).
MAX_LISTED_SESSIONS = 100


@dataclass(frozen=True, slots=True)
class DeviceSession:
    """One live login of the caller, as they see it (no token, no token hash)."""

    id: uuid.UUID  # the session family's id
    signed_in_at: datetime
    last_used_at: datetime  # the login, or the latest refresh
    user_agent: str | None  # as of the last use
    ip: str | None  # as of the last use
    current: bool

    @classmethod
    def of(cls, session: RefreshSession, *, current_session_id: uuid.UUID | None) -> DeviceSession:
        return cls(
            id=session.family_id,
            signed_in_at=session.started_at,
            last_used_at=session.created_at,
            user_agent=session.user_agent,
            ip=session.ip,
            current=session.family_id == current_session_id,
        )


class ListMySessions:
    """The caller's live sessions.

    Rules:
    - live: neither revoked nor expired; one entry per login however often it was refreshed;
    - the newest login first, at most ``MAX_LISTED_SESSIONS`` of them (a client that logs in
      in a loop makes many; the list stays one small answer);
    - ``current`` marks the session the caller's access token was issued in (its ``sid``
      claim, given as ``current_session_id``); a token that names no session (one issued
      before tokens named theirs) marks none: which device is calling is not guessed;
    - nothing that could be used as a credential is listed.
    """

    raises: ClassVar[Raises] = (UserBlocked, UserNotFound)

    def __init__(self, uow: IdentityUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(
        self, principal: Principal, current_session_id: uuid.UUID | None
    ) -> list[DeviceSession]:
        async with self._uow:
            user = await load_me(self._uow, principal, must_be_active=False)
            live = await self._uow.sessions.list_live_for_user(
                user.id, now=self._clock.now(), limit=MAX_LISTED_SESSIONS
            )
        return [DeviceSession.of(s, current_session_id=current_session_id) for s in live]


class RevokeMySession:
    """End one of the caller's sessions (a device they no longer trust or use).

    Rules:
    - only a live session of the caller can be revoked; an unknown id, another user's
      session and an ended one all give the same ``SessionNotFound``, so the answer tells
      nothing about other users' sessions;
    - the whole session is ended, as a logout from that device: its refresh token no longer
      refreshes (presented again, it counts as a reused token) and the access tokens issued
      in it stop working;
    - the caller may revoke the session they are calling from: that logs this device out;
    - audited as SESSION_REVOKED (payload: the session's id) in the same transaction.
    """

    raises: ClassVar[Raises] = (SessionNotFound, UserBlocked, UserNotFound)

    def __init__(self, uow: IdentityUnitOfWork, clock: Clock, revocations: AccessRevocationListener) -> None:
        self._uow = uow
        self._clock = clock
        self._revocations = revocations

    async def __call__(
        self, principal: Principal, session_id: uuid.UUID, ctx: RequestContext | None = None
    ) -> None:
        async with self._uow:
            now = self._clock.now()
            user = await load_me(self._uow, principal, must_be_active=False)
            # One conditional update: a concurrent logout or rotation cannot slip in between.
            if not await self._uow.sessions.revoke_live_family(user.id, session_id, at=now):
                raise SessionNotFound()
            await self._uow.audit.add(
                audit_entry(
                    AuditAction.SESSION_REVOKED,
                    at=now,
                    actor_id=user.id,
                    target_id=user.id,
                    payload={"session_id": str(session_id)},
                    ctx=ctx,
                )
            )
            await self._uow.commit()
        self._revocations.access_revoked(EndedSession(user.id, session_id, now))
