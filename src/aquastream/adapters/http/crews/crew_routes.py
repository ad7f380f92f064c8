"""``/crews/{id}`` and ``/assignments/{id}``: one crew, its edits and deletion, assigning a
participant, unassigning and transferring them."""

from __future__ import annotations

import uuid

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from aquastream.adapters.http.crews.dto import (
    AssignIn,
    AssignmentOut,
    CrewChangesIn,
    CrewOut,
    TransferIn,
    TransferOut,
)
from aquastream.domain.crews.assign import AssignParticipant, TransferParticipant, UnassignParticipant
from aquastream.domain.crews.crews import DeleteCrew, UpdateCrew
from aquastream.domain.crews.queries import GetCrew
from aquastream.domain.shared.principal import Principal


class CrewController(Controller):
    path = "/crews"
    tags = ["crews"]

    @get("/{crew_id:uuid}", summary="One crew with its members")
    @inject
    async def show(
        self, crew_id: FromPath[uuid.UUID], caller: FromDishka[Principal], get_crew: FromDishka[GetCrew]
    ) -> CrewOut:
        """For the event's organizer and its participants; 404 ``crew.not_found`` for others. The
        organizer also gets ``history``: who was removed or transferred out, and when."""
        return CrewOut.of_view(await get_crew(caller, crew_id))

    @put("/{crew_id:uuid}", summary="Edit a crew (its organizer)")
    @inject
    async def update(
        self,
        crew_id: FromPath[uuid.UUID],
        data: JSONBody[CrewChangesIn],
        caller: FromDishka[Principal],
        update_crew: FromDishka[UpdateCrew],
    ) -> CrewOut:
        """409 ``crew.capacity_below_size`` (with ``size``), 409 ``crew.type_locked`` once
        anyone is assigned, 409 ``crew.name_taken``, 403 ``crew.forbidden`` for participants."""
        return CrewOut.of(await update_crew(caller, crew_id, data.to_changes()))

    @delete(
        "/{crew_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Delete an empty crew (its organizer)"
    )
    @inject
    async def remove(
        self, crew_id: FromPath[uuid.UUID], caller: FromDishka[Principal], delete_crew: FromDishka[DeleteCrew]
    ) -> None:
        """409 ``crew.not_empty`` while anyone is assigned."""
        await delete_crew(caller, crew_id)

    @post(
        "/{crew_id:uuid}/assignments",
        status_code=HTTP_201_CREATED,
        summary="Give a confirmed participant a place in the crew (its organizer)",
    )
    @inject
    async def assign(
        self,
        crew_id: FromPath[uuid.UUID],
        data: JSONBody[AssignIn],
        caller: FromDishka[Principal],
        assign: FromDishka[AssignParticipant],
    ) -> AssignmentOut:
        """One seat of a booking: ``userId`` and/or ``bookingId``, and ``seat`` (0 the holder,
        the default; 1, 2, … a companion). 422 ``crew.participant_not_confirmed`` (also for a
        cancelled companion's seat); 409 ``crew.already_assigned`` (with
        ``existingAssignmentId``) for a second place of the same type; 409 ``crew.full``;
        409 ``crew.seat_taken``; 422 ``crew.seat_out_of_range``."""
        assignment = await assign(
            caller,
            crew_id,
            data.user_id,
            seat_number=data.seat_number,
            position=data.position,
            party_seat=data.seat,
            booking_id=data.booking_id,
        )
        return AssignmentOut.of(assignment)


class AssignmentController(Controller):
    path = "/assignments"
    tags = ["crews"]

    @delete(
        "/{assignment_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Take a participant out of their crew (its organizer)",
    )
    @inject
    async def unassign(
        self,
        assignment_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        unassign: FromDishka[UnassignParticipant],
    ) -> AssignmentOut:
        """The assignment stays as history with status REMOVED (returned); 409
        ``assignment.not_active`` when it had already ended."""
        return AssignmentOut.of(await unassign(caller, assignment_id))

    @post(
        "/{assignment_id:uuid}/transfer",
        status_code=HTTP_200_OK,
        summary="Move a participant to another crew of the same type (its organizer)",
    )
    @inject
    async def transfer(
        self,
        assignment_id: FromPath[uuid.UUID],
        data: JSONBody[TransferIn],
        caller: FromDishka[Principal],
        transfer: FromDishka[TransferParticipant],
    ) -> TransferOut:
        """Atomic: the old place becomes TRANSFERRED and the new one ACTIVE, or nothing
        changes (409 ``crew.full``, 422 ``crew.transfer_type_mismatch``, 422
        ``crew.transfer_same_crew``, 409 ``assignment.not_active``)."""
        moved = await transfer(
            caller, assignment_id, data.crew_id, seat_number=data.seat_number, position=data.position
        )
        return TransferOut.of(moved)
