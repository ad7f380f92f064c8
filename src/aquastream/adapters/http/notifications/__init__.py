"""HTTP controllers of the notification domain: the inbox, preferences, the Telegram bot
webhook, an event's news, and the admin's test message."""

from aquastream.adapters.http.notifications.admin_routes import AdminNotificationController
from aquastream.adapters.http.notifications.inbox_routes import InboxController
from aquastream.adapters.http.notifications.news_routes import EventNewsController
from aquastream.adapters.http.notifications.preference_routes import PreferenceController
from aquastream.adapters.http.notifications.telegram_routes import TelegramWebhookController

CONTROLLERS = [
    InboxController,
    PreferenceController,
    TelegramWebhookController,
    EventNewsController,
    AdminNotificationController,
]

__all__ = [
    "CONTROLLERS",
    "AdminNotificationController",
    "EventNewsController",
    "InboxController",
    "PreferenceController",
    "TelegramWebhookController",
]
