"""Errors of the notification domain, each with a stable code."""

from __future__ import annotations

from datetime import timedelta

from aquastream.domain.shared.errors import NotFound, RuleViolated, Unauthenticated


class MandatoryCategory(RuleViolated):
    code = "notifications.mandatory_category"
    default_message = "Mandatory notification categories cannot be switched off."


class RecipientNotFound(NotFound):
    code = "notifications.recipient_not_found"
    default_message = "No active user with this id."


class NotificationNotFound(NotFound):
    """Also for someone else's notification: what one may not see looks like nothing."""

    code = "notifications.notification_not_found"
    default_message = "Notification not found."


class EventNotFound(NotFound):
    """Also for someone else's event: what one may not see looks like nothing (SPEC §1)."""

    code = "event.not_found"
    default_message = "Event not found."


class BadWebhookSecret(Unauthenticated):
    code = "notifications.bad_webhook_secret"
    default_message = "The Telegram secret token is missing or wrong."


class DeliveryFailed(Exception):
    """A channel could not deliver a message this time (unreachable, timed out, a 5xx): the
    sender tries again after a backoff. The text is recorded as the last error."""


class DeliveryThrottled(DeliveryFailed):
    """The channel asked to wait (HTTP 429): the next attempt is not before ``retry_after``
    from now (Telegram's ``parameters.retry_after``)."""

    def __init__(self, reason: str, *, retry_after: timedelta) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class DeliveryRefused(DeliveryFailed):
    """The channel refused this message for good (a 4xx that retrying would only repeat): the
    message is FAILED at once, without further attempts."""


class RecipientGone(DeliveryRefused):
    """The recipient can no longer be reached on this channel at this address (Telegram: the
    bot was blocked, the chat is not found, the user is deactivated): the address is marked
    unreachable for the user and the message falls back to their next channel."""
