"""Sessions: issuing a token pair (a signed access token and an opaque refresh token kept as
a session), and ending every session of a user."""

from __future__ import annotations

from datetime import datetime

from aquastream.domain.identity.model import RefreshSession, RequestContext, TokenPair, User
from aquastream.domain.identity.policy import IdentityPolicy
from aquastream.domain.identity.revocation import AccountAccess, EndedSession
from aquastream.domain.identity.tokens import hash_token
from aquastream.domain.shared.ids import new_id
from aquastream.ports.identity import AccessTokenIssuer, IdentityUnitOfWork, SecretGenerator


class TokenMinter:
    """Makes a new refresh session and the pair of tokens the client receives."""

    def __init__(self, issuer: AccessTokenIssuer, secrets: SecretGenerator, policy: IdentityPolicy) -> None:
        self._issuer = issuer
        self._secrets = secrets
        self._policy = policy

    def mint(
        self,
        user: User,
        *,
        now: datetime,
        ctx: RequestContext | None = None,
        rotated: RefreshSession | None = None,
    ) -> tuple[RefreshSession, TokenPair]:
        """A new session and its tokens: the first of a new family (a login), or, when
        ``rotated`` is given, its successor in that family (a refresh), which keeps the time
        of the family's login.

        The session records the device of the request (``ctx``: its IP and bounded user
        agent). The caller stores it in its unit of work; only the token's hash is kept.
        """
        session_id = new_id()
        refresh_token = self._secrets.token()
        session = RefreshSession(
            id=session_id,
            user_id=user.id,
            family_id=rotated.family_id if rotated else session_id,
            token_hash=hash_token(refresh_token),
            created_at=now,
            expires_at=now + self._policy.refresh_token_ttl,
            signed_in_at=rotated.started_at if rotated else now,
            user_agent=ctx.bounded_user_agent if ctx else None,
            ip=ctx.ip if ctx else None,
        )
        access_token, expires_in = self._issuer.issue(user, now=now, session_family_id=session.family_id)
        return session, TokenPair(
            access_token=access_token, refresh_token=refresh_token, expires_in=expires_in, user_id=user.id
        )


async def end_every_session(
    uow: IdentityUnitOfWork, user: User, *, at: datetime
) -> tuple[list[EndedSession], AccountAccess]:
    """Revoke every refresh session of ``user`` and every access token issued to them so far.

    Sets ``user.tokens_not_before`` (see ``revocation``): the caller saves the user in the
    same unit of work, having first made any change to whether the account is usable.
    Returns what the edge must learn once that is committed: the session families that
    ended, and the account's new mark.
    """
    user.tokens_not_before = at
    families = await uow.sessions.revoke_all_for_user(user.id, at=at)
    ended = [EndedSession(user.id, family_id, at) for family_id in families]
    return ended, AccountAccess(user.id, at, user.is_usable)
