"""Which fact of another domain becomes which message (the table in the composition root)."""

from __future__ import annotations

import string
from datetime import timedelta
from decimal import Decimal

import msgspec
import pytest

from aquastream.domain.booking.events import (
    SEAT_LOST,
    BookingCancelled,
    BookingConfirmed,
    BookingCreated,
    BookingExpired,
    LogReason,
    RefundRequested,
    WaitlistSeatOffered,
)
from aquastream.domain.notifications.model import Category, Language, Notice
from aquastream.domain.notifications.templates import TEMPLATES, render
from aquastream.domain.payments.events import PaymentRefunded, PaymentRejected, PaymentSucceeded
from aquastream.domain.shared.events import DomainEvent
from aquastream.domain.shared.ids import new_id
from aquastream.ioc.notifications import NOTICE_RULES

from .world import NOW

USER, EVENT, BOOKING = new_id(), new_id(), new_id()


def notices_for(fact: DomainEvent) -> list[Notice]:
    return [n for rule in NOTICE_RULES if isinstance(fact, rule.event_type) for n in rule.notices(fact)]


PAY_URL = "https://api.example.org/api/v1/payments/pay/x?token=t"


def created(status: str) -> BookingCreated:
    return BookingCreated(
        occurred_at=NOW,
        booking_id=BOOKING,
        event_id=EVENT,
        user_id=USER,
        status=status,
        payment_status="PENDING",
        amount=Decimal("1500.00"),
        currency="RUB",
        expires_at=NOW + timedelta(minutes=30),
        pay_url=PAY_URL if status == "PENDING" else None,
    )


def cancelled(reason: str) -> BookingCancelled:
    return BookingCancelled(
        occurred_at=NOW, booking_id=BOOKING, event_id=EVENT, user_id=USER, reason=reason, actor_id=None
    )


def test_a_pending_booking_tells_until_when_to_pay_and_where() -> None:
    [notice] = notices_for(created("PENDING"))

    assert (notice.category, notice.subject, notice.template) == (
        Category.BOOKING_STATUS,
        f"booking:{BOOKING}:created",
        "booking_created",
    )
    assert notice.params == {"expires_at": NOW + timedelta(minutes=30), "pay_url": PAY_URL}
    rendered = render("booking_created", Language.EN, notice.params, None)
    assert rendered.body.endswith(f"released: {PAY_URL}")


def test_a_booking_told_of_before_pay_links_existed_keeps_the_old_text() -> None:
    [notice] = notices_for(msgspec.structs.replace(created("PENDING"), pay_url=None))

    assert notice.template == "booking_created_unlinked"
    assert "pay_url" not in notice.params


def test_a_free_booking_is_told_once_by_its_confirmation() -> None:
    assert notices_for(created("CONFIRMED")) == []
    [notice] = notices_for(
        BookingConfirmed(occurred_at=NOW, booking_id=BOOKING, event_id=EVENT, user_id=USER)
    )
    assert (notice.category, notice.subject) == (Category.BOOKING_CONFIRMED, f"booking:{BOOKING}:confirmed")


def test_a_cancellation_is_worded_after_who_cancelled() -> None:
    templates = {
        reason: notices_for(cancelled(reason))[0].template
        for reason in (
            LogReason.CANCELLED_BY_USER,
            LogReason.CANCELLED_BY_ORGANIZER,
            LogReason.EVENT_CANCELLED,
        )
    }

    assert templates == {
        LogReason.CANCELLED_BY_USER: "booking_cancelled",
        LogReason.CANCELLED_BY_ORGANIZER: "booking_cancelled_by_organizer",
        LogReason.EVENT_CANCELLED: "event_cancelled",
    }


def test_expiry_and_waitlist_offers_have_their_messages() -> None:
    [expired] = notices_for(BookingExpired(occurred_at=NOW, booking_id=BOOKING, event_id=EVENT, user_id=USER))
    entry = new_id()
    [offered] = notices_for(
        WaitlistSeatOffered(
            occurred_at=NOW, user_id=USER, event_id=EVENT, entry_id=entry, window_expires_at=NOW
        )
    )

    assert (expired.category, expired.subject) == (Category.BOOKING_STATUS, f"booking:{BOOKING}:expired")
    assert (offered.category, offered.subject) == (Category.WAITLIST_AVAILABLE, f"waitlist:{entry}:offered")


def test_every_template_exists_in_both_languages_with_the_same_placeholders() -> None:
    for name, texts in TEMPLATES.items():
        ru, en = texts.values()
        for field in ("title", "body"):
            placeholders = [set(_fields(getattr(t, field))) for t in (ru, en)]
            assert placeholders[0] == placeholders[1], (name, field)


def _fields(text: str) -> list[str]:

    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


PAYMENT = new_id()


def test_payment_facts_tell_the_payer_and_every_rejection_or_refund_is_its_own_message() -> None:
    succeeded = PaymentSucceeded(
        occurred_at=NOW,
        payment_id=PAYMENT,
        booking_id=BOOKING,
        event_id=EVENT,
        user_id=USER,
        amount=Decimal("1500"),
        currency="RUB",
        method="WIDGET",
    )
    [received] = notices_for(succeeded)
    assert (received.category, received.subject, received.template, received.event_id) == (
        Category.PAYMENT_STATUS,
        f"payment:{PAYMENT}:succeeded",
        "payment_succeeded",
        EVENT,
    )
    assert received.params == {"amount": "1500.00 RUB"}

    first, second = (
        PaymentRejected(
            occurred_at=NOW, payment_id=PAYMENT, booking_id=BOOKING, user_id=USER, reason="blurry"
        )
        for _ in range(2)
    )
    [rejected_once], [rejected_again] = notices_for(first), notices_for(second)
    assert rejected_once.subject != rejected_again.subject
    assert rejected_once.params == {"reason": "blurry"}

    manual = PaymentRefunded(
        occurred_at=NOW,
        payment_id=PAYMENT,
        booking_id=BOOKING,
        user_id=USER,
        amount=Decimal("500"),
        currency="RUB",
        manual=True,
        fully_refunded=False,
    )
    [refund] = notices_for(manual)
    assert (refund.template, refund.params) == ("payment_refunded_manually", {"amount": "500.00 RUB"})


@pytest.mark.parametrize(
    ("amount", "currency", "written"), [("1000", "JPY", "1000 JPY"), ("1.5", "KWD", "1.500 KWD")]
)
def test_amounts_in_messages_have_their_currencys_fraction_digits(
    amount: str, currency: str, written: str
) -> None:
    refunded = PaymentRefunded(
        occurred_at=NOW,
        payment_id=PAYMENT,
        booking_id=BOOKING,
        user_id=USER,
        amount=Decimal(amount),
        currency=currency,
        manual=False,
        fully_refunded=True,
    )

    [notice] = notices_for(refunded)

    assert notice.params == {"amount": written}


def test_only_a_refund_for_a_lost_seat_is_announced_before_the_refund_itself() -> None:
    def requested(reason: str) -> RefundRequested:
        return RefundRequested(
            occurred_at=NOW,
            booking_id=BOOKING,
            event_id=EVENT,
            user_id=USER,
            amount=Decimal("1500"),
            currency="RUB",
            reason=reason,
        )

    [seat_lost] = notices_for(requested(SEAT_LOST))
    assert (seat_lost.subject, seat_lost.template) == (f"booking:{BOOKING}:seat_lost", "payment_seat_lost")
    assert notices_for(requested("CANCELLED_BY_USER")) == []


def test_every_booking_and_payment_notice_names_its_booking_for_the_inbox() -> None:
    facts: list[DomainEvent] = [
        created("PENDING"),
        BookingConfirmed(occurred_at=NOW, booking_id=BOOKING, event_id=EVENT, user_id=USER),
        cancelled(LogReason.CANCELLED_BY_USER),
        BookingExpired(occurred_at=NOW, booking_id=BOOKING, event_id=EVENT, user_id=USER),
        PaymentRejected(occurred_at=NOW, payment_id=PAYMENT, booking_id=BOOKING, user_id=USER, reason="x"),
    ]

    told = [notice for fact in facts for notice in notices_for(fact)]

    assert len(told) == len(facts)
    assert {notice.booking_id for notice in told} == {BOOKING}
