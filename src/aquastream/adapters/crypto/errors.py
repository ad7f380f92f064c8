"""Why an access token was refused: all are 401s that tell the client what to do next."""

from __future__ import annotations

from aquastream.domain.shared.errors import Unauthenticated


class TokenExpired(Unauthenticated):
    """The token was genuine but its lifetime is over: refresh and retry."""

    code = "auth.token_expired"
    default_message = "The access token has expired."


class TokenInvalid(Unauthenticated):
    """Malformed, forged, signed with another key or algorithm, or missing a claim."""

    code = "auth.token_invalid"
    default_message = "The access token is invalid."


class TokenRevoked(Unauthenticated):
    """Genuine and unexpired, but its session ended (logout, password reset) or its account
    was blocked or changed: log in again."""

    code = "auth.token_revoked"
    default_message = "The access token was revoked; log in again."
