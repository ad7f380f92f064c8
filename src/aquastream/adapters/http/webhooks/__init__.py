"""HTTP controllers of the webhooks domain: an organizer's endpoints and their deliveries."""

from aquastream.adapters.http.webhooks.routes import WebhookController

CONTROLLERS = [WebhookController]

__all__ = ["CONTROLLERS", "WebhookController"]
