"""Event text search by word forms, the same on every adapter of the catalog's event port.

PostgreSQL searches with its built-in ``russian`` text search configuration; this module
replays that configuration in Python for SQLite and the memory adapter, so that every
adapter finds the same events (``EventRepository.search`` states the rule for callers):

- Words are runs of letters and digits; everything else separates them (so a query has
  no operators: quotes, ``&``, ``|``, ``!``, ``-`` or ``or`` are no syntax).
- Case does not matter and ``ё`` is ``е``.
- Stop words are left out: Snowball's English list for words of Latin letters, its Russian
  list for words of other letters (the lists PostgreSQL ships, copied in
  ``text_search_stopwords``).
- Each word is reduced to its stem by the Snowball stemmers (PyStemmer, the algorithms of
  PostgreSQL's ``english_stem`` and ``russian_stem``): English for words of Latin letters,
  Russian for words with other letters; a word with a digit is kept whole, as
  PostgreSQL's ``simple`` dictionary does. PyStemmer is pinned to 2.2, whose Snowball
  2.2.0 is the one PostgreSQL 15 and 16 carry (5,000 words of this repository stem alike;
  Snowball 3 differs on some English ones); ``test_stems_are_postgresqls`` watches it.
- An event matches when the stem of every query word begins some stem of the event's
  title, tags or description (PostgreSQL: ``to_tsquery('w1':* & 'w2':*)``). So
  ``водопад`` finds «водопады», ``Руске`` finds «Рускеала», ``kayak`` finds «kayaking».
- A query with no word left (only stop words or punctuation) finds nothing.

Relevance: PostgreSQL orders the matches by ``ts_rank`` over a document weighted title A,
tags B, description D. The embedded adapters order by a simpler score that agrees with it
where it counts: first by the best field each query word is found in (title, then tags,
then description, summed over the words), then by how many words of the event the query
words begin (more first). Ties, and ``ts_rank``'s regard for the distance between several
query words, may order differently; the set of events is the same.

What cannot be the same: PostgreSQL's parser keeps some tokens whole that this module
splits (e-mail and web addresses, host names, file paths, decimal numbers such as
``3.5``); there a query for a later part (``ru`` of ``site.ru``, and so ``site.ru``
itself, which the query splits too) finds the event on the embedded adapters only; a
query for the first part (``site``) finds it everywhere.

The stored document (``events.search_text``, made by ``event_document``) is the stems of
the title, the tags and the description, three sections in that order separated by
``|``, every stem with a space before it, so that ``' ' + stem`` finds word beginnings
with a plain substring search (``instr`` on SQLite).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

import Stemmer

from aquastream.adapters.text_search_stopwords import ENGLISH_STOP_WORDS, RUSSIAN_STOP_WORDS

# Letters and digits; the underscore, which ``\w`` takes in, separates words in PostgreSQL.
_WORD = re.compile(r"[^\W_]+")
SECTION_MARK = "|"
# Field weights of the embedded score; any order-preserving numbers would do.
TITLE, TAGS, DESCRIPTION = 3, 2, 1

_english = Stemmer.Stemmer("english")
_russian = Stemmer.Stemmer("russian")


def words(text: str) -> list[str]:
    """The words of ``text``, in lower case with ``ё`` as ``е``."""
    return _WORD.findall(text.lower().replace("ё", "е"))


def _stem(word: str) -> str | None:
    """The stem of one word of ``words``, or None for a stop word."""
    if any(char.isdigit() for char in word):
        return word
    if word.isascii():
        return None if word in ENGLISH_STOP_WORDS else str(_english.stemWord(word))
    return None if word in RUSSIAN_STOP_WORDS else str(_russian.stemWord(word))


def stems(text: str) -> list[str]:
    return [stem for word in words(text) if (stem := _stem(word)) is not None]


def query_words(text: str) -> list[str]:
    """The words of a query that are searched for (no stop words), each once, as typed
    (lower case): PostgreSQL stems them itself."""
    return list(dict.fromkeys(word for word in words(text) if _stem(word) is not None))


def query_stems(text: str) -> list[str]:
    """The stems of a query's words, each once: what the embedded adapters look for."""
    return list(dict.fromkeys(stems(text)))


def prefix_tsquery(words: Sequence[str]) -> str:
    """``to_tsquery`` text that wants every word as a stem prefix. The words come from
    ``query_words`` (letters and digits only), so nothing in them is tsquery syntax."""
    return " & ".join(f"'{word}':*" for word in words)


@lru_cache(maxsize=4096)
def _section(text: str) -> str:
    return "".join(f" {stem}" for stem in stems(text))


def event_document(title: str, description: str | None, tags: Iterable[str]) -> str:
    """The stored search document of an event (see the module docstring)."""
    parts = (_section(title), _section(" ".join(tags)), _section(description or ""))
    return f"{SECTION_MARK} ".join(f"{part} " for part in parts)


def document_matches(document: str, query: Sequence[str]) -> bool:
    """Every stem of ``query`` begins a stem of ``document``; an empty query matches nothing."""
    return bool(query) and all(f" {stem}" in document for stem in query)


def document_score(document: str, query: Sequence[str]) -> tuple[int, int]:
    """The embedded relevance of a matching ``document`` (higher first): the summed weight
    of the first field each query stem is found in, then how many stems it begins."""
    title_end = document.find(SECTION_MARK)
    tags_end = document.find(SECTION_MARK, title_end + 1)
    fields = hits = 0
    for stem in query:
        first = document.find(f" {stem}")
        fields += TITLE if first < title_end else TAGS if first < tags_end else DESCRIPTION
        hits += document.count(f" {stem}")
    return fields, hits
