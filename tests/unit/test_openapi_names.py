"""The rules that give the OpenAPI document's schemas readable names of their own."""

from __future__ import annotations

import pytest
from litestar.openapi.spec import (
    Components,
    Info,
    OpenAPI,
    OpenAPIMediaType,
    OpenAPIResponse,
    Operation,
    PathItem,
    Reference,
    Schema,
)

from aquastream.adapters.http.openapi_names import name_schemas


def document(titles: dict[str, str | None]) -> OpenAPI:
    """Schemas keyed as Litestar keys them, each answered by an operation of its own."""
    paths = {
        f"/{index}": PathItem(
            get=Operation(
                responses={
                    "200": OpenAPIResponse(
                        description="ok",
                        content={
                            "application/json": OpenAPIMediaType(
                                schema=Schema(items=Reference(ref=f"#/components/schemas/{key}"))
                            )
                        },
                    )
                }
            )
        )
        for index, key in enumerate(titles)
    }
    schemas = {key: Schema(title=title) for key, title in titles.items()}
    components = Components(schemas=schemas)
    return OpenAPI(info=Info(title="t", version="1"), servers=[], paths=paths, components=components)


def named(openapi: OpenAPI) -> tuple[list[str], list[str | None], list[str]]:
    """The schemas' keys, their titles, and what each operation's reference points at."""
    written = openapi.to_schema()
    refs = [
        item["get"]["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"]
        for item in written["paths"].values()
    ]
    schemas = written["components"]["schemas"]
    titles = [schema.get("title") for schema in schemas.values()]
    return list(schemas), titles, [ref.removeprefix("#/components/schemas/") for ref in refs]


def test_a_generic_is_named_after_its_arguments_then_itself_without_out() -> None:
    openapi = document({"PageOut_aquastream.adapters.http.booking.dto.BookingOut_": "PageOut[BookingOut]"})

    name_schemas(openapi)

    assert named(openapi) == (["BookingPage"], ["BookingPage"], ["BookingPage"])


def test_a_shared_name_takes_its_domains_word_unless_it_already_starts_with_it() -> None:
    openapi = document(
        {
            "booking_model_PaymentStatus": "PaymentStatus",
            "payments_model_PaymentStatus": "PaymentStatus",
            "crews_dto_PreferencesIn": "PreferencesIn",
            "notifications_dto_PreferencesIn": "PreferencesIn",
            "BookingOut": None,
        }
    )

    name_schemas(openapi)

    keys = [
        "BookingOut",
        "BookingPaymentStatus",
        "CrewPreferencesIn",
        "NotificationPreferencesIn",
        "PaymentStatus",
    ]
    refs = [
        "BookingPaymentStatus",
        "PaymentStatus",
        "CrewPreferencesIn",
        "NotificationPreferencesIn",
        "BookingOut",
    ]
    assert named(openapi) == (keys, keys, refs)


def test_a_shared_name_outside_the_domains_takes_its_module_path() -> None:
    openapi = document({"probes_kit_Thing": "Thing", "tools_Thing": "Thing"})

    name_schemas(openapi)

    assert named(openapi)[0] == ["ProbesKitThing", "ToolsThing"]


def test_names_that_would_still_clash_stop_the_start() -> None:
    openapi = document({"booking_model_Status": "BookingStatus", "booking_dto_Status": "BookingStatus"})

    with pytest.raises(RuntimeError, match="booking_dto_Status"):
        name_schemas(openapi)
