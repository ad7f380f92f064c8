"""Full-text search of events: PostgreSQL's tsvector, and the LIKE fallback of SQLite and memory.

Whole words in any case, Russian or English, from the title, the description or the tags,
are found everywhere; each backend's own extras are pinned down separately.
"""

from __future__ import annotations

import pytest

from aquastream.domain.catalog.model import EventSearch, EventStatus
from aquastream.domain.shared.paging import PageRequest

from .conftest import CatalogBackend
from .factories import an_event, an_organizer, store

PUBLISHED = frozenset({EventStatus.PUBLISHED})


@pytest.fixture
async def texts(catalog: CatalogBackend) -> CatalogBackend:
    organizer = an_organizer()
    await store(
        catalog.uow(),
        organizer,
        an_event(
            organizer,
            title="Сплав по Вуоксе",
            description="Пороги и ночёвка в палатках",
            tags=["family", "рафтинг"],
        ),
        an_event(
            organizer,
            title="Kayak Weekend",
            description="Easy paddling on Ladoga lakes",
            tags=["kayak", "beginners"],
        ),
        an_event(
            organizer,
            title="Mountain hike",
            description="Three days in the Khibiny; tents included",
            tags=["hike", "family"],
        ),
        an_event(organizer, title="Draft kayak trip", status=EventStatus.DRAFT, published_at=None),
    )
    return catalog


async def found(catalog: CatalogBackend, text: str) -> list[str]:
    async with catalog.uow() as uow:
        page = await uow.events.search(EventSearch(statuses=PUBLISHED, text=text), PageRequest())
        return sorted(event.title for event in page.items)


async def test_words_of_title_description_and_tags_are_found_in_any_case(texts: CatalogBackend) -> None:
    assert await found(texts, "вуоксе") == ["Сплав по Вуоксе"]
    assert await found(texts, "ПОРОГИ") == ["Сплав по Вуоксе"]
    assert await found(texts, "рафтинг") == ["Сплав по Вуоксе"]
    assert await found(texts, "Ladoga") == ["Kayak Weekend"]
    assert await found(texts, "kayak") == ["Kayak Weekend"]
    assert await found(texts, "family") == ["Mountain hike", "Сплав по Вуоксе"]


async def test_every_word_must_match(texts: CatalogBackend) -> None:
    assert await found(texts, "family hike") == ["Mountain hike"]
    assert await found(texts, "family kayak") == []


async def test_search_keeps_the_other_filters(texts: CatalogBackend) -> None:
    assert "Draft kayak trip" not in await found(texts, "trip")


@pytest.mark.postgres
@pytest.mark.parametrize("catalog", ["postgres"], indirect=True)
async def test_postgresql_understands_web_search_syntax(texts: CatalogBackend) -> None:
    assert await found(texts, "family -hike") == ["Сплав по Вуоксе"]
    assert await found(texts, "kayak or палатках") == ["Kayak Weekend", "Сплав по Вуоксе"]
    assert await found(texts, '"paddling on ladoga"') == ["Kayak Weekend"]
    assert await found(texts, '"ladoga paddling"') == []
    # Whole words only: no stemming, no prefixes.
    assert await found(texts, "порог") == []


@pytest.mark.parametrize("catalog", ["memory", "sqlite"], indirect=True)
async def test_fallback_matches_parts_of_words(texts: CatalogBackend) -> None:
    assert await found(texts, "порог") == ["Сплав по Вуоксе"]
    assert await found(texts, "PADDL") == ["Kayak Weekend"]
