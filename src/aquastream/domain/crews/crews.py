"""Use cases of the organizer on crews themselves: create, edit, delete."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from typing import ClassVar

from msgspec import UNSET, UnsetType

from aquastream.domain.crews.access import Gate, GatedUseCase
from aquastream.domain.crews.errors import (
    CapacityBelowSize,
    CrewForbidden,
    CrewNameTaken,
    CrewNotEmpty,
    CrewNotFound,
    CrewTypeLocked,
    DetailsMismatch,
    EventClosed,
    EventNotFound,
)
from aquastream.domain.crews.model import Crew, CrewDetails, CrewType
from aquastream.domain.shared.errors import FieldError, Raises, ValidationFailed
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal
from aquastream.domain.shared.text import control_problem
from aquastream.ports.crews import CrewsUnitOfWork

BOAT_FIELDS = ("boat_type", "boat_number", "boat_condition")
TENT_FIELDS = ("tent_details",)


def checked(crew_type: CrewType, details: CrewDetails) -> CrewDetails:
    """The details with the name trimmed, if they fit the type: boat details only on a CREW,
    tent details only on a TENT (``DetailsMismatch`` names the misplaced fields)."""
    name = details.name.strip()
    errors = []
    if not name:
        errors.append(FieldError("name", "must not be blank"))
    elif problem := control_problem(name):
        errors.append(FieldError("name", problem))
    if details.capacity < 1:
        errors.append(FieldError("capacity", "must be at least 1"))
    if errors:
        raise ValidationFailed(errors=errors)
    allowed = {CrewType.CREW: BOAT_FIELDS, CrewType.TENT: TENT_FIELDS}.get(crew_type, ())
    misplaced = [
        _camel(name_)
        for name_ in (*BOAT_FIELDS, *TENT_FIELDS)
        if name_ not in allowed and getattr(details, name_) is not None
    ]
    if misplaced:
        raise DetailsMismatch(misplaced)
    return dataclasses.replace(details, name=name)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class CreateCrew(GatedUseCase):
    """The organizer adds a crew to their event.

    Rules: the event's organizer or an admin (403 otherwise), an event not cancelled or
    completed (422); capacity ≥ 1; name unique within the event and type (409); boat details
    only for CREW, tent details only for TENT (400).
    """

    raises: ClassVar[Raises] = (
        CrewForbidden,
        CrewNameTaken,
        DetailsMismatch,
        EventClosed,
        EventNotFound,
        ValidationFailed,
    )

    async def __call__(
        self, principal: Principal, event_id: uuid.UUID, crew_type: CrewType, details: CrewDetails
    ) -> Crew:
        details = checked(crew_type, details)
        await self._gate.managed_event(principal, event_id)
        async with self._uow:
            now = self._clock.now()
            crew = Crew(new_id(), event_id, crew_type, details, size=0, created_at=now, updated_at=now)
            await self._uow.crews.add(crew)
            await self._uow.commit()
        return crew


@dataclass(frozen=True, slots=True)
class CrewChanges:
    """A partial update: UNSET leaves a field as it is, None clears an optional one."""

    type: CrewType | UnsetType = UNSET
    name: str | UnsetType = UNSET
    capacity: int | UnsetType = UNSET
    description: str | UnsetType | None = UNSET
    boat_type: str | UnsetType | None = UNSET
    boat_number: str | UnsetType | None = UNSET
    boat_condition: str | UnsetType | None = UNSET
    tent_details: str | UnsetType | None = UNSET

    def apply(self, crew: Crew) -> tuple[CrewType, CrewDetails]:
        given = {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.name != "type" and getattr(self, f.name) is not UNSET
        }
        new_type = crew.type if isinstance(self.type, UnsetType) else self.type
        return new_type, dataclasses.replace(crew.details, **given)


class UpdateCrew(GatedUseCase):
    """The organizer edits a crew.

    Rules: as ``CreateCrew``; the capacity never below the people assigned now (409
    ``crew.capacity_below_size``) and the type unchangeable once anyone is assigned (409
    ``crew.type_locked``) — both checked by the same guarded statement that writes, so a
    concurrent assignment cannot slip in between. Changing the type away from CREW or TENT
    needs the details of the old type cleared in the same request.
    """

    raises: ClassVar[Raises] = (
        CapacityBelowSize,
        CrewForbidden,
        CrewNameTaken,
        CrewNotFound,
        CrewTypeLocked,
        DetailsMismatch,
        EventClosed,
        ValidationFailed,
    )

    async def __call__(self, principal: Principal, crew_id: uuid.UUID, changes: CrewChanges) -> Crew:
        access = await self._gate.crew_access(self._uow, principal, crew_id)
        async with self._uow:
            crew = await self._gate.managed_crew(self._uow, principal, crew_id, access)
            new_type, details = changes.apply(crew)
            details = checked(new_type, details)
            updated = await self._uow.crews.update(crew.id, new_type, details, now=self._clock.now())
            if updated is None:
                current = await self._uow.crews.get(crew.id)
                if current is None:
                    raise CrewNotFound()
                if new_type is not current.type and current.size > 0:
                    raise CrewTypeLocked()
                raise CapacityBelowSize(extra={"size": current.size})
            await self._uow.commit()
        return updated


class DeleteCrew:
    """The organizer deletes an empty crew (409 ``crew.not_empty`` while anyone is in it).
    The history of its ended assignments goes with it."""

    raises: ClassVar[Raises] = (CrewForbidden, CrewNotEmpty, CrewNotFound, EventClosed)

    def __init__(self, uow: CrewsUnitOfWork, gate: Gate) -> None:
        self._uow = uow
        self._gate = gate

    async def __call__(self, principal: Principal, crew_id: uuid.UUID) -> None:
        access = await self._gate.crew_access(self._uow, principal, crew_id)
        async with self._uow:
            crew = await self._gate.managed_crew(self._uow, principal, crew_id, access)
            if not await self._uow.crews.delete_if_empty(crew.id):
                raise CrewNotEmpty()
            await self._uow.commit()
