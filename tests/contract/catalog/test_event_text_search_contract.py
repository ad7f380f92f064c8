"""Event text search by word forms, the same on memory, SQLite and PostgreSQL.

The rule is ``aquastream.adapters.text_search``'s: words stemmed by Snowball (Russian or
English), every query word a prefix of a stem of the title, tags or description, no case,
``ё`` as ``е``, stop words left out, no query syntax; matches ordered by relevance. One
table of queries runs against every adapter; PostgreSQL also checks that the Python
stemmer and stop lists of the embedded adapters are its own.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text as sql

from aquastream.adapters.text_search import stems
from aquastream.adapters.text_search_stopwords import ENGLISH_STOP_WORDS, RUSSIAN_STOP_WORDS
from aquastream.domain.catalog.model import EventSearch, EventStatus
from aquastream.domain.shared.paging import PageRequest

from .conftest import CatalogBackend
from .factories import NOW, an_event, an_organizer, store

PUBLISHED = frozenset({EventStatus.PUBLISHED})

RUSKEALA = "Водопады Рускеалы"
SKERRIES = "Каяки в шхерах"
KAYAKING = "Kayaking weekend"
FIR_TREES = "Ёлки и палатки"
FIR_TREES_E = "Новогодние елки"
HIKE = "Mountain hike"
RAFTING = "Сплав по Вуоксе"

# (query, the titles every adapter finds, in title order)
SHARED_TABLE: list[tuple[str, list[str]]] = [
    # Russian word forms
    ("водопад", [RUSKEALA]),
    ("водопады", [RUSKEALA]),
    ("водопадов", [RUSKEALA]),
    ("каяк", [SKERRIES]),
    ("каяках", [SKERRIES]),
    ("шхеры", [SKERRIES]),
    ("шхерам", [SKERRIES]),
    ("пороги", [RAFTING]),
    ("порогов", [RAFTING]),
    # prefixes and place names
    ("Руске", [RUSKEALA]),
    ("Рускеала", [RUSKEALA]),
    ("Рускеальский", [RUSKEALA]),
    ("Вуокса", [RAFTING]),
    ("Ладога", [SKERRIES]),
    ("Ladoga", [KAYAKING]),
    ("Карел", [RUSKEALA]),
    # any case
    ("ВОДОПАДЫ", [RUSKEALA]),
    ("рУсКеАлА", [RUSKEALA]),
    ("KAYAK", [KAYAKING, SKERRIES]),
    # ё is е
    ("ёлки", [FIR_TREES, FIR_TREES_E]),
    ("елки", [FIR_TREES, FIR_TREES_E]),
    ("ЁЛКАМИ", [FIR_TREES, FIR_TREES_E]),
    ("ночевка", [RAFTING]),
    # English word forms
    ("kayak", [KAYAKING, SKERRIES]),
    ("kayaking", [KAYAKING, SKERRIES]),
    ("kayaks", [KAYAKING, SKERRIES]),
    ("waterfall", [KAYAKING]),
    ("waterfalls", [KAYAKING]),
    ("paddle", [KAYAKING]),
    # every word must match; a stop word asks nothing
    ("family hike", [HIKE]),
    ("family kayak", [KAYAKING]),
    ("водопады и ёлки", []),
    ("водопады на Рускеале", [RUSKEALA]),
    ("the waterfalls", [KAYAKING]),
    # nothing left to look for finds nothing
    ("и", []),
    ("the of", []),
    ("!!!", []),
    # no query syntax: operators and quotes are separators
    ("a & | !", []),
    ("kayak | hike", []),
    ("!kayak", [KAYAKING, SKERRIES]),
    ("водопад:*", [RUSKEALA]),
    ("'водопад'", [RUSKEALA]),
    ('"kayak weekend"', [KAYAKING]),
    ("family -hike", [HIKE]),
    ("(kayak) & (", [KAYAKING, SKERRIES]),
    ("\\ ' \" : * < -> >", []),
    # drafts stay hidden
    ("trip", []),
]


@pytest.fixture
async def texts(catalog: CatalogBackend) -> CatalogBackend:
    organizer = an_organizer()
    await store(
        catalog.uow(),
        organizer,
        an_event(
            organizer,
            title=RUSKEALA,
            description="Прогулка к водопадам Рускеальского парка",
            tags=["карелия"],
        ),
        an_event(
            organizer,
            title=SKERRIES,
            description="Идём на каяках по шхерам Ладоги",
            tags=["kayak"],
        ),
        an_event(
            organizer,
            title=KAYAKING,
            description="Paddling to the waterfalls of Ladoga",
            tags=["family"],
        ),
        an_event(organizer, title=FIR_TREES, description="Ночуем под ёлками"),
        an_event(organizer, title=FIR_TREES_E, description="Прогулка среди елок"),
        an_event(organizer, title=HIKE, description="Three days in the Khibiny", tags=["hike", "family"]),
        an_event(
            organizer,
            title=RAFTING,
            description="Пороги и ночёвка в палатке",
            tags=["рафтинг"],
        ),
        an_event(organizer, title="Draft kayak trip", status=EventStatus.DRAFT, published_at=None),
    )
    return catalog


async def found(catalog: CatalogBackend, text: str) -> list[str]:
    """The titles in the order the adapter gives them."""
    async with catalog.uow() as uow:
        page = await uow.events.search(EventSearch(statuses=PUBLISHED, text=text), PageRequest())
        return [event.title for event in page.items]


async def test_every_adapter_finds_the_same_events(texts: CatalogBackend) -> None:
    for query, expected in SHARED_TABLE:
        assert sorted(await found(texts, query)) == sorted(expected), query


async def test_search_keeps_the_other_filters(texts: CatalogBackend) -> None:
    async with texts.uow() as uow:
        search = EventSearch(statuses=PUBLISHED, text="kayak", starts_after=NOW + timedelta(days=365))
        page = await uow.events.search(search, PageRequest())
    assert page.items == []
    assert page.total == 0


@pytest.fixture
async def ranked(catalog: CatalogBackend) -> CatalogBackend:
    """Events naming waterfalls in different fields, the less relevant starting first."""
    organizer = an_organizer()
    await store(
        catalog.uow(),
        organizer,
        an_event(
            organizer, title="Once in the text", description="Водопад на реке", starts_in=timedelta(days=1)
        ),
        an_event(
            organizer,
            title="Twice in the text",
            description="Водопад, ещё водопад и водопады",
            starts_in=timedelta(days=2),
        ),
        an_event(organizer, title="Tagged", tags=["водопады"], starts_in=timedelta(days=3)),
        an_event(organizer, title="Водопад Кивач", starts_in=timedelta(days=4)),
        an_event(organizer, title="Also once, later", description="Водопад", starts_in=timedelta(days=5)),
        an_event(organizer, title="Unrelated", description="Озеро", starts_in=timedelta(days=0)),
    )
    return catalog


async def test_matches_come_by_relevance_then_by_start(ranked: CatalogBackend) -> None:
    assert await found(ranked, "водопадами") == [
        "Водопад Кивач",
        "Tagged",
        "Twice in the text",
        "Once in the text",
        "Also once, later",
    ]


async def test_without_a_search_text_the_order_is_by_start(ranked: CatalogBackend) -> None:
    async with ranked.uow() as uow:
        page = await uow.events.search(EventSearch(statuses=PUBLISHED), PageRequest())
    assert [event.title for event in page.items][:2] == ["Unrelated", "Once in the text"]


async def test_the_page_and_total_follow_the_relevance_order(ranked: CatalogBackend) -> None:
    async with ranked.uow() as uow:
        search = EventSearch(statuses=PUBLISHED, text="водопад")
        first = await uow.events.search(search, PageRequest(page=0, size=2))
        second = await uow.events.search(search, PageRequest(page=1, size=2))
    assert [e.title for e in first.items] == ["Водопад Кивач", "Tagged"]
    assert [e.title for e in second.items] == ["Twice in the text", "Once in the text"]
    assert first.total == second.total == 5


async def test_an_edited_event_is_found_by_its_new_words(texts: CatalogBackend) -> None:
    async with texts.uow() as uow:
        page = await uow.events.search(EventSearch(statuses=PUBLISHED, text="Кивач"), PageRequest())
        assert page.items == []
        hike = await uow.events.search(EventSearch(statuses=PUBLISHED, text="khibiny"), PageRequest())
        event = hike.items[0]
        event.description = "Три дня у водопада Кивач"
        await uow.events.save(event)
        await uow.commit()
    assert await found(texts, "кивача") == [HIKE]
    assert await found(texts, "khibiny") == []


# Words of the table and the fixtures, and some harder forms, whose stems PostgreSQL must share.
VOCABULARY = sorted(
    {
        *(word for query, _ in SHARED_TABLE for word in query.lower().split() if word.isalpha()),
        *"""водопадам рускеальского идём шхерам ладоги paddling waterfalls ночуем ёлками елок
        three days khibiny пороги ночёвка палатке рафтинг прогулка среди новогодние карелия
        сплавляемся байдарочный походы путешествие running easily generously skerries
        организаторы выходные лодках organizers internal international interval added pasted""".split(),
    }
)


@pytest.mark.postgres
@pytest.mark.parametrize("catalog", ["postgres"], indirect=True)
async def test_stems_are_postgresqls(catalog: CatalogBackend) -> None:
    assert catalog.engine is not None
    async with catalog.engine.connect() as connection:
        for word in VOCABULARY:
            lexemes = await connection.scalar(
                sql("SELECT tsvector_to_array(to_tsvector('russian', translate(:w, 'ёЁ', 'ее')))"),
                {"w": word},
            )
            assert sorted(lexemes) == sorted(stems(word)), word


@pytest.mark.postgres
@pytest.mark.parametrize("catalog", ["postgres"], indirect=True)
async def test_stop_words_are_postgresqls(catalog: CatalogBackend) -> None:
    assert catalog.engine is not None
    async with catalog.engine.connect() as connection:
        for dictionary, words in (("english_stem", ENGLISH_STOP_WORDS), ("russian_stem", RUSSIAN_STOP_WORDS)):
            for word in sorted(words):
                lexemes = await connection.scalar(sql(f"SELECT ts_lexize('{dictionary}', :w)"), {"w": word})
                assert lexemes == [], (dictionary, word)


async def test_a_host_name_is_found_by_its_first_part_everywhere_and_later_parts_embedded_only(
    catalog: CatalogBackend,
) -> None:
    """PostgreSQL's parser keeps ``vuoksa.ru`` one token; the embedded adapters split it."""
    organizer = an_organizer()
    await store(catalog.uow(), organizer, an_event(organizer, title="Rafting", description="See vuoksa.ru"))
    assert await found(catalog, "vuoksa") == ["Rafting"]
    later_part = [] if catalog.name == "postgres" else ["Rafting"]
    assert await found(catalog, "ru") == later_part
    assert await found(catalog, "vuoksa.ru") == later_part
