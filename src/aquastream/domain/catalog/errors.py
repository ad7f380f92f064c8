"""Errors of the catalog domain."""

from __future__ import annotations

from aquastream.domain.shared.errors import Conflict, Forbidden, NotFound, RuleViolated


class OrganizerNotFound(NotFound):
    code = "organizer.not_found"
    default_message = "Organizer not found."


class OrganizerSlugTaken(Conflict):
    code = "organizer.slug_taken"
    default_message = "This slug is already used by another organizer."


class OrganizerRoleRequired(Forbidden):
    code = "organizer.role_required"
    default_message = "Only organizers and admins can create organizer pages."


class NotOrganizerManager(Forbidden):
    code = "organizer.forbidden"
    default_message = "You do not manage this organizer."


class TeamMemberNotFound(NotFound):
    code = "team_member.not_found"
    default_message = "Team member not found."


class TeamAccountNotFound(RuleViolated):
    code = "team_member.account_not_found"
    default_message = "No account of the service has this email."


class TeamAccountTaken(Conflict):
    code = "team_member.account_taken"
    default_message = "This account is already linked to another member of the team."


class FaqItemNotFound(NotFound):
    code = "faq_item.not_found"
    default_message = "FAQ item not found."


class EventNotFound(NotFound):
    code = "event.not_found"
    default_message = "Event not found."


class EventNotEditable(Conflict):
    code = "event.not_editable"
    default_message = "This event can no longer be changed this way."


class EventNotPublishable(RuleViolated):
    code = "event.not_publishable"
    default_message = "The event is not ready to be published."


class InvalidEventTransition(Conflict):
    code = "event.invalid_transition"
    default_message = "The event cannot move to that status from its current one."


class CapacityBelowTaken(RuleViolated):
    code = "event.capacity_below_taken"
    default_message = "The capacity cannot go below the seats already taken."


class SeatsChanging(Conflict):
    code = "event.seats_changing"
    default_message = "The event's seats changed or are being set up right now; try again."


class CalendarFeedNotFound(NotFound):
    code = "calendar.feed_not_found"
    default_message = "Calendar feed not found."
