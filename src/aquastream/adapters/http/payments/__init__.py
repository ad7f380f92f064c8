"""HTTP controllers of the payments domain: payments, an event's payments, provider webhooks."""

from aquastream.adapters.http.payments.event_payment_routes import EventPaymentController
from aquastream.adapters.http.payments.payment_routes import PaymentController
from aquastream.adapters.http.payments.webhooks import WebhookController

CONTROLLERS = [PaymentController, EventPaymentController, WebhookController]

__all__ = ["CONTROLLERS", "EventPaymentController", "PaymentController", "WebhookController"]
