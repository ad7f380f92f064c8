"""The crews domain's part of a user's rights over their data (SPEC §2): export it, forget it."""

from __future__ import annotations

import uuid
from typing import Any

from aquastream.domain.crews.model import Assignment, Crew, Preferences
from aquastream.domain.shared.privacy import ERASED_NAME, iso
from aquastream.ports.crews import ConfirmedParticipants, CrewsUnitOfWork


class ExportMyCrewData:
    """Every crew place the user had (active or ended, oldest first, with the crew's name
    and type) and the preferences they gave. Lists of others that name the user are left
    out: they are the other participant's wishes, not the user's data."""

    def __init__(self, uow: CrewsUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, user_id: uuid.UUID) -> dict[str, Any]:
        async with self._uow:
            assignments = await self._uow.assignments.list_for_user(user_id)
            crews = {
                crew_id: await self._uow.crews.get(crew_id) for crew_id in {a.crew_id for a in assignments}
            }
            preferences = await self._uow.preferences.for_user(user_id)
        return {
            "assignments": [_assignment(a, crews[a.crew_id]) for a in assignments],
            "preferences": [_preferences(p) for p in preferences],
        }


class ForgetCrewsUser:
    """A deleted account's crew preferences go (whom they wanted to be with or avoid is
    personal), and the companions of its bookings are called ``ERASED_NAME`` in member lists
    (as booking erases them). Its assignments stay: they are the history of who sat where,
    tied to bookings that accounting keeps, and name the user by id only. Idempotent."""

    def __init__(self, uow: CrewsUnitOfWork, participants: ConfirmedParticipants) -> None:
        self._uow = uow
        self._participants = participants

    async def __call__(self, user_id: uuid.UUID) -> None:
        async with self._uow:
            await self._uow.preferences.delete_for_user(user_id)
            await self._participants.erase_companions(user_id, erased_name=ERASED_NAME)
            await self._uow.commit()


def _assignment(assignment: Assignment, crew: Crew | None) -> dict[str, Any]:
    return {
        "id": str(assignment.id),
        "eventId": str(assignment.event_id),
        "crewId": str(assignment.crew_id),
        "crewName": crew.name if crew else None,
        "crewType": str(assignment.crew_type),
        "status": str(assignment.status),
        "seatNumber": assignment.seat_number,
        "partySeat": assignment.party_seat,
        "position": assignment.position,
        "assignedAt": iso(assignment.assigned_at),
        "endedAt": iso(assignment.ended_at),
    }


def _preferences(preferences: Preferences) -> dict[str, Any]:
    return {
        "eventId": str(preferences.event_id),
        "prefer": [str(user_id) for user_id in preferences.prefer],
        "avoid": [str(user_id) for user_id in preferences.avoid],
    }
