"""Catalog objects for the contract tests, valid unless a test says otherwise."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from aquastream.domain.catalog.lifecycle import listing_of
from aquastream.domain.catalog.model import (
    Contacts,
    Event,
    EventStatus,
    EventType,
    FaqItem,
    Location,
    Organizer,
    TeamMember,
)
from aquastream.domain.shared.ids import new_id
from aquastream.ports.catalog import CatalogUnitOfWork

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


def an_organizer(slug: str | None = None, **fields: Any) -> Organizer:
    values: dict[str, Any] = {
        "id": new_id(),
        "slug": slug or f"org-{uuid.uuid4().hex[:8]}",
        "name": "Vuoksa Rafting",
        "owner_user_id": uuid.uuid4(),
        "created_at": NOW,
        "updated_at": NOW,
        "description": "Rafting since 2005",
        "logo_media_id": uuid.uuid4(),
        "logo_url": "https://cdn.example/logo.png",
        "contacts": Contacts(
            email="team@vuoksa.example",
            phone="+79215550102",
            telegram="@vuoksa_team",
            website="https://vuoksa.example",
        ),
        "brand_color": "#0A7CFF",
    }
    values.update(fields)
    return Organizer(**values)


def an_event(organizer: Organizer, *, starts_in: timedelta = timedelta(days=10), **fields: Any) -> Event:
    start = NOW + starts_in
    values: dict[str, Any] = {
        "id": new_id(),
        "organizer_id": organizer.id,
        "type": EventType.RAFTING,
        "title": "Rafting on Vuoksa",
        "date_start": start,
        "date_end": start + timedelta(days=1),
        "capacity": 10,
        "status": EventStatus.PUBLISHED,
        "created_at": NOW,
        "updated_at": NOW,
        "description": "Two days on the river",
        "location": Location(address="Лосево, база", city="Лосево", latitude=60.68, longitude=30.01),
        "price": Decimal("4500.50"),
        "currency": "RUB",
        "tags": ["сплав", "family"],
        "cover_url": "https://cdn.example/cover.jpg",
        "published_at": NOW,
    }
    values.update(fields)
    return Event(**values)


def a_member(organizer: Organizer, name: str, sort_order: int) -> TeamMember:
    return TeamMember(
        id=new_id(),
        organizer_id=organizer.id,
        name=name,
        sort_order=sort_order,
        role="Guide",
        photo_url="https://cdn.example/p.jpg",
        bio="Ten years on rivers",
    )


def a_faq_item(organizer: Organizer, question: str, sort_order: int) -> FaqItem:
    return FaqItem(
        id=new_id(), organizer_id=organizer.id, question=question, answer="Yes.", sort_order=sort_order
    )


async def store(uow: CatalogUnitOfWork, *objects: Organizer | Event) -> None:
    """Add organizers and events in one transaction; published events get their seats."""
    async with uow:
        for thing in objects:
            if isinstance(thing, Organizer):
                await uow.organizers.add(thing)
            else:
                await uow.events.add(thing)
        await uow.commit()
    for thing in objects:
        if isinstance(thing, Event) and thing.status is EventStatus.PUBLISHED:
            await uow.seats.open(listing_of(thing))
