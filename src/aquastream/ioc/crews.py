"""Providers of the crews domain: its unit of work, the ports it asks the catalog, booking and
identity (answered on its own connection), its use cases, and its subscriptions to booking's facts."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all

from aquastream.adapters.sql.crews import SqlConfirmedParticipants, SqlCrewsUnitOfWork
from aquastream.adapters.sql.engine import DomainEngines
from aquastream.domain.booking.events import (
    BookingCancelled,
    BookingCompleted,
    BookingConfirmed,
    BookingMarkedNoShow,
    CompanionSeatCancelled,
    PartySeat,
)
from aquastream.domain.crews.access import Gate
from aquastream.domain.crews.assign import (
    AssignParticipant,
    FileBookingStanding,
    ReleaseEndedBooking,
    TransferParticipant,
    UnassignParticipant,
)
from aquastream.domain.crews.auto import AutoAssign
from aquastream.domain.crews.crews import CreateCrew, DeleteCrew, UpdateCrew
from aquastream.domain.crews.model import HOLDER_SEAT, ParticipantSeat, Standing
from aquastream.domain.crews.policy import CrewPolicy
from aquastream.domain.crews.preferences import SetPreferences
from aquastream.domain.crews.privacy import ExportMyCrewData, ForgetCrewsUser
from aquastream.domain.crews.queries import GetCrew, GetMyCrews, ListEventCrews
from aquastream.domain.identity.events import UserDeleted
from aquastream.domain.shared.privacy import PersonalDataSection
from aquastream.ioc.subscriptions import Reactions, on
from aquastream.ports.crews import ConfirmedParticipants, CrewsUnitOfWork
from aquastream.settings import Settings


def _seats(seats: tuple[PartySeat, ...]) -> list[ParticipantSeat]:
    """Every seat of a confirmed booking; none in messages from before group bookings: the
    holder's alone."""
    return [ParticipantSeat(s.number, s.name) for s in seats] or [ParticipantSeat(HOLDER_SEAT)]


# Crews files who takes part (every seat of a booking) from booking's facts; a booking that stops
# being CONFIRMED frees the places of all its seats in the event's crews, a companion's seat
# cancelled alone frees that seat's.
REACTIONS = Reactions(
    "crews",
    on(UserDeleted, ForgetCrewsUser).call(lambda forget, e: forget(e.user_id)),
    on(BookingConfirmed, FileBookingStanding).call(
        lambda file, e: file(e.booking_id, e.event_id, e.user_id, Standing.CONFIRMED, _seats(e.seats))
    ),
    on(BookingCompleted, FileBookingStanding).call(
        lambda file, e: file(e.booking_id, e.event_id, e.user_id, Standing.COMPLETED)
    ),
    on(BookingCancelled, ReleaseEndedBooking).call(
        lambda release, e: release(e.booking_id, e.event_id, e.user_id)
    ),
    on(BookingMarkedNoShow, ReleaseEndedBooking).call(
        lambda release, e: release(e.booking_id, e.event_id, e.user_id)
    ),
    on(CompanionSeatCancelled, ReleaseEndedBooking).call(
        lambda release, e: release(e.booking_id, e.event_id, e.user_id, seat=e.seat)
    ),
)


class CrewsProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def reactions(self) -> Reactions:
        return REACTIONS

    @provide(scope=Scope.APP)
    def policy(self, settings: Settings) -> CrewPolicy:
        return CrewPolicy(max_preferences=settings.crew_preferences_max)

    @provide
    def sql_uow(self, engines: DomainEngines) -> SqlCrewsUnitOfWork:
        return SqlCrewsUnitOfWork(engines.of("crews"))

    @provide
    def uow(self, uow: SqlCrewsUnitOfWork) -> CrewsUnitOfWork:
        return uow

    # Crews' read model of booking's facts, on its unit of work's connection. What it asks the
    # catalog (CrewEvents) and identity (ParticipantNames) they serve on their own connections
    # (ioc.catalog, ioc.identity).
    @provide
    def participants(self, uow: SqlCrewsUnitOfWork) -> ConfirmedParticipants:
        return SqlConfirmedParticipants(uow)

    gate = provide(Gate)

    use_cases = provide_all(
        ExportMyCrewData,
        ForgetCrewsUser,
        CreateCrew,
        UpdateCrew,
        DeleteCrew,
        ListEventCrews,
        GetCrew,
        GetMyCrews,
        AssignParticipant,
        UnassignParticipant,
        TransferParticipant,
        SetPreferences,
        AutoAssign,
        ReleaseEndedBooking,
        FileBookingStanding,
    )

    @provide(provides=PersonalDataSection)
    def crews_section(self, export: ExportMyCrewData) -> PersonalDataSection:
        return PersonalDataSection("crews", export)
