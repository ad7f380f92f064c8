"""A typed Python client generated from the served OpenAPI document (openapi-python-client)
keeps every operation and model, and carries a participant from registration to a paid,
confirmed booking and through its inbox, every answer (successes and problems) parsed into
its declared type.

The client raises on any status its operation does not declare. Public operations take the
bearer token optionally (``security: [{BearerToken: []}, {}]``); this generator types them
as needing an ``AuthenticatedClient`` all the same, so the anonymous calls pass a plain
``Client``, which works the same at run time.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.clients.python_client import GeneratedClient, generated_client

PASSWORD = "Paddle-Upstream-2031!"
CONFIRMED_WITHIN_SECONDS = 30


@pytest.fixture(scope="module")
def generated(document_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GeneratedClient]:
    with generated_client(document_path, tmp_path_factory.mktemp("python-client")) as client:
        yield client


def test_the_generator_keeps_every_operation_and_model(
    generated: GeneratedClient, document_path: Path
) -> None:
    document = json.loads(document_path.read_text())
    operations = [
        (method, path)
        for path, item in document["paths"].items()
        for method in ("get", "put", "post", "delete", "patch")
        if method in item
    ]

    assert "Warning" not in generated.report, generated.report
    assert len(generated.operation_modules()) == len(operations)
    missing = [name for name in document["components"]["schemas"] if not hasattr(generated.models, name)]
    assert missing == []


def test_a_participant_books_pays_and_sees_the_booking_through_the_generated_client(
    generated: GeneratedClient, server: str
) -> None:
    models = generated.models
    call = generated.operation
    anonymous = generated.client.Client(base_url=server, raise_on_unexpected_status=True)
    email = f"journey-{uuid.uuid4().hex[:8]}@example.com"

    registered = call("auth", "api_v1_auth_register_register").sync_detailed(
        client=anonymous, body=models.RegisterIn(email=email, password=PASSWORD, phone="+79991234567")
    )
    assert registered.status_code == 201
    assert isinstance(registered.parsed, models.TokensOut)

    logged_in = call("auth", "api_v1_auth_login_login").sync_detailed(
        client=anonymous, body=models.LoginIn(email=email, password=PASSWORD)
    )
    assert logged_in.status_code == 200
    assert isinstance(logged_in.parsed, models.TokensOut)
    assert logged_in.parsed.user_id == registered.parsed.user_id
    me = generated.client.AuthenticatedClient(
        base_url=server, token=logged_in.parsed.access_token, raise_on_unexpected_status=True
    )

    found = call("events", "api_v1_events_list_events").sync_detailed(client=anonymous, type_=["HIKE"])
    assert found.status_code == 200
    assert isinstance(found.parsed, models.EventPage)
    event = found.parsed.items[0]
    assert isinstance(event, models.EventOut)
    assert (event.type_, event.price) == (models.EventType.HIKE, "3500.00")

    book = call("bookings", "api_v1_bookings_book")
    booked = book.sync_detailed(client=me, body=models.BookingIn(event_id=event.id))
    assert booked.status_code == 201
    booking = booked.parsed
    assert isinstance(booking, models.BookingOut)
    assert (booking.status, booking.payment_status) == (
        models.BookingStatus.PENDING,
        models.BookingPaymentStatus.PENDING,
    )

    again = book.sync_detailed(client=me, body=models.BookingIn(event_id=event.id))
    assert again.status_code == 409
    assert isinstance(again.parsed, models.Problem)
    assert again.parsed.code == "booking.duplicate"
    assert again.parsed.additional_properties["existingBookingId"] == str(booking.id)

    show = call("bookings", "api_v1_bookings_booking_id_show")
    missing = show.sync_detailed(uuid.uuid4(), client=me)
    assert missing.status_code == 404
    assert isinstance(missing.parsed, models.Problem)
    assert missing.parsed.code == "booking.not_found"

    started = call("payments", "api_v1_payments_init").sync_detailed(
        client=me, body=models.PaymentIn(booking_id=booking.id, method=models.PaymentMethod.WIDGET)
    )
    assert started.status_code == 201
    payment = started.parsed
    assert isinstance(payment, models.PaymentOut)
    assert (payment.status, payment.provider) == (models.PaymentStatus.PENDING, "sandbox")
    assert (payment.amount, payment.currency) == ("3500.00", "RUB")
    assert isinstance(payment.confirmation, models.PaymentOutConfirmationType0)

    # The payer's browser at the sandbox's payment page (confirmation.url) presses "pay".
    page = urlsplit(payment.confirmation.additional_properties["url"]).path
    provider_payment_id = page.removeprefix("/api/v1/payments/sandbox/").removesuffix("/complete")
    sandbox_page = call("payments", "api_v1_payments_sandbox_provider_payment_id_complete_complete_sandbox")
    paid = sandbox_page.sync_detailed(
        provider_payment_id,
        client=anonymous,
        body=models.SandboxCompletionIn(outcome=models.SandboxCompletionInOutcome.SUCCEEDED),
    )
    assert paid.status_code == 200
    assert isinstance(paid.parsed, models.WebhookReceiptOut)
    assert (paid.parsed.duplicate, paid.parsed.outcome) == (False, models.WebhookOutcome.APPLIED)

    fetched = call("payments", "api_v1_payments_payment_id_show").sync_detailed(payment.id, client=me)
    assert isinstance(fetched.parsed, models.PaymentOut)
    assert fetched.parsed.status == models.PaymentStatus.SUCCEEDED

    mine = _confirmed(generated, me)
    assert isinstance(mine, models.BookingPage)
    assert [(b.id, b.payment_status) for b in mine.items] == [(booking.id, models.BookingPaymentStatus.PAID)]

    # More messages may come while the journey reads (the confirmation follows the payment),
    # so what is checked is the messages seen, not the counts of the moment.
    inbox = _inbox_of(generated, me, at_least=2)  # the booking's and the payment's messages
    assert isinstance(inbox, models.InboxOut)
    assert all(isinstance(item, models.NotificationOut) for item in inbox.items)
    assert inbox.unread_count >= len(inbox.items)
    assert {item.booking_id for item in inbox.items} == {booking.id}
    assert [item.created_at for item in inbox.items] == sorted(
        (item.created_at for item in inbox.items), reverse=True
    )

    mark_read = call("notifications", "api_v1_notifications_notification_id_read_mark_read")
    read = mark_read.sync_detailed(inbox.items[0].id, client=me)
    assert read.status_code == 200
    assert isinstance(read.parsed, models.NotificationReadOut)
    assert (read.parsed.notification.id, read.parsed.notification.read) == (inbox.items[0].id, True)
    unknown = mark_read.sync_detailed(uuid.uuid4(), client=me)
    assert unknown.status_code == 404
    assert isinstance(unknown.parsed, models.Problem)
    assert unknown.parsed.code == "notifications.notification_not_found"

    all_read = call("notifications", "api_v1_notifications_read_all_mark_all_read").sync_detailed(client=me)
    assert all_read.status_code == 200
    assert isinstance(all_read.parsed, models.AllReadOut)
    assert all_read.parsed.marked >= len(inbox.items) - 1
    seen = {item.id for item in inbox.items}
    after = _inbox_of(generated, me, at_least=len(seen))
    assert all(item.read for item in after.items if item.id in seen)


def _inbox_of(generated: GeneratedClient, me: Any, *, at_least: int) -> Any:
    """The caller's inbox once the worker has written ``at_least`` messages to it."""
    list_mine = generated.operation("notifications", "api_v1_notifications_list_mine")
    deadline = time.monotonic() + CONFIRMED_WITHIN_SECONDS
    while True:
        answer = list_mine.sync_detailed(client=me)
        assert answer.status_code == 200
        if len(answer.parsed.items) >= at_least or time.monotonic() > deadline:
            return answer.parsed
        time.sleep(0.2)


def _confirmed(generated: GeneratedClient, me: Any) -> Any:
    """The caller's bookings once the worker has confirmed the paid one (``PaymentSucceeded``)."""
    list_mine = generated.operation("bookings", "api_v1_bookings_list_mine")
    deadline = time.monotonic() + CONFIRMED_WITHIN_SECONDS
    while True:
        answer = list_mine.sync_detailed(client=me)
        assert answer.status_code == 200
        page = answer.parsed
        if all(b.status == generated.models.BookingStatus.CONFIRMED for b in page.items):
            return page
        assert time.monotonic() < deadline, f"not confirmed within {CONFIRMED_WITHIN_SECONDS} s: {page}"
        time.sleep(0.2)
