"""Ports of the crews domain: its unit of work and repositories, and what it asks other domains.

Every change of a crew's ``size`` is one guarded statement in the adapters
(``UPDATE … SET size = size + 1 WHERE size < capacity``), so concurrent assignments never
overfill a crew. One ACTIVE assignment per participant, crew type and event, and one per
seat number in a crew, are unique indexes: the second of two racing inserts is refused.
Locks are taken in one order in every transaction: the participant's bookings as crews keeps
them (shared), assignment rows, then crew rows in id order.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from aquastream.domain.crews.model import (
    Assignment,
    AssignmentStatus,
    Crew,
    CrewDetails,
    CrewType,
    ParticipantSeat,
    Participation,
    Preferences,
    Standing,
)
from aquastream.domain.crews.model import CrewEvent as CrewEvent  # what the catalog answers (CrewEvents)
from aquastream.domain.shared.principal import Principal
from aquastream.ports.uow import UnitOfWork


class CrewRepository(Protocol):
    async def add(self, crew: Crew) -> None:
        """Insert; raises ``CrewNameTaken`` when the event has a crew of that type and name."""
        ...

    async def get(self, crew_id: uuid.UUID) -> Crew | None: ...

    async def list_for_event(self, event_id: uuid.UUID, crew_type: CrewType | None = None) -> list[Crew]:
        """By type, then name."""
        ...

    async def lock_for_event(self, event_id: uuid.UUID, crew_type: CrewType) -> list[Crew]:
        """The event's crews of ``crew_type``, locked until the end of the transaction, in id order."""
        ...

    async def update(
        self, crew_id: uuid.UUID, crew_type: CrewType, details: CrewDetails, *, now: datetime
    ) -> Crew | None:
        """Set type and details if ``size <= capacity`` holds after it and, when the type
        changes, nobody is assigned; the updated crew, or None when a guard failed. Raises
        ``CrewNameTaken`` on a duplicate name."""
        ...

    async def take_seat(self, crew_id: uuid.UUID, count: int = 1) -> Crew | None:
        """``size + count`` if that stays within ``capacity``; the updated crew, or None when
        it has fewer free places (nothing taken then)."""
        ...

    async def release_seat(self, crew_id: uuid.UUID) -> None:
        """``size - 1``: an active assignment ended."""
        ...

    async def delete_if_empty(self, crew_id: uuid.UUID) -> bool:
        """Delete the crew (and the history of its ended assignments) if nobody is assigned."""
        ...


class AssignmentRepository(Protocol):
    async def add(self, assignment: Assignment) -> None:
        """Insert an ACTIVE assignment; raises ``AlreadyAssigned`` when the participant has an
        active one of the same type in the event, ``SeatTaken`` when its seat number is taken."""
        ...

    async def add_many(self, new: Sequence[Assignment]) -> None:
        """Insert ACTIVE assignments at once (one statement where the store can), raising as
        ``add`` does for the first that cannot go in; the unit of work is then not to be
        committed (some of the others may be in)."""
        ...

    async def get(self, assignment_id: uuid.UUID) -> Assignment | None: ...

    async def end(
        self,
        assignment_id: uuid.UUID,
        *,
        status: AssignmentStatus,
        now: datetime,
        actor_id: uuid.UUID | None,
        transferred_to: uuid.UUID | None = None,
    ) -> Assignment | None:
        """ACTIVE → ``status``; the ended assignment, or None when it was not ACTIVE."""
        ...

    async def active_for_event(
        self, event_id: uuid.UUID, crew_type: CrewType | None = None
    ) -> list[Assignment]:
        """In crew, seat number, then assignment order."""
        ...

    async def active_for_user(self, event_id: uuid.UUID, user_id: uuid.UUID) -> list[Assignment]: ...

    async def list_for_user(self, user_id: uuid.UUID) -> list[Assignment]:
        """Every assignment of the user in any event, active or ended, oldest first (for
        their data export)."""
        ...

    async def history_of_crew(self, crew_id: uuid.UUID) -> list[Assignment]:
        """Every assignment the crew ever had, oldest first."""
        ...


class PreferenceRepository(Protocol):
    async def put(self, preferences: Preferences, *, now: datetime) -> None:
        """Replace the participant's preferences for the event."""
        ...

    async def get(self, event_id: uuid.UUID, user_id: uuid.UUID) -> Preferences: ...

    async def for_event(self, event_id: uuid.UUID) -> list[Preferences]:
        """Everyone's non-empty preferences, by user id."""
        ...

    async def for_user(self, user_id: uuid.UUID) -> list[Preferences]:
        """The user's non-empty preferences in every event, by event id."""
        ...

    async def delete_for_user(self, user_id: uuid.UUID) -> None:
        """Forget every preference the user gave (a deleted account); the lists of others
        that name the user are theirs and stay."""
        ...


class CrewsUnitOfWork(UnitOfWork, Protocol):
    @property
    def crews(self) -> CrewRepository: ...

    @property
    def assignments(self) -> AssignmentRepository: ...

    @property
    def preferences(self) -> PreferenceRepository: ...


class CrewEvents(Protocol):
    """What crews asks the catalog domain about events and who organizes them: a query port the
    catalog serves on its own connections, asked outside crews' transaction."""

    async def get(self, event_id: uuid.UUID) -> CrewEvent | None:
        """The event, draft or not; None when it does not exist."""
        ...

    async def can_manage(self, principal: Principal, organizer_id: uuid.UUID) -> bool:
        """True for the organizer's owners and for every admin."""
        ...


class ConfirmedParticipants(Protocol):
    """Who takes part in an event: crews' own read model of the bookings, one row per seat of a
    booking (the holder's seat 0 and each companion's), filed from booking's facts on the crews
    unit of work's connection. A participant is a holder and a seat (``(user_id, seat)``)."""

    async def record(
        self,
        booking_id: uuid.UUID,
        event_id: uuid.UUID,
        user_id: uuid.UUID,
        standing: Standing,
        seats: Sequence[ParticipantSeat] | None = None,
    ) -> None:
        """File where the booking stands now: ``seats`` None means the whole booking (its
        holder's seat 0 and every seat filed for it), otherwise those seats (with the
        companions' names). A standing of lower rank than the one filed is ignored (facts come
        at least once, and not always in order), and no seat stands behind its booking's seat 0
        (a companion's seat filed after its booking ended is filed as ended). Seat 0 is filed
        first: two facts of one booking queue on its row."""
        ...

    async def participation(
        self, event_id: uuid.UUID, user_id: uuid.UUID, *, seat: int | None = 0, lock: bool = False
    ) -> Participation:
        """CONFIRMED, COMPLETED or NONE for the user's ``seat`` (None: any of their seats). With
        ``lock`` the filed bookings stay as they are until this transaction ends (``FOR
        SHARE``): filing a cancellation then waits for the assignment to commit, and removes it
        afterwards."""
        ...

    async def confirmed(
        self, event_id: uuid.UUID, user_ids: Collection[uuid.UUID] | None = None, *, lock: bool = False
    ) -> Sequence[uuid.UUID]:
        """The users (of ``user_ids``, or all) with a CONFIRMED booking for the event, by id."""
        ...

    async def confirmed_seats(
        self, event_id: uuid.UUID, *, lock: bool = False
    ) -> Sequence[tuple[uuid.UUID, int]]:
        """Every CONFIRMED seat of the event as (holder, seat), by holder then seat."""
        ...

    async def holder(self, event_id: uuid.UUID, booking_id: uuid.UUID) -> uuid.UUID | None:
        """The user who holds the booking for the event, whatever its standing; None if unknown."""
        ...

    async def companions(self, event_id: uuid.UUID) -> Mapping[tuple[uuid.UUID, int], str]:
        """The names of the event's companions (seats 1, 2, …) by (holder, seat), whatever
        their standing (history shows them too)."""
        ...

    async def erase_companions(self, user_id: uuid.UUID, *, erased_name: str) -> int:
        """Every named companion of the bookings the user holds is called ``erased_name`` from
        now on (the holder's account was deleted); how many seats changed."""
        ...


class ParticipantNames(Protocol):
    """What crews asks the identity domain: how people are called, to show teammates. A query
    port identity serves on its own connections, asked after crews' transaction."""

    async def names(self, user_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, str]:
        """ "First Last" as the profile gives it; people without a name are left out."""
        ...
