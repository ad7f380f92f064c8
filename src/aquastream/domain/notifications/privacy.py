"""The notification domain's part of a user's rights over their data (SPEC §2): export it;
a deleted account takes it along."""

from __future__ import annotations

import uuid
from typing import Any

from aquastream.domain.notifications.model import InboxEntry, Message, Preferences
from aquastream.domain.shared.privacy import iso
from aquastream.ports.notifications import NotificationUnitOfWork


class ExportMyNotificationData:
    """The user's preferences (language, what they switched off and the addresses found
    unreachable; the defaults for a user who never chose), every message sent or to be
    sent to them, with the address it went to, newest first, and their inbox with what they
    read, newest first. The delivery error text is
    left out: it is the channel's diagnostics (SMTP or Telegram replies), not data about
    the user."""

    def __init__(self, uow: NotificationUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, user_id: uuid.UUID) -> dict[str, Any]:
        async with self._uow:
            preferences = await self._uow.preferences.get(user_id)
            messages = await self._uow.messages.list_for_user(user_id)
            inbox = await self._uow.inbox.list_for_user(user_id)
        return {
            "preferences": _preferences(preferences),
            "messages": [_message(m) for m in messages],
            "inbox": [_entry(e) for e in inbox],
        }


class ForgetUser:
    """Delete every message (pending ones included: there is nobody left to send them to),
    the inbox and the preferences of a user whose account was deleted. Messages and inbox
    entries hold addresses and texts, which the account deletion promises to remove (SPEC
    §2). Idempotent; returns how many messages went."""

    def __init__(self, uow: NotificationUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, user_id: uuid.UUID) -> int:
        async with self._uow:
            removed = await self._uow.messages.delete_for_user(user_id)
            await self._uow.inbox.delete_for_user(user_id)
            await self._uow.preferences.delete_for_user(user_id)
            await self._uow.commit()
        return removed


def _preferences(preferences: Preferences) -> dict[str, Any]:
    return {
        "language": str(preferences.language),
        "switchedOff": [
            {"category": str(category), "channel": str(channel)}
            for category, channel in sorted(preferences.switched_off)
        ],
        "unreachable": [
            {"channel": str(channel), "address": address}
            for channel, address in sorted(preferences.unreachable)
        ],
    }


def _message(message: Message) -> dict[str, Any]:
    return {
        "id": str(message.id),
        "category": str(message.category),
        "channel": str(message.channel),
        "address": message.address,
        "language": str(message.language),
        "title": message.title,
        "body": message.body,
        "status": str(message.status),
        "attempts": message.attempts,
        "createdAt": iso(message.created_at),
        "sentAt": iso(message.sent_at),
    }


def _entry(entry: InboxEntry) -> dict[str, Any]:
    return {
        "id": str(entry.id),
        "category": str(entry.category),
        "language": str(entry.language),
        "title": entry.title,
        "body": entry.body,
        "createdAt": iso(entry.created_at),
        "readAt": iso(entry.read_at),
    }
