"""Errors of the webhooks domain, each with a stable machine code."""

from __future__ import annotations

from aquastream.domain.shared.errors import Conflict, Forbidden, NotFound, RuleViolated


class OrganizerNotFound(NotFound):
    code = "organizer.not_found"
    default_message = "Organizer not found."


class WebhookForbidden(Forbidden):
    code = "webhook.forbidden"
    default_message = "Only the organizer's owners (or an admin) manage its webhooks."


class EndpointNotFound(NotFound):
    code = "webhook.not_found"
    default_message = "Webhook endpoint not found."


class DeliveryNotFound(NotFound):
    code = "webhook.delivery_not_found"
    default_message = "Webhook delivery not found."


class TargetRefused(RuleViolated):
    code = "webhook.target_refused"
    default_message = "Webhooks go to public https:// URLs only."


class TooManyEndpoints(RuleViolated):
    code = "webhook.too_many_endpoints"
    default_message = "The organizer has as many webhook endpoints as allowed."

    def __init__(self, limit: int) -> None:
        super().__init__(f"An organizer may register at most {limit} endpoints.", extra={"limit": limit})


class DeliveryInFlight(Conflict):
    code = "webhook.delivery_in_flight"
    default_message = "The delivery is being sent right now; re-send it once this attempt is over."
