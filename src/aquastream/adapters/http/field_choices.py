"""Validation errors that say what would have been right: an enum's allowed values, by wire name.

msgspec refuses a value outside an enum (or a ``Literal``) with "Invalid enum value 'CARD'",
which leaves the client guessing. ``explain`` finds the type the value was meant for, from
the route handler's signature and the path of the field in the error (``method``,
``items[1].type``, a query parameter), and rewrites the message as "expected one of WIDGET,
QR_MANUAL; got CARD". It also names a query parameter as the client spells it (``hasFreeSeats``),
not as the handler's Python parameter is called (``has_free_seats``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import msgspec
from litestar.handlers import HTTPRouteHandler
from litestar.params import ParameterKwarg

from aquastream.domain.shared.errors import one_of

_INVALID_ENUM = re.compile(r"Invalid enum value (?P<got>.*)")
_SEGMENT = re.compile(r"\[(?P<index>\d+)\]|(?P<name>[^.\[\]]+)")
_BODY = "data"
_WITH_FIELDS = (msgspec.inspect.StructType, msgspec.inspect.DataclassType, msgspec.inspect.TypedDictType)


def explain(handler: HTTPRouteHandler, key: str, source: str | None, message: str) -> tuple[str, str]:
    """The field (as on the wire) and message of one of Litestar's validation errors."""
    segments = [m["name"] or m["index"] for m in _SEGMENT.finditer(key)]
    if source == "body" or not segments:
        annotation = _annotation(handler, _BODY)
        field = key
    else:
        name, *rest = segments
        annotation = _annotation(handler, name)
        wire_name = _wire_name(handler, name)
        field, segments = key.replace(name, wire_name, 1), rest
    invalid = _INVALID_ENUM.fullmatch(message)
    if invalid is None or annotation is None:
        return field, message
    try:
        allowed = _choices(_at(msgspec.inspect.type_info(annotation), segments))
    except TypeError:  # a type msgspec cannot describe: Litestar's words stay
        return field, message
    if allowed is None:
        return field, message
    return field, one_of(allowed, invalid["got"].strip("'\""))


def _annotation(handler: HTTPRouteHandler, name: str) -> Any:
    parameter = handler.parsed_fn_signature.parameters.get(name)
    return parameter.annotation if parameter is not None else None


def _wire_name(handler: HTTPRouteHandler, name: str) -> str:
    parameter = handler.parsed_fn_signature.parameters.get(name)
    definition = parameter.kwarg_definition if parameter is not None else None
    if isinstance(definition, ParameterKwarg) and definition.name:
        return definition.name
    return name


def _at(info: msgspec.inspect.Type, segments: Sequence[str]) -> msgspec.inspect.Type | None:
    """The type found by following ``segments`` (field names and list indexes) into ``info``."""
    for segment in segments:
        found = _step(info, segment)
        if found is None:
            return None
        info = found
    return info


def _step(info: msgspec.inspect.Type, segment: str) -> msgspec.inspect.Type | None:
    if isinstance(info, msgspec.inspect.Metadata):
        return _step(info.type, segment)
    if isinstance(info, msgspec.inspect.UnionType):
        return next((t for t in (_step(member, segment) for member in info.types) if t is not None), None)
    if isinstance(info, _WITH_FIELDS):
        field = next((f for f in info.fields if segment in (f.encode_name, f.name)), None)
        return field.type if field is not None else None
    if isinstance(info, msgspec.inspect.CollectionType):
        return info.item_type if segment.isdigit() else None
    if isinstance(info, msgspec.inspect.DictType):
        return info.value_type
    return None


def _choices(info: msgspec.inspect.Type | None) -> list[str] | None:
    """The values an enum or a Literal allows (also inside an optional, a list, a set)."""
    if isinstance(info, msgspec.inspect.EnumType):
        return [str(member.value) for member in info.cls]
    if isinstance(info, msgspec.inspect.LiteralType):
        # msgspec keeps a Literal's values as a set: sorted, they read the same every time.
        return sorted(str(value) for value in info.values)
    if isinstance(info, msgspec.inspect.Metadata):
        return _choices(info.type)
    if isinstance(info, msgspec.inspect.CollectionType):
        return _choices(info.item_type)
    if isinstance(info, msgspec.inspect.UnionType):
        return next((c for c in map(_choices, info.types) if c is not None), None)
    return None
