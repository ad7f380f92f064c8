"""Notification deliveries in ``/metrics``: sent and failed attempts per channel, counted by
the real sender job through the real SMS channel, and the pending messages read from the
outbox at scrape time."""

from __future__ import annotations

from aquastream.adapters.http.metrics import NOTIFICATIONS_PENDING
from tests.api.booking.kit import booked, participant
from tests.api.catalog.kit import API, Cast, published_event
from tests.api.identity.conftest import Account, Client, register
from tests.api.test_metrics import sample, scrape
from tests.contract.notifications.fake_servers import FAILING_PHONE

from .kit import deliver_events, send_messages
from .test_configured_channels import api, sms_gateway, telegram

__all__ = ["api", "sms_gateway", "telegram"]

SENT = "aquastream_notifications_sent_total"
FAILED = "aquastream_notifications_failed_total"


async def by_sms_only(api: Client, account: Account) -> Account:
    switched = await api.put(
        f"{API}/notifications/preferences",
        json={"categories": [{"category": "EVENT_NEWS", "email": False}]},
        headers=account.auth,
    )
    assert switched.status_code == 200, switched.text
    return account


async def test_sent_failed_and_pending_messages_are_counted_per_channel(api: Client, cast: Cast) -> None:
    reachable = await by_sms_only(api, await participant(api, "rita@example.com"))
    unreachable = await by_sms_only(api, await register(api, "oleg@example.com", phone=FAILING_PHONE))
    event = await published_event(api, cast.anna, "river-rats", price="0")
    for account in (reachable, unreachable):
        await booked(api, account, event["id"])
    await deliver_events(api)
    await send_messages(api)  # the booking confirmations, by email (to the log)
    before = await scrape(api)
    posted = await api.post(
        f"{API}/events/{event['id']}/news", json={"text": "Bring boots."}, headers=cast.anna.auth
    )
    assert posted.json()["recipients"] == 2

    queued = await scrape(api)
    await send_messages(api)
    after = await scrape(api)

    assert sample(queued, NOTIFICATIONS_PENDING, channel="SMS") == 2
    assert sample(after, NOTIFICATIONS_PENDING, channel="SMS") == 1  # the failed one, to retry
    assert sample(after, NOTIFICATIONS_PENDING, channel="TELEGRAM") == 0
    assert sample(after, SENT, channel="SMS") == sample(before, SENT, channel="SMS") + 1
    assert sample(after, FAILED, channel="SMS") == sample(before, FAILED, channel="SMS") + 1
    assert sample(after, SENT, channel="EMAIL") >= 2
