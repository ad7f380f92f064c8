"""A payments world on the memory adapters: the booking world (events, bookings, its use
cases) plus payments' use cases, the sandbox provider and the real hold probe."""

from __future__ import annotations

import uuid
from decimal import Decimal

from aquastream.adapters.memory.booking import MemoryBookingDirectory
from aquastream.adapters.memory.currencies import FixedCurrencies
from aquastream.adapters.memory.payments import (
    PAYMENTS,
    REFUNDS,
    WEBHOOKS,
    MemoryOrganizerDirectory,
    MemoryPaymentRepository,
    MemoryPaymentsUnitOfWork,
    MemoryProofFiles,
)
from aquastream.adapters.payments.probe import PaymentHoldProbe
from aquastream.adapters.payments.registry import ConfiguredProviders
from aquastream.adapters.payments.sandbox import SANDBOX, SandboxProvider
from aquastream.domain.booking.holds import GiveTimeAfterRejection, KeepSeatDuringReview
from aquastream.domain.booking.jobs import ExpireHolds
from aquastream.domain.booking.model import Booking
from aquastream.domain.booking.payments import ConfirmPaidBooking, SettleRefund
from aquastream.domain.payments.init import InitPayment
from aquastream.domain.payments.manage import CancelPayment, ReviewPayment, SubmitProof
from aquastream.domain.payments.model import (
    PROOF_OWNER_TYPE,
    BankAccount,
    Payment,
    ProofFile,
    ProviderStatus,
    Refund,
    WebhookOutcome,
    WebhookRecord,
)
from aquastream.domain.payments.payees import GetPayeeAccount, SetPayeeAccount
from aquastream.domain.payments.policy import PaymentsPolicy
from aquastream.domain.payments.queries import GetPayment, ListEventPayments, ListMyPayments, ModerationQueue
from aquastream.domain.payments.reconcile import ReconcileOpenPayments
from aquastream.domain.payments.refunds import RefundBookingPayments, RefundDuplicatePayment, RefundPayment
from aquastream.domain.payments.webhooks import ProcessWebhook
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal
from tests.unit.booking.booking_world import BookingWorld

PRICE = Decimal("1500.00")
ACCOUNT = BankAccount(
    name="River Rats LLC",
    account="40702810900000000001",
    bank_name="PAO SBERBANK",
    bic="044525225",
    correspondent_account="30101810400000000225",
)


class PaymentsWorld(BookingWorld):
    def __init__(self, policy: PaymentsPolicy | None = None) -> None:
        super().__init__()
        self.payments_policy = policy or PaymentsPolicy(bank_account=ACCOUNT)
        self.sandbox = SandboxProvider("sandbox-secret", "http://test/sandbox/{id}/complete")
        self.providers = ConfiguredProviders(SANDBOX, {SANDBOX: self.sandbox})
        self.organizers = MemoryOrganizerDirectory(
            {self.organizer_id: {self.organizer.user_id}}, {"river-rats": self.organizer_id}
        )
        self.booking_directory = MemoryBookingDirectory(self.db)
        self.proofs = MemoryProofFiles()
        uow, clock = self.new_payments_uow, self.clock
        self.init_payment = InitPayment(
            uow(), clock, self.booking_directory, self.providers, self.payments_policy
        )
        self.cancel_payment = CancelPayment(uow(), clock, self.organizers, self.providers)
        self.submit_proof = SubmitProof(
            uow(), clock, self.organizers, self.booking_directory, self.proofs, self.payments_policy
        )
        self.review = ReviewPayment(uow(), clock, self.organizers)
        self.refund = RefundPayment(uow(), clock, self.organizers, self.providers, FixedCurrencies())
        self.refund_booking = RefundBookingPayments(uow(), clock, self.providers)
        self.refund_duplicate = RefundDuplicatePayment(uow(), clock, self.providers)
        self.process_webhook = ProcessWebhook(uow(), clock, self.providers)
        self.reconcile = ReconcileOpenPayments(uow(), clock, self.providers, self.payments_policy)
        self.get_payment = GetPayment(uow(), self.organizers)
        self.my_payments = ListMyPayments(uow())
        self.event_payments = ListEventPayments(uow(), self.organizers, self.booking_directory)
        self.moderation = ModerationQueue(uow(), self.organizers)
        self.set_payee = SetPayeeAccount(uow(), clock, self.organizers)
        self.get_payee = GetPayeeAccount(uow(), self.organizers)
        self.confirm_paid = ConfirmPaidBooking(self.new_uow(), clock, self.policy)
        self.settle_refund = SettleRefund(self.new_uow(), clock)
        self.keep_seat_during_review = KeepSeatDuringReview(self.new_uow(), clock)
        self.give_time_after_rejection = GiveTimeAfterRejection(self.new_uow(), clock, self.policy)
        self.probe = PaymentHoldProbe(
            MemoryPaymentRepository(self.db), self.providers, self.payments_policy, timeout_seconds=1
        )
        self.expire_holds = ExpireHolds(self.new_uow(), clock, self.probe, self.policy)

    def new_payments_uow(self) -> MemoryPaymentsUnitOfWork:
        return MemoryPaymentsUnitOfWork(self.db)

    async def pending_booking(
        self, user: Principal | None = None, *, price: Decimal = PRICE, currency: str = "RUB"
    ) -> tuple[Principal, Booking]:
        user = user or self.new_user()
        event_id = await self.publish(capacity=2, price=price, currency=currency)
        return user, await self.book(user, event_id)

    async def pay_in_sandbox(
        self, payment: Payment, outcome: ProviderStatus = ProviderStatus.SUCCEEDED
    ) -> None:
        assert payment.provider_payment_id is not None
        await self.process_webhook(SANDBOX, self.sandbox.complete(payment.provider_payment_id, outcome))

    def proof_of(
        self, booking: Booking, *, uploaded_by: uuid.UUID | None = None, **overrides: object
    ) -> uuid.UUID:
        values: dict[str, object] = {
            "id": new_id(),
            "owner_type": PROOF_OWNER_TYPE,
            "owner_id": booking.id,
            "uploaded_by": uploaded_by or booking.user_id,
            "status": "READY",
        }
        values.update(overrides)
        file = ProofFile(**values)  # type: ignore[arg-type]
        self.proofs.files[file.id] = file
        return file.id

    # Committed state, read straight from the tables.

    def payment(self, payment_id: uuid.UUID) -> Payment:
        payment: Payment = self.db.table(PAYMENTS)[payment_id]
        return payment

    def refunds_of(self, payment_id: uuid.UUID) -> list[Refund]:
        return [r for r in self.db.table(REFUNDS).values() if r.payment_id == payment_id]

    def webhooks(self) -> list[WebhookRecord]:
        return list(self.db.table(WEBHOOKS).values())

    def outcomes(self) -> list[WebhookOutcome]:
        return [record.outcome for record in self.webhooks()]
