"""Providers of the booking domain: its unit of work (the query ports it asks other domains
come from theirs: the payment probe from ``ioc.payments``, organizer access from
``ioc.catalog``, the participant directory from ``ioc.identity``), its use cases, the sweeps that release
expired holds and lapsed waitlist windows, and its subscriptions to the catalog's facts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from dishka import AsyncContainer, Provider, Scope, provide, provide_all

from aquastream.adapters.pay_links import SignedPayLinks
from aquastream.adapters.sql.booking import SqlBookingUnitOfWork, SqlConfirmedBookingsLookup, SqlSeatInventory
from aquastream.adapters.sql.booking.event_owners import BookingEventOwners
from aquastream.adapters.sql.booking.payables import BookingPayables
from aquastream.adapters.sql.booking.served import BookingEventParticipants, BookingProofOwners
from aquastream.adapters.sql.booking.user_bookings import BookingUserBookings
from aquastream.adapters.sql.engine import DomainEngines
from aquastream.domain.booking.book import BookSeat
from aquastream.domain.booking.holds import GiveTimeAfterRejection, KeepSeatDuringReview
from aquastream.domain.booking.jobs import (
    CancelEventBookings,
    CompleteEventBookings,
    ExpireHolds,
    HandOverFreedSeats,
    LapseWaitlistWindows,
)
from aquastream.domain.booking.manage import CancelBooking, ConfirmBooking, MarkNoShow
from aquastream.domain.booking.model import EventShare
from aquastream.domain.booking.party import CancelCompanionSeat
from aquastream.domain.booking.payments import ConfirmPaidBooking, SettleRefund
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.booking.privacy import (
    EraseCompanionsOfDeletedUser,
    ExportMyBookingData,
    LeaveQueuesOfDeletedUser,
)
from aquastream.domain.booking.queries import (
    ExportParticipants,
    GetBooking,
    ListEventBookings,
    ListMyBookings,
)
from aquastream.domain.booking.sales import OpenSales
from aquastream.domain.booking.views import DescribeBookings
from aquastream.domain.booking.waitlist import (
    GetMyWaitlistPosition,
    JoinWaitlist,
    LeaveWaitlist,
    ListMyWaitlist,
)
from aquastream.domain.catalog.events import (
    EventCancelled,
    EventCapacityChanged,
    EventCompleted,
    EventPublished,
)
from aquastream.domain.identity.events import UserDeleted
from aquastream.domain.payments.events import (
    PaymentProofSubmitted,
    PaymentRefunded,
    PaymentRejected,
    PaymentSucceeded,
)
from aquastream.domain.shared.privacy import PersonalDataSection
from aquastream.domain.shared.scheduling import PeriodicJob
from aquastream.ioc.subscriptions import Reactions, on
from aquastream.ioc.worker import (
    purge_request_keys_job,
    sweep,
    use_case_job,
)
from aquastream.ports.booking import (
    BookingUnitOfWork,
    PayLinks,
)
from aquastream.ports.catalog import ConfirmedBookingsLookup, SeatInventory
from aquastream.ports.clock import Clock
from aquastream.ports.identity import UserBookings
from aquastream.ports.media import ProofOwners
from aquastream.ports.notifications import EventParticipants
from aquastream.ports.payments import BookingDirectory
from aquastream.ports.webhooks import EventOwners
from aquastream.settings import Settings

EXPIRE_HOLDS_JOB = "booking.expire_holds"
LAPSE_WINDOWS_JOB = "booking.lapse_waitlist_windows"
PURGE_IDEMPOTENCY_JOB = "booking.purge_idempotency_keys"


async def _keep_seat(keep: KeepSeatDuringReview, e: PaymentProofSubmitted) -> bool:
    return e.review_until is not None and await keep(e.booking_id, e.review_until)


async def _open_sales(open_sales: OpenSales, e: EventPublished) -> None:
    await open_sales(
        event_id=e.event_id,
        organizer_id=e.organizer_id,
        title=e.title,
        starts_at=e.date_start,
        ends_at=e.date_end,
        capacity=e.capacity,
        price=e.price,
        currency=e.currency,
    )


REACTIONS = Reactions(
    "booking",
    on(EventPublished, OpenSales).call(_open_sales),
    on(UserDeleted, LeaveQueuesOfDeletedUser).call(lambda leave, e: leave(e.user_id)),
    on(UserDeleted, EraseCompanionsOfDeletedUser).call(lambda erase, e: erase(e.user_id)),
    on(EventCapacityChanged, HandOverFreedSeats).call(lambda hand_over, e: hand_over(e.event_id)),
    on(EventCompleted, CompleteEventBookings).call(lambda complete, e: complete(e.event_id)),
    on(EventCancelled, CancelEventBookings).call(lambda cancel, e: cancel(e.event_id)),
    on(PaymentSucceeded, ConfirmPaidBooking).call(lambda confirm, e: confirm(e.booking_id)),
    on(PaymentProofSubmitted, KeepSeatDuringReview).call(_keep_seat),
    on(PaymentRejected, GiveTimeAfterRejection).call(
        lambda give_time, e: give_time(e.booking_id, e.occurred_at)
    ),
    on(PaymentRefunded, SettleRefund).call(
        lambda settle, e: settle(e.booking_id, fully_refunded=e.fully_refunded)
    ),
)


class BookingQueriesProvider(Provider):
    """The questions other domains ask booking, answered on booking's own connections."""

    @provide(scope=Scope.APP)
    def payables(self, engines: DomainEngines) -> BookingDirectory:
        """Payments' question: a booking to pay (with its event's organizer and title), and the
        organizer of an event."""
        return BookingPayables(engines.of("booking"))

    @provide(scope=Scope.APP)
    def event_participants(self, engines: DomainEngines) -> EventParticipants:
        """Notifications' question: who holds a confirmed booking for an event."""
        return BookingEventParticipants(engines.of("booking"))

    @provide(scope=Scope.APP)
    def seats(self, engines: DomainEngines, clock: Clock, policy: BookingPolicy) -> SeatInventory:
        """The catalog's seats: opened, resized and closed by booking's own use cases."""
        return SqlSeatInventory(engines.of("booking"), clock, policy)

    @provide(scope=Scope.APP)
    def confirmed_bookings(self, engines: DomainEngines) -> ConfirmedBookingsLookup:
        """The catalog's question for the private calendar feed: a user's confirmed events."""
        return SqlConfirmedBookingsLookup(engines.of("booking"))

    @provide(scope=Scope.APP)
    def proof_owners(self, engines: DomainEngines) -> ProofOwners:
        """Media's question: whose booking a payment proof belongs to."""
        return BookingProofOwners(engines.of("booking"))

    @provide(scope=Scope.APP)
    def event_owners(self, engines: DomainEngines) -> EventOwners:
        """Webhooks' question: the organizer of an event, and the event of a booking."""
        return BookingEventOwners(engines.of("booking"))

    @provide(scope=Scope.APP)
    def user_bookings(self, engines: DomainEngines) -> UserBookings:
        """Identity's question for an administrator's view of a user: their bookings."""
        return BookingUserBookings(engines.of("booking"))


class BookingProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def policy(self, settings: Settings) -> BookingPolicy:
        return BookingPolicy(
            hold=timedelta(seconds=settings.booking_hold_seconds),
            waitlist_window=timedelta(seconds=settings.waitlist_window_seconds),
            max_party=settings.booking_max_party,
        )

    @provide
    def sql_uow(self, engines: DomainEngines) -> SqlBookingUnitOfWork:
        return SqlBookingUnitOfWork(engines.of("booking"))

    @provide
    def uow(self, uow: SqlBookingUnitOfWork) -> BookingUnitOfWork:
        return uow

    @provide(scope=Scope.APP)
    def pay_links(self, settings: Settings) -> PayLinks:
        return SignedPayLinks(settings.secret, settings.public_url)

    use_cases = provide_all(
        ExportMyBookingData,
        LeaveQueuesOfDeletedUser,
        EraseCompanionsOfDeletedUser,
        BookSeat,
        OpenSales,
        CancelBooking,
        CancelCompanionSeat,
        ConfirmBooking,
        MarkNoShow,
        GetBooking,
        ListMyBookings,
        ListEventBookings,
        ExportParticipants,
        JoinWaitlist,
        LeaveWaitlist,
        GetMyWaitlistPosition,
        ListMyWaitlist,
        ExpireHolds,
        LapseWaitlistWindows,
        HandOverFreedSeats,
        CompleteEventBookings,
        CancelEventBookings,
        ConfirmPaidBooking,
        SettleRefund,
        KeepSeatDuringReview,
        GiveTimeAfterRejection,
        DescribeBookings,
    )

    @provide(scope=Scope.APP)
    def reactions(self) -> Reactions:
        return REACTIONS

    @provide(provides=PersonalDataSection)
    def booking_section(self, export: ExportMyBookingData) -> PersonalDataSection:
        return PersonalDataSection("bookings", export)

    @provide(scope=Scope.APP, provides=PeriodicJob)
    def expire_holds_job(
        self, container: AsyncContainer, settings: Settings, policy: BookingPolicy
    ) -> PeriodicJob:
        def lane(share: EventShare) -> Callable[[ExpireHolds], Awaitable[int]]:
            return lambda expire: sweep(lambda: expire(share), policy.expiry_batch_size)

        # SQLite has one writer: lanes there would only queue for it.
        shares = EventShare.split(1 if settings.is_sqlite else policy.expiry_lanes)
        return use_case_job(
            container,
            EXPIRE_HOLDS_JOB,
            timedelta(seconds=settings.expiry_sweep_seconds),
            ExpireHolds,
            *map(lane, shares),
        )

    @provide(scope=Scope.APP, provides=PeriodicJob)
    def lapse_windows_job(
        self, container: AsyncContainer, settings: Settings, policy: BookingPolicy
    ) -> PeriodicJob:
        return use_case_job(
            container,
            LAPSE_WINDOWS_JOB,
            timedelta(seconds=settings.expiry_sweep_seconds),
            LapseWaitlistWindows,
            lambda lapse: sweep(lapse, policy.lapse_batch_size),
        )

    @provide(scope=Scope.APP, provides=PeriodicJob)
    def purge_request_keys_job(self, container: AsyncContainer, clock: Clock) -> PeriodicJob:
        return purge_request_keys_job(container, PURGE_IDEMPOTENCY_JOB, BookingUnitOfWork, clock)
