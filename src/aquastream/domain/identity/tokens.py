"""Opaque secrets (refresh tokens, reset tokens, link codes) are stored only as SHA-256 hashes.

These secrets are long and random, so a fast unsalted hash is enough: nobody can guess
one from its hash, and a hash can be looked up by equality (unlike an Argon2 hash).
"""

from __future__ import annotations

import hashlib


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
