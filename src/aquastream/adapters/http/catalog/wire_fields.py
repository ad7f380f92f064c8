"""Field names in validation errors as the nested request bodies spell them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from aquastream.domain.shared.errors import DomainError, FieldError


@contextmanager
def nested_fields(paths: Mapping[str, str]) -> Iterator[None]:
    """Rename the ``errors[].field`` of a domain error raised inside: the domain names a
    field on its own (``city``), the body nests it (``location.city``)."""
    try:
        yield
    except DomainError as error:
        error.errors = tuple(FieldError(paths.get(e.field, e.field), e.message) for e in error.errors)
        raise
