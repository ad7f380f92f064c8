"""PyJWT without ``cryptography``, for tokens signed with HMAC.

PyJWT imports ``cryptography`` when it is installed, only to offer RSA, EC and EdDSA keys: about
9 MB in every process that checks a token. This service's access tokens are HS512 (``jwt_tokens``),
which PyJWT signs and checks with the standard library's ``hmac``. Imported inside
``cryptography_left_out``, PyJWT finds no ``cryptography`` (``sys.modules`` holding None for a
name makes its import fail as if it were not installed) and offers HMAC alone. What needs
``cryptography`` for itself (tickets' Ed25519 signatures, sealed secrets) imports it afterwards
as usual; and where something imported it before, PyJWT is imported as it is."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cryptography_left_out() -> Iterator[None]:
    if "cryptography" in sys.modules or "jwt" in sys.modules:
        yield
        return
    sys.modules["cryptography"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        del sys.modules["cryptography"]
