"""Checking what organizers type: collects every field problem so they are reported at once."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

from msgspec import UNSET

from aquastream.domain.shared.errors import DomainError, FieldError, ValidationFailed
from aquastream.domain.shared.text import control_problem

MAX_URL_LENGTH = 2000
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_PHONE = re.compile(r"^\+[1-9][0-9]{6,14}$")
_PHONE_SEPARATORS = re.compile(r"[\s().-]")
_TELEGRAM = re.compile(r"^@[A-Za-z0-9_]{5,32}$")


def given(changes: Any) -> dict[str, Any]:
    """The fields of a partial-update dataclass that were set (not ``UNSET``)."""
    return {
        f.name: getattr(changes, f.name) for f in fields(changes) if getattr(changes, f.name) is not UNSET
    }


class FieldChecker:
    """Normalises one value at a time and remembers what was wrong with each."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message))

    def raise_if_any(self, error_type: type[DomainError] = ValidationFailed) -> None:
        if self.errors:
            raise error_type(errors=self.errors)

    def text(
        self, field: str, value: str | None, *, max_length: int, min_length: int = 0, multiline: bool = False
    ) -> str | None:
        """Trimmed text, or None when blank; ``min_length`` > 0 makes it required. Only a
        ``multiline`` value may hold line breaks (``domain.shared.text``)."""
        cleaned = value.strip() if value is not None else ""
        if not cleaned:
            if min_length > 0:
                self.fail(field, "is required")
            return None
        if not min_length <= len(cleaned) <= max_length:
            self.fail(field, f"must be {max(min_length, 1)} to {max_length} characters long")
        if problem := control_problem(cleaned, multiline=multiline):
            self.fail(field, problem)
        return cleaned

    def url(self, field: str, value: str | None) -> str | None:
        cleaned = self.text(field, value, max_length=MAX_URL_LENGTH)
        if cleaned is not None and not _URL.match(cleaned):
            self.fail(field, "must be an http(s) URL")
        return cleaned

    def email(self, field: str, value: str | None) -> str | None:
        cleaned = self.text(field, value, max_length=254)
        if cleaned is None:
            return None
        cleaned = cleaned.lower()
        if not _EMAIL.match(cleaned):
            self.fail(field, "must be a valid email address")
        return cleaned

    def phone(self, field: str, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        cleaned = _PHONE_SEPARATORS.sub("", value)
        if not _PHONE.match(cleaned):
            self.fail(field, "must be in international E.164 format, e.g. +79991234567")
        return cleaned

    def telegram(self, field: str, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        handle = value.strip()
        handle = handle if handle.startswith("@") else f"@{handle}"
        if not _TELEGRAM.match(handle):
            self.fail(field, "must be @ followed by 5 to 32 letters, digits or underscores")
        return handle

    def instant(self, field: str, value: datetime) -> datetime:
        """An aware instant in UTC; a time without a zone is ambiguous and refused."""
        if value.tzinfo is None or value.utcoffset() is None:
            self.fail(field, "must include a timezone, e.g. 2030-06-01T09:00:00Z")
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def whole_number(self, field: str, value: int, *, minimum: int, maximum: int) -> int:
        if isinstance(value, bool) or not minimum <= value <= maximum:
            self.fail(field, f"must be a whole number from {minimum} to {maximum}")
        return value

    def number_range(self, field: str, value: float | None, *, minimum: float, maximum: float) -> None:
        if value is not None and not minimum <= value <= maximum:
            self.fail(field, f"must be between {minimum:g} and {maximum:g}")

    def adopt(self, errors: Sequence[FieldError]) -> None:
        self.errors.extend(errors)
