"""HTTP controllers of the payments domain: payments, an event's payments, organizers' payee
accounts, provider webhooks."""

from aquastream.adapters.http.payments.event_payment_routes import EventPaymentController
from aquastream.adapters.http.payments.pay_link_routes import PayLinkController
from aquastream.adapters.http.payments.payee_routes import PayeeController
from aquastream.adapters.http.payments.payment_routes import PaymentController
from aquastream.adapters.http.payments.webhooks import WebhookController

CONTROLLERS = [
    PaymentController,
    PayLinkController,
    EventPaymentController,
    PayeeController,
    WebhookController,
]

__all__ = [
    "CONTROLLERS",
    "EventPaymentController",
    "PayLinkController",
    "PayeeController",
    "PaymentController",
    "WebhookController",
]
