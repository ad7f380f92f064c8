"""The access-token codec: HS512, the claims of SPEC §2, expiry judged by the clock."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from aquastream.adapters.crypto.errors import TokenExpired, TokenInvalid
from aquastream.adapters.crypto.jwt_tokens import DECODED_KEPT, AccessToken, JwtAccessTokens
from aquastream.adapters.memory.clock import FrozenClock
from aquastream.domain.shared.principal import Principal, Role

from .conftest import a_user

SECRET = "s" * 64  # RFC 7518 §3.2: an HS512 key has at least 64 bytes
START = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
SESSION = uuid.uuid4()


def test_issued_token_carries_the_spec_claims_signed_with_hs512() -> None:
    user = a_user(Role.ORGANIZER)

    token, expires_in = JwtAccessTokens(SECRET, 900).issue(user, now=START, session_family_id=SESSION)

    assert expires_in == 900
    assert jwt.get_unverified_header(token)["alg"] == "HS512"
    claims = jwt.decode(
        token, SECRET, algorithms=["HS512"], options={"verify_exp": False, "verify_iat": False}
    )
    assert claims["sub"] == str(user.id)
    assert claims["username"] == user.email
    assert claims["role"] == "ORGANIZER"
    assert claims["sid"] == str(SESSION)
    assert claims["iat"] == int(START.timestamp())
    assert claims["exp"] == int(START.timestamp()) + 900
    assert len(claims["jti"]) == 32


def test_every_token_has_its_own_id() -> None:
    tokens = JwtAccessTokens(SECRET, 900)
    user = a_user()

    first, _ = tokens.issue(user, now=START, session_family_id=SESSION)
    second, _ = tokens.issue(user, now=START, session_family_id=SESSION)

    assert (
        jwt.decode(first, options={"verify_signature": False})["jti"]
        != jwt.decode(second, options={"verify_signature": False})["jti"]
    )


def test_decoding_gives_back_the_principal_its_session_and_when_it_was_issued() -> None:
    clock = FrozenClock(START + timedelta(microseconds=900_000))
    tokens = JwtAccessTokens(SECRET, 900, clock=clock)
    user = a_user(Role.ADMIN)
    token, _ = tokens.issue(user, now=clock.now(), session_family_id=SESSION)

    assert tokens.decode(token) == AccessToken(
        principal=Principal(user_id=user.id, role=Role.ADMIN, email=user.email),
        session_family_id=SESSION,
        issued_at=START,
    )


def test_a_token_from_before_sessions_were_named_still_decodes() -> None:
    now = int(datetime.now(UTC).timestamp())
    claims = {"sub": str(uuid.uuid4()), "username": "ann@example.org", "role": "USER", "jti": "j"}
    token = jwt.encode(claims | {"iat": now, "exp": now + 60}, SECRET, algorithm="HS512")

    decoded = JwtAccessTokens(SECRET, 900).decode(token)

    assert decoded.session_family_id is None
    assert decoded.issued_at == datetime.fromtimestamp(now, UTC)


def test_token_expires_after_its_lifetime_by_the_clock() -> None:
    clock = FrozenClock(START)
    tokens = JwtAccessTokens(SECRET, 900, clock=clock)
    token, _ = tokens.issue(a_user(), now=clock.now(), session_family_id=SESSION)

    clock.advance(seconds=899)
    tokens.decode(token)
    clock.advance(seconds=1)
    with pytest.raises(TokenExpired):
        tokens.decode(token)


def test_token_of_another_key_is_invalid() -> None:
    token, _ = JwtAccessTokens("k" * 64, 900).issue(
        a_user(), now=datetime.now(UTC), session_family_id=SESSION
    )

    with pytest.raises(TokenInvalid):
        JwtAccessTokens(SECRET, 900).decode(token)


@pytest.mark.parametrize(
    ("claim", "value"),
    [
        ("sub", "not-a-uuid"),
        ("sub", 42),
        ("role", "GOD"),
        ("role", "GUEST"),
        ("username", 42),
        ("exp", "soon"),
        ("iat", "earlier"),
        ("iat", 10**20),
        ("sid", "not-a-uuid"),
        ("sid", ["a", "list"]),
    ],
)
def test_token_with_a_malformed_claim_is_invalid(claim: str, value: object) -> None:
    now = int(datetime.now(UTC).timestamp())
    claims = {
        "sub": str(uuid.uuid4()),
        "username": "ann@example.org",
        "role": "USER",
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + 60,
        claim: value,
    }
    token = jwt.encode(claims, SECRET, algorithm="HS512")

    with pytest.raises(TokenInvalid):
        JwtAccessTokens(SECRET, 900).decode(token)


def test_expired_is_a_401_kind_with_its_own_code() -> None:
    clock = FrozenClock(START)
    tokens = JwtAccessTokens(SECRET, 60, clock=clock)
    token, _ = tokens.issue(a_user(), now=clock.now(), session_family_id=SESSION)
    clock.advance(timedelta(minutes=5))

    with pytest.raises(TokenExpired) as raised:
        tokens.decode(token)

    assert raised.value.code == "auth.token_expired"


def test_a_token_verified_once_is_kept_and_still_expires_by_the_clock() -> None:
    clock = FrozenClock(START)
    tokens = JwtAccessTokens(SECRET, 900, clock=clock)
    token, _ = tokens.issue(a_user(), now=clock.now(), session_family_id=SESSION)
    first = tokens.decode(token)

    assert tokens.decode(token) is first  # not verified again
    tampered = token[:-8] + ("A" if token[-8] != "A" else "B") + token[-7:]
    with pytest.raises(TokenInvalid):
        tokens.decode(tampered)  # another text: verified on its own
    clock.advance(seconds=900)
    with pytest.raises(TokenExpired):
        tokens.decode(token)


def test_the_tokens_kept_are_bounded() -> None:
    clock = FrozenClock(START)
    tokens = JwtAccessTokens(SECRET, 900, clock=clock)
    user = a_user()
    issued = [
        tokens.issue(user, now=clock.now(), session_family_id=SESSION)[0] for _ in range(DECODED_KEPT + 1)
    ]

    for token in issued:
        tokens.decode(token)

    assert len(tokens._decoded) <= DECODED_KEPT
    assert tokens.decode(issued[0]).principal.user_id == user.id  # verified again when needed
