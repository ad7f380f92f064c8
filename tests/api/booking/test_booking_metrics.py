"""The booking metrics of SPEC §9: bookings created, and the outbox backlog, at /metrics.

The registry belongs to the process and other tests count too: each test compares the
samples before and after what it does.
"""

from __future__ import annotations

from tests.api.booking.conftest import People
from tests.api.booking.kit import book
from tests.api.catalog.kit import Cast, published_event
from tests.api.identity.conftest import Client
from tests.api.notifications.kit import deliver_events
from tests.api.test_metrics import sample, scrape

KEY = "metrics-test-key-0001"


async def test_a_booking_is_counted_once_by_its_status_and_a_replay_not_at_all(
    api: Client, cast: Cast, people: People
) -> None:
    paid = await published_event(api, cast.anna, "river-rats")
    free = await published_event(api, cast.anna, "river-rats", price="0")
    before = await scrape(api)

    assert (await book(api, people.pavel, paid["id"], key=KEY)).status_code == 201
    assert (await book(api, people.pavel, paid["id"], key=KEY)).status_code == 201  # the replay
    assert (await book(api, people.rita, free["id"])).status_code == 201
    assert (await book(api, people.rita, free["id"])).status_code == 409  # a duplicate
    after = await scrape(api)

    def made(text: str, status: str) -> float:
        return sample(text, "aquastream_bookings_created_total", status=status)

    assert made(after, "PENDING") - made(before, "PENDING") == 1
    assert made(after, "CONFIRMED") - made(before, "CONFIRMED") == 1


async def test_the_outbox_backlog_is_what_is_waiting_for_delivery(api: Client, cast: Cast) -> None:
    await published_event(api, cast.anna, "river-rats")
    waiting = _backlog(await scrape(api))
    assert waiting >= 1  # at least the event's publication

    await deliver_events(api)

    assert _backlog(await scrape(api)) == 0


def _backlog(exposition: str) -> float:
    """All the spine's work not done yet: the sum over the subscribers (and relays)."""
    lines = [line for line in exposition.splitlines() if line.startswith("aquastream_outbox_backlog{")]
    assert any('subscriber="catalog.relay"' in line for line in lines)
    return sum(float(line.split()[-1]) for line in lines)
