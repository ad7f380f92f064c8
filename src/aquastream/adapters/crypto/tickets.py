"""The tickets' Ed25519 signer (``cryptography``, imported when first used): one key pair per
organizer, the private key sealed at rest (``sealing.SecretBox``: AES-256-GCM under a key
derived from the server secret for this one purpose). A database dump alone signs nothing;
changing the server secret makes the sealed keys unreadable (tickets already issued still
verify: their codes are stored)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aquastream.adapters.crypto.sealing import SecretBox
from aquastream.adapters.kept import Kept
from aquastream.domain.tickets.model import KeyPair

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

_PURPOSE = b"aquastream ticket signing keys"
# Public keys loaded for verifying, by their raw bytes (loading one was a fifth of a
# verification's time); an organizer's key never changes, and there are few at a door.
_PUBLIC_KEYS_KEPT = 1024


class Ed25519TicketSigner:
    def __init__(self, secret: str | bytes) -> None:
        self._box = SecretBox(secret, _PURPOSE)
        self._public_keys: Kept[bytes, Ed25519PublicKey] = Kept(_PUBLIC_KEYS_KEPT)

    def __repr__(self) -> str:
        return "Ed25519TicketSigner(…)"

    def new_key_pair(self) -> KeyPair:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import (
            Encoding,
            NoEncryption,
            PrivateFormat,
            PublicFormat,
        )

        private = Ed25519PrivateKey.generate()
        raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return KeyPair(public_key=public, sealed_private_key=self._box.seal_bytes(raw))

    def sign(self, sealed_private_key: bytes, message: bytes) -> bytes:
        return self._private(sealed_private_key).sign(message)

    def verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        from cryptography.exceptions import InvalidSignature

        try:
            self._public_key(public_key).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True

    def _public_key(self, raw: bytes) -> Ed25519PublicKey:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        key = self._public_keys.get(raw)
        if key is None:
            key = self._public_keys.keep(raw, Ed25519PublicKey.from_public_bytes(raw))  # ValueError: no key
        return key

    def public_pem(self, public_key: bytes) -> str:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        key = Ed25519PublicKey.from_public_bytes(public_key)
        return key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()

    def _private(self, sealed: bytes) -> Ed25519PrivateKey:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.from_private_bytes(self._box.open_bytes(sealed))
