"""The password policy, and hashing that keeps slow Argon2 work off the event loop."""

from __future__ import annotations

import asyncio
import re
import weakref

from aquastream.domain.identity.errors import WeakPassword
from aquastream.domain.shared.errors import FieldError
from aquastream.ports.identity import PasswordHasher

MIN_LENGTH = 12
# Long enough for any passphrase, short enough that hashing cannot be used to burn CPU.
MAX_LENGTH = 256
# A shorter local part ("ab@…") would forbid too many honest passwords.
MIN_LOCAL_PART_IN_PASSWORD = 3

# Words behind most leaked passwords; "Password2024!" or "!Qw3rty12345" is still one of them.
_BASE_WORDS = (
    "password",
    "passw",
    "passwort",
    "qwerty",
    "qwertyuiop",
    "asdfgh",
    "zxcvbn",
    "qazwsx",
    "welcome",
    "admin",
    "administrator",
    "letmein",
    "iloveyou",
    "monkey",
    "dragon",
    "football",
    "baseball",
    "sunshine",
    "princess",
    "superman",
    "batman",
    "starwars",
    "master",
    "login",
    "hello",
    "freedom",
    "whatever",
    "shadow",
    "secret",
    "changeme",
    "default",
    "abc",
    "parol",
    "gfhjkm",
    "aquastream",
)
# Look-alike characters people swap in, so "P@ssw0rd" is caught as "password".
_LOOK_ALIKES = {"a": "a@4", "e": "e3", "i": "i1!", "l": "l1", "o": "o0", "s": "s$5", "t": "t7"}
# Well-known whole passwords that are not a base word plus digits and symbols.
_COMMON_PASSWORDS = frozenset(
    {
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "zaq12wsxcde3",
        "qwertyuiop[]",
        "q1w2e3r4t5y6",
        "!qaz2wsx#edc",
        "1qaz@wsx3edc",
        "1q2w3e4r5t6y7u",
    }
)


def _base_word_pattern(word: str) -> str:
    letters = "".join(f"[{re.escape(_LOOK_ALIKES.get(c, c))}]" for c in word)
    return rf"^[^a-z]*{letters}[^a-z]*$"


_BASE_WORD_PATTERNS = tuple(re.compile(_base_word_pattern(w), re.IGNORECASE) for w in _BASE_WORDS)


def is_common_password(password: str) -> bool:
    """A well-known password, or a base word surrounded only by digits and symbols."""
    lowered = password.lower()
    if lowered in _COMMON_PASSWORDS:
        return True
    return any(pattern.match(password) for pattern in _BASE_WORD_PATTERNS)


def password_problems(password: str, *, email: str | None = None) -> list[str]:
    """Every rule the password breaks (empty when it is acceptable)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"must be at least {MIN_LENGTH} characters long")
    if len(password) > MAX_LENGTH:
        problems.append(f"must be at most {MAX_LENGTH} characters long")
    if not any(c.isupper() for c in password):
        problems.append("must contain an upper-case letter")
    if not any(c.islower() for c in password):
        problems.append("must contain a lower-case letter")
    if not any(c.isdigit() for c in password):
        problems.append("must contain a digit")
    if all(c.isalnum() for c in password):
        problems.append("must contain a special character")
    if is_common_password(password):
        problems.append("is too common")
    local_part = email.partition("@")[0].lower() if email else ""
    if len(local_part) >= MIN_LOCAL_PART_IN_PASSWORD and local_part in password.lower():
        problems.append("must not contain the email address")
    return problems


def check_password(password: str, *, email: str | None = None) -> None:
    """Raise ``WeakPassword`` listing every broken rule."""
    problems = password_problems(password, email=email)
    if problems:
        raise WeakPassword(errors=[FieldError("password", problem) for problem in problems])


async def hash_password(hasher: PasswordHasher, secret: str) -> str:
    # Argon2 takes ~0.1 s of CPU with production parameters; in a thread it does not stall
    # every other request (argon2-cffi releases the GIL while hashing).
    return await asyncio.to_thread(hasher.hash, secret)


async def verify_password(hasher: PasswordHasher, hashed: str, secret: str) -> bool:
    return await asyncio.to_thread(hasher.verify, hashed, secret)


_dummy_hashes: weakref.WeakKeyDictionary[PasswordHasher, str] = weakref.WeakKeyDictionary()


async def verify_against_dummy(hasher: PasswordHasher, secret: str) -> None:
    """Spend the time a real check costs, so an unknown account answers as slowly as a known one.

    The dummy hash is made once per hasher (the first call pays for it), not per request:
    hashing on every miss would make misses slower than hits.
    """
    dummy = _dummy_hashes.get(hasher)
    if dummy is None:
        dummy = await hash_password(hasher, "dummy password that matches nothing")
        _dummy_hashes[hasher] = dummy
    await verify_password(hasher, dummy, secret)
