"""Validation and normalisation of what users type: email, phone, Telegram handle, names, dates, extra."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import msgspec

from aquastream.domain.shared.text import control_problem

MAX_EMAIL_LENGTH = 254  # RFC 5321 limit of a forward path
MAX_NAME_LENGTH = 100
EARLIEST_BIRTH_DATE = date(1900, 1, 1)

# Deliberately basic: the real test of an address is whether mail arrives there.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_PHONE = re.compile(r"^\+[1-9][0-9]{6,14}$")
_TELEGRAM = re.compile(r"^@[A-Za-z0-9_]{5,32}$")
# Separators people write inside phone numbers: "+7 (999) 123-45-67".
_PHONE_SEPARATORS = re.compile(r"[\s().-]")


def normalise_email(raw: str) -> str:
    """Emails are usernames compared case-insensitively, so they are stored lower-cased."""
    return raw.strip().lower()


def email_problem(email: str) -> str | None:
    if len(email) > MAX_EMAIL_LENGTH:
        return f"must be at most {MAX_EMAIL_LENGTH} characters long"
    if not _EMAIL.fullmatch(email):
        return "must be a valid email address"
    return None


def normalise_phone(raw: str) -> str:
    return _PHONE_SEPARATORS.sub("", raw)


def phone_problem(phone: str) -> str | None:
    if _PHONE.fullmatch(phone):
        return None
    return "must be in international E.164 format, e.g. +79991234567"


def normalise_telegram(raw: str) -> str:
    """Accept the handle with or without its leading ``@``; store it with one."""
    handle = raw.strip()
    return handle if handle.startswith("@") else f"@{handle}"


def telegram_problem(handle: str) -> str | None:
    if _TELEGRAM.fullmatch(handle):
        return None
    return "must be @ followed by 5 to 32 letters, digits or underscores"


def name_problem(name: str) -> str | None:
    if len(name) > MAX_NAME_LENGTH:
        return f"must be at most {MAX_NAME_LENGTH} characters long"
    return control_problem(name)


def birth_date_problem(birth_date: date, *, today: date) -> str | None:
    if birth_date > today:
        return "must not be in the future"
    if birth_date < EARLIEST_BIRTH_DATE:
        return f"must not be before {EARLIEST_BIRTH_DATE.isoformat()}"
    return None


def extra_problem(extra: Any, *, max_bytes: int) -> str | None:
    if not isinstance(extra, dict) or not all(isinstance(key, str) for key in extra):
        return "must be a JSON object"
    try:
        size = len(msgspec.json.encode(extra))
    except (TypeError, ValueError, OverflowError):
        return "must be a JSON object"
    if size > max_bytes:
        return f"must be at most {max_bytes} bytes when encoded as JSON"
    return None
