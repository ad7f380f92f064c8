"""The orders the administrator's lists offer (``sort``), as the wire names them, and their defaults.

- Users: ``createdAt`` (the default, newest first) or ``email``. Emails are stored lower-cased
  and compared by code point (adapters make PostgreSQL do so too: its collation would otherwise
  skip punctuation such as ``.`` and ``_``), so the order is the same on every database.
- A user's audit log: ``createdAt`` (the default, newest first; ascending for the oldest first).
"""

from __future__ import annotations

from enum import StrEnum

from aquastream.domain.shared.sorting import Sort


class UserSortKey(StrEnum):
    CREATED_AT = "createdAt"
    EMAIL = "email"


class AuditSortKey(StrEnum):
    CREATED_AT = "createdAt"


NEWEST_USERS = Sort(UserSortKey.CREATED_AT, descending=True)
NEWEST_AUDIT_ENTRIES = Sort(AuditSortKey.CREATED_AT, descending=True)
