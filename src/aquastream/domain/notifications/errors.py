"""Errors of the notification domain, each with a stable code."""

from __future__ import annotations

from aquastream.domain.shared.errors import NotFound, RuleViolated, Unauthenticated


class MandatoryCategory(RuleViolated):
    code = "notifications.mandatory_category"
    default_message = "Mandatory notification categories cannot be switched off."


class RecipientNotFound(NotFound):
    code = "notifications.recipient_not_found"
    default_message = "No active user with this id."


class EventNotFound(NotFound):
    """Also for someone else's event: what one may not see looks like nothing (SPEC §1)."""

    code = "event.not_found"
    default_message = "Event not found."


class BadWebhookSecret(Unauthenticated):
    code = "notifications.bad_webhook_secret"
    default_message = "The Telegram secret token is missing or wrong."


class DeliveryFailed(Exception):
    """A channel could not deliver a message; the text is recorded as the last error."""
