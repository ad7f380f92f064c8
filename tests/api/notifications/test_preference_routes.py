"""``GET/PUT /notifications/preferences``."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.catalog.kit import API, Cast
from tests.api.identity.conftest import Client, assert_problem

PATH = f"{API}/notifications/preferences"


def by_category(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["category"]: item for item in body["categories"]}


async def test_defaults_are_russian_with_everything_on(api: Client, cast: Cast) -> None:
    response = await api.get(PATH, headers=cast.vera.auth)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["language"] == "ru"
    assert body["unreachableChannels"] == []
    assert by_category(body) == {
        category: {"category": category, "mandatory": mandatory, "telegram": True, "email": True, "sms": True}
        for category, mandatory in (
            ("BOOKING_CONFIRMED", True),
            ("BOOKING_STATUS", True),
            ("PAYMENT_STATUS", True),
            ("EVENT_REMINDER", True),
            ("WAITLIST_AVAILABLE", False),
            ("EVENT_NEWS", False),
            ("CREW_ASSIGNMENT", False),
        )
    }


async def test_optional_categories_switch_per_channel_and_the_language_changes(
    api: Client, cast: Cast
) -> None:
    response = await api.put(
        PATH,
        json={
            "language": "en",
            "categories": [
                {"category": "EVENT_NEWS", "telegram": False, "sms": False},
                {"category": "BOOKING_STATUS", "email": True},
            ],
        },
        headers=cast.vera.auth,
    )

    assert response.status_code == 200, response.text
    news = by_category(response.json())["EVENT_NEWS"]
    assert (news["telegram"], news["email"], news["sms"]) == (False, True, False)
    again = (await api.get(PATH, headers=cast.vera.auth)).json()
    assert again == response.json()
    assert again["language"] == "en"
    assert by_category((await api.get(PATH, headers=cast.anna.auth)).json())["EVENT_NEWS"]["telegram"] is True


async def test_mandatory_categories_cannot_be_switched_off(api: Client, cast: Cast) -> None:
    response = await api.put(
        PATH,
        json={
            "language": "en",
            "categories": [
                {"category": "EVENT_NEWS", "sms": False},
                {"category": "EVENT_REMINDER", "telegram": False},
            ],
        },
        headers=cast.vera.auth,
    )

    body = assert_problem(response, 422, "notifications.mandatory_category")
    assert body["errors"] == [
        {"field": "categories.EVENT_REMINDER.telegram", "message": "A mandatory category stays on."}
    ]
    unchanged = (await api.get(PATH, headers=cast.vera.auth)).json()
    assert unchanged["language"] == "ru"
    assert by_category(unchanged)["EVENT_NEWS"]["sms"] is True


@pytest.mark.parametrize(
    "body",
    [
        {"categories": [{"category": "SPAM", "email": False}]},
        {"categories": [{"category": "TEST", "email": True}]},
        {"categories": [{"category": "EVENT_NEWS", "fax": False}]},
        {"language": "de"},
        {"colour": "blue"},
        {"categories": [{"category": "EVENT_NEWS", "email": "no"}]},
    ],
)
async def test_malformed_changes_are_400_and_change_nothing(
    api: Client, cast: Cast, body: dict[str, Any]
) -> None:
    response = await api.put(PATH, json=body, headers=cast.vera.auth)

    assert_problem(response, 400, "validation.failed")
    assert all(
        item["telegram"] and item["email"] and item["sms"]
        for item in (await api.get(PATH, headers=cast.vera.auth)).json()["categories"]
    )


async def test_preferences_need_a_caller(api: Client) -> None:
    assert_problem(await api.get(PATH), 401, "auth.unauthenticated")
    assert_problem(await api.put(PATH, json={}), 401, "auth.unauthenticated")
