"""Strict queries: an unknown query parameter is a 400 that names the allowed ones, on every
route; a value outside an enum is a 400 that names the allowed values."""

from __future__ import annotations

import re
import uuid

from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from aquastream.adapters.http.route_options import FREE_QUERY
from aquastream.domain.shared.principal import Role

from .conftest import Bearer, Serve
from .test_problems import assert_problem

API = "/api/v1"
UNKNOWN = "request.unknown_parameter"
EVENT_FILTERS = [
    "city",
    "dateFrom",
    "dateTo",
    "hasFreeSeats",
    "includePast",
    "organizer",
    "page",
    "priceMax",
    "priceMin",
    "q",
    "size",
    "sort",
    "tags",
    "type",
]


async def test_a_misspelt_filter_is_refused_naming_the_allowed_ones(serve: Serve) -> None:
    async with serve() as client:
        response = await client.get(f"{API}/events", params={"minPrice": "999999"})

    body = assert_problem(response, 400, UNKNOWN)
    assert body["unknown"] == ["minPrice"]
    assert body["allowed"] == EVENT_FILTERS
    assert "minPrice" in body["detail"]
    assert "priceMin" in body["detail"]


async def test_an_empty_unknown_parameter_is_refused_too(serve: Serve) -> None:
    async with serve() as client:
        response = await client.get(f"{API}/organizers", params={"search": ""})

    body = assert_problem(response, 400, UNKNOWN)
    assert body["unknown"] == ["search"]
    assert body["allowed"] == ["mine", "page", "q", "size", "sort"]


async def test_every_unknown_parameter_is_named_once(serve: Serve) -> None:
    async with serve() as client:
        response = await client.get(f"{API}/events?b=1&a=2&b=3&priceMin=1")

    body = assert_problem(response, 400, UNKNOWN)
    assert body["unknown"] == ["a", "b"]
    assert body["detail"].startswith("Unknown query parameters a, b;")


async def test_a_caller_without_the_right_to_a_route_learns_nothing_of_its_parameters(
    serve: Serve,
) -> None:
    async with serve() as client:
        response = await client.get(f"{API}/admin/users", params={"noSuchParameter": "1"})

    assert_problem(response, 401, "auth.unauthenticated")


async def test_declared_parameters_pass(serve: Serve) -> None:
    async with serve() as client:
        response = await client.get(f"{API}/events", params={"priceMin": "0", "page": "0", "size": "5"})

    assert response.status_code == 200, response.text


def _concrete(path: str) -> str:
    """A path of the route template with made-up values for its parameters."""
    path = re.sub(r"\{[^}:]+:uuid\}", str(uuid.uuid4()), path)
    path = re.sub(r"\{[^}:]+:path\}", "some/key", path)
    path = re.sub(r"\{[^}:]+:int\}", "1", path)
    return re.sub(r"\{[^}:]+:[a-z]+\}", "some-slug", path)


def _strict_routes(app: Litestar) -> list[tuple[str, str]]:
    return [
        (method, _concrete(route.path))
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for method, (handler, _) in route.route_handler_map.items()
        if method != "OPTIONS" and not handler.opt.get(FREE_QUERY)
    ]


async def test_every_route_refuses_an_unknown_parameter(serve: Serve, bearer: Bearer) -> None:
    """Before the body or the path's values are looked at: the route's own parameters are the
    contract (an admin passes every guard)."""
    answers = {}
    auth = bearer(Role.ADMIN)
    # Each route is called once: the routes of a category outnumber its default limit (every
    # other route shares 100 a minute).
    async with serve(rate_limit_recovery="100/5minutes", rate_limit_default="1000/minute") as client:
        routes = _strict_routes(client.app)
        for method, path in routes:
            response = await client.request(method, path, params={"noSuchParameter": "1"}, headers=auth)
            answers[f"{method} {path}"] = (response.status_code, response.json().get("code"))

    assert len(routes) > 80
    assert {route: answer for route, answer in answers.items() if answer != (400, UNKNOWN)} == {}


async def test_callers_that_write_their_own_urls_may_add_parameters(serve: Serve) -> None:
    async with serve() as client:
        webhook = await client.post(f"{API}/webhooks/payments/nowhere?source=dashboard", content=b"{}")
        pay_link = await client.get(
            f"{API}/payments/pay/{uuid.uuid4()}", params={"token": "x", "utm_source": "mail"}
        )
        telegram = await client.post(f"{API}/notifications/telegram/webhook?via=bot", json={})

    assert_problem(webhook, 404, "payment.provider_unknown")
    assert_problem(pay_link, 404, "payment.link_invalid")
    assert telegram.json()["code"] != UNKNOWN


async def test_the_openapi_document_declares_the_400_of_every_operation(
    client: AsyncTestClient[Litestar],
) -> None:
    document = (await client.get(f"{API}/openapi.json")).json()

    without = [
        f"{method} {path}"
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if "400" not in operation["responses"]
    ]
    assert without == []


async def test_a_body_value_outside_an_enum_names_the_allowed_values(serve: Serve, bearer: Bearer) -> None:
    async with serve() as client:
        response = await client.post(
            f"{API}/payments", json={"bookingId": str(uuid.uuid4()), "method": "CARD"}, headers=bearer()
        )

    body = assert_problem(response, 400, "validation.failed")
    assert body["errors"] == [{"field": "method", "message": "expected one of WIDGET, QR_MANUAL; got CARD"}]


async def test_a_query_value_outside_an_enum_names_the_allowed_values(serve: Serve, bearer: Bearer) -> None:
    async with serve() as client:
        response = await client.get(f"{API}/admin/users", params={"role": "BOSS"}, headers=bearer(Role.ADMIN))

    body = assert_problem(response, 400, "validation.failed")
    assert body["errors"] == [
        {"field": "role", "message": "expected one of USER, ORGANIZER, ADMIN; got BOSS"}
    ]


async def test_an_aliased_query_parameter_is_named_as_the_client_spells_it(
    serve: Serve, bearer: Bearer
) -> None:
    async with serve() as client:
        response = await client.get(
            f"{API}/events/{uuid.uuid4()}/crews", params={"type": "YACHT"}, headers=bearer()
        )

    body = assert_problem(response, 400, "validation.failed")
    (error,) = body["errors"]
    assert error["field"] == "type"
    assert error["message"].startswith("expected one of CREW, TENT, TABLE, BUS; got YACHT")
    assert error["message"].endswith("; got YACHT")


async def test_an_event_type_outside_the_list_names_the_allowed_ones(serve: Serve) -> None:
    async with serve() as client:
        response = await client.get(f"{API}/events", params={"type": "rafting,yachting"})

    body = assert_problem(response, 400, "validation.failed")
    assert body["errors"] == [
        {
            "field": "type",
            "message": "expected one of RAFTING, KAYAK, SUP, HIKE, CAMP, REGATTA, OTHER; got yachting",
        }
    ]
