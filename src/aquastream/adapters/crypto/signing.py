"""Signatures of links the service hands out (calendar feeds, pay links): HMAC-SHA256 under a
key derived from the server secret for one purpose, written base64url without padding."""

from __future__ import annotations

import base64
import hashlib
import hmac


class HmacSigner:
    def __init__(self, secret: str | bytes, purpose: bytes) -> None:
        key = secret.encode() if isinstance(secret, str) else secret
        if len(key) < 32:
            raise ValueError("a signing secret must be at least 32 bytes long")
        # A key of its own per purpose, so that no signature is valid for another use.
        self._key = hmac.new(key, purpose, hashlib.sha256).digest()

    def sign(self, message: str) -> str:
        digest = hmac.new(self._key, message.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def verify(self, message: str, signature: str) -> bool:
        """Constant-time comparison with the signature of ``message``."""
        return hmac.compare_digest(self.sign(message).encode(), signature.encode())
