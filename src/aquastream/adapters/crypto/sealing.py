"""Secrets the service must read back (webhook signing secrets), stored sealed under a key
derived from the server secret, with the standard library alone.

The construction is encrypt-then-MAC: a keystream of HMAC-SHA256 over a random 16-byte nonce
and a block counter (a pseudo-random function in counter mode) is XORed with the text, and an
HMAC-SHA256 tag over nonce and ciphertext is checked before anything is decrypted. Both keys
are derived from the server secret for one purpose each. Changing the server secret makes
sealed secrets unreadable: their endpoints then need a rotation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

NONCE_BYTES = 16
TAG_BYTES = 32
VERSION = "s1"


class SealBroken(ValueError):
    """The sealed text was altered, or sealed under another key."""


class SecretBox:
    def __init__(self, secret: str, purpose: bytes) -> None:
        key = secret.encode()
        if len(key) < 32:
            raise ValueError("a sealing secret must be at least 32 bytes long")
        self._stream_key = hmac.new(key, purpose + b"/stream", hashlib.sha256).digest()
        self._tag_key = hmac.new(key, purpose + b"/tag", hashlib.sha256).digest()

    def _keystream(self, nonce: bytes, length: int) -> bytes:
        blocks = (
            hmac.new(self._stream_key, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest()
            for counter in range(-(-length // 32))
        )
        return b"".join(blocks)[:length]

    def seal(self, text: str) -> str:
        plain = text.encode()
        nonce = os.urandom(NONCE_BYTES)
        cipher = bytes(a ^ b for a, b in zip(plain, self._keystream(nonce, len(plain)), strict=True))
        tag = hmac.new(self._tag_key, nonce + cipher, hashlib.sha256).digest()
        return f"{VERSION}.{base64.urlsafe_b64encode(nonce + cipher + tag).decode()}"

    def open(self, sealed: str) -> str:
        version, _, encoded = sealed.partition(".")
        try:
            raw = base64.urlsafe_b64decode(encoded.encode())
        except ValueError:
            raise SealBroken() from None
        if version != VERSION or len(raw) < NONCE_BYTES + TAG_BYTES:
            raise SealBroken()
        nonce, cipher, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
        expected = hmac.new(self._tag_key, nonce + cipher, hashlib.sha256).digest()
        if not hmac.compare_digest(tag, expected):
            raise SealBroken()
        return bytes(a ^ b for a, b in zip(cipher, self._keystream(nonce, len(cipher)), strict=True)).decode()
