"""HTTP controllers of the crews domain: an event's crews, one crew, assignments."""

from aquastream.adapters.http.crews.crew_routes import AssignmentController, CrewController
from aquastream.adapters.http.crews.event_crew_routes import EventCrewController

CONTROLLERS = [EventCrewController, CrewController, AssignmentController]

__all__ = ["CONTROLLERS", "AssignmentController", "CrewController", "EventCrewController"]
