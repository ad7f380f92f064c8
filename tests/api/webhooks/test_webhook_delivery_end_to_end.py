"""Webhooks end to end, through the real app and the event spine to a local HTTPS server: a
booking's facts arrive signed (checked with the README's verification snippet), a receiver
that is down gets the delivery again after the backoff once it is back, a re-send and a
rotated secret reach it, and a slow endpoint delays no other endpoint's delivery."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from dishka import AsyncContainer

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.domain.webhooks.sending import SendDueDeliveries
from aquastream.domain.webhooks.signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER
from tests.api.booking.conftest import People
from tests.api.booking.kit import booked
from tests.api.catalog.kit import API, Cast
from tests.api.identity.conftest import Client
from tests.api.worker import drain_outbox, in_request
from tests.unit.webhooks.test_webhook_rules import readme_verify
from tests.webhook_receiver import Receiver

from .conftest import register_endpoint

HOOKS = f"{API}/organizers/river-rats/webhooks"
# The test's clock stands still at 2030; the snippet's replay window is measured against it.
FROZEN_TOLERANCE = 10**10


async def send_due(api: Client) -> int:
    """One run of the worker's sender job."""

    async def run(request: AsyncContainer) -> int:
        send = await request.get(SendDueDeliveries)
        return await send()

    return await in_request(api, run)


async def deliveries(api: Client, cast: Cast, endpoint_id: str) -> list[dict[str, Any]]:
    response = await api.get(f"{HOOKS}/{endpoint_id}/deliveries", headers=cast.anna.auth)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_deliveries_arrive_signed_and_are_retried_with_backoff_when_the_receiver_was_down(
    api: Client, cast: Cast, people: People, trip: str, receiver: Receiver, clock: FrozenClock
) -> None:
    verify = readme_verify()
    endpoint = await register_endpoint(
        api, cast.anna, receiver.url(), ["booking.created", "booking.confirmed", "booking.cancelled"]
    )
    secret = endpoint["secret"]

    booking = await booked(api, people.pavel, trip)  # free: created and confirmed at once
    await drain_outbox(api)
    assert await send_due(api) == 2
    received = await asyncio.to_thread(receiver.wait_for, 2)
    assert sorted(r.headers[EVENT_HEADER] for r in received) == ["booking.confirmed", "booking.created"]
    for request in received:
        assert verify(secret, request.headers[SIGNATURE_HEADER], request.body, FROZEN_TOLERANCE)
        assert not verify("whsec_wrong", request.headers[SIGNATURE_HEADER], request.body, FROZEN_TOLERANCE)
        body = json.loads(request.body)
        assert body["id"] == request.headers[DELIVERY_HEADER]
        assert body["data"]["bookingId"] == booking["id"]
        assert body["data"]["eventId"] == trip

    # The receiver goes down; the cancellation's delivery fails and waits for its backoff.
    receiver.stop()
    cancelled = await api.post(f"{API}/bookings/{booking['id']}/cancel", headers=people.pavel.auth)
    assert cancelled.status_code == 200, cancelled.text
    await drain_outbox(api)
    assert await send_due(api) == 1
    [failed] = [
        d for d in await deliveries(api, cast, endpoint["id"]) if d["eventType"] == "booking.cancelled"
    ]
    assert (failed["status"], failed["attemptCount"]) == ("PENDING", 1)
    assert failed["attempts"][0]["statusCode"] is None
    assert failed["attempts"][0]["error"].startswith("unreachable")
    assert await send_due(api) == 0  # not before its backoff

    receiver.start()  # back, on the same port
    clock.advance(seconds=10)
    assert await send_due(api) == 1
    arrived = (await asyncio.to_thread(receiver.wait_for, 3))[-1]
    assert arrived.headers[EVENT_HEADER] == "booking.cancelled"
    assert arrived.headers[DELIVERY_HEADER] == failed["id"]
    assert verify(secret, arrived.headers[SIGNATURE_HEADER], arrived.body, FROZEN_TOLERANCE)
    [done] = [d for d in await deliveries(api, cast, endpoint["id"]) if d["id"] == failed["id"]]
    assert (done["status"], done["attemptCount"], len(done["attempts"])) == ("DELIVERED", 2, 2)
    assert done["attempts"][0]["statusCode"] == 200  # newest first
    assert done["payload"]["data"]["reason"] == "CANCELLED_BY_USER"

    # The organizer re-sends it after rotating the secret: both secrets sign for a while.
    rotated = await api.post(f"{HOOKS}/{endpoint['id']}/rotate-secret", headers=cast.anna.auth)
    new_secret = rotated.json()["secret"]
    resent = await api.post(
        f"{HOOKS}/{endpoint['id']}/deliveries/{failed['id']}/resend", headers=cast.anna.auth
    )
    assert resent.status_code == 202, resent.text
    assert resent.json()["status"] == "PENDING"
    assert await send_due(api) == 1
    again = (await asyncio.to_thread(receiver.wait_for, 4))[-1]
    assert again.body == arrived.body
    assert verify(new_secret, again.headers[SIGNATURE_HEADER], again.body, FROZEN_TOLERANCE)
    assert verify(secret, again.headers[SIGNATURE_HEADER], again.body, FROZEN_TOLERANCE)


async def test_a_slow_endpoint_does_not_delay_another_endpoints_delivery(
    api: Client, cast: Cast, people: People, trip: str, receiver: Receiver
) -> None:
    receiver.delays["/slow"] = 3.0
    slow = await register_endpoint(api, cast.anna, receiver.url("/slow"), ["booking.created"])
    fast = await register_endpoint(api, cast.anna, receiver.url("/fast"), ["booking.created"])
    await booked(api, people.pavel, trip)
    await drain_outbox(api)

    sending = asyncio.create_task(send_due(api))
    arrived = await asyncio.to_thread(receiver.wait_for, 2)
    assert {r.path for r in arrived} == {"/slow", "/fast"}
    # The fast endpoint's delivery is filed while the slow one is still waiting for its answer.
    for _ in range(100):
        [fast_delivery] = await deliveries(api, cast, fast["id"])
        if fast_delivery["status"] == "DELIVERED":
            break
        await asyncio.sleep(0.05)
    assert fast_delivery["status"] == "DELIVERED"
    assert not sending.done()
    [slow_delivery] = await deliveries(api, cast, slow["id"])
    assert slow_delivery["status"] == "PENDING"
    assert await sending == 2
    [slow_delivery] = await deliveries(api, cast, slow["id"])
    assert slow_delivery["status"] == "DELIVERED"
    assert slow_delivery["attempts"][0]["durationMs"] >= 2900
