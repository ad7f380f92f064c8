"""Access tokens: HS512 JWTs carrying who the caller is and the session they were issued with.

Besides the claims of SPEC §2 a token carries ``sid``, the id of its refresh-session
family, so that the edge can refuse it once that session ends. Tokens issued before
``sid`` existed are still accepted without it (they expire within minutes of the change).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aquastream.adapters.crypto.errors import TokenExpired, TokenInvalid
from aquastream.adapters.crypto.hmac_only import cryptography_left_out
from aquastream.adapters.kept import Kept
from aquastream.domain.identity.model import User
from aquastream.domain.shared.principal import Principal, Role
from aquastream.ports.clock import Clock

with cryptography_left_out():  # HS512 only: see hmac_only
    import jwt

ALGORITHM = "HS512"
REQUIRED_CLAIMS = ("sub", "username", "role", "jti", "iat", "exp")
# Genuine tokens kept decoded, by their exact text (a token's signature and claims never
# change; only the clock moves past its expiry, which every use checks again): verifying
# the signature and parsing the claims was an eighth of a check-in's time in Python. Bounded:
# the oldest half goes when full (about a megabyte at most).
DECODED_KEPT = 1024


@dataclass(frozen=True, slots=True)
class AccessToken:
    """What a genuine, unexpired access token says."""

    principal: Principal
    session_family_id: uuid.UUID | None  # None in tokens issued before ``sid`` existed
    issued_at: datetime


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
        self._decoded: Kept[str, tuple[AccessToken, int]] = Kept(DECODED_KEPT)  # token: (what it says, exp)

    def issue(self, user: User, *, now: datetime, session_family_id: uuid.UUID) -> tuple[str, int]:
        """A signed token for ``user`` issued with the session family ``session_family_id``,
        and its lifetime in seconds."""
        issued_at = int(now.timestamp())
        claims = {
            "sub": str(user.id),
            "username": user.email,
            "role": user.role.value,
            "sid": str(session_family_id),
            "jti": uuid.uuid4().hex,
            "iat": issued_at,
            "exp": int((now + timedelta(seconds=self._ttl_seconds)).timestamp()),
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM), self._ttl_seconds

    def decode(self, token: str) -> AccessToken:
        """What the token says; ``TokenExpired`` or ``TokenInvalid`` otherwise. A genuine
        token is verified once and kept (``DECODED_KEPT``); its expiry is judged every time.
        (Whether its session still stands is the edge's question, ``AccessTokenCheck``.)"""
        kept = self._decoded.get(token)
        if kept is None:
            kept = self._decoded.keep(token, self._verify(token))
        decoded, expires_at = kept
        if expires_at <= self._now().timestamp():
            raise TokenExpired()
        return decoded

    def _verify(self, token: str) -> tuple[AccessToken, int]:
        """What a genuine token says and when it expires; ``TokenInvalid`` otherwise."""
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
        issued_at, expires_at = _seconds(claims["iat"]), _seconds(claims["exp"])
        decoded = AccessToken(
            principal=principal,
            session_family_id=_session_family_from(claims),
            issued_at=_instant(issued_at),
        )
        return decoded, expires_at

    def _now(self) -> datetime:
        if self._clock is not None:
            return self._clock.now()
        return datetime.now(UTC)


def _principal_from(claims: dict[str, Any]) -> Principal:
    try:
        role = Role(claims["role"])
    except ValueError:
        raise TokenInvalid() from None
    username = claims["username"]
    if not isinstance(username, str):
        raise TokenInvalid()
    return Principal(user_id=_uuid(claims["sub"]), role=role, email=username)


def _session_family_from(claims: dict[str, Any]) -> uuid.UUID | None:
    return _uuid(claims["sid"]) if "sid" in claims else None


def _uuid(value: object) -> uuid.UUID:
    if not isinstance(value, str):
        raise TokenInvalid()
    try:
        return uuid.UUID(value)
    except ValueError:
        raise TokenInvalid() from None


def _seconds(value: object) -> int:
    """A NumericDate claim, which these tokens write as whole seconds."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TokenInvalid()
    return value


def _instant(seconds: int) -> datetime:
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise TokenInvalid() from None
