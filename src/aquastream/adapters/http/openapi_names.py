"""Readable, unique names for the OpenAPI document's schemas: generated clients name their types so.

Litestar names a schema after its Python type, and when it meets that name twice it keys both
by their module paths (``booking_model_PaymentStatus``, ``crews_dto_PreferencesIn``) while
leaving the same title on each; it keys a generic by its full path too
(``PageOut_aquastream.adapters.http.booking.dto.BookingOut_``). Client generators take those
titles or keys for class names: a duplicated title drops a model and every operation that
uses it, a path is no class name at all. So, once the document is built:

- a generic is named after its arguments, then itself, without the ``Out`` that every
  answer's type ends with: ``PageOut[BookingOut]`` is ``BookingPage``;
- a name that several types share is prefixed with its domain's word (the domain package
  in its module path, in the singular), unless it already starts with it: booking's
  ``PaymentStatus`` is ``BookingPaymentStatus``, payments' stays ``PaymentStatus``;
  ``CrewPreferencesIn`` and ``NotificationPreferencesIn``;
- every schema's title is its key.

Names that would still clash stop the start with an error that names them: the types need
names of their own then.
"""

from __future__ import annotations

import pkgutil
import re
from collections import Counter
from dataclasses import fields, is_dataclass
from typing import Any

from litestar.openapi.spec import OpenAPI, Reference

import aquastream.domain

SCHEMA_REF_PREFIX = "#/components/schemas/"
GENERIC = re.compile(r"^(?P<outer>\w+)\[(?P<inner>.+)\]$")
DOMAINS = frozenset(module.name for module in pkgutil.iter_modules(aquastream.domain.__path__))


def name_schemas(document: OpenAPI) -> None:
    """Rename ``document``'s component schemas (keys, titles and every reference to them)."""
    schemas = document.components.schemas or {}
    readable = {key: _readable(schema.title or key) for key, schema in schemas.items()}
    shared = {name for name, count in Counter(readable.values()).items() if count > 1}
    names = {key: _qualified(key, name) if name in shared else name for key, name in readable.items()}
    taken = Counter(names.values())
    clashes = sorted(key for key, name in names.items() if taken[name] > 1)
    if clashes:
        raise RuntimeError(f"OpenAPI schemas without a name of their own: {clashes}")
    for key, schema in schemas.items():
        schema.title = names[key]
    document.components.schemas = {names[key]: schemas[key] for key in sorted(schemas, key=names.__getitem__)}
    refs = {SCHEMA_REF_PREFIX + key: SCHEMA_REF_PREFIX + name for key, name in names.items()}
    _rewrite_references(document, refs, set())


def _readable(title: str) -> str:
    """``PageOut[BookingOut]`` → ``BookingPage``; a plain name stays as it is."""
    generic = GENERIC.match(title)
    if generic is None:
        return title
    arguments = "".join(_bare(_readable(inner)) for inner in generic["inner"].split(", "))
    return arguments + _bare(generic["outer"])


def _bare(name: str) -> str:
    return name.removesuffix("Out") or name


def _qualified(key: str, name: str) -> str:
    """``name`` prefixed with the domain in Litestar's module-path key, unless it starts with it."""
    segments = key.split("_")
    domain = next((segment for segment in segments if segment in DOMAINS), None)
    if domain is None:
        return "".join(segment[:1].upper() + segment[1:] for segment in segments[:-1]) + name
    word = domain.removesuffix("s").capitalize()
    return name if name.startswith(word) else word + name


def _rewrite_references(node: Any, refs: dict[str, str], seen: set[int]) -> None:
    """Point every ``$ref`` below ``node`` (spec objects, lists, dicts) at the new names."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, Reference):
        node.ref = refs.get(node.ref, node.ref)
    elif isinstance(node, list | tuple):
        for item in node:
            _rewrite_references(item, refs, seen)
    elif isinstance(node, dict):
        for item in node.values():
            _rewrite_references(item, refs, seen)
    elif is_dataclass(node) and not isinstance(node, type):
        for field in fields(node):
            _rewrite_references(getattr(node, field.name), refs, seen)
