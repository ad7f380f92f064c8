"""Crews and preferences in SQL. A crew's ``size`` changes only by guarded ``UPDATE``s: under
READ COMMITTED a PostgreSQL UPDATE blocked by another transaction re-checks its WHERE clause
on the committed row, so concurrent assignments queue on the crew row and exactly as many
succeed as there are free places. SQLite lets one writer in at a time."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from aquastream.adapters.sql.errors import violated_unique
from aquastream.adapters.sql.statements import dialect_insert
from aquastream.adapters.sql.tables.crews import CREWS_NAME_UNIQUE, crews, preferences
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.crews.errors import CrewNameTaken
from aquastream.domain.crews.model import Crew, CrewDetails, CrewType, PreferenceKind, Preferences


def crew_from_row(row: RowMapping) -> Crew:
    return Crew(
        id=row["id"],
        event_id=row["event_id"],
        type=CrewType(row["crew_type"]),
        details=CrewDetails(
            name=row["name"],
            capacity=row["capacity"],
            description=row["description"],
            boat_type=row["boat_type"],
            boat_number=row["boat_number"],
            boat_condition=row["boat_condition"],
            tent_details=row["tent_details"],
        ),
        size=row["size"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _details_values(crew_type: CrewType, details: CrewDetails) -> dict[str, Any]:
    return {
        "crew_type": crew_type.value,
        "name": details.name,
        "capacity": details.capacity,
        "description": details.description,
        "boat_type": details.boat_type,
        "boat_number": details.boat_number,
        "boat_condition": details.boat_condition,
        "tent_details": details.tent_details,
    }


class SqlCrewRepository(SqlRepository):
    async def _one(self, statement: Any) -> Crew | None:
        row = (await self._connection.execute(statement)).mappings().first()
        return crew_from_row(row) if row else None

    async def _many(self, statement: Any) -> list[Crew]:
        return [crew_from_row(row) for row in (await self._connection.execute(statement)).mappings()]

    async def add(self, crew: Crew) -> None:
        statement = (
            dialect_insert(self._connection, crews)
            .values(
                id=crew.id,
                event_id=crew.event_id,
                size=crew.size,
                created_at=crew.created_at,
                updated_at=crew.updated_at,
                **_details_values(crew.type, crew.details),
            )
            .on_conflict_do_nothing(index_elements=["event_id", "crew_type", "name"])
            .returning(crews.c.id)
        )
        if (await self._connection.execute(statement)).first() is None:
            raise CrewNameTaken()

    async def get(self, crew_id: uuid.UUID) -> Crew | None:
        return await self._one(select(crews).where(crews.c.id == crew_id))

    async def list_for_event(self, event_id: uuid.UUID, crew_type: CrewType | None = None) -> list[Crew]:
        c = crews.c
        query = select(crews).where(c.event_id == event_id).order_by(c.crew_type, c.name, c.id)
        if crew_type is not None:
            query = query.where(c.crew_type == crew_type.value)
        return await self._many(query)

    async def lock_for_event(self, event_id: uuid.UUID, crew_type: CrewType) -> list[Crew]:
        c = crews.c
        return await self._many(
            select(crews)
            .where(c.event_id == event_id, c.crew_type == crew_type.value)
            .order_by(c.id)
            .with_for_update()
        )

    async def update(
        self, crew_id: uuid.UUID, crew_type: CrewType, details: CrewDetails, *, now: datetime
    ) -> Crew | None:
        c = crews.c
        statement = (
            update(crews)
            .where(
                c.id == crew_id,
                c.size <= details.capacity,
                or_(c.crew_type == crew_type.value, c.size == 0),
            )
            .values(updated_at=now, **_details_values(crew_type, details))
            .returning(crews)
        )
        try:
            return await self._one(statement)
        except IntegrityError as error:
            if violated_unique(error, crews) == CREWS_NAME_UNIQUE:
                raise CrewNameTaken() from error
            raise

    async def take_seat(self, crew_id: uuid.UUID, count: int = 1) -> Crew | None:
        c = crews.c
        statement = (
            update(crews)
            .where(c.id == crew_id, c.size + count <= c.capacity)
            .values(size=c.size + count)
            .returning(crews)
        )
        return await self._one(statement)

    async def release_seat(self, crew_id: uuid.UUID) -> None:
        c = crews.c
        await self._connection.execute(
            update(crews).where(c.id == crew_id, c.size > 0).values(size=c.size - 1)
        )

    async def delete_if_empty(self, crew_id: uuid.UUID) -> bool:
        result = await self._connection.execute(delete(crews).where(crews.c.id == crew_id, crews.c.size == 0))
        return bool(result.rowcount)


class SqlPreferenceRepository(SqlRepository):
    """One row per person listed, ``rank`` keeping the order the participant gave."""

    async def put(self, preference: Preferences, *, now: datetime) -> None:
        p = preferences.c
        await self._connection.execute(
            delete(preferences).where(p.event_id == preference.event_id, p.user_id == preference.user_id)
        )
        rows = [
            {
                "event_id": preference.event_id,
                "user_id": preference.user_id,
                "other_user_id": other,
                "kind": kind.value,
                "rank": rank,
                "updated_at": now,
            }
            for kind, listed in (
                (PreferenceKind.PREFER, preference.prefer),
                (PreferenceKind.AVOID, preference.avoid),
            )
            for rank, other in enumerate(listed)
        ]
        if rows:
            await self._connection.execute(insert(preferences), rows)

    async def _for(self, *where: Any) -> list[Preferences]:
        p = preferences.c
        query = (
            select(p.event_id, p.user_id, p.other_user_id, p.kind).where(*where).order_by(p.user_id, p.rank)
        )
        found: dict[tuple[uuid.UUID, uuid.UUID], dict[PreferenceKind, list[uuid.UUID]]] = {}
        for row in await self._connection.execute(query):
            lists = found.setdefault((row.event_id, row.user_id), {kind: [] for kind in PreferenceKind})
            lists[PreferenceKind(row.kind)].append(row.other_user_id)
        return [
            Preferences(
                event_id, user_id, tuple(lists[PreferenceKind.PREFER]), tuple(lists[PreferenceKind.AVOID])
            )
            for (event_id, user_id), lists in sorted(found.items(), key=lambda item: item[0][1])
        ]

    async def get(self, event_id: uuid.UUID, user_id: uuid.UUID) -> Preferences:
        found = await self._for(preferences.c.event_id == event_id, preferences.c.user_id == user_id)
        return found[0] if found else Preferences(event_id, user_id)

    async def for_event(self, event_id: uuid.UUID) -> list[Preferences]:
        return await self._for(preferences.c.event_id == event_id)

    async def for_user(self, user_id: uuid.UUID) -> list[Preferences]:
        return sorted(await self._for(preferences.c.user_id == user_id), key=lambda p: p.event_id)

    async def delete_for_user(self, user_id: uuid.UUID) -> None:
        await self._connection.execute(delete(preferences).where(preferences.c.user_id == user_id))
