"""The table of every list route: its paging, its orders (``sort``) and its filters, each filter
with the API test that shows it narrows the list and the one that shows a wrong value is a 400.

The table is held to the application: a list route added, or a query parameter added to one,
fails ``test_the_table_names_every_list_and_each_of_its_query_parameters`` until the table says
what the parameter is and which tests prove it. (An unknown parameter is refused on every route,
``test_strict_queries``.)
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import get_origin

from litestar.routes import HTTPRoute

from aquastream.adapters.http.paging import PageOut

from .conftest import Serve


@dataclass(frozen=True)
class Filter:
    """``narrows``: a test showing the filter keeps only what matches; ``refuses``: a test
    showing a wrong value answers 400 (``module::function``, under ``tests.api``)."""

    narrows: str
    refuses: str


PAGING = frozenset({"page", "size"})
# ``sort`` is tested per list in catalog.test_list_sorting, booking.test_booking_lists,
# identity.test_admin_list_sorting and payments.test_payment_list_sorting.
# Lists whose order is their meaning take no ``sort`` (said in each route's docstring too):
# the waitlist (first come, first served: its FIFO places, oldest entry first), the moderation
# queue of QR receipts (oldest submission first: first submitted, first reviewed) and an
# event's crews (as the organizer set them up: by type, then name; unpaged) and an event's
# roster (the order bookings were confirmed, each party together by seat).
SORTED = frozenset({"sort"})
CATALOG_SEARCH = "catalog.test_catalog_search"
CATALOG_BAD = f"{CATALOG_SEARCH}::test_bad_filters_and_paging_are_400"
NUL_IN_URL = "test_bad_input::test_a_nul_character_in_the_url_is_refused"
EVENT_BOOKINGS = "booking.test_event_bookings"

LISTS: dict[str, tuple[frozenset[str], dict[str, Filter]]] = {
    "GET /api/v1/events": (
        PAGING | SORTED,
        {
            "organizer": Filter(f"{CATALOG_SEARCH}::test_filters_narrow_the_catalog", NUL_IN_URL),
            "type": Filter(f"{CATALOG_SEARCH}::test_filters_narrow_the_catalog", CATALOG_BAD),
            "tags": Filter(f"{CATALOG_SEARCH}::test_filters_narrow_the_catalog", CATALOG_BAD),
            "priceMin": Filter(f"{CATALOG_SEARCH}::test_filters_narrow_the_catalog", CATALOG_BAD),
            "priceMax": Filter(
                f"{CATALOG_SEARCH}::test_filters_narrow_the_catalog",
                "catalog.test_bad_input_catalog::test_a_price_bound_that_is_no_number_is_refused",
            ),
            "dateFrom": Filter(f"{CATALOG_SEARCH}::test_filters_narrow_the_catalog", CATALOG_BAD),
            "dateTo": Filter(f"{CATALOG_SEARCH}::test_filters_narrow_the_catalog", CATALOG_BAD),
            "city": Filter(f"{CATALOG_SEARCH}::test_filters_narrow_the_catalog", NUL_IN_URL),
            "hasFreeSeats": Filter(f"{CATALOG_SEARCH}::test_filters_narrow_the_catalog", CATALOG_BAD),
            "q": Filter(
                f"{CATALOG_SEARCH}::test_text_search_matches_every_word_of_title_description_and_tags",
                CATALOG_BAD,
            ),
            "includePast": Filter(f"{CATALOG_SEARCH}::test_past_events_show_only_when_asked", CATALOG_BAD),
        },
    ),
    "GET /api/v1/organizers/{slug:str}/events": (
        PAGING | SORTED,
        {
            "status": Filter(
                "catalog.test_event_routes::test_the_owner_and_admins_see_drafts",
                "catalog.test_event_routes::test_the_owner_and_admins_see_drafts",
            ),
        },
    ),
    "GET /api/v1/organizers": (
        PAGING | SORTED,
        {
            "q": Filter(
                "catalog.test_organizer_routes::test_the_list_is_by_slug_with_text_search_and_paging",
                "catalog.test_organizer_routes::test_bad_paging_and_search_values_are_400",
            ),
            "mine": Filter(
                "catalog.test_organizer_routes::test_mine_lists_the_callers_own_pages",
                "catalog.test_organizer_routes::test_bad_paging_and_search_values_are_400",
            ),
        },
    ),
    "GET /api/v1/users/me/favorites": (PAGING | SORTED, {}),
    "GET /api/v1/admin/users": (
        PAGING | SORTED,
        {
            "q": Filter(
                "identity.test_admin_routes::test_admin_lists_and_searches_users_with_paging",
                "test_bad_input::test_a_nul_character_in_the_url_is_refused",
            ),
            "role": Filter(
                "identity.test_admin_routes::test_admin_lists_and_searches_users_with_paging",
                "identity.test_admin_routes::test_bad_paging_and_filters_are_400",
            ),
            "active": Filter(
                "identity.test_admin_routes::test_the_active_filter_separates_blocked_users",
                "identity.test_admin_routes::test_bad_paging_and_filters_are_400",
            ),
        },
    ),
    "GET /api/v1/admin/users/{user_id:uuid}/audit": (PAGING | SORTED, {}),
    "GET /api/v1/bookings": (
        PAGING | SORTED,
        {
            "status": Filter(
                "booking.test_booking_routes::test_my_bookings_are_newest_first_with_a_status_filter_and_paging",
                "booking.test_booking_routes::test_bad_paging_and_unknown_statuses_are_400",
            ),
        },
    ),
    "GET /api/v1/events/{event_id:uuid}/bookings": (
        PAGING | SORTED,
        {
            "status": Filter(
                f"{EVENT_BOOKINGS}::test_the_organizer_lists_the_bookings_of_their_event_in_booking_order",
                f"{EVENT_BOOKINGS}::test_event_bookings_refuse_bad_paging_and_unknown_statuses",
            ),
        },
    ),
    "GET /api/v1/events/{event_id:uuid}/participants.csv": (
        frozenset(),
        {
            "status": Filter(
                f"{EVENT_BOOKINGS}::test_the_participants_csv_opens_in_excel_with_cyrillic_names_and_contacts",
                f"{EVENT_BOOKINGS}::test_event_bookings_refuse_bad_paging_and_unknown_statuses",
            ),
        },
    ),
    "GET /api/v1/users/me/waitlist": (PAGING, {}),
    "GET /api/v1/events/{event_id:uuid}/crews": (
        frozenset(),
        {
            "type": Filter(
                "crews.test_crew_routes::test_organizer_and_participants_list_the_crews_with_members",
                "crews.test_crew_routes::test_organizer_and_participants_list_the_crews_with_members",
            ),
        },
    ),
    "GET /api/v1/payments": (PAGING | SORTED, {}),
    "GET /api/v1/payments/moderation": (PAGING, {}),
    "GET /api/v1/events/{event_id:uuid}/payments": (PAGING | SORTED, {}),
    "GET /api/v1/admin/outbox/dead": (
        frozenset(),
        {
            "limit": Filter(
                "test_outbox_admin::test_a_failing_subscriber_ends_as_a_dead_letter_that_an_admin_retries",
                "test_outbox_admin::test_a_failing_subscriber_ends_as_a_dead_letter_that_an_admin_retries",
            ),
        },
    ),
    "GET /api/v1/users/me/sessions": (frozenset(), {}),
    "GET /api/v1/organizers/{slug:str}/team": (frozenset(), {}),
    # The team's links to accounts, in the team's order (a team is small: unpaged).
    "GET /api/v1/organizers/{slug:str}/team/accounts": (frozenset(), {}),
    "GET /api/v1/organizers/{slug:str}/faq": (frozenset(), {}),
    # An organizer's webhook endpoints (at most 20, oldest first) and the deliveries to one,
    # newest first: what happened last is what the organizer looks for (no ``sort``).
    "GET /api/v1/organizers/{slug:str}/webhooks": (frozenset(), {}),
    "GET /api/v1/organizers/{slug:str}/webhooks/{endpoint_id:uuid}/deliveries": (PAGING, {}),
    "GET /api/v1/events/{event_id:uuid}/roster": (PAGING, {}),
}
# Lists that are not JSON (the table counts them by hand: their handlers answer a Response).
NOT_JSON = {"GET /api/v1/events/{event_id:uuid}/participants.csv"}


async def test_the_table_names_every_list_and_each_of_its_query_parameters(serve: Serve) -> None:
    found: dict[str, set[str]] = {}
    async with serve() as client:
        for route in client.app.routes:
            if not isinstance(route, HTTPRoute) or "GET" not in route.route_handler_map:
                continue
            handler, parameters = route.route_handler_map["GET"]
            name = f"GET {route.path}"
            if (
                get_origin(handler.parsed_fn_signature.return_type.annotation) in (PageOut, list)
                or name in NOT_JSON
            ):
                found[name] = {p.field_alias for p in parameters.expected_query_params}

    assert found == {route: set(kinds | filters.keys()) for route, (kinds, filters) in LISTS.items()}


def test_every_filter_has_a_test_that_narrows_and_one_that_refuses() -> None:
    missing = [
        f"{route} {name}: {reference}"
        for route, (_, filters) in LISTS.items()
        for name, test in filters.items()
        for reference in (test.narrows, test.refuses)
        if not _exists(reference)
    ]

    assert missing == []


def _exists(reference: str) -> bool:
    module, _, function = reference.partition("::")
    return re.fullmatch(r"test_\w+", function) is not None and callable(
        getattr(importlib.import_module(f"tests.api.{module}"), function, None)
    )
