"""Webhooks on memory adapters: registering endpoints, which facts become deliveries for which
endpoint, sending them signed, retrying with backoff, giving up, re-sending, rotating secrets."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from aquastream.adapters.memory.webhooks import MemoryWebhooksUnitOfWork
from aquastream.domain.booking.events import BookingConfirmed
from aquastream.domain.payments.events import PaymentRefunded
from aquastream.domain.shared.errors import ValidationFailed
from aquastream.domain.shared.paging import PageRequest
from aquastream.domain.tickets.events import SeatCheckedIn
from aquastream.domain.webhooks.errors import (
    OrganizerNotFound,
    TargetRefused,
    TooManyEndpoints,
    WebhookForbidden,
)
from aquastream.domain.webhooks.model import DeliveryStatus, EndpointChanges
from aquastream.domain.webhooks.signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, verify

from .kit import Webhooks

URL = "https://crm.example.com/hook"


async def test_registering_shows_the_secret_once_and_checks_the_target() -> None:
    hooks = Webhooks()
    registered = await hooks.register(hooks.anna, "river-rats", URL, ["booking.created"])
    assert registered.secret == "whsec_test1"
    assert registered.endpoint.event_types == ("booking.created",)

    with pytest.raises(TargetRefused):
        await hooks.register(hooks.anna, "river-rats", "http://crm.example.com/hook", ["booking.created"])
    hooks.transport.dns["intranet.example.com"] = ["10.0.0.5"]
    with pytest.raises(TargetRefused):
        await hooks.register(hooks.anna, "river-rats", "https://intranet.example.com/", ["booking.created"])
    hooks.transport.dns["local.example.com"] = ["127.0.0.1"]
    with pytest.raises(TargetRefused):
        await hooks.register(hooks.anna, "river-rats", "https://local.example.com/", ["booking.created"])


async def test_only_the_organizers_owners_register_and_types_must_be_known() -> None:
    hooks = Webhooks()
    with pytest.raises(WebhookForbidden):
        await hooks.register(hooks.boris, "river-rats", URL, ["booking.created"])
    with pytest.raises(OrganizerNotFound):
        await hooks.register(hooks.anna, "nobody", URL, ["booking.created"])
    with pytest.raises(ValidationFailed):
        await hooks.register(hooks.anna, "river-rats", URL, ["booking.exploded"])
    with pytest.raises(ValidationFailed):
        await hooks.register(hooks.anna, "river-rats", URL, [])


async def test_an_organizer_has_at_most_the_allowed_number_of_endpoints() -> None:
    hooks = Webhooks()
    for _ in range(hooks.policy.max_endpoints):
        await hooks.register(hooks.anna, "river-rats", URL, ["booking.created"])
    with pytest.raises(TooManyEndpoints):
        await hooks.register(hooks.anna, "river-rats", URL, ["booking.created"])


async def test_a_fact_becomes_one_delivery_per_matching_endpoint_and_once_only() -> None:
    hooks = Webhooks()
    wanted = await hooks.register(hooks.anna, "river-rats", URL, ["booking.created", "booking.cancelled"])
    narrowed = await hooks.register(hooks.anna, "river-rats", URL, ["booking.created"], [uuid.uuid4()])
    other_type = await hooks.register(hooks.anna, "river-rats", URL, ["payment.received"])
    paused = await hooks.register(hooks.anna, "river-rats", URL, ["booking.created"])
    await hooks.update(hooks.anna, "river-rats", paused.endpoint.id, EndpointChanges(active=False))
    await hooks.register(hooks.boris, "forest-club", URL, ["booking.created"])

    fact = hooks.booking_created()
    assert await hooks.hear(fact) == 1
    assert await hooks.hear(fact) == 0  # heard again: at least once, sent once

    for endpoint in (narrowed, other_type, paused):
        page = await hooks.deliveries(hooks.anna, "river-rats", endpoint.endpoint.id, PageRequest())
        assert page.total == 0
    page = await hooks.deliveries(hooks.anna, "river-rats", wanted.endpoint.id, PageRequest())
    [record] = page.items
    body = json.loads(record.delivery.payload)
    assert body["type"] == "booking.created"
    assert body["id"] == str(record.delivery.id)
    assert body["data"]["bookingId"] == str(fact.booking_id)
    assert body["data"]["eventId"] == str(fact.event_id)
    assert body["data"]["amount"] == "1500.00"
    assert "messageId" not in body["data"]


async def test_facts_heard_together_become_each_organizers_deliveries_once() -> None:
    hooks = Webhooks()
    annas = await hooks.register(hooks.anna, "river-rats", URL, ["booking.created"])
    boris = await hooks.register(hooks.boris, "forest-club", URL, ["booking.created"])
    forest_event = uuid.uuid4()
    hooks.owners.events[forest_event] = hooks.organizers.ids["forest-club"]
    first, second, theirs = (
        hooks.booking_created(),
        hooks.booking_created(),
        hooks.booking_created(forest_event),
    )
    unknown = hooks.booking_created(uuid.uuid4())  # an event nobody organizes: passed over

    assert await hooks.hear_together(first, unknown, second, theirs) == 3
    assert await hooks.hear_together(second, theirs, first) == 0  # heard again: nothing more

    anna_page = await hooks.deliveries(hooks.anna, "river-rats", annas.endpoint.id, PageRequest())
    assert sorted(json.loads(r.delivery.payload)["data"]["bookingId"] for r in anna_page.items) == sorted(
        [str(first.booking_id), str(second.booking_id)]
    )
    boris_page = await hooks.deliveries(hooks.boris, "forest-club", boris.endpoint.id, PageRequest())
    assert [json.loads(r.delivery.payload)["data"]["bookingId"] for r in boris_page.items] == [
        str(theirs.booking_id)
    ]


class _CountingUnitOfWork(MemoryWebhooksUnitOfWork):
    commits = 0

    async def commit(self) -> None:
        type(self).commits += 1
        await super().commit()


async def test_facts_no_endpoint_wants_open_no_transaction() -> None:
    hooks = Webhooks()
    await hooks.register(hooks.anna, "river-rats", URL, ["booking.cancelled"])
    _CountingUnitOfWork.commits = 0

    assert await hooks.hear_together(hooks.booking_created(), uow=_CountingUnitOfWork(hooks.db)) == 0
    assert _CountingUnitOfWork.commits == 0
    assert await hooks.hear_together(hooks.booking_cancelled(), uow=_CountingUnitOfWork(hooks.db)) == 1
    assert _CountingUnitOfWork.commits == 1


async def test_an_endpoint_narrowed_to_events_gets_only_those() -> None:
    hooks = Webhooks()
    other_event = uuid.uuid4()
    hooks.owners.events[other_event] = hooks.organizer_id
    narrowed = await hooks.register(hooks.anna, "river-rats", URL, ["booking.created"], [hooks.event_id])

    assert await hooks.hear(hooks.booking_created(other_event)) == 0
    assert await hooks.hear(hooks.booking_created(hooks.event_id)) == 1
    page = await hooks.deliveries(hooks.anna, "river-rats", narrowed.endpoint.id, PageRequest())
    assert page.total == 1


async def test_a_refund_is_sent_to_the_organizer_of_the_bookings_event() -> None:
    hooks = Webhooks()
    endpoint = await hooks.register(hooks.anna, "river-rats", URL, ["payment.refunded"])
    booking_id = uuid.uuid4()
    hooks.owners.bookings[booking_id] = hooks.event_id
    refund = PaymentRefunded(
        occurred_at=hooks.clock.now(),
        payment_id=uuid.uuid4(),
        booking_id=booking_id,
        user_id=uuid.uuid4(),
        amount=Decimal("100"),
        currency="RUB",
        manual=False,
        fully_refunded=True,
    )
    assert await hooks.hear(refund) == 1
    page = await hooks.deliveries(hooks.anna, "river-rats", endpoint.endpoint.id, PageRequest())
    assert json.loads(page.items[0].delivery.payload)["data"]["fullyRefunded"] is True


async def test_a_delivery_is_sent_signed_and_delivered_on_a_2xx() -> None:
    hooks = Webhooks()
    registered = await hooks.register(hooks.anna, "river-rats", URL, ["booking.confirmed"])
    fact = BookingConfirmed(
        occurred_at=hooks.clock.now(), booking_id=uuid.uuid4(), event_id=hooks.event_id, user_id=uuid.uuid4()
    )
    await hooks.hear(fact)

    assert await hooks.send() == 1
    [(url, body, headers)] = hooks.transport.sent
    assert url == URL
    assert headers[EVENT_HEADER] == "booking.confirmed"
    now = int(hooks.clock.now().timestamp())
    assert verify(registered.secret, headers[SIGNATURE_HEADER], body, now=now)
    page = await hooks.deliveries(hooks.anna, "river-rats", registered.endpoint.id, PageRequest())
    [record] = page.items
    assert headers[DELIVERY_HEADER] == str(record.delivery.id)
    assert record.delivery.status is DeliveryStatus.DELIVERED
    assert [a.status_code for a in record.attempts] == [200]
    assert await hooks.send() == 0  # nothing left to send


async def test_failures_are_retried_with_backoff_until_the_last_attempt_fails() -> None:
    hooks = Webhooks()
    registered = await hooks.register(hooks.anna, "river-rats", URL, ["booking.created"])
    await hooks.hear(hooks.booking_created())
    hooks.transport.status = 503

    waits = []
    for _ in range(hooks.policy.max_attempts):
        assert await hooks.send() == 1
        page = await hooks.deliveries(hooks.anna, "river-rats", registered.endpoint.id, PageRequest())
        delivery = page.items[0].delivery
        if delivery.status is DeliveryStatus.FAILED:
            break
        waits.append(delivery.next_attempt_at - hooks.clock.now())
        assert await hooks.send() == 0  # not due before its backoff
        hooks.clock.advance(delivery.next_attempt_at - hooks.clock.now())

    assert waits == [hooks.policy.retry_delay(n) for n in range(1, hooks.policy.max_attempts)]
    assert delivery.status is DeliveryStatus.FAILED
    assert delivery.last_error == "HTTP 503"
    assert len(page.items[0].attempts) == hooks.policy.max_attempts
    hooks.clock.advance(timedelta(days=7))
    assert await hooks.send() == 0  # given up


async def test_a_resent_delivery_goes_again_with_a_fresh_budget_and_its_history() -> None:
    hooks = Webhooks()
    registered = await hooks.register(hooks.anna, "river-rats", URL, ["booking.created"])
    await hooks.hear(hooks.booking_created())
    await hooks.send()
    page = await hooks.deliveries(hooks.anna, "river-rats", registered.endpoint.id, PageRequest())
    delivery_id = page.items[0].delivery.id

    resent = await hooks.resend(hooks.anna, "river-rats", registered.endpoint.id, delivery_id)
    assert (resent.status, resent.attempts) == (DeliveryStatus.PENDING, 0)
    assert await hooks.send() == 1
    page = await hooks.deliveries(hooks.anna, "river-rats", registered.endpoint.id, PageRequest())
    assert len(page.items[0].attempts) == 2
    assert len(hooks.transport.sent) == 2
    assert hooks.transport.sent[0][1] == hooks.transport.sent[1][1]  # the same body


async def test_after_a_rotation_both_secrets_sign_until_the_grace_period_ends() -> None:
    hooks = Webhooks()
    registered = await hooks.register(hooks.anna, "river-rats", URL, ["booking.created"])
    rotated = await hooks.rotate(hooks.anna, "river-rats", registered.endpoint.id)
    assert rotated.secret != registered.secret

    await hooks.hear(hooks.booking_created())
    await hooks.send()
    _, body, headers = hooks.transport.sent[-1]
    now = int(hooks.clock.now().timestamp())
    assert headers[SIGNATURE_HEADER].count("v1=") == 2
    assert verify(rotated.secret, headers[SIGNATURE_HEADER], body, now=now)
    assert verify(registered.secret, headers[SIGNATURE_HEADER], body, now=now)

    hooks.clock.advance(hooks.policy.rotation_grace)
    await hooks.hear(hooks.booking_created())
    await hooks.send()
    _, body, headers = hooks.transport.sent[-1]
    now = int(hooks.clock.now().timestamp())
    assert headers[SIGNATURE_HEADER].count("v1=") == 1
    assert verify(rotated.secret, headers[SIGNATURE_HEADER], body, now=now)
    assert not verify(registered.secret, headers[SIGNATURE_HEADER], body, now=now)


async def test_a_cancellation_carries_its_reason() -> None:
    hooks = Webhooks()
    registered = await hooks.register(hooks.anna, "river-rats", URL, ["booking.cancelled"])
    await hooks.hear(hooks.booking_cancelled())
    page = await hooks.deliveries(hooks.anna, "river-rats", registered.endpoint.id, PageRequest())
    assert json.loads(page.items[0].delivery.payload)["data"]["reason"] == "CANCELLED_BY_USER"


async def test_a_check_in_at_the_door_is_sent_as_checkin_created() -> None:
    hooks = Webhooks()
    endpoint = await hooks.register(hooks.anna, "river-rats", URL, ["checkin.created"])
    fact = SeatCheckedIn(
        occurred_at=hooks.clock.now(),
        event_id=hooks.event_id,
        booking_id=uuid.uuid4(),
        seat=2,
        ticket_id=uuid.uuid4(),
        checked_in_by=uuid.uuid4(),
        checked_in_at=hooks.clock.now(),
    )

    assert await hooks.hear(fact) == 1
    page = await hooks.deliveries(hooks.anna, "river-rats", endpoint.endpoint.id, PageRequest())
    [record] = page.items
    body = json.loads(record.delivery.payload)
    assert body["type"] == "checkin.created"
    assert body["data"]["seat"] == 2
    assert body["data"]["ticketId"] == str(fact.ticket_id)
