"""Validation messages name an enum's allowed values wherever the enum sits: a body field, a
nested list item, a Literal, a query parameter (by its wire name), a list of values."""

from __future__ import annotations

import enum
from typing import Annotated, Any, Literal

import msgspec
import pytest
from litestar import Litestar, get, post
from litestar.params import JSONBody, QueryParameter
from litestar.testing import TestClient

from aquastream.adapters.http.problems import handle_exception


class Colour(enum.Enum):
    RED = "RED"
    BLUE = "BLUE"


class Paddle(msgspec.Struct, rename="camel"):
    blade_colour: Colour


class Order(msgspec.Struct, rename="camel"):
    paddles: list[Paddle]
    size: Literal["S", "M"] | None = None
    hull_colour: Colour | None = None


@post("/orders")
async def place(data: JSONBody[Order]) -> str:
    return "placed"


@get("/paddles")
async def search(
    colour: Annotated[Colour | None, QueryParameter(name="bladeColour")] = None,
    colours: Annotated[list[Colour] | None, QueryParameter(name="any")] = None,
) -> str:
    return "found"


@pytest.fixture(scope="module")
def client() -> Any:
    with TestClient(Litestar([place, search], exception_handlers={Exception: handle_exception})) as client:
        yield client


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"paddles": [], "hullColour": "GREEN"}, "hullColour", "expected one of RED, BLUE; got GREEN"),
        ({"paddles": [], "size": "XL"}, "size", "expected one of M, S; got XL"),
        (
            {"paddles": [{"bladeColour": "RED"}, {"bladeColour": "PINK"}]},
            "paddles[1].bladeColour",
            "expected one of RED, BLUE; got PINK",
        ),
    ],
)
def test_a_body_value_outside_an_enum(client: Any, body: dict[str, Any], field: str, message: str) -> None:
    response = client.post("/orders", json=body)

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": field, "message": message}]


@pytest.mark.parametrize(
    ("query", "field"), [("bladeColour=PINK", "bladeColour"), ("any=RED&any=PINK", "any")]
)
def test_a_query_value_outside_an_enum_by_its_wire_name(client: Any, query: str, field: str) -> None:
    response = client.get(f"/paddles?{query}")

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": field, "message": "expected one of RED, BLUE; got PINK"}]


def test_other_messages_stay_as_they_are(client: Any) -> None:
    response = client.post("/orders", json={"paddles": "none"})

    assert response.json()["errors"] == [{"field": "paddles", "message": "Expected `array`, got `str`"}]
