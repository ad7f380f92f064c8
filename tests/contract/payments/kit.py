"""The payments adapters on one backend (memory, SQLite or PostgreSQL), next to the booking
kit of that backend, with every use case built as the application builds it: a new unit of
work per call, and the ports of other domains read on that unit of work's connection."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.memory.booking import MemoryBookingDirectory
from aquastream.adapters.memory.currencies import FixedCurrencies
from aquastream.adapters.memory.payments import (
    PAYMENTS,
    MemoryOrganizerDirectory,
    MemoryPaymentRepository,
    MemoryPaymentsUnitOfWork,
    MemoryProofFiles,
)
from aquastream.adapters.payments.probe import BookingPayments, PaymentHoldProbe
from aquastream.adapters.payments.registry import ConfiguredProviders
from aquastream.adapters.payments.sandbox import SANDBOX, SandboxProvider
from aquastream.adapters.sql.booking.payables import BookingPayables
from aquastream.adapters.sql.media.proofs import MediaProofFiles
from aquastream.adapters.sql.payments import (
    SqlBookingPayments,
    SqlPaymentsUnitOfWork,
)
from aquastream.adapters.sql.payments.repositories import payment_from_row
from aquastream.adapters.sql.tables.media import files
from aquastream.adapters.sql.tables.payments import payments, webhook_events
from aquastream.domain.booking.jobs import ExpireHolds
from aquastream.domain.booking.model import Booking
from aquastream.domain.booking.payments import ConfirmPaidBooking
from aquastream.domain.payments.init import InitPayment
from aquastream.domain.payments.manage import ReviewPayment, SubmitProof
from aquastream.domain.payments.model import (
    PROOF_OWNER_TYPE,
    Payment,
    PaymentMethod,
    ProofFile,
    ProviderStatus,
    Refund,
    WebhookDelivery,
    WebhookOutcome,
)
from aquastream.domain.payments.policy import PaymentsPolicy
from aquastream.domain.payments.refunds import RefundPayment
from aquastream.domain.payments.webhooks import ProcessWebhook
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal
from aquastream.ioc.worker import SPINE_TABLES
from aquastream.ports.payments import BookingDirectory, PaymentsUnitOfWork, ProofFiles
from tests.contract.booking.kit import BookingKit, memory_kit, sql_kit
from tests.unit.payments.payments_world import ACCOUNT

PRICE = Decimal("1500.00")


@dataclass(frozen=True)
class Ports:
    """A payments unit of work and the other domains' ports read on its connection."""

    uow: PaymentsUnitOfWork
    bookings: BookingDirectory
    proofs: ProofFiles


class PaymentsKit:
    def __init__(
        self,
        booking: BookingKit,
        new_ports: Callable[[], Ports],
        booking_payments: Callable[[Any], BookingPayments],
        *,
        memory_proofs: MemoryProofFiles | None = None,
    ) -> None:
        self.booking = booking
        self.name = booking.name
        self.clock = booking.clock
        self.new_ports = new_ports
        self._booking_payments = booking_payments
        self._memory_proofs = memory_proofs
        self.policy = PaymentsPolicy(bank_account=ACCOUNT)
        self.sandbox = SandboxProvider("sandbox-secret", "http://test/sandbox/{id}/complete")
        self.providers = ConfiguredProviders(SANDBOX, {SANDBOX: self.sandbox})
        self.organizers = MemoryOrganizerDirectory({booking.organizer_id: {booking.organizer.user_id}})
        # The providers the expiry job's probe asks; a test empties it for a provider that
        # does not answer.
        self.probe_providers = self.providers

    @property
    def one_writer_at_a_time(self) -> bool:
        return self.booking.one_writer_at_a_time

    async def pending_booking(
        self, capacity: int = 2, *, price: Decimal = PRICE, currency: str = "RUB"
    ) -> tuple[Principal, Booking]:
        user = self.booking.new_user()
        event_id = await self.booking.publish(capacity, price=price, currency=currency)
        return user, await self.booking.book(user, event_id)

    # Use cases, each on a unit of work of its own.

    async def init(self, user: Principal, booking_id: uuid.UUID, method: PaymentMethod) -> Payment:
        ports = self.new_ports()
        return await InitPayment(ports.uow, self.clock, ports.bookings, self.providers, self.policy)(
            user, booking_id, method
        )

    async def webhook(self, delivery: WebhookDelivery) -> WebhookOutcome | None:
        return await ProcessWebhook(self.new_ports().uow, self.clock, self.providers)(SANDBOX, delivery)

    def paid_notice(self, payment: Payment) -> WebhookDelivery:
        assert payment.provider_payment_id is not None
        return self.sandbox.complete(payment.provider_payment_id, ProviderStatus.SUCCEEDED)

    async def submit(self, user: Principal, payment_id: uuid.UUID, file_id: uuid.UUID) -> Payment:
        ports = self.new_ports()
        use_case = SubmitProof(
            ports.uow, self.clock, self.organizers, ports.bookings, ports.proofs, self.policy
        )
        return await use_case(user, payment_id, file_id)

    async def approve(self, payment_id: uuid.UUID) -> Payment:
        use_case = ReviewPayment(self.new_ports().uow, self.clock, self.organizers)
        return await use_case(self.booking.organizer, payment_id, approve=True)

    async def refund(self, payment_id: uuid.UUID, amount: Decimal) -> Refund:
        use_case = RefundPayment(
            self.new_ports().uow, self.clock, self.organizers, self.providers, FixedCurrencies()
        )
        return await use_case(self.booking.organizer, payment_id, amount, None)

    async def open_card_payments(self, minutes_old: int) -> list[Payment]:
        """Card payments opened between a day and ``minutes_old`` minutes ago, as the
        reconciliation job asks for them."""
        ports = self.new_ports()
        now = self.clock.now()
        async with ports.uow:
            return await ports.uow.payments.open_card_payments(
                opened_after=now - timedelta(days=1),
                opened_before=now - timedelta(minutes=minutes_old),
                limit=10,
            )

    async def confirm_paid(self, booking_id: uuid.UUID) -> Booking | None:
        return await ConfirmPaidBooking(self.booking.new_uow(), self.clock, self.booking.policy)(booking_id)

    async def expire_holds(self) -> int:
        uow = self.booking.new_uow()
        probe = PaymentHoldProbe(
            self._booking_payments(uow), self.probe_providers, self.policy, timeout_seconds=2
        )
        return await ExpireHolds(uow, self.clock, probe, self.booking.policy)()

    async def hold_until(self, booking_id: uuid.UUID) -> datetime | None:
        uow = self.booking.new_uow()
        probe = PaymentHoldProbe(self._booking_payments(uow), self.providers, self.policy, timeout_seconds=2)
        async with uow:
            return await probe.hold_until(booking_id, now=self.clock.now())

    async def hold_until_many(self, booking_ids: list[uuid.UUID]) -> Mapping[uuid.UUID, datetime]:
        uow = self.booking.new_uow()
        probe = PaymentHoldProbe(self._booking_payments(uow), self.providers, self.policy, timeout_seconds=2)
        async with uow:
            return await probe.hold_until_many(booking_ids, now=self.clock.now())

    async def add_proof(self, booking: Booking, uploaded_by: uuid.UUID, status: str = "READY") -> uuid.UUID:
        """A receipt row as the media domain writes it."""
        file = ProofFile(new_id(), PROOF_OWNER_TYPE, booking.id, uploaded_by, status)
        if self._memory_proofs is not None:
            self._memory_proofs.files[file.id] = file
            return file.id
        assert self.booking.engine is not None
        async with self.booking.engine.begin() as connection:
            await connection.execute(
                insert(files).values(
                    id=file.id,
                    owner_type=file.owner_type,
                    owner_id=file.owner_id,
                    uploaded_by=file.uploaded_by,
                    status=file.status,
                    storage_key=f"proofs/{file.id}",
                    created_at=self.clock.now(),
                )
            )
        return file.id

    # Committed state, read outside any use case.

    async def payment(self, payment_id: uuid.UUID) -> Payment:
        if self.booking.engine is None:
            assert self.booking.db is not None
            stored: Payment = self.booking.db.table(PAYMENTS)[payment_id]
            return stored
        async with self.booking.engine.connect() as connection:
            row = (
                (await connection.execute(select(payments).where(payments.c.id == payment_id)))
                .mappings()
                .one()
            )
        return payment_from_row(row)

    async def counts(self) -> tuple[int, int]:
        """(stored notifications, PaymentSucceeded events in the outbox)."""
        return await self.stored_notifications(), await self.events("PaymentSucceeded")

    async def stored_notifications(self) -> int:
        if self.booking.engine is None:
            assert self.booking.db is not None
            return len(self.booking.db.table("payments.webhook_events"))
        async with self.booking.engine.connect() as connection:
            return int(await connection.scalar(select(func.count()).select_from(webhook_events)) or 0)

    async def events(self, name: str) -> int:
        """How many facts of this name the domains published (their outboxes)."""
        if self.booking.engine is None:
            assert self.booking.db is not None
            return sum(1 for row in self.booking.db.table("outbox").values() if row.event_name == name)
        total = 0
        async with self.booking.engine.connect() as connection:
            for outbox, _ in SPINE_TABLES.values():
                query = select(func.count()).select_from(outbox).where(outbox.c.event_name == name)
                total += int(await connection.scalar(query) or 0)
        return total


def memory_payments_kit() -> PaymentsKit:
    booking = memory_kit()
    db = booking.db
    assert db is not None
    proofs = MemoryProofFiles()

    def new_ports() -> Ports:
        return Ports(MemoryPaymentsUnitOfWork(db), MemoryBookingDirectory(db), proofs)

    return PaymentsKit(booking, new_ports, lambda _: MemoryPaymentRepository(db), memory_proofs=proofs)


def sql_payments_kit(name: str, engine: AsyncEngine) -> PaymentsKit:
    def new_ports() -> Ports:
        uow = SqlPaymentsUnitOfWork(engine)
        return Ports(uow, BookingPayables(engine), MediaProofFiles(engine))  # served by their owners

    return PaymentsKit(sql_kit(name, engine), new_ports, lambda _: SqlBookingPayments(engine))
