"""The password policy: length, character classes, common passwords, the email inside."""

from __future__ import annotations

import pytest

from aquastream.domain.identity.errors import WeakPassword
from aquastream.domain.identity.passwords import check_password, is_common_password, password_problems


def test_a_long_mixed_password_is_accepted() -> None:
    assert password_problems("Rafting-Kayak-42", email="ivan@example.com") == []


def test_every_broken_rule_is_listed() -> None:
    with pytest.raises(WeakPassword) as caught:
        check_password("abc")
    messages = [e.message for e in caught.value.errors]
    assert {e.field for e in caught.value.errors} == {"password"}
    assert "must be at least 12 characters long" in messages
    assert "must contain an upper-case letter" in messages
    assert "must contain a digit" in messages
    assert "must contain a special character" in messages
    assert "must contain a lower-case letter" not in messages
    assert caught.value.code == "password.weak"


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("Short-1a", "must be at least 12 characters long"),
        ("no-upper-case-42", "must contain an upper-case letter"),
        ("NO-LOWER-CASE-42", "must contain a lower-case letter"),
        ("No-Digits-Anywhere", "must contain a digit"),
        ("NoSpecials12345", "must contain a special character"),
        ("Aa1!" * 65, "must be at most 256 characters long"),
    ],
)
def test_each_rule_on_its_own(password: str, problem: str) -> None:
    assert password_problems(password) == [problem]


@pytest.mark.parametrize(
    "password",
    [
        "Password2024!",
        "P@ssw0rd12345!",
        "!!Qwerty123456",
        "Welcome#2030#1",
        "ADMIN-1234567!",
        "Letmein_000000",
        "ILoveYou!!2031",
        "1q2w3e4r5t6y",
    ],
)
def test_common_passwords_and_their_decorated_forms_are_refused(password: str) -> None:
    assert is_common_password(password)


@pytest.mark.parametrize("password", ["Rafting-Kayak-42", "Password-Kayak-42", "MyQwertyRiver!9"])
def test_a_common_word_inside_a_longer_phrase_is_not_common(password: str) -> None:
    assert not is_common_password(password)


def test_a_common_password_is_refused_even_when_it_passes_the_other_rules() -> None:
    assert password_problems("Password2024!") == ["is too common"]


def test_a_password_containing_the_email_name_is_refused() -> None:
    assert password_problems("Ivan.Petrov-2031!", email="ivan.petrov@example.com") == [
        "must not contain the email address"
    ]


def test_a_very_short_email_name_does_not_forbid_passwords() -> None:
    assert password_problems("Rafting-Kayak-42", email="ra@example.com") == []
