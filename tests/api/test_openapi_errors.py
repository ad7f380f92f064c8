"""Every operation of the OpenAPI document declares every error it can answer, with its
codes, and describes itself from its use case.

The errors a route can raise are read from the code (``raised_errors``): its use cases',
its handler's and its guards'. A route that can answer a status or a code its operation
does not declare fails here, and so does a use case that raises what it does not declare.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.testing import AsyncTestClient

from aquastream.adapters.http.openapi import injected_classes, operations, use_cases_of
from aquastream.adapters.http.problems import status_of
from aquastream.app import create_app
from aquastream.domain.booking.book import BookSeat
from aquastream.domain.booking.errors import BookingDuplicate, EventFull, EventNotFound, ProfileIncomplete
from aquastream.domain.shared.errors import DomainError
from aquastream.settings import Settings

from .raised_errors import raised_by

Document = dict[str, Any]


@pytest.fixture
async def served(make_settings: Callable[..., Settings]) -> AsyncIterator[tuple[Litestar, Document]]:
    """The real application (no test probes), started, and its document."""
    app = create_app(make_settings())
    async with AsyncTestClient(app) as client:
        response = await client.get("/api/v1/openapi.json")
        assert response.status_code == 200
        yield app, response.json()


def documented(document: Document, path: str, method: str) -> dict[int, set[str]]:
    """status → the codes the operation's problem responses declare."""
    responses = document["paths"][path][method.lower()]["responses"]
    codes: dict[int, set[str]] = {}
    for status, response in responses.items():
        problem = response.get("content", {}).get("application/problem+json")
        if problem is not None:
            assert problem["schema"] == {"$ref": "#/components/schemas/Problem"}
            codes[int(status)] = {example["value"]["code"] for example in problem["examples"].values()}
    return codes


def is_use_case(cls: type) -> bool:
    return cls.__module__.startswith("aquastream.domain.") and any(
        "__call__" in vars(klass) for klass in cls.__mro__[:-1]
    )


def raised_by_route(handler: HTTPRouteHandler) -> set[type[DomainError]]:
    errors = raised_by(handler.fn)
    for guard in handler.resolve_guards():
        errors |= raised_by(guard)
    for use_case in injected_classes(handler):
        if is_use_case(use_case):
            errors |= raised_by(use_case.__call__, use_case)
    return errors


def documented_operations(app: Litestar, document: Document) -> list[tuple[str, str, HTTPRouteHandler]]:
    found = [
        (path, method, handler) for path, method, handler in operations(app) if path in document["paths"]
    ]
    assert len(found) > 90
    return found


def _load_event() -> None:
    raise EventNotFound()


class _Seats:
    def take(self) -> None:
        raise EventFull()


class _Duplicates:
    def __call__(self) -> None:
        raise BookingDuplicate()


class _Booking:
    """A use case that raises only through what it calls."""

    def __init__(self, seats: _Seats) -> None:
        self._seats = seats
        self._duplicates = _Duplicates()

    async def __call__(self) -> None:
        _load_event()
        self._seats.take()
        self._duplicates()
        self._refuse()

    def _refuse(self) -> None:
        raise ProfileIncomplete()


def test_the_reader_follows_functions_collaborators_and_methods() -> None:
    assert raised_by(_Booking.__call__, _Booking) == {
        EventNotFound,
        EventFull,
        BookingDuplicate,
        ProfileIncomplete,
    }


def test_every_error_a_route_can_raise_is_documented_with_its_code(served: tuple[Litestar, Document]) -> None:
    app, document = served
    missing: dict[str, list[str]] = {}
    for path, method, handler in documented_operations(app, document):
        declared = documented(document, path, method)
        for error in raised_by_route(handler):
            status = status_of(error)
            assert status is not None, f"{error.__name__} picks no kind of error"
            if error.code not in declared.get(status, set()):
                missing.setdefault(f"{method} {path}", []).append(f"{status} {error.code}")
    assert missing == {}


def test_every_use_case_a_route_runs_declares_what_it_raises(served: tuple[Litestar, Document]) -> None:
    app, document = served
    undeclared: dict[str, list[str]] = {}
    use_cases = {
        use_case
        for _, _, handler in documented_operations(app, document)
        for use_case in injected_classes(handler)
        if is_use_case(use_case)
    }
    assert len(use_cases) > 60
    for use_case in use_cases:
        declared = set(getattr(use_case, "raises", ()))
        raised = raised_by(use_case.__call__, use_case)
        if not hasattr(use_case, "raises") or raised - declared:
            undeclared[use_case.__qualname__] = sorted(error.__name__ for error in raised - declared)
    assert undeclared == {}


def test_every_operation_has_a_summary_and_a_description(served: tuple[Litestar, Document]) -> None:
    _, document = served
    lacking = [
        f"{method} {path}"
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict)
        and "responses" in operation
        and not (operation.get("summary", "").strip() and operation.get("description", "").strip())
    ]
    assert lacking == []


def test_the_description_is_the_use_case_s_own_documentation(served: tuple[Litestar, Document]) -> None:
    app, document = served
    book = document["paths"]["/api/v1/bookings"]["post"]
    assert book["summary"] == "Book a seat of a published event"
    assert book["description"].startswith(inspect.cleandoc(BookSeat.__doc__ or "-"))
    # The handler adds what the HTTP side does after the use case's words.
    assert "existingBookingId" in book["description"]
    # Every operation that runs a use case opens with its docstring.
    for path, method, handler in documented_operations(app, document):
        for use_case in use_cases_of(handler)[:1]:
            operation = document["paths"][path][method.lower()]
            assert operation["description"].startswith(inspect.cleandoc(use_case.__doc__ or "-")), path


def test_booking_a_seat_declares_its_errors_and_codes(served: tuple[Litestar, Document]) -> None:
    _, document = served
    codes = documented(document, "/api/v1/bookings", "POST")

    assert codes[400] >= {"validation.failed"}
    assert codes[401] == {
        "auth.unauthenticated",
        "auth.token_invalid",
        "auth.token_expired",
        "auth.token_revoked",
    }
    # (booking.not_found: a repeated Idempotency-Key replays the booking it made.)
    assert codes[404] == {"event.not_found", "booking.not_found"}
    assert codes[409] == {"booking.duplicate", "event.full", "waitlist.offer_expired"}
    assert codes[422] == {
        "profile.incomplete",
        "event.not_open",
        "idempotency.key_reused",
        "booking.party_too_large",
        "waitlist.party_exceeds_offer",
    }
    assert codes[429] == {"rate_limit.exceeded"}
    assert codes[503] == {"service.unavailable", "busy"}
    assert 403 not in codes
    conflict = document["paths"]["/api/v1/bookings"]["post"]["responses"]["409"]
    assert "`booking.duplicate`" in conflict["description"]
    example = conflict["content"]["application/problem+json"]["examples"]["booking.duplicate"]["value"]
    assert example["status"] == 409
    assert example["type"] == "urn:aquastream:problem:booking.duplicate"


def test_errors_of_guards_and_of_public_routes(served: tuple[Litestar, Document]) -> None:
    _, document = served
    # A role guard: 403.
    assert documented(document, "/api/v1/payments/moderation", "GET")[403] == {"auth.forbidden"}
    # A public read: no token needed (no ``auth.unauthenticated``), but a bad one is refused.
    event = documented(document, "/api/v1/events/{event_id}", "GET")
    assert event[401] == {"auth.token_invalid", "auth.token_expired", "auth.token_revoked"}
    assert event[404] == {"event.not_found"}
    # A guard of the route's own (the bot's secret) and an error the handler raises itself.
    assert "notifications.bad_webhook_secret" in str(
        documented(document, "/api/v1/notifications/telegram/webhook", "POST")
    )
    assert documented(document, "/api/v1/admin/outbox/dead/{delivery_id}/retry", "POST")[404] == {
        "outbox.dead_letter_not_found"
    }
    # A route that is not rate limited says no 429.
    assert 429 not in documented(document, "/api/v1/notifications/telegram/webhook", "POST")


async def test_an_answer_of_the_live_api_is_among_the_declared_ones(
    client: AsyncTestClient[Litestar], bearer: Callable[..., dict[str, str]]
) -> None:
    document = (await client.get("/api/v1/openapi.json")).json()
    unknown = "00000000-0000-4000-8000-000000000000"

    response = await client.post("/api/v1/bookings", json={"eventId": unknown}, headers=bearer())

    assert response.status_code in (404, 422)
    assert response.json()["code"] in documented(document, "/api/v1/bookings", "POST")[response.status_code]
