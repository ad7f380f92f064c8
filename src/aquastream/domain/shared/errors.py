"""One error hierarchy for every domain: a stable machine ``code`` and a default message.

The HTTP adapter maps the *kind* base classes below (``NotFound``, ``Conflict`` …)
to status codes in one table; concrete errors only pick a kind and a code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class FieldError:
    """A validation failure attached to one input field (camelCase, as on the wire)."""

    field: str
    message: str


def one_of(allowed: Sequence[str], got: str) -> str:
    """The message of a value outside ``allowed``: the same words for every enum, everywhere."""
    return f"expected one of {', '.join(allowed)}; got {got}"


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""

    code: ClassVar[str] = "domain.error"
    default_message: ClassVar[str] = "The request could not be completed."

    def __init__(
        self,
        message: str | None = None,
        *,
        extra: Mapping[str, Any] | None = None,
        errors: Sequence[FieldError] = (),
    ) -> None:
        self.message = message or self.default_message
        self.extra: dict[str, Any] = dict(extra or {})
        self.errors: tuple[FieldError, ...] = tuple(errors)
        super().__init__(self.message)


class ValidationFailed(DomainError):
    """Malformed input (HTTP 400)."""

    code = "validation.failed"
    default_message = "The request is not valid."


class Unauthenticated(DomainError):
    """No valid credentials (HTTP 401)."""

    code = "auth.unauthenticated"
    default_message = "Authentication is required."


class Forbidden(DomainError):
    """The caller is known but may not do this (HTTP 403)."""

    code = "auth.forbidden"
    default_message = "You are not allowed to do this."


class NotFound(DomainError):
    """The thing does not exist or the caller may not see it (HTTP 404)."""

    code = "not_found"
    default_message = "Not found."


class Conflict(DomainError):
    """The request collides with the current state (HTTP 409)."""

    code = "state.conflict"
    default_message = "The request conflicts with the current state."


class RuleViolated(DomainError):
    """A business rule forbids the request (HTTP 422)."""

    code = "rule.violated"
    default_message = "A business rule forbids this request."


class Busy(DomainError):
    """A lock could not be taken in time; the client may retry (HTTP 503)."""

    code = "busy"
    default_message = "The resource is busy, please retry."


class DependencyUnavailable(DomainError):
    """Something the request needs (the database, …) cannot be reached just now; the
    client may retry (HTTP 503)."""

    code = "service.unavailable"
    default_message = "A service this request needs is unavailable; please retry shortly."


Raises = tuple[type[DomainError], ...]
"""The errors a use case may raise, declared as its class attribute ``raises``.

Every use case a route runs (a ``FromDishka`` parameter of its handler) declares them: the
OpenAPI document answers each route's errors from them (``adapters.http.openapi``), and a
test reads the use case's code to hold the declaration to every ``raise`` it can reach.
Errors that only an adapter raises (a unique index, a provider) are declared too: the test
cannot follow a call through a port."""
