"""A deleted account takes its notification data with it."""

from __future__ import annotations

import uuid

from aquastream.ports.notifications import NotificationUnitOfWork


class ForgetUser:
    """Delete every message (pending ones included: there is nobody left to send them to)
    and the preferences of a user whose account was deleted. Messages hold addresses and
    texts, which the account deletion promises to remove (SPEC §2). Idempotent; returns how
    many messages went."""

    def __init__(self, uow: NotificationUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, user_id: uuid.UUID) -> int:
        async with self._uow:
            removed = await self._uow.messages.delete_for_user(user_id)
            await self._uow.preferences.delete_for_user(user_id)
            await self._uow.commit()
        return removed
