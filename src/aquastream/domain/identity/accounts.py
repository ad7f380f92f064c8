"""Making a new account: checking what the person typed, then the user and its empty profile."""

from __future__ import annotations

from datetime import datetime

from aquastream.domain.identity.errors import WeakPassword
from aquastream.domain.identity.model import Profile, Role, User
from aquastream.domain.identity.passwords import password_problems
from aquastream.domain.identity.profile_rules import (
    email_problem,
    normalise_email,
    normalise_phone,
    phone_problem,
)
from aquastream.domain.shared.errors import FieldError, ValidationFailed
from aquastream.domain.shared.ids import new_id


def validate_new_account(email: str, password: str, phone: str | None) -> tuple[str, str | None]:
    """The normalised email and phone; every problem at once otherwise.

    Only password problems raise ``WeakPassword``; with other problems too, the whole list
    comes as ``ValidationFailed`` so the client can mark every field in one go.
    """
    email = normalise_email(email)
    phone = normalise_phone(phone) if phone and phone.strip() else None
    errors = []
    if problem := email_problem(email):
        errors.append(FieldError("email", problem))
    if phone is not None and (problem := phone_problem(phone)):
        errors.append(FieldError("phone", problem))
    password_errors = [FieldError("password", p) for p in password_problems(password, email=email)]
    if errors:
        raise ValidationFailed(errors=errors + password_errors)
    if password_errors:
        raise WeakPassword(errors=password_errors)
    return email, phone


def new_account(
    *, email: str, password_hash: str, role: Role, phone: str | None, now: datetime
) -> tuple[User, Profile]:
    user = User(
        id=new_id(),
        email=email,
        password_hash=password_hash,
        role=role,
        is_active=True,
        created_at=now,
        updated_at=now,
    )
    return user, Profile(user_id=user.id, updated_at=now, phone=phone)
