"""Assignments in SQL. Inserts say ``ON CONFLICT DO NOTHING``: of two racing inserts for the
same participant (holder and party seat) and crew type (or the same seat), the second waits
for the first to commit and then inserts nothing, which the repository reports as the domain
error."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, select, update

from aquastream.adapters.sql.statements import dialect_insert
from aquastream.adapters.sql.tables.crews import assignments
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.crews.errors import AlreadyAssigned, SeatTaken
from aquastream.domain.crews.model import Assignment, AssignmentStatus, CrewType

ACTIVE = AssignmentStatus.ACTIVE.value


def _values(assignment: Assignment) -> dict[str, Any]:
    return {
        "id": assignment.id,
        "crew_id": assignment.crew_id,
        "event_id": assignment.event_id,
        "crew_type": assignment.crew_type.value,
        "user_id": assignment.user_id,
        "status": assignment.status.value,
        "seat_number": assignment.seat_number,
        "position": assignment.position,
        "assigned_at": assignment.assigned_at,
        "assigned_by": assignment.assigned_by,
        "party_seat": assignment.party_seat,
    }


def assignment_from_row(row: RowMapping) -> Assignment:
    return Assignment(
        id=row["id"],
        crew_id=row["crew_id"],
        event_id=row["event_id"],
        crew_type=CrewType(row["crew_type"]),
        user_id=row["user_id"],
        status=AssignmentStatus(row["status"]),
        assigned_at=row["assigned_at"],
        assigned_by=row["assigned_by"],
        seat_number=row["seat_number"],
        position=row["position"],
        ended_at=row["ended_at"],
        ended_by=row["ended_by"],
        transferred_to=row["transferred_to"],
        party_seat=row["party_seat"],
    )


class SqlAssignmentRepository(SqlRepository):
    async def _many(self, statement: Any) -> list[Assignment]:
        return [assignment_from_row(row) for row in (await self._connection.execute(statement)).mappings()]

    def _active_in_order(self, *where: Any) -> Any:
        c = assignments.c
        return (
            select(assignments)
            .where(c.status == ACTIVE, *where)
            .order_by(c.crew_id, c.seat_number.is_(None), c.seat_number, c.assigned_at, c.id)
        )

    async def add(self, assignment: Assignment) -> None:
        await self.add_many([assignment])

    async def add_many(self, new: Sequence[Assignment]) -> None:
        """One INSERT … ON CONFLICT DO NOTHING RETURNING for all of them (SQLAlchemy's
        ``insertmanyvalues`` batches the rows); any row the indexes refused is then explained."""
        if not new:
            return
        statement = (
            dialect_insert(self._connection, assignments).on_conflict_do_nothing().returning(assignments.c.id)
        )
        result = await self._connection.execute(statement, [_values(a) for a in new])
        inserted = set(result.scalars())
        for assignment in new:
            if assignment.id not in inserted:
                await self._refused(assignment)

    async def _refused(self, assignment: Assignment) -> None:
        for other in await self.active_for_user(assignment.event_id, assignment.user_id):
            if other.crew_type is assignment.crew_type and other.party_seat == assignment.party_seat:
                raise AlreadyAssigned(other.id)
        raise SeatTaken()

    async def get(self, assignment_id: uuid.UUID) -> Assignment | None:
        rows = await self._many(select(assignments).where(assignments.c.id == assignment_id))
        return rows[0] if rows else None

    async def end(
        self,
        assignment_id: uuid.UUID,
        *,
        status: AssignmentStatus,
        now: datetime,
        actor_id: uuid.UUID | None,
        transferred_to: uuid.UUID | None = None,
    ) -> Assignment | None:
        c = assignments.c
        statement = (
            update(assignments)
            .where(c.id == assignment_id, c.status == ACTIVE)
            .values(status=status.value, ended_at=now, ended_by=actor_id, transferred_to=transferred_to)
            .returning(assignments)
        )
        rows = await self._many(statement)
        return rows[0] if rows else None

    async def active_for_event(
        self, event_id: uuid.UUID, crew_type: CrewType | None = None
    ) -> list[Assignment]:
        c = assignments.c
        where = [c.event_id == event_id]
        if crew_type is not None:
            where.append(c.crew_type == crew_type.value)
        return await self._many(self._active_in_order(*where))

    async def active_for_user(self, event_id: uuid.UUID, user_id: uuid.UUID) -> list[Assignment]:
        c = assignments.c
        return await self._many(self._active_in_order(c.event_id == event_id, c.user_id == user_id))

    async def list_for_user(self, user_id: uuid.UUID) -> list[Assignment]:
        c = assignments.c
        return await self._many(select(assignments).where(c.user_id == user_id).order_by(c.assigned_at, c.id))

    async def history_of_crew(self, crew_id: uuid.UUID) -> list[Assignment]:
        c = assignments.c
        return await self._many(select(assignments).where(c.crew_id == crew_id).order_by(c.assigned_at, c.id))
