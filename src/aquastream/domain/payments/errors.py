"""Errors of the payments domain, each with a stable machine code."""

from __future__ import annotations

import uuid

from aquastream.domain.shared.errors import Busy, Conflict, Forbidden, NotFound, RuleViolated, Unauthenticated


class PaymentNotFound(NotFound):
    code = "payment.not_found"
    default_message = "Payment not found."


class BookingNotFound(NotFound):
    code = "booking.not_found"
    default_message = "Booking not found."


class EventNotFound(NotFound):
    code = "event.not_found"
    default_message = "Event not found."


class OrganizerNotFound(NotFound):
    code = "organizer.not_found"
    default_message = "Organizer not found."


class BookingNotPayable(Conflict):
    code = "payment.booking_not_payable"
    default_message = "Only a PENDING booking whose seat is still held can be paid."


class PaymentAlreadyOpen(Conflict):
    code = "payment.already_open"
    default_message = "The booking already has an open payment: continue it or cancel it first."

    def __init__(self, existing_payment_id: uuid.UUID | None = None) -> None:
        extra = {"existingPaymentId": str(existing_payment_id)} if existing_payment_id else {}
        super().__init__(extra=extra)
        self.existing_payment_id = existing_payment_id


class PaymentStatusConflict(Conflict):
    code = "payment.invalid_status"
    default_message = "The payment's status does not allow this."


class PaymentForbidden(Forbidden):
    code = "payment.forbidden"
    default_message = "Only the organizer of the event (or an admin) may do this."


class ProviderUnknown(NotFound):
    code = "payment.provider_unknown"
    default_message = "No such payment provider."


class ProviderNotConfigured(RuleViolated):
    code = "payment.provider_unavailable"
    default_message = "This payment provider is not configured."


class QrNotConfigured(RuleViolated):
    code = "payment.qr_unavailable"
    default_message = "Payment by bank transfer is not configured."


class QrOnlyInRoubles(RuleViolated):
    code = "payment.qr_rub_only"
    default_message = (
        "Payment by bank-transfer QR is in roubles only (the QR states its sum in kopecks); "
        "pay this booking by card."
    )


class WrongMethod(RuleViolated):
    code = "payment.wrong_method"
    default_message = "This action is only for QR bank-transfer payments."


class InvalidProof(RuleViolated):
    code = "payment.invalid_proof"
    default_message = (
        "The receipt must be a payment_proof file of this booking, uploaded by you and fully stored."
    )


class RefundTooLarge(RuleViolated):
    code = "payment.refund_too_large"
    default_message = "The refund exceeds what is left to refund of this payment."


class InvalidWebhookSignature(Unauthenticated):
    code = "webhook.invalid_signature"
    default_message = "The notification's signature is missing or wrong."


class ProviderFailed(Busy):
    """The provider did not answer or refused; nothing was charged or refunded."""

    code = "payment.provider_failed"
    default_message = "The payment provider did not answer; please retry."


class PayLinkInvalid(NotFound):
    code = "payment.link_invalid"
    default_message = "This pay link is not valid."


class NoPaymentPage(Conflict):
    code = "payment.no_payment_page"
    default_message = (
        "This payment is made in the payment form of the app (the provider has no page of its own); "
        "open the booking in the app to pay."
    )
