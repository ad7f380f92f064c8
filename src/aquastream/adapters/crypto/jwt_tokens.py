"""Access tokens: HS512 JWTs carrying who the caller is, checked at the edge without a database."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from aquastream.adapters.crypto.errors import TokenExpired, TokenInvalid
from aquastream.domain.identity.model import User
from aquastream.domain.shared.principal import Principal, Role
from aquastream.ports.clock import Clock

ALGORITHM = "HS512"
REQUIRED_CLAIMS = ("sub", "username", "role", "jti", "iat", "exp")


class JwtAccessTokens:
    """Issues and checks access tokens.

    The algorithm is pinned to HS512, so ``alg: none`` and tokens signed with any other
    algorithm or key are refused. Expiry is judged against ``clock`` when one is given
    (tests move time by hand), else against the system time.
    """

    def __init__(self, secret: str, ttl_seconds: int, *, clock: Clock | None = None) -> None:
        self._secret = secret
        self._ttl_seconds = ttl_seconds
        self._clock = clock

    def issue(self, user: User, *, now: datetime) -> tuple[str, int]:
        """A signed token for ``user`` and its lifetime in seconds."""
        issued_at = int(now.timestamp())
        claims = {
            "sub": str(user.id),
            "username": user.email,
            "role": user.role.value,
            "jti": uuid.uuid4().hex,
            "iat": issued_at,
            "exp": int((now + timedelta(seconds=self._ttl_seconds)).timestamp()),
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM), self._ttl_seconds

    def decode(self, token: str) -> Principal:
        """The caller the token names; ``TokenExpired`` or ``TokenInvalid`` otherwise."""
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                # Expiry is checked below against our clock; everything else by pyjwt.
                options={"require": list(REQUIRED_CLAIMS), "verify_exp": False, "verify_iat": False},
            )
        except jwt.PyJWTError:
            raise TokenInvalid() from None
        principal = _principal_from(claims)
        expires_at = claims["exp"]
        if not isinstance(expires_at, int) or isinstance(expires_at, bool):
            raise TokenInvalid()
        if expires_at <= self._now().timestamp():
            raise TokenExpired()
        return principal

    def _now(self) -> datetime:
        if self._clock is not None:
            return self._clock.now()
        return datetime.now(UTC)


def _principal_from(claims: dict[str, Any]) -> Principal:
    try:
        user_id = uuid.UUID(claims["sub"])
        role = Role(claims["role"])
    except (ValueError, TypeError, AttributeError):
        raise TokenInvalid() from None
    username = claims["username"]
    if not isinstance(username, str):
        raise TokenInvalid()
    return Principal(user_id=user_id, role=role, email=username)
