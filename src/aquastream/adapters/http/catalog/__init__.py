"""HTTP controllers of the catalog domain: organizers with their team and FAQ, events,
favorites and calendars."""

from aquastream.adapters.http.catalog.calendar_routes import CalendarController
from aquastream.adapters.http.catalog.event_routes import EventController
from aquastream.adapters.http.catalog.favorite_routes import FavoriteController
from aquastream.adapters.http.catalog.organizer_routes import OrganizerController
from aquastream.adapters.http.catalog.team_account_routes import TeamAccountController
from aquastream.adapters.http.catalog.team_routes import FaqController, TeamController

CONTROLLERS = [
    OrganizerController,
    TeamController,
    TeamAccountController,
    FaqController,
    EventController,
    FavoriteController,
    CalendarController,
]

__all__ = [
    "CONTROLLERS",
    "CalendarController",
    "EventController",
    "FaqController",
    "FavoriteController",
    "OrganizerController",
    "TeamAccountController",
    "TeamController",
]
