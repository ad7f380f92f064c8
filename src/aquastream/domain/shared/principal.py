"""Who is calling: the authenticated user and role every domain authorises against."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """Stored roles. ``GUEST`` is the anonymous caller and is never stored."""

    USER = "USER"
    ORGANIZER = "ORGANIZER"
    ADMIN = "ADMIN"


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller as the edge authenticated them from the access token."""

    user_id: uuid.UUID
    role: Role
    email: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN
