"""A request's objects go when it ends: its unit of work and repositories, its dishka
container and the lazy one in its scope are freed by reference counting, not left in cycles
for the collector (they piled up between its full passes under load: memory and pauses)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from aquastream.adapters.http.request_container import LazyRequestContainer
from aquastream.adapters.sql.uow import SqlRepository, SqlUnitOfWork
from tests.api.booking.conftest import People
from tests.api.booking.kit import booked
from tests.api.catalog.kit import API, Cast, published_event
from tests.api.identity.conftest import Client

OURS = (SqlUnitOfWork, SqlRepository, LazyRequestContainer)


@contextmanager
def cyclic_garbage() -> Iterator[list[object]]:
    """What the block left that only the cycle collector would free."""
    gc.collect()
    found: list[object] = []
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        yield found
        gc.collect()
        found.extend(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


async def test_a_booking_and_its_reads_leave_no_cycle(api: Client, cast: Cast, people: People) -> None:
    event = await published_event(api, cast.anna, "river-rats", price="1500", capacity=10)
    with cyclic_garbage() as garbage:
        booking = await booked(api, people.pavel, event["id"])
        shown = await api.get(f"{API}/bookings/{booking['id']}", headers=people.pavel.auth)
        assert shown.status_code == 200
    left = sorted({type(thing).__name__ for thing in garbage if isinstance(thing, OURS)})
    assert left == []
    assert not any(type(thing).__module__.startswith("dishka") for thing in garbage)
