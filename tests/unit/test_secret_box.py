"""Secrets sealed under the server secret: read back only with the same secret and purpose,
never the same text twice, and any change to the sealed text is caught."""

from __future__ import annotations

import pytest

from aquastream.adapters.crypto.sealing import SealBroken, SecretBox

SECRET = "server-secret-" + "s" * 50


def test_a_sealed_secret_reads_back_and_hides_its_text() -> None:
    box = SecretBox(SECRET, b"webhooks")
    sealed = box.seal("whsec_abc123")
    assert "whsec" not in sealed
    assert box.seal("whsec_abc123") != sealed  # a fresh nonce each time
    assert box.open(sealed) == "whsec_abc123"


def test_another_key_or_a_changed_text_is_refused() -> None:
    sealed = SecretBox(SECRET, b"webhooks").seal("whsec_abc123")
    with pytest.raises(SealBroken):
        SecretBox(SECRET, b"other purpose").open(sealed)
    with pytest.raises(SealBroken):
        SecretBox("another-" + SECRET, b"webhooks").open(sealed)
    # A character in the middle: near the end, base64's padding bits may carry nothing, and a
    # change there (one nonce in a few dozen) decoded to the same bytes.
    middle = len(sealed) // 2
    tampered = sealed[:middle] + ("A" if sealed[middle] != "A" else "B") + sealed[middle + 1 :]
    with pytest.raises(SealBroken):
        SecretBox(SECRET, b"webhooks").open(tampered)
    with pytest.raises(SealBroken):
        SecretBox(SECRET, b"webhooks").open("s1.not base64!")


def test_sealed_bytes_read_back_and_a_changed_byte_is_refused() -> None:
    box = SecretBox(SECRET, b"tickets")
    sealed = box.seal_bytes(b"\x00private key\xff")
    assert box.open_bytes(sealed) == b"\x00private key\xff"
    with pytest.raises(SealBroken):
        box.open_bytes(sealed[:-1] + bytes([sealed[-1] ^ 1]))
    with pytest.raises(SealBroken):
        SecretBox(SECRET, b"webhooks").open_bytes(sealed)
