"""Ids, paging and events: the small shared pieces every domain uses."""

from __future__ import annotations

import os
import time
import uuid
from datetime import UTC, datetime

import pytest

from aquastream.domain.shared.errors import ValidationFailed
from aquastream.domain.shared.events import DomainEvent, decode_event, encode_event
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.paging import MAX_PAGE, Page, PageRequest


def test_ids_are_version_7_and_ordered_by_creation_time() -> None:
    first = new_id()
    time.sleep(0.002)
    second = new_id()
    assert first.version == 7
    assert first.variant == uuid.RFC_4122
    assert first < second
    embedded_ms = first.int >> 80
    assert abs(embedded_ms - time.time() * 1000) < 5_000


def test_ids_made_within_one_millisecond_keep_their_order() -> None:
    ids = [new_id() for _ in range(1_000)]  # far more than one per millisecond
    assert ids == sorted(ids)
    assert all(i.version == 7 and i.variant == uuid.RFC_4122 for i in ids)


def test_ids_do_not_repeat() -> None:
    assert len({new_id() for _ in range(10_000)}) == 10_000


RANDOM_BITS = 0xFFF << 64 | (1 << 62) - 1  # the 74 random bits: 12 after the version, 62 after the variant


def test_a_forked_process_draws_other_random_bits_than_its_parent() -> None:
    new_id()  # the parent has random bytes in hand when it forks
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.write(writing, new_id().bytes)
        os._exit(0)
    os.close(writing)
    theirs = uuid.UUID(bytes=os.read(reading, 16))
    os.waitpid(child, 0)
    os.close(reading)
    ours = new_id()
    assert ours.int & RANDOM_BITS != theirs.int & RANDOM_BITS


@pytest.mark.parametrize(
    ("page", "size", "bad_field"),
    [(-1, 20, "page"), (MAX_PAGE + 1, 20, "page"), (0, 0, "size"), (0, 101, "size")],
)
def test_bad_paging_values_are_refused_not_clamped(page: int, size: int, bad_field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        PageRequest(page, size)
    assert [e.field for e in caught.value.errors] == [bad_field]


def test_page_counts_its_pages() -> None:
    paging = PageRequest(page=2, size=20)
    assert paging.offset == 40
    assert Page([1], total=41, page=2, size=20).total_pages == 3
    assert Page([], total=0, page=0, size=20).total_pages == 0
    assert Page([1, 2], total=2, page=0, size=20).map(str).items == ["1", "2"]


class ParcelSent(DomainEvent, frozen=True, kw_only=True):
    parcel_id: uuid.UUID
    weight_grams: int


def test_events_survive_a_round_trip_through_their_wire_name() -> None:
    event = ParcelSent(occurred_at=datetime(2030, 1, 1, tzinfo=UTC), parcel_id=uuid.uuid4(), weight_grams=5)
    assert decode_event("ParcelSent", encode_event(event)) == event
    with pytest.raises(LookupError):
        decode_event("NoSuchEvent", b"{}")


class SeatsChanged(DomainEvent, frozen=True, kw_only=True):
    event_id: uuid.UUID  # the outdoor event, a common field name in the domains


def test_every_event_gets_its_own_message_id_whatever_its_fields() -> None:
    outdoor_event = uuid.uuid4()
    first = SeatsChanged(occurred_at=datetime(2030, 1, 1, tzinfo=UTC), event_id=outdoor_event)
    second = SeatsChanged(occurred_at=datetime(2030, 1, 1, tzinfo=UTC), event_id=outdoor_event)
    assert first.message_id != second.message_id
    assert first.event_id == second.event_id == outdoor_event
