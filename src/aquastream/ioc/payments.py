"""Providers of the payments domain: its unit of work and the ports it asks other domains,
the card providers, its use cases, booking's payment probe, and the subscriptions between
payments and booking (a succeeded payment confirms its booking, a refund request refunds,
a full refund settles the booking's payment status)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

from dishka import AsyncContainer, Provider, Scope, provide, provide_all

from aquastream.adapters.http.tracing import Tracing
from aquastream.adapters.outbound import PaymentsHttp
from aquastream.adapters.payments.open_payments import PaymentsOfBookings
from aquastream.adapters.payments.probe import PaymentHoldProbe
from aquastream.adapters.payments.registry import build_providers
from aquastream.adapters.sql.engine import DomainEngines
from aquastream.adapters.sql.payments import (
    SqlBookingPayments,
    SqlPaymentsUnitOfWork,
)
from aquastream.domain.booking.events import COMPANION_SEAT, RefundRequested
from aquastream.domain.payments.events import (
    DuplicatePaymentReceived,
)
from aquastream.domain.payments.init import InitPayment, PayByLink
from aquastream.domain.payments.manage import CancelPayment, ReviewPayment, SubmitProof
from aquastream.domain.payments.model import BankAccount
from aquastream.domain.payments.payees import GetPayeeAccount, SetPayeeAccount
from aquastream.domain.payments.policy import PaymentsPolicy
from aquastream.domain.payments.privacy import ExportMyPaymentData
from aquastream.domain.payments.queries import GetPayment, ListEventPayments, ListMyPayments, ModerationQueue
from aquastream.domain.payments.reconcile import ReconcileOpenPayments
from aquastream.domain.payments.refunds import RefundBookingPayments, RefundDuplicatePayment, RefundPayment
from aquastream.domain.payments.retention import WEBHOOK_PRUNE_BATCH_SIZE, PruneWebhookEvents
from aquastream.domain.payments.webhooks import ProcessWebhook
from aquastream.domain.shared.privacy import PersonalDataSection
from aquastream.domain.shared.scheduling import PeriodicJob
from aquastream.ioc.subscriptions import Reactions, on
from aquastream.ioc.worker import purge_request_keys_job, sweep, use_case_job
from aquastream.ports.booking import OpenPayments, PaymentStatusProbe
from aquastream.ports.clock import Clock
from aquastream.ports.payments import (
    PaymentProviders,
    PaymentsUnitOfWork,
)
from aquastream.settings import Settings

RECONCILE_JOB = "payments.reconcile_open_payments"
PURGE_IDEMPOTENCY_JOB = "payments.purge_idempotency_keys"
PRUNE_WEBHOOKS_JOB = "payments.prune_webhook_events"
RECONCILE_INTERVAL = timedelta(minutes=5)

# Outside production, without configured details, QR payments go to this obviously fake payee.
DEMO_BANK_ACCOUNT = BankAccount(
    name="AquaStream Demo",
    account="40702810900000000001",
    bank_name="DEMO BANK",
    bic="044525000",
    correspondent_account="30101810400000000225",
)


def bank_account(settings: Settings) -> BankAccount | None:
    """The QR payee from settings when all five details are set; a demo payee in development."""
    details = (
        settings.qr_payee_name,
        settings.qr_account,
        settings.qr_bank_name,
        settings.qr_bic,
        settings.qr_correspondent_account,
    )
    if all(details):
        name, account, bank_name, bic, correspondent = (str(value) for value in details)
        return BankAccount(name, account, bank_name, bic, correspondent)
    return None if settings.env == "production" else DEMO_BANK_ACCOUNT


def is_share(reason: str) -> bool:
    """Whether booking asks to refund one companion's share (``COMPANION_SEAT:<seat>``), not
    everything paid."""
    return reason.startswith(f"{COMPANION_SEAT}:")


REACTIONS = Reactions(
    "payments",
    on(DuplicatePaymentReceived, RefundDuplicatePayment).call(lambda refund, e: refund(e.payment_id)),
    on(RefundRequested, RefundBookingPayments).call(
        lambda refund, e: refund(e.booking_id, e.reason, e.amount if is_share(e.reason) else None)
    ),
)


class PaymentsProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def policy(self, settings: Settings) -> PaymentsPolicy:
        return PaymentsPolicy(
            return_url=settings.payments_return_url,
            proof_hold=timedelta(seconds=settings.payments_proof_hold_seconds),
            bank_account=bank_account(settings),
            webhook_retention=timedelta(days=settings.webhook_retention_days),
        )

    @provide(scope=Scope.APP)
    async def http_client(self, settings: Settings, tracing: Tracing) -> AsyncIterator[PaymentsHttp]:
        http = PaymentsHttp(settings.payments_provider_timeout_seconds, tracing)
        try:
            yield http
        finally:
            await http.aclose()

    @provide(scope=Scope.APP)
    def providers(self, settings: Settings, http: PaymentsHttp, clock: Clock) -> PaymentProviders:
        return build_providers(settings, http, clock)

    @provide
    def sql_uow(self, engines: DomainEngines) -> SqlPaymentsUnitOfWork:
        return SqlPaymentsUnitOfWork(engines.of("payments"))

    @provide
    def uow(self, uow: SqlPaymentsUnitOfWork) -> PaymentsUnitOfWork:
        return uow

    # The other domains are read inside payments' transaction, on its connection.

    # Booking asks what payments are under way for its bookings, in payments' own transaction.
    @provide
    def open_payments(self, uow: PaymentsUnitOfWork) -> OpenPayments:
        return PaymentsOfBookings(uow)

    # Booking asks from inside its expiry transaction; payments answers on its own connection.
    @provide
    def probe(
        self,
        engines: DomainEngines,
        providers: PaymentProviders,
        policy: PaymentsPolicy,
        settings: Settings,
    ) -> PaymentStatusProbe:
        return PaymentHoldProbe(
            SqlBookingPayments(engines.of("payments")),
            providers,
            policy,
            timeout_seconds=settings.payments_probe_timeout_seconds,
        )

    use_cases = provide_all(
        ExportMyPaymentData,
        InitPayment,
        PayByLink,
        GetPayment,
        ListMyPayments,
        ListEventPayments,
        ModerationQueue,
        CancelPayment,
        SubmitProof,
        ReviewPayment,
        RefundPayment,
        RefundBookingPayments,
        RefundDuplicatePayment,
        ProcessWebhook,
        PruneWebhookEvents,
        ReconcileOpenPayments,
        SetPayeeAccount,
        GetPayeeAccount,
    )

    @provide(provides=PersonalDataSection)
    def payments_section(self, export: ExportMyPaymentData) -> PersonalDataSection:
        return PersonalDataSection("payments", export)

    @provide(scope=Scope.APP, provides=PeriodicJob)
    def purge_request_keys_job(self, container: AsyncContainer, clock: Clock) -> PeriodicJob:
        return purge_request_keys_job(container, PURGE_IDEMPOTENCY_JOB, PaymentsUnitOfWork, clock)

    @provide(scope=Scope.APP, provides=PeriodicJob)
    def reconcile_job(self, container: AsyncContainer) -> PeriodicJob:
        return use_case_job(
            container, RECONCILE_JOB, RECONCILE_INTERVAL, ReconcileOpenPayments, lambda reconcile: reconcile()
        )

    @provide(scope=Scope.APP, provides=PeriodicJob)
    def prune_webhooks_job(self, container: AsyncContainer) -> PeriodicJob:
        """Hourly: the period is counted in days, and a backlog goes in bounded batches."""
        return use_case_job(
            container,
            PRUNE_WEBHOOKS_JOB,
            timedelta(hours=1),
            PruneWebhookEvents,
            lambda prune: sweep(prune, WEBHOOK_PRUNE_BATCH_SIZE),
        )

    @provide(scope=Scope.APP)
    def reactions(self) -> Reactions:
        return REACTIONS
