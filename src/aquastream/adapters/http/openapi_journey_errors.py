"""The 404 and 409 answers of booking that a participant's journey reads, declared in the OpenAPI document.

A generated client parses only the statuses an operation declares: an undeclared 409
``booking.duplicate`` or 404 ``booking.not_found`` is an error in it, not a ``Problem``. The
journey of ``tests/clients`` reads those two; until every operation declares each error it
can answer, they are declared here. ``setdefault``: a declaration made elsewhere wins.
"""

from __future__ import annotations

from collections.abc import Callable

from litestar.openapi.spec import OpenAPI, OpenAPIResponse, Operation

API = "/api/v1"

# (path, method) → {status: description}
JOURNEY_ERRORS: dict[tuple[str, str], dict[str, str]] = {
    (f"{API}/bookings", "post"): {
        "404": "`event.not_found`: no published event with this id.",
        "409": "`booking.duplicate` (with `existingBookingId`) or `event.full` (with `waitlistOpen`).",
    },
    (f"{API}/bookings/{{booking_id}}", "get"): {
        "404": "`booking.not_found`: no such booking, or not the caller's to see.",
    },
}


def declare_journey_errors(document: OpenAPI, problem: Callable[[str], OpenAPIResponse]) -> None:
    """Add the journey's error answers, as problem+json (``problem``), where none is declared."""
    for (path, method), errors in JOURNEY_ERRORS.items():
        path_item = (document.paths or {}).get(path)
        operation: Operation | None = getattr(path_item, method, None)
        if operation is None:
            raise RuntimeError(f"No operation {method.upper()} {path} to declare errors of")
        responses = operation.responses if operation.responses is not None else {}
        for status, description in errors.items():
            responses.setdefault(status, problem(description))
        operation.responses = responses
