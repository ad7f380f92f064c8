"""Access tokens are checked by a PyJWT that left ``cryptography`` out (``adapters.crypto.hmac_only``):
HS512 tokens are issued and verified, any other algorithm is refused, and ``cryptography`` is
imported afterwards as usual by what needs it (tickets' signatures, sealed secrets). Checked in a
process of its own: the test process has long imported both."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys, uuid
from datetime import UTC, datetime
from aquastream.adapters.crypto.errors import TokenInvalid
from aquastream.adapters.crypto.jwt_tokens import JwtAccessTokens, jwt
from aquastream.domain.identity.model import Role, User

print("cryptography" in sys.modules, jwt.algorithms.has_crypto)
secret = "s" * 64
tokens = JwtAccessTokens(secret, 600)
now = datetime.now(UTC)
user = User(uuid.uuid4(), "anna@example.com", "x", Role.USER, True, now, now)
token, _ = tokens.issue(user, now=now, session_family_id=uuid.uuid4())
print(tokens.decode(token).principal.user_id == user.id)
claims = jwt.decode(token, secret, algorithms=["HS512"])
try:
    tokens.decode(jwt.encode(claims, secret, algorithm="HS256"))
    print("accepted")
except TokenInvalid:
    print("refused")

from aquastream.adapters.crypto.tickets import Ed25519TicketSigner
signer = Ed25519TicketSigner("k" * 64)
pair = signer.new_key_pair()
signature = signer.sign(pair.sealed_private_key, b"seat 1")
print(signer.verify(pair.public_key, b"seat 1", signature), "cryptography" in sys.modules)
"""


def test_tokens_are_checked_without_cryptography_which_loads_later_for_what_needs_it() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], check=True, capture_output=True, text=True, timeout=60
    )

    assert done.stdout.split() == ["False", "False", "True", "refused", "True", "True"]
