"""Writing events: drafts are created and edited in full; published events only partly."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from aquastream.domain.catalog.errors import (
    CapacityBelowTaken,
    EventNotEditable,
    EventNotFound,
    NotOrganizerManager,
    OrganizerNotFound,
)
from aquastream.domain.catalog.event_rules import EventChanges
from aquastream.domain.catalog.events import EventCapacityChanged
from aquastream.domain.catalog.lifecycle import CancelEvent
from aquastream.domain.catalog.model import EventStatus, EventType
from aquastream.domain.shared.errors import ValidationFailed
from tests.unit.catalog.catalog_kit import CatalogKit


async def test_organizer_creates_a_draft(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")

    view = await kit.draft("vuoksa", title="  Сплав   по Вуоксе ", tags=["Сплав", "сплав", " Family  Trip "])

    event = view.event
    assert event.status is EventStatus.DRAFT
    assert event.type is EventType.RAFTING
    assert event.title == "Сплав   по Вуоксе"
    assert event.tags == ["сплав", "family trip"]
    assert event.price == Decimal("4500.00")
    assert event.currency == "RUB"
    assert kit.stored_event(event.id).title == event.title
    assert (view.organizer_slug, view.available, view.is_full, view.registration_open) == (
        "vuoksa",
        10,
        False,
        False,
    )
    assert kit.outbox() == []


async def test_draft_may_wait_for_description_and_place(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")

    view = await kit.draft(
        "vuoksa", description=None, address=None, city=None, latitude=None, longitude=None, price=None
    )

    assert view.event.description is None
    assert view.event.is_free


async def test_every_malformed_field_is_reported_at_once_before_the_money_rules(
    kit: CatalogKit,
) -> None:
    await kit.organizer("vuoksa")

    with pytest.raises(ValidationFailed) as caught:
        await kit.draft(
            "vuoksa",
            type="skydiving",
            title="ab",
            date_start=kit.now - timedelta(hours=1),
            date_end=kit.now - timedelta(hours=2),
            capacity=0,
            price=Decimal("10.001"),
            currency="rubles",
            latitude=91.0,
            longitude=None,
            cover_url="not-a-url",
            tags=["ok", "<script>"],
        )

    fields = sorted(e.field for e in caught.value.errors)
    assert fields == sorted(
        [
            "type",
            "title",
            "dateStart",
            "dateEnd",
            "capacity",
            "latitude",
            "longitude",
            "coverUrl",
            "tags",
        ]
    )
    assert caught.value.code == "validation.failed"


async def test_negative_price_is_refused(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")

    with pytest.raises(ValidationFailed) as caught:
        await kit.draft("vuoksa", price=Decimal("-1"))

    assert [e.field for e in caught.value.errors] == ["price"]


async def test_times_without_timezone_are_refused(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")

    with pytest.raises(ValidationFailed) as caught:
        await kit.draft("vuoksa", date_start=datetime(2031, 6, 1, 9), date_end=datetime(2031, 6, 2, 9))

    assert {e.field for e in caught.value.errors} == {"dateStart", "dateEnd"}


async def test_only_managers_of_the_organizer_create_its_events(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    create = kit.create_event()

    with pytest.raises(NotOrganizerManager):
        await create(kit.other_organizer, "vuoksa", kit.event_input())
    with pytest.raises(NotOrganizerManager):
        await create(kit.user, "vuoksa", kit.event_input())
    with pytest.raises(OrganizerNotFound):
        await create(kit.owner, "nobody", kit.event_input())
    assert (await create(kit.admin, "vuoksa", kit.event_input())).event.status is EventStatus.DRAFT


async def test_draft_is_editable_in_full(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    draft = await kit.draft("vuoksa")
    new_start = kit.now + timedelta(days=30)
    kit.clock.advance(minutes=1)

    view = await kit.update_event()(
        kit.owner,
        draft.event.id,
        EventChanges(
            type="HIKE",
            title="Поход по Карелии",
            date_start=new_start,
            date_end=new_start + timedelta(days=3),
            price=None,
            city="Петрозаводск",
            capacity=25,
        ),
    )

    event = view.event
    assert (event.type, event.title, event.capacity, event.price) == (
        EventType.HIKE,
        "Поход по Карелии",
        25,
        None,
    )
    assert event.location.city == "Петрозаводск"
    assert event.location.address == draft.event.location.address
    assert event.updated_at == kit.now
    assert kit.outbox() == []


async def test_changed_start_must_be_in_the_future_and_before_the_end(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    draft = await kit.draft("vuoksa")
    update = kit.update_event()

    with pytest.raises(ValidationFailed) as past:
        await update(kit.owner, draft.event.id, EventChanges(date_start=kit.now - timedelta(days=1)))
    with pytest.raises(ValidationFailed) as after_end:
        await update(kit.owner, draft.event.id, EventChanges(date_end=draft.event.date_start))

    assert [e.field for e in past.value.errors] == ["dateStart"]
    assert [e.field for e in after_end.value.errors] == ["dateEnd"]


async def test_published_event_changes_description_tags_cover_and_capacity(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    published = await kit.published("vuoksa")

    view = await kit.update_event()(
        kit.owner,
        published.event.id,
        EventChanges(
            description="Updated programme",
            tags=["сплав", "новинка"],
            cover_url="https://cdn.example/cover.jpg",
            capacity=12,
            # Unchanged values of frozen fields may be sent back as they are.
            title=published.event.title,
            date_start=published.event.date_start,
        ),
    )

    assert view.event.description == "Updated programme"
    assert view.event.tags == ["сплав", "новинка"]
    assert view.event.capacity == 12
    assert view.available == 12
    [changed] = kit.outbox_of(EventCapacityChanged)
    assert (changed.event_id, changed.old_capacity, changed.new_capacity) == (published.event.id, 10, 12)


async def test_published_event_keeps_its_title_dates_price_and_place(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    published = await kit.published("vuoksa")

    with pytest.raises(EventNotEditable) as caught:
        await kit.update_event()(
            kit.owner, published.event.id, EventChanges(title="Other title", price=Decimal("1.00"))
        )

    assert caught.value.code == "event.not_editable"
    assert caught.value.extra == {"fields": ["price", "title"]}
    assert kit.stored_event(published.event.id).title == published.event.title


async def test_published_event_cannot_lose_its_description(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    published = await kit.published("vuoksa")

    with pytest.raises(ValidationFailed) as caught:
        await kit.update_event()(kit.owner, published.event.id, EventChanges(description=" "))

    assert [e.field for e in caught.value.errors] == ["description"]


async def test_capacity_cannot_go_below_the_seats_taken(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    published = await kit.published("vuoksa")
    await kit.take_seats(published.event.id, 7)
    update = kit.update_event()

    with pytest.raises(CapacityBelowTaken) as caught:
        await update(kit.owner, published.event.id, EventChanges(capacity=6, description="Smaller boat"))

    assert caught.value.code == "event.capacity_below_taken"
    assert kit.stored_event(published.event.id).capacity == 10
    assert kit.stored_event(published.event.id).description == published.event.description
    assert kit.inventory_row(published.event.id).capacity == 10
    assert kit.outbox_of(EventCapacityChanged) == []
    view = await update(kit.owner, published.event.id, EventChanges(capacity=7))
    assert (view.available, view.is_full) == (0, True)


async def test_cancelled_event_is_not_editable(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    published = await kit.published("vuoksa")
    await CancelEvent(kit.uow(), kit.clock)(kit.owner, published.event.id)

    with pytest.raises(EventNotEditable):
        await kit.update_event()(kit.owner, published.event.id, EventChanges(description="x"))


async def test_others_cannot_edit_an_event(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    draft = await kit.draft("vuoksa")
    published = await kit.published("vuoksa")
    update = kit.update_event()

    # A draft does not exist for them; a published event does, but is not theirs.
    with pytest.raises(EventNotFound):
        await update(kit.other_organizer, draft.event.id, EventChanges(title="Mine now"))
    with pytest.raises(NotOrganizerManager):
        await update(kit.other_organizer, published.event.id, EventChanges(description="Mine now"))
    with pytest.raises(EventNotFound):
        await update(kit.owner, uuid.uuid4(), EventChanges(title="Nothing"))
    assert (await update(kit.admin, draft.event.id, EventChanges(title="Fixed by admin"))).event.title == (
        "Fixed by admin"
    )
