"""Providers of the notification domain: its unit of work and the ports it asks other domains,
the channels, the use cases, the sender, reminder and inbox retention jobs, and the table of which fact of
another domain becomes which message.

Adding a category's fact is one entry in ``NOTICE_RULES`` (and a template in
``domain/notifications/templates.py``).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from dishka import AsyncContainer, Provider, Scope, decorate, provide, provide_all

from aquastream.adapters.currencies import written
from aquastream.adapters.http.metrics import CountedSender
from aquastream.adapters.http.tracing import Tracing
from aquastream.adapters.notify.channels import (
    ChannelRouter,
    EmailSender,
    LogSender,
    SmsGatewaySender,
    TelegramBotSender,
)
from aquastream.adapters.notify.recovery import (
    LogRecoveryCodeSender,
    SmtpRecoveryCodeSender,
    TelegramRecoveryCodeSender,
)
from aquastream.adapters.notify.smtp import Mailer
from aquastream.adapters.outbound import NotificationsHttp
from aquastream.adapters.sql.engine import DomainEngines
from aquastream.adapters.sql.notifications import SqlNotificationUnitOfWork
from aquastream.domain.booking.events import (
    SEAT_LOST,
    BookingCancelled,
    BookingConfirmed,
    BookingCreated,
    BookingExpired,
    BookingStatus,
    LogReason,
    RefundRequested,
    WaitlistClosed,
    WaitlistSeatOffered,
)
from aquastream.domain.crews.events import CrewAssigned
from aquastream.domain.identity.events import UserBlocked, UserDeleted, UserRoleChanged, UserUnblocked
from aquastream.domain.notifications.admin import SendTestMessage
from aquastream.domain.notifications.bot import HandleBotMessage
from aquastream.domain.notifications.events import PostEventNews, SendEventReminders
from aquastream.domain.notifications.inbox import (
    INBOX_PRUNE_BATCH_SIZE,
    InboxPolicy,
    ListInbox,
    MarkAllRead,
    MarkRead,
    PruneInbox,
)
from aquastream.domain.notifications.model import Category, Channel, Notice
from aquastream.domain.notifications.notify import Notify
from aquastream.domain.notifications.policy import NotificationPolicy
from aquastream.domain.notifications.preferences import GetMyPreferences, UpdateMyPreferences
from aquastream.domain.notifications.privacy import ExportMyNotificationData, ForgetUser
from aquastream.domain.notifications.sending import SendDueMessages
from aquastream.domain.payments.events import (
    PaymentFailed,
    PaymentRefunded,
    PaymentRejected,
    PaymentSucceeded,
)
from aquastream.domain.shared.events import DomainEvent
from aquastream.domain.shared.privacy import PersonalDataSection
from aquastream.domain.shared.scheduling import PeriodicJob
from aquastream.ioc.subscriptions import Reaction, Reactions, on
from aquastream.ioc.worker import sweep, use_case_job
from aquastream.ports.identity import RecoveryCodeSender, VerificationCodeSender
from aquastream.ports.notifications import MessageSender, NotificationUnitOfWork
from aquastream.settings import Settings

SEND_JOB = "notifications.send"
REMINDERS_JOB = "notifications.reminders"
PRUNE_INBOX_JOB = "notifications.prune_inbox"
HTTP_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class NoticeRule:
    """Which messages one kind of fact calls for (none is a valid answer)."""

    event_type: type[DomainEvent]
    notices: Callable[[Any], Sequence[Notice]]


def _booking_created(e: BookingCreated) -> list[Notice]:
    if e.status != BookingStatus.PENDING:
        return []  # a free booking is confirmed at once: BookingConfirmed tells the user
    params: dict[str, str | datetime] = {"expires_at": e.expires_at or e.occurred_at}
    if e.pay_url:
        params["pay_url"] = e.pay_url
    return [
        Notice(
            e.user_id,
            Category.BOOKING_STATUS,
            f"booking:{e.booking_id}:created",
            "booking_created" if e.pay_url else "booking_created_unlinked",
            e.event_id,
            params,
            booking_id=e.booking_id,
        )
    ]


_CANCELLED_TEMPLATES = {
    LogReason.EVENT_CANCELLED: "event_cancelled",
    LogReason.CANCELLED_BY_ORGANIZER: "booking_cancelled_by_organizer",
}

NOTICE_RULES: tuple[NoticeRule, ...] = (
    NoticeRule(BookingCreated, _booking_created),
    NoticeRule(
        BookingConfirmed,
        lambda e: [
            Notice(
                e.user_id,
                Category.BOOKING_CONFIRMED,
                f"booking:{e.booking_id}:confirmed",
                "booking_confirmed_tickets",
                e.event_id,
                # The API's path of the booking's tickets (relative to the API's host).
                {"tickets_url": f"/api/v1/bookings/{e.booking_id}/tickets"},
                booking_id=e.booking_id,
            )
        ],
    ),
    NoticeRule(
        BookingCancelled,
        lambda e: [
            Notice(
                e.user_id,
                Category.BOOKING_STATUS,
                f"booking:{e.booking_id}:cancelled",
                _CANCELLED_TEMPLATES.get(e.reason, "booking_cancelled"),
                e.event_id,
                booking_id=e.booking_id,
            )
        ],
    ),
    NoticeRule(
        BookingExpired,
        lambda e: [
            Notice(
                e.user_id,
                Category.BOOKING_STATUS,
                f"booking:{e.booking_id}:expired",
                "booking_expired",
                e.event_id,
                booking_id=e.booking_id,
            )
        ],
    ),
    NoticeRule(
        WaitlistSeatOffered,
        lambda e: [
            Notice(
                e.user_id,
                Category.WAITLIST_AVAILABLE,
                f"waitlist:{e.entry_id}:offered",
                "waitlist_available",
                e.event_id,
                {"window_expires_at": e.window_expires_at},
            )
        ],
    ),
    NoticeRule(
        WaitlistClosed,
        lambda e: [
            Notice(
                e.user_id,
                Category.BOOKING_STATUS,
                f"waitlist:{e.entry_id}:closed",
                "waitlist_event_cancelled",
                e.event_id,
            )
        ],
    ),
    NoticeRule(
        PaymentSucceeded,
        lambda e: [
            _payment(e, "succeeded", "payment_succeeded", e.event_id, amount=_money(e.amount, e.currency))
        ],
    ),
    NoticeRule(PaymentFailed, lambda e: [_payment(e, "failed", "payment_failed")]),
    NoticeRule(
        PaymentRejected,
        # One notice per rejection: a payer may resubmit and be rejected again.
        lambda e: [_payment(e, f"rejected:{e.message_id}", "payment_rejected", reason=e.reason)],
    ),
    NoticeRule(
        PaymentRefunded,
        lambda e: [
            _payment(
                e,
                f"refunded:{e.message_id}",
                "payment_refunded_manually" if e.manual else "payment_refunded",
                amount=_money(e.amount, e.currency),
            )
        ],
    ),
    NoticeRule(
        RefundRequested,
        lambda e: (
            [
                Notice(
                    e.user_id,
                    Category.PAYMENT_STATUS,
                    f"booking:{e.booking_id}:seat_lost",
                    "payment_seat_lost",
                    e.event_id,
                    booking_id=e.booking_id,
                )
            ]
            if e.reason == SEAT_LOST
            else []
        ),
    ),
    NoticeRule(
        UserRoleChanged,
        lambda e: [_account(e, "role_changed", "account_role_changed", role=e.new_role)],
    ),
    # The notice of a block reaches the blocked account (its inbox shows it after an unblock).
    NoticeRule(UserBlocked, lambda e: [_account(e, "blocked", "account_blocked", to_blocked_account=True)]),
    NoticeRule(UserUnblocked, lambda e: [_account(e, "unblocked", "account_unblocked")]),
    NoticeRule(
        CrewAssigned,
        lambda e: [
            Notice(
                e.user_id,
                Category.CREW_ASSIGNMENT,
                f"crew:{e.assignment_id}:assigned",
                "crew_assignment",
                e.event_id,
                {"crew": _crew_place(e)},
            )
        ],
    ),
)


def _payment(
    e: PaymentSucceeded | PaymentFailed | PaymentRejected | PaymentRefunded,
    what: str,
    template: str,
    event_id: uuid.UUID | None = None,
    **params: str,
) -> Notice:
    return Notice(
        e.user_id,
        Category.PAYMENT_STATUS,
        f"payment:{e.payment_id}:{what}",
        template,
        event_id,
        params,
        booking_id=e.booking_id,
    )


def _account(
    e: UserRoleChanged | UserBlocked | UserUnblocked,
    what: str,
    template: str,
    *,
    to_blocked_account: bool = False,
    **params: str,
) -> Notice:
    """One notice per fact (an account may be blocked, unblocked and blocked again)."""
    return Notice(
        e.user_id,
        Category.ACCOUNT,
        f"account:{what}:{e.message_id}",
        template,
        params=params,
        to_blocked_account=to_blocked_account,
    )


def _money(amount: Decimal, currency: str) -> str:
    return f"{written(amount, currency)} {currency}"


def _crew_place(assigned: CrewAssigned) -> str:
    """``Raft 2`` or ``Raft 2 #4`` (a seat number), then the position when there is one."""
    place = assigned.crew_name
    if assigned.seat_number is not None:
        place = f"{place} #{assigned.seat_number}"
    return f"{place}, {assigned.position}" if assigned.position else place


def _reaction(rule: NoticeRule) -> Reaction[Any, Notify]:
    # Many facts' notices in one transaction: a backlog costs a few round trips per batch.
    return on(rule.event_type, Notify).call_many(
        lambda notify, events: notify(*(notice for e in events for notice in rule.notices(e)))
    )


REACTIONS = Reactions(
    "notifications",
    *(_reaction(rule) for rule in NOTICE_RULES),
    on(UserDeleted, ForgetUser).call(lambda forget, e: forget(e.user_id)),
)


def telegram_bot(settings: Settings, http: NotificationsHttp) -> TelegramBotSender | None:
    """The bot, when a token is configured (recovery codes use it too)."""
    if not settings.telegram_bot_token:
        return None
    return TelegramBotSender(http.client, settings.telegram_bot_token, settings.telegram_api_url)


def smtp_mailer(settings: Settings) -> Mailer | None:
    if not settings.smtp_host:
        return None
    return Mailer(
        settings.smtp_host,
        settings.smtp_port,
        settings.smtp_username,
        settings.smtp_password,
        settings.smtp_from,
        settings.smtp_starttls,
    )


class NotificationProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def reactions(self) -> Reactions:
        return REACTIONS

    @provide(scope=Scope.APP)
    def policy(self, settings: Settings) -> NotificationPolicy:
        return NotificationPolicy(
            max_attempts=settings.notification_max_attempts,
            retry_base=timedelta(seconds=settings.notification_retry_base_seconds),
        )

    @provide(scope=Scope.APP)
    def inbox_policy(self, settings: Settings) -> InboxPolicy:
        return InboxPolicy(retention=timedelta(days=settings.notification_inbox_retention_days))

    @provide
    def sql_uow(self, engines: DomainEngines) -> SqlNotificationUnitOfWork:
        return SqlNotificationUnitOfWork(engines.of("notifications"))

    @provide
    def uow(self, uow: SqlNotificationUnitOfWork) -> NotificationUnitOfWork:
        return uow

    # RecipientDirectory, EventDirectory, EventParticipants and OrganizerAccess are served by
    # identity, catalog and booking on their own connections, TelegramLinker by identity's use
    # case (their ``*QueriesProvider``).

    @provide(scope=Scope.APP)
    async def http_client(self, tracing: Tracing) -> AsyncIterator[NotificationsHttp]:
        http = NotificationsHttp(HTTP_TIMEOUT_SECONDS, tracing)
        try:
            yield http
        finally:
            await http.aclose()

    @provide(scope=Scope.APP)
    def sender(self, settings: Settings, http: NotificationsHttp) -> MessageSender:
        """Each configured channel delivers; the others write to the log (SPEC §10)."""
        senders: dict[Channel, MessageSender] = {}
        if telegram := telegram_bot(settings, http):
            senders[Channel.TELEGRAM] = telegram
        if mailer := smtp_mailer(settings):
            senders[Channel.EMAIL] = EmailSender(mailer)
        if settings.sms_gateway_url:
            senders[Channel.SMS] = SmsGatewaySender(
                http.client, settings.sms_gateway_url, settings.sms_gateway_token
            )
        return ChannelRouter(senders, LogSender(reveal=settings.env != "production"))

    use_cases = provide_all(
        ExportMyNotificationData,
        Notify,
        SendDueMessages,
        SendEventReminders,
        PostEventNews,
        SendTestMessage,
        GetMyPreferences,
        UpdateMyPreferences,
        HandleBotMessage,
        ForgetUser,
        ListInbox,
        MarkRead,
        MarkAllRead,
        PruneInbox,
    )

    @provide(provides=PersonalDataSection)
    def notifications_section(self, export: ExportMyNotificationData) -> PersonalDataSection:
        return PersonalDataSection("notifications", export)

    @provide(scope=Scope.APP, provides=PeriodicJob)
    def send_job(
        self, container: AsyncContainer, settings: Settings, policy: NotificationPolicy
    ) -> PeriodicJob:
        return use_case_job(
            container,
            SEND_JOB,
            timedelta(seconds=settings.notification_send_seconds),
            SendDueMessages,
            lambda send: sweep(send, policy.batch_size),
        )

    @provide(scope=Scope.APP, provides=PeriodicJob)
    def reminders_job(self, container: AsyncContainer, settings: Settings) -> PeriodicJob:
        return use_case_job(
            container,
            REMINDERS_JOB,
            timedelta(seconds=settings.notification_reminder_sweep_seconds),
            SendEventReminders,
            lambda remind: remind(),
        )

    @provide(scope=Scope.APP, provides=PeriodicJob)
    def prune_inbox_job(self, container: AsyncContainer) -> PeriodicJob:
        """Hourly: the period is counted in days, and a backlog goes in bounded batches."""
        return use_case_job(
            container,
            PRUNE_INBOX_JOB,
            timedelta(hours=1),
            PruneInbox,
            lambda prune: sweep(prune, INBOX_PRUNE_BATCH_SIZE),
        )


class DeliveryMetricsProvider(Provider):
    """Counts every delivery attempt's outcome under its message's channel, around whatever
    sender is provided: the sender job's outcome (sent, or an error to retry or give up on)
    is the sender's answer, so the domain and the channels need no metrics of their own."""

    @decorate(scope=Scope.APP)
    def counted_sender(self, sender: MessageSender) -> MessageSender:
        return CountedSender(sender)


class RecoveryMessagesProvider(Provider):
    """Identity's one-time codes, sent through notifications' channels (identity's ports
    ``RecoveryCodeSender`` and ``VerificationCodeSender``, served here so that identity needs
    no channel of its own)."""

    @provide(scope=Scope.APP)
    def verification_sender(self, settings: Settings) -> VerificationCodeSender:
        """Email-verification codes go by email when SMTP is configured, else to the log
        (revealed outside production, so a developer can verify an address locally)."""
        minutes = max(1, settings.recovery_code_ttl_seconds // 60)
        if mailer := smtp_mailer(settings):
            return SmtpRecoveryCodeSender(mailer, code_ttl_minutes=minutes)
        return LogRecoveryCodeSender(reveal_codes=settings.env != "production")

    @provide(scope=Scope.APP)
    def recovery_sender(self, settings: Settings, http: NotificationsHttp) -> RecoveryCodeSender:
        """Telegram for users with a linked chat when a bot is configured, else (and when
        Telegram fails) email when SMTP is configured, else the log."""
        minutes = max(1, settings.recovery_code_ttl_seconds // 60)
        fallback: RecoveryCodeSender
        if mailer := smtp_mailer(settings):
            fallback = SmtpRecoveryCodeSender(mailer, code_ttl_minutes=minutes)
        else:
            # Without SMTP a developer still needs the code to finish recovery locally.
            fallback = LogRecoveryCodeSender(reveal_codes=settings.env != "production")
        if telegram := telegram_bot(settings, http):
            return TelegramRecoveryCodeSender(telegram, fallback, code_ttl_minutes=minutes)
        return fallback
