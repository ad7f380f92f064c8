"""Revoking access tokens: what ends them, and the rule the edge applies to every token.

An access token is a signed statement that lives minutes, so it cannot be recalled.
Instead every instance of the service keeps the list of what was revoked within the
lifetime of a token, and refuses a token that the list concerns:

- an ended session family (``EndedSession``: a logout, a reused refresh token) ends the
  tokens issued with it, which name it in their ``sid`` claim;
- a user's mark (``AccountAccess``: logout everywhere, a password reset, a role change, a
  block, a deletion) ends every token issued to them before it, and a blocked or deleted
  account holds no token at all.

Whatever is older than a token's lifetime can be forgotten: the tokens it concerned have
expired. The list is small, and asking it costs no database round trip.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class EndedSession:
    """A refresh-session family that was ended (not rotated): its tokens no longer hold."""

    user_id: uuid.UUID
    session_family_id: uuid.UUID
    ended_at: datetime


@dataclass(frozen=True, slots=True)
class AccountAccess:
    """A user's mark, and whether their account may hold tokens at all."""

    user_id: uuid.UUID
    tokens_not_before: datetime
    account_usable: bool  # active and not deleted


Revocation = EndedSession | AccountAccess


class RevokedAccess:
    """The revocations of the last minutes, and the rule that judges a token by them."""

    def __init__(self) -> None:
        self._ended_sessions: dict[uuid.UUID, EndedSession] = {}
        self._accounts: dict[uuid.UUID, AccountAccess] = {}

    def record(self, *revocations: Revocation) -> None:
        """Add what was revoked. Of two facts about one account, the later mark wins; of
        two with the same mark, the one recorded last (an unblock after a block)."""
        for revocation in revocations:
            if isinstance(revocation, EndedSession):
                self._ended_sessions[revocation.session_family_id] = revocation
                continue
            known = self._accounts.get(revocation.user_id)
            if known is None or revocation.tokens_not_before >= known.tokens_not_before:
                self._accounts[revocation.user_id] = revocation

    def forget_before(self, moment: datetime) -> None:
        """Drop what happened before ``moment``: tokens issued before then have expired."""
        self._ended_sessions = {
            family_id: ended for family_id, ended in self._ended_sessions.items() if ended.ended_at >= moment
        }
        self._accounts = {
            user_id: access
            for user_id, access in self._accounts.items()
            if access.tokens_not_before >= moment
        }

    def admits(self, user_id: uuid.UUID, session_family_id: uuid.UUID | None, issued_at: datetime) -> bool:
        """Whether a token of ``user_id``, issued with ``session_family_id`` (None in tokens
        from before sessions were named) at ``issued_at`` (whole seconds), still holds.

        Rules:
        - a token of an ended session family holds no more;
        - a blocked or deleted account holds no token;
        - a token issued before the user's mark holds no more. Tokens carry their issue
          time in whole seconds, so the mark is compared at that grain: a token of the
          mark's own second is let through (a login right after a password reset must
          work), and its session family decides for it.
        """
        ended = self._ended_sessions.get(session_family_id) if session_family_id else None
        if ended is not None and ended.user_id == user_id:
            return False
        access = self._accounts.get(user_id)
        if access is None:
            return True
        return access.account_usable and issued_at >= access.tokens_not_before.replace(microsecond=0)
