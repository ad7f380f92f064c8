"""Use cases that move one payment along: the payer cancels it or submits a QR receipt, the
organizer reviews the receipt."""

from __future__ import annotations

import logging
import uuid
from typing import ClassVar

from aquastream.domain.payments.access import load_managed_payment, load_own_payment, managed_organizers
from aquastream.domain.payments.errors import (
    BookingNotPayable,
    InvalidProof,
    PaymentForbidden,
    PaymentNotFound,
    PaymentStatusConflict,
    ProviderFailed,
    WrongMethod,
)
from aquastream.domain.payments.events import PaymentProofSubmitted, PaymentRejected, PaymentSucceeded
from aquastream.domain.payments.model import (
    CANCELLABLE_STATUSES,
    PROOF_OWNER_TYPE,
    Payment,
    PaymentMethod,
    PaymentStatus,
    ProofFile,
)
from aquastream.domain.payments.policy import PaymentsPolicy
from aquastream.domain.shared.errors import FieldError, Raises, ValidationFailed
from aquastream.domain.shared.principal import Principal
from aquastream.ports.clock import Clock
from aquastream.ports.payments import (
    BookingDirectory,
    OrganizerDirectory,
    PaymentProviders,
    PaymentsUnitOfWork,
    ProofFiles,
)

MAX_REASON_LENGTH = 1000

logger = logging.getLogger("aquastream.payments.manage")


class CancelPayment:
    """The payer gives up a payment.

    Rules:
    - only the payer (the organizer gets 403, anyone else 404);
    - only a PENDING payment (nothing moved yet) or a REJECTED QR payment
      (``PaymentStatusConflict``); the booking may then be paid another way;
    - the payment is CANCELLED here first, committed on its own: the payer's decision stands
      whatever the provider does, and no transaction waits on a provider;
    - then a card payment the provider has an id for is cancelled there too
      (``PaymentProvider.cancel``), best effort: a provider that refuses or does not answer
      is logged, and the payment lapses there by itself;
    - should the provider still report it paid (the payer paid first, or it could not be
      stopped), the money is taken and the booking settles it (confirmed, or refunded when
      another payment came first).
    """

    raises: ClassVar[Raises] = (PaymentForbidden, PaymentNotFound, PaymentStatusConflict)

    def __init__(
        self,
        uow: PaymentsUnitOfWork,
        clock: Clock,
        organizers: OrganizerDirectory,
        providers: PaymentProviders,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._organizers = organizers
        self._providers = providers

    async def __call__(self, principal: Principal, payment_id: uuid.UUID) -> Payment:
        managed = await managed_organizers(self._organizers, principal)
        async with self._uow:
            payment = await load_own_payment(self._uow, managed, principal, payment_id)
            cancelled = await self._uow.payments.transition(
                payment.id, expected=CANCELLABLE_STATUSES, new=PaymentStatus.CANCELLED, now=self._clock.now()
            )
            if cancelled is None:
                raise PaymentStatusConflict()
            await self._uow.commit()
        if cancelled.method is PaymentMethod.WIDGET and cancelled.provider_payment_id is not None:
            await self._cancel_at_provider(cancelled, cancelled.provider_payment_id)
        return cancelled

    async def _cancel_at_provider(self, payment: Payment, provider_payment_id: str) -> None:
        context = {"payment_id": str(payment.id), "provider": payment.provider}
        provider = self._providers.get(payment.provider)
        if provider is None:
            logger.warning("payment cancelled here; its provider is no longer configured", extra=context)
            return
        try:
            await provider.cancel(provider_payment_id)
        except ProviderFailed:
            logger.warning(
                "payment cancelled here; its provider did not cancel it, it lapses there", extra=context
            )


def _is_valid_proof(file: ProofFile | None, payment: Payment, payer_id: uuid.UUID) -> bool:
    return (
        file is not None
        and file.owner_type == PROOF_OWNER_TYPE
        and file.owner_id == payment.booking_id
        and file.uploaded_by == payer_id
        and file.status == "READY"
    )


class SubmitProof:
    """The payer of a QR payment hands in the bank's receipt (a media file).

    Rules:
    - only the payer; only QR payments (``WrongMethod``);
    - PENDING, or REJECTED for a resubmission (``PaymentStatusConflict``), while the booking is
      still PENDING and holding its seat (``BookingNotPayable``);
    - the file is a READY ``payment_proof`` file whose owner is the booking and which the payer
      uploaded (``InvalidProof``);
    - the payment becomes SUBMITTED; from then on the booking keeps its seat until the
      organizer decides, at most ``proof_hold``: ``PaymentProofSubmitted`` carries that limit
      (``review_until``), which booking shows as the hold in force (and the expiry job asks
      payments first anyway);
    - ``PaymentProofSubmitted`` commits with the change.
    """

    raises: ClassVar[Raises] = (
        BookingNotPayable,
        InvalidProof,
        PaymentForbidden,
        PaymentNotFound,
        PaymentStatusConflict,
        WrongMethod,
    )

    def __init__(
        self,
        uow: PaymentsUnitOfWork,
        clock: Clock,
        organizers: OrganizerDirectory,
        bookings: BookingDirectory,
        proofs: ProofFiles,
        policy: PaymentsPolicy,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._organizers = organizers
        self._bookings = bookings
        self._proofs = proofs
        self._policy = policy

    async def __call__(self, principal: Principal, payment_id: uuid.UUID, file_id: uuid.UUID) -> Payment:
        managed = await managed_organizers(self._organizers, principal)
        async with self._uow:
            payment = await load_own_payment(self._uow, managed, principal, payment_id)
            if payment.method is not PaymentMethod.QR_MANUAL:
                raise WrongMethod()
            if payment.status not in (PaymentStatus.PENDING, PaymentStatus.REJECTED):
                raise PaymentStatusConflict()
        # Booking and media serve these on their own connections: asked between payments'
        # transactions (the second one's guarded transition refuses a payment that moved on).
        booking = await self._bookings.booking(payment.booking_id)
        if booking is None or not booking.is_payable_at(self._clock.now()):
            raise BookingNotPayable()
        if not _is_valid_proof(await self._proofs.get(file_id), payment, principal.user_id):
            raise InvalidProof()
        async with self._uow:
            now = self._clock.now()
            submitted = await self._uow.payments.transition(
                payment.id,
                expected={PaymentStatus.PENDING, PaymentStatus.REJECTED},
                new=PaymentStatus.SUBMITTED,
                now=now,
                proof_file_id=file_id,
                submitted_at=now,
                rejection_reason=None,
            )
            if submitted is None:
                raise PaymentStatusConflict()
            self._uow.collect(
                PaymentProofSubmitted(
                    occurred_at=now,
                    payment_id=payment.id,
                    booking_id=payment.booking_id,
                    event_id=payment.event_id,
                    organizer_id=payment.organizer_id,
                    user_id=payment.user_id,
                    review_until=now + self._policy.proof_hold,
                )
            )
            await self._uow.commit()
        return submitted


class ReviewPayment:
    """The organizer of the event (or an admin) decides on a submitted QR receipt.

    Rules:
    - only the event's organizer or an admin (the payer gets 403, anyone else 404);
    - only QR payments (``WrongMethod``) in SUBMITTED (``PaymentStatusConflict``);
    - approve: SUCCEEDED, ``PaymentSucceeded`` (booking confirms the booking);
    - reject: a reason is required (400); REJECTED with it, ``PaymentRejected`` (the payer is
      told and may submit another receipt while the booking holds).
    """

    raises: ClassVar[Raises] = (
        PaymentForbidden,
        PaymentNotFound,
        PaymentStatusConflict,
        ValidationFailed,
        WrongMethod,
    )

    def __init__(self, uow: PaymentsUnitOfWork, clock: Clock, organizers: OrganizerDirectory) -> None:
        self._uow = uow
        self._clock = clock
        self._organizers = organizers

    async def __call__(
        self, principal: Principal, payment_id: uuid.UUID, *, approve: bool, reason: str | None = None
    ) -> Payment:
        reason = (reason or "").strip() or None
        if not approve and reason is None:
            raise ValidationFailed(errors=[FieldError("reason", "is required to reject a receipt")])
        if reason is not None and len(reason) > MAX_REASON_LENGTH:
            raise ValidationFailed(errors=[FieldError("reason", f"at most {MAX_REASON_LENGTH} characters")])
        managed = await managed_organizers(self._organizers, principal)
        async with self._uow:
            now = self._clock.now()
            payment = await load_managed_payment(self._uow, managed, principal, payment_id)
            if payment.method is not PaymentMethod.QR_MANUAL:
                raise WrongMethod()
            decided = await self._uow.payments.transition(
                payment.id,
                expected={PaymentStatus.SUBMITTED},
                new=PaymentStatus.SUCCEEDED if approve else PaymentStatus.REJECTED,
                now=now,
                decided_at=now,
                rejection_reason=None if approve else reason,
            )
            if decided is None:
                raise PaymentStatusConflict()
            if approve:
                self._uow.collect(succeeded_event(decided))
            else:
                self._uow.collect(
                    PaymentRejected(
                        occurred_at=now,
                        payment_id=decided.id,
                        booking_id=decided.booking_id,
                        user_id=decided.user_id,
                        reason=reason or "",
                    )
                )
            await self._uow.commit()
        return decided


def succeeded_event(payment: Payment) -> PaymentSucceeded:
    """The fact booking confirms on, for a payment that has just SUCCEEDED."""
    return PaymentSucceeded(
        occurred_at=payment.updated_at,
        payment_id=payment.id,
        booking_id=payment.booking_id,
        event_id=payment.event_id,
        user_id=payment.user_id,
        amount=payment.amount,
        currency=payment.currency,
        method=payment.method.value,
    )
