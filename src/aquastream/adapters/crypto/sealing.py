"""Secrets the service must read back (webhook signing secrets, tickets' private keys), stored
sealed under a key derived from the server secret for one purpose each.

AES-256-GCM (``cryptography``, imported when a box is first made: it weighs ~9 MB in a process
that seals nothing): a random 12-byte nonce per seal, the version byte as associated
data, so a changed or foreign sealed value is refused before anything is returned. Changing the
server secret makes sealed values unreadable: webhook endpoints then need a rotation, organizers'
ticket keys a new pair.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12
VERSION = b"\x01"
TEXT_PREFIX = "s2."


class SealBroken(ValueError):
    """The sealed value was altered, or sealed under another key."""


class SecretBox:
    def __init__(self, secret: str | bytes, purpose: bytes) -> None:
        key = secret.encode() if isinstance(secret, str) else secret
        if len(key) < 32:
            raise ValueError("a sealing secret must be at least 32 bytes long")
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead: AESGCM = AESGCM(hmac.new(key, purpose, hashlib.sha256).digest())

    def __repr__(self) -> str:
        return "SecretBox(…)"

    def seal_bytes(self, plain: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return VERSION + nonce + self._aead.encrypt(nonce, plain, VERSION)

    def open_bytes(self, sealed: bytes) -> bytes:
        if sealed[:1] != VERSION or len(sealed) <= 1 + NONCE_BYTES:
            raise SealBroken()
        from cryptography.exceptions import InvalidTag

        nonce, body = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, body, VERSION)
        except InvalidTag:
            raise SealBroken() from None

    def seal(self, text: str) -> str:
        return TEXT_PREFIX + base64.urlsafe_b64encode(self.seal_bytes(text.encode())).decode()

    def open(self, sealed: str) -> str:
        if not sealed.startswith(TEXT_PREFIX):
            raise SealBroken()
        try:
            raw = base64.urlsafe_b64decode(sealed[len(TEXT_PREFIX) :].encode())
        except (ValueError, binascii.Error):
            raise SealBroken() from None
        return self.open_bytes(raw).decode()
