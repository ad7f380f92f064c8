"""Questions other domains ask identity, served on identity's own engine.

Each adapter reads on a connection of identity's engine, outside the asking domain's
transaction (``StandaloneReads``, with a timeout), so the asker runs no SQL on identity's
tables and identity may sit where the asker's role cannot see.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.reads import StandaloneReads
from aquastream.adapters.sql.statements import one_of
from aquastream.adapters.sql.tables.identity import profiles, users
from aquastream.domain.notifications.model import Recipient

_ACTIVE_USER = (users.c.is_active, users.c.deleted_at.is_(None))


class IdentityRecipientDirectory:
    """Notifications' ``RecipientDirectory``: an inactive or deleted account is nobody to
    notify (a blocked one is, when asked about its block); a Telegram chat counts only once
    the bot verified it, an email only once its owner verified it."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._reads = StandaloneReads(engine)

    async def recipients(
        self, user_ids: Collection[uuid.UUID], *, blocked_too: bool = False
    ) -> Mapping[uuid.UUID, Recipient]:
        if not user_ids:
            return {}
        alive = (users.c.deleted_at.is_(None),) if blocked_too else _ACTIVE_USER
        query = (
            select(
                users.c.id,
                users.c.email,
                users.c.email_verified_at,
                profiles.c.phone,
                profiles.c.telegram_chat_id,
                profiles.c.telegram_verified,
            )
            .join(profiles, profiles.c.user_id == users.c.id, isouter=True)
            .where(one_of(self._engine, users.c.id, user_ids), *alive)
        )
        return {
            row.id: Recipient(
                user_id=row.id,
                email=row.email if row.email_verified_at is not None else None,
                phone=row.phone,
                telegram_chat_id=row.telegram_chat_id if row.telegram_verified else None,
            )
            for row in await self._reads.rows(query)
        }

    async def user_for_chat(self, chat_id: int) -> uuid.UUID | None:
        query = (
            select(users.c.id)
            .join(profiles, profiles.c.user_id == users.c.id)
            .where(profiles.c.telegram_chat_id == chat_id, profiles.c.telegram_verified, *_ACTIVE_USER)
            .limit(1)
        )
        rows = await self._reads.rows(query)
        found: uuid.UUID | None = rows[0].id if rows else None
        return found


class IdentityAvatarOwners:
    """Media's ``AvatarOwners``: a deleted account owns no avatar any more; a blocked one still
    does (its files stay its own)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._reads = StandaloneReads(engine)

    async def account_exists(self, user_id: uuid.UUID) -> bool:
        query = select(users.c.id).where(users.c.id == user_id, users.c.deleted_at.is_(None))
        rows = await self._reads.rows(query)
        return bool(rows)


class IdentityTeamAccounts:
    """The catalog's ``TeamAccounts``: the usable account (active, not deleted) an organizer's
    team member is linked to, found by its email as logins find it (case-insensitively)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._reads = StandaloneReads(engine)

    async def account_id(self, email: str) -> uuid.UUID | None:
        query = select(users.c.id).where(func.lower(users.c.email) == email.lower(), *_ACTIVE_USER)
        rows = await self._reads.rows(query)
        found: uuid.UUID | None = rows[0].id if rows else None
        return found

    async def emails(self, user_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, str]:
        if not user_ids:
            return {}
        query = select(users.c.id, users.c.email).where(
            users.c.id.in_(list(user_ids)), users.c.deleted_at.is_(None)
        )
        return {row.id: row.email for row in await self._reads.rows(query)}
