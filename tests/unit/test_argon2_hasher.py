"""The Argon2id password hasher: verifies, never raises on bad input, notices outdated parameters."""

from __future__ import annotations

import pytest

from aquastream.adapters.crypto.argon2_hasher import Argon2PasswordHasher


@pytest.fixture
def hasher() -> Argon2PasswordHasher:
    return Argon2PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def test_hashes_are_argon2id_salted_and_verify(hasher: Argon2PasswordHasher) -> None:
    first = hasher.hash("Rafting-Kayak-42")
    second = hasher.hash("Rafting-Kayak-42")

    assert first.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert first != second
    assert hasher.verify(first, "Rafting-Kayak-42")
    assert hasher.verify(second, "Rafting-Kayak-42")


def test_a_wrong_secret_does_not_verify(hasher: Argon2PasswordHasher) -> None:
    assert not hasher.verify(hasher.hash("Rafting-Kayak-42"), "Rafting-Kayak-43")


@pytest.mark.parametrize("stored", ["", "!deleted", "$argon2id$v=19$m=8,t=1,p=1$garbage", "plain text"])
def test_a_malformed_hash_verifies_nothing_and_raises_nothing(
    hasher: Argon2PasswordHasher, stored: str
) -> None:
    assert not hasher.verify(stored, "Rafting-Kayak-42")


def test_hashes_with_other_parameters_still_verify_and_need_a_rehash(hasher: Argon2PasswordHasher) -> None:
    stronger = Argon2PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    old = hasher.hash("Rafting-Kayak-42")

    assert stronger.verify(old, "Rafting-Kayak-42")
    assert stronger.needs_rehash(old)
    assert not stronger.needs_rehash(stronger.hash("Rafting-Kayak-42"))
    assert not hasher.needs_rehash(old)


def test_a_malformed_hash_needs_replacing(hasher: Argon2PasswordHasher) -> None:
    assert hasher.needs_rehash("!deleted")
