"""The notification outbox and the preferences in SQL (the inbox is in ``inbox``).

Writing a message is ``INSERT … ON CONFLICT DO NOTHING`` on the (user, category, subject)
key: a duplicate is no error, and of two transactions inserting the same key at once the
second waits for the first and then writes nothing. Claiming is one ``UPDATE … WHERE id IN
(SELECT … FOR UPDATE SKIP LOCKED) RETURNING``, as the event outbox does.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import RowMapping, Table, and_, case, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from aquastream.adapters.sql.statements import dialect_insert, insert_rows, one_of
from aquastream.adapters.sql.tables.notifications import (
    PENDING_MESSAGE,
    messages,
    opt_outs,
    unreachable_addresses,
    user_settings,
)
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.notifications.model import (
    Category,
    Channel,
    InboxEntry,
    Language,
    Message,
    MessageStatus,
    Preferences,
)

Keyed = TypeVar("Keyed", Message, InboxEntry)


async def insert_once(connection: AsyncConnection, table: Table, items: Sequence[Keyed]) -> list[Keyed]:
    """Insert each item (a dataclass whose fields are the table's columns) unless its (category,
    subject, user) key is taken, in one statement; the items written, in their order. The
    message outbox and the inbox share the key and this way of keeping it."""
    if not items:
        return []
    rows = [{f.name: getattr(item, f.name) for f in dataclasses.fields(item)} for item in items]
    written = set(
        await insert_rows(
            connection, table, rows, unless_found=("category", "subject", "user_id"), returning="id"
        )
    )
    return [item for item in items if item.id in written]


def message_from_row(row: RowMapping) -> Message:
    return Message(
        id=row["id"],
        user_id=row["user_id"],
        category=Category(row["category"]),
        subject=row["subject"],
        channel=Channel(row["channel"]),
        address=row["address"],
        language=Language(row["language"]),
        title=row["title"],
        body=row["body"],
        created_at=row["created_at"],
        next_attempt_at=row["next_attempt_at"],
        status=MessageStatus(row["status"]),
        attempts=row["attempts"],
        sent_at=row["sent_at"],
        last_error=row["last_error"],
    )


class _Upserts(SqlRepository):
    def _insert(self, table: Any) -> Any:
        return dialect_insert(self._connection, table)


class SqlMessageRepository(_Upserts):
    async def add(self, message: Message) -> bool:
        return bool(await self.add_new([message]))

    async def add_new(self, messages_to_add: Sequence[Message]) -> list[Message]:
        return await insert_once(self._connection, messages, messages_to_add)

    async def get(self, message_id: uuid.UUID) -> Message | None:
        row = (await self._connection.execute(select(messages).where(messages.c.id == message_id))).mappings()
        found = row.first()
        return message_from_row(found) if found else None

    async def claim_due(self, *, now: datetime, limit: int, lease: timedelta) -> list[Message]:
        due = (
            select(messages.c.id)
            .where(
                PENDING_MESSAGE,
                messages.c.next_attempt_at <= now,
                or_(messages.c.locked_until.is_(None), messages.c.locked_until <= now),
            )
            .order_by(messages.c.next_attempt_at, messages.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)  # rendered as nothing on SQLite
        )
        statement = (
            update(messages)
            .where(messages.c.id.in_(due.scalar_subquery()))
            .values(locked_until=now + lease, attempts=messages.c.attempts + 1)
            .returning(*messages.c)
        )
        rows = (await self._connection.execute(statement)).mappings().all()
        # RETURNING gives no order; the oldest due go first.
        return sorted((message_from_row(row) for row in rows), key=lambda m: (m.next_attempt_at, m.id))

    async def _set(self, message_id: uuid.UUID, **values: Any) -> None:
        await self._connection.execute(
            update(messages).where(messages.c.id == message_id).values(locked_until=None, **values)
        )

    async def mark_sent(self, message_id: uuid.UUID, *, now: datetime) -> None:
        await self._set(message_id, status=MessageStatus.SENT, sent_at=now)

    async def mark_retry(self, message_id: uuid.UUID, *, error: str, retry_at: datetime) -> None:
        await self._set(message_id, last_error=error, next_attempt_at=retry_at)

    async def mark_failed(self, message_id: uuid.UUID, *, error: str) -> None:
        await self._set(message_id, status=MessageStatus.FAILED, last_error=error)

    async def postpone(self, message_id: uuid.UUID, *, until: datetime) -> None:
        taken_back = case((messages.c.attempts > 0, messages.c.attempts - 1), else_=0)
        await self._set(message_id, next_attempt_at=until, attempts=taken_back)

    async def reroute(
        self, message_id: uuid.UUID, *, channel: Channel, address: str, error: str, now: datetime
    ) -> None:
        await self._set(
            message_id, channel=channel, address=address, last_error=error, next_attempt_at=now, attempts=0
        )

    async def pending_by_channel(self) -> Mapping[Channel, int]:
        # Over the partial index of pending messages: the cost follows the backlog, not the table.
        query = select(messages.c.channel, func.count()).where(PENDING_MESSAGE).group_by(messages.c.channel)
        return {Channel(row[0]): row[1] for row in (await self._connection.execute(query)).all()}

    async def list_for_user(self, user_id: uuid.UUID) -> list[Message]:
        query = (
            select(messages)
            .where(messages.c.user_id == user_id)
            .order_by(messages.c.created_at.desc(), messages.c.id.desc())
        )
        return [message_from_row(row) for row in (await self._connection.execute(query)).mappings()]

    async def delete_for_user(self, user_id: uuid.UUID) -> int:
        result = await self._connection.execute(delete(messages).where(messages.c.user_id == user_id))
        return int(result.rowcount or 0)


class SqlPreferenceRepository(_Upserts):
    async def get(self, user_id: uuid.UUID) -> Preferences:
        return (await self.get_many([user_id]))[user_id]

    async def get_many(self, user_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Preferences]:
        asked = list(user_ids)
        if not asked:
            return {}
        languages = await self._connection.execute(
            select(user_settings.c.user_id, user_settings.c.language).where(
                one_of(self._connection, user_settings.c.user_id, asked)
            )
        )
        language_of = {row.user_id: Language(row.language) for row in languages if row.language}
        rows = await self._connection.execute(
            select(opt_outs.c.user_id, opt_outs.c.category, opt_outs.c.channel).where(
                one_of(self._connection, opt_outs.c.user_id, asked)
            )
        )
        switched_off: dict[uuid.UUID, set[tuple[Category, Channel]]] = defaultdict(set)
        for row in rows:
            switched_off[row.user_id].add((Category(row.category), Channel(row.channel)))
        marks = await self._connection.execute(
            select(
                unreachable_addresses.c.user_id,
                unreachable_addresses.c.channel,
                unreachable_addresses.c.address,
            ).where(one_of(self._connection, unreachable_addresses.c.user_id, asked))
        )
        unreachable: dict[uuid.UUID, set[tuple[Channel, str]]] = defaultdict(set)
        for row in marks:
            unreachable[row.user_id].add((Channel(row.channel), row.address))
        return {
            user_id: Preferences(
                user_id=user_id,
                language=language_of.get(user_id, Language.RU),
                switched_off=frozenset(switched_off.get(user_id, ())),
                unreachable=frozenset(unreachable.get(user_id, ())),
            )
            for user_id in asked
        }

    async def set_language(self, user_id: uuid.UUID, language: Language, *, now: datetime) -> None:
        statement = self._insert(user_settings).values(user_id=user_id, language=language, updated_at=now)
        await self._connection.execute(
            statement.on_conflict_do_update(
                index_elements=["user_id"], set_={"language": language, "updated_at": now}
            )
        )

    async def switch(self, user_id: uuid.UUID, category: Category, channel: Channel, *, on: bool) -> None:
        if on:
            await self._connection.execute(
                delete(opt_outs).where(
                    and_(
                        opt_outs.c.user_id == user_id,
                        opt_outs.c.category == category,
                        opt_outs.c.channel == channel,
                    )
                )
            )
        else:
            await self._connection.execute(
                self._insert(opt_outs)
                .values(user_id=user_id, category=category, channel=channel)
                .on_conflict_do_nothing()
            )

    async def mark_unreachable(
        self, user_id: uuid.UUID, channel: Channel, address: str, *, reason: str, now: datetime
    ) -> None:
        mark = {"address": address, "reason": reason, "marked_at": now}
        statement = self._insert(unreachable_addresses).values(user_id=user_id, channel=channel, **mark)
        await self._connection.execute(
            statement.on_conflict_do_update(index_elements=["user_id", "channel"], set_=mark)
        )

    async def clear_unreachable(self, user_id: uuid.UUID, channel: Channel) -> bool:
        result = await self._connection.execute(
            delete(unreachable_addresses).where(
                unreachable_addresses.c.user_id == user_id, unreachable_addresses.c.channel == channel
            )
        )
        return bool(result.rowcount)

    async def delete_for_user(self, user_id: uuid.UUID) -> None:
        for table in (user_settings, opt_outs, unreachable_addresses):
            await self._connection.execute(delete(table).where(table.c.user_id == user_id))
