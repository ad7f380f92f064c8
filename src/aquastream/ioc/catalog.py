"""Providers of the catalog domain: its unit of work, calendars and use cases, and the
hourly job that completes finished events."""

from __future__ import annotations

from datetime import timedelta

from dishka import AsyncContainer, Provider, Scope, provide, provide_all

from aquastream.adapters.calendar import HmacFeedTokenSigner, IcalendarRenderer
from aquastream.adapters.sql.catalog import SqlCatalogUnitOfWork
from aquastream.adapters.sql.catalog.organizers import (
    CatalogCrewEvents,
    CatalogOrganizerAccess,
    CatalogOrganizerDirectory,
)
from aquastream.adapters.sql.catalog.served import (
    CatalogEventDirectory,
    CatalogMediaOwners,
    CatalogOrganizerNames,
    CatalogTicketEvents,
)
from aquastream.adapters.sql.engine import DomainEngines
from aquastream.domain.catalog.authoring import CreateEvent, UpdateEvent
from aquastream.domain.catalog.browsing import GetEvent, ListEvents, ListOrganizerEvents
from aquastream.domain.catalog.calendar import (
    DownloadEventCalendar,
    GetCalendarFeed,
    RenderCalendarFeed,
    RevokeCalendarFeed,
)
from aquastream.domain.catalog.faq import AddFaqItem, ListFaq, RemoveFaqItem, UpdateFaqItem
from aquastream.domain.catalog.favorites import AddFavorite, ListFavorites, RemoveFavorite
from aquastream.domain.catalog.lifecycle import CancelEvent, CompleteFinishedEvents, PublishEvent
from aquastream.domain.catalog.organizers import (
    CreateOrganizer,
    GetOrganizer,
    ListOrganizers,
    UpdateOrganizer,
)
from aquastream.domain.catalog.privacy import ExportMyCatalogData, ForgetCatalogUser
from aquastream.domain.catalog.team import AddTeamMember, ListTeam, RemoveTeamMember, UpdateTeamMember
from aquastream.domain.catalog.team_accounts import LinkTeamAccount, ListTeamAccounts, UnlinkTeamAccount
from aquastream.domain.identity.events import UserDeleted
from aquastream.domain.shared.privacy import PersonalDataSection
from aquastream.domain.shared.scheduling import PeriodicJob
from aquastream.ioc.subscriptions import Reactions, on
from aquastream.ioc.worker import use_case_job
from aquastream.ports.booking import OrganizerAccess, OrganizerNames
from aquastream.ports.catalog import (
    CalendarRenderer,
    CatalogUnitOfWork,
    ConfirmedBookingsLookup,
    FeedTokenSigner,
    SeatInventory,
    UserTickets,
)
from aquastream.ports.clock import Clock
from aquastream.ports.crews import CrewEvents
from aquastream.ports.media import CatalogOwners
from aquastream.ports.notifications import EventDirectory
from aquastream.ports.notifications import OrganizerAccess as NotificationOrganizerAccess
from aquastream.ports.payments import OrganizerDirectory
from aquastream.ports.tickets import TicketEvents
from aquastream.ports.webhooks import WebhookOrganizers
from aquastream.settings import Settings

COMPLETE_FINISHED_EVENTS_JOB = "catalog.complete_finished_events"
COMPLETE_FINISHED_EVENTS_INTERVAL = timedelta(hours=1)


REACTIONS = Reactions("catalog", on(UserDeleted, ForgetCatalogUser).call(lambda forget, e: forget(e.user_id)))


class CatalogQueriesProvider(Provider):
    """The questions other domains ask the catalog, answered on the catalog's own connections."""

    @provide(scope=Scope.APP)
    def organizer_access(self, engines: DomainEngines) -> OrganizerAccess:
        """Booking's question: whether the caller manages an organizer."""
        return CatalogOrganizerAccess(engines.of("catalog"))

    @provide(scope=Scope.APP)
    def organizer_names(self, engines: DomainEngines) -> OrganizerNames:
        """Booking's question: the slug and name of the organizers of booked events."""
        return CatalogOrganizerNames(engines.of("catalog"))

    @provide(scope=Scope.APP)
    def crew_events(self, engines: DomainEngines) -> CrewEvents:
        """Crews' question: an event's organizer, whether it is open, and who manages it."""
        return CatalogCrewEvents(engines.of("catalog"))

    @provide(scope=Scope.APP)
    def organizer_directory(self, engines: DomainEngines) -> OrganizerDirectory:
        """Payments' question: who manages which organizer, and an organizer's id by its slug."""
        return CatalogOrganizerDirectory(engines.of("catalog"))

    @provide(scope=Scope.APP)
    def notification_organizer_access(self, engines: DomainEngines) -> NotificationOrganizerAccess:
        """Notifications' question: whether the caller may post news to an organizer's event."""
        return CatalogOrganizerAccess(engines.of("catalog"))

    @provide(scope=Scope.APP)
    def events(self, engines: DomainEngines) -> EventDirectory:
        """Notifications' question: an event's summary, and the events starting soon."""
        return CatalogEventDirectory(engines.of("catalog"))

    @provide(scope=Scope.APP)
    def media_owners(self, engines: DomainEngines) -> CatalogOwners:
        """Media's question: who owns the organizer of a logo, a team photo or an event image."""
        return CatalogMediaOwners(engines.of("catalog"))

    @provide(scope=Scope.APP)
    def webhook_organizers(self, engines: DomainEngines) -> WebhookOrganizers:
        """Webhooks' question: an organizer's id by its slug, and who manages it."""
        return CatalogOrganizerDirectory(engines.of("catalog"))

    @provide(scope=Scope.APP)
    def ticket_events(self, engines: DomainEngines) -> TicketEvents:
        """Tickets' question: an event's organizer and end, whether the caller manages it, and
        an organizer's id by its slug or id."""
        return CatalogTicketEvents(engines.of("catalog"))


class CatalogProvider(Provider):
    """The catalog domain: organizers, team, FAQ, events, favorites and calendars."""

    scope = Scope.REQUEST

    renderer = provide(IcalendarRenderer, provides=CalendarRenderer, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def reactions(self) -> Reactions:
        return REACTIONS

    @provide(scope=Scope.APP)
    def feed_signer(self, settings: Settings) -> FeedTokenSigner:
        """Keyed by the server secret (under a key of its own): changing the secret changes
        every feed URL, as it logs everyone out."""
        return HmacFeedTokenSigner(settings.secret)

    @provide
    def uow(self, engines: DomainEngines, seats: SeatInventory) -> CatalogUnitOfWork:
        # The seats are booking's, served from ioc.booking outside this transaction.
        return SqlCatalogUnitOfWork(engines.of("catalog"), seats)

    @provide
    def complete_finished_events(self, uow: CatalogUnitOfWork, clock: Clock) -> CompleteFinishedEvents:
        return CompleteFinishedEvents(uow, clock)

    @provide(scope=Scope.APP, provides=PeriodicJob)
    def complete_finished_events_job(self, container: AsyncContainer) -> PeriodicJob:
        return use_case_job(
            container,
            COMPLETE_FINISHED_EVENTS_JOB,
            COMPLETE_FINISHED_EVENTS_INTERVAL,
            CompleteFinishedEvents,
            lambda complete: complete(),
        )

    use_cases = provide_all(
        ExportMyCatalogData,
        ForgetCatalogUser,
        CreateOrganizer,
        UpdateOrganizer,
        GetOrganizer,
        ListOrganizers,
        ListTeam,
        AddTeamMember,
        UpdateTeamMember,
        RemoveTeamMember,
        LinkTeamAccount,
        UnlinkTeamAccount,
        ListTeamAccounts,
        ListFaq,
        AddFaqItem,
        UpdateFaqItem,
        RemoveFaqItem,
        CreateEvent,
        UpdateEvent,
        PublishEvent,
        CancelEvent,
        ListEvents,
        ListOrganizerEvents,
        GetEvent,
        AddFavorite,
        RemoveFavorite,
        ListFavorites,
        GetCalendarFeed,
        RevokeCalendarFeed,
    )

    @provide
    def download_event_calendar(
        self, uow: CatalogUnitOfWork, renderer: CalendarRenderer, clock: Clock, tickets: UserTickets
    ) -> DownloadEventCalendar:
        """A signed-in caller's download lists their ticket codes, asked of tickets."""
        return DownloadEventCalendar(uow, renderer, clock, tickets)

    @provide
    def render_calendar_feed(
        self,
        uow: CatalogUnitOfWork,
        bookings: ConfirmedBookingsLookup,
        renderer: CalendarRenderer,
        clock: Clock,
        tickets: UserTickets,
    ) -> RenderCalendarFeed:
        """The feed lists the user's ticket codes, asked of tickets (``ioc.tickets``)."""
        return RenderCalendarFeed(uow, bookings, renderer, clock, tickets)

    @provide(provides=PersonalDataSection)
    def catalog_section(self, export: ExportMyCatalogData) -> PersonalDataSection:
        return PersonalDataSection("catalog", export)
