"""``GET /notifications``, ``POST /notifications/{id}/read`` and ``POST /notifications/read-all``:
the caller's in-app inbox, through the real app."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.notifications import MemoryMessageSender
from aquastream.domain.notifications.errors import DeliveryRefused
from aquastream.domain.notifications.model import MessageStatus
from tests.api.booking.conftest import People
from tests.api.booking.kit import booked
from tests.api.catalog.kit import API, Cast, published_event
from tests.api.identity.conftest import Account, Client, assert_problem

from .kit import deliver_events, send_messages

INBOX = f"{API}/notifications"
UNKNOWN = "018f0000-0000-7000-8000-000000000000"


async def told(api: Client, cast: Cast, account: Account, text: str) -> None:
    """The admin's test message: one new message to ``account`` each time."""
    response = await api.post(
        f"{API}/admin/notifications/test", json={"userId": account.id, "text": text}, headers=cast.root.auth
    )
    assert response.status_code == 202, response.text


async def inbox(api: Client, account: Account, **query: Any) -> dict[str, Any]:
    response = await api.get(INBOX, params=query, headers=account.auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_the_inbox_lists_the_callers_messages_newest_first_paged_with_the_unread_count(
    api: Client, cast: Cast, clock: FrozenClock
) -> None:
    for n in range(5):
        await told(api, cast, cast.vera, f"message {n}")
        clock.advance(timedelta(minutes=1))
    await told(api, cast, cast.boris, "for boris")

    first = await inbox(api, cast.vera, page=0, size=2)
    last = await inbox(api, cast.vera, page=2, size=2)

    assert [item["text"] for item in first["items"]] == ["message 4", "message 3"]
    assert [item["text"] for item in last["items"]] == ["message 0"]
    assert {key: first[key] for key in ("total", "page", "size", "totalPages", "unreadCount")} == {
        "total": 5,
        "page": 0,
        "size": 2,
        "totalPages": 3,
        "unreadCount": 5,
    }
    item = first["items"][0]
    assert item == {
        "id": item["id"],
        "category": "TEST",
        "template": "admin_test",
        "title": "Тестовое сообщение AquaStream",
        "text": "message 4",
        "language": "ru",
        "eventId": None,
        "bookingId": None,
        "createdAt": item["createdAt"],
        "readAt": None,
        "read": False,
    }
    assert item["createdAt"].endswith("Z")


async def test_a_booking_message_names_its_event_and_booking(api: Client, cast: Cast, people: People) -> None:
    event = await published_event(api, cast.anna, "river-rats", price="0")
    booking = await booked(api, people.pavel, event["id"])
    await deliver_events(api)

    [item] = (await inbox(api, people.pavel))["items"]

    assert (item["category"], item["template"]) == ("BOOKING_CONFIRMED", "booking_confirmed_tickets")
    assert (item["eventId"], item["bookingId"]) == (event["id"], booking["id"])
    assert item["title"] == "Бронь подтверждена: Rafting on the Msta"


async def test_reading_a_message_is_idempotent_and_lowers_the_unread_count_once(
    api: Client, cast: Cast, clock: FrozenClock
) -> None:
    await told(api, cast, cast.vera, "one")
    await told(api, cast, cast.vera, "two")
    [newest, _] = (await inbox(api, cast.vera))["items"]
    path = f"{INBOX}/{newest['id']}/read"

    first = await api.post(path, headers=cast.vera.auth)
    clock.advance(timedelta(minutes=1))
    again = await api.post(path, headers=cast.vera.auth)

    assert first.status_code == again.status_code == 200, first.text
    assert first.json() == again.json()
    body = first.json()
    assert (body["unreadCount"], body["notification"]["id"], body["notification"]["read"]) == (
        1,
        newest["id"],
        True,
    )
    listed = await inbox(api, cast.vera)
    assert listed["unreadCount"] == 1
    assert listed["items"][0]["readAt"] == body["notification"]["readAt"]


async def test_someone_elses_or_an_unknown_message_is_not_found(api: Client, cast: Cast) -> None:
    await told(api, cast, cast.boris, "for boris")
    [boris_message] = (await inbox(api, cast.boris))["items"]

    assert_problem(
        await api.post(f"{INBOX}/{boris_message['id']}/read", headers=cast.vera.auth),
        404,
        "notifications.notification_not_found",
    )
    assert_problem(
        await api.post(f"{INBOX}/{UNKNOWN}/read", headers=cast.vera.auth),
        404,
        "notifications.notification_not_found",
    )
    assert (await inbox(api, cast.boris))["unreadCount"] == 1


async def test_read_all_marks_every_message_of_the_caller_only(api: Client, cast: Cast) -> None:
    for text in ("one", "two", "three"):
        await told(api, cast, cast.vera, text)
    await told(api, cast, cast.boris, "for boris")
    [newest, *_] = (await inbox(api, cast.vera))["items"]
    await api.post(f"{INBOX}/{newest['id']}/read", headers=cast.vera.auth)

    response = await api.post(f"{INBOX}/read-all", headers=cast.vera.auth)
    again = await api.post(f"{INBOX}/read-all", headers=cast.vera.auth)

    assert response.status_code == 200, response.text
    assert response.json() == {"marked": 2, "unreadCount": 0}
    assert again.json() == {"marked": 0, "unreadCount": 0}
    listed = await inbox(api, cast.vera)
    assert all(item["read"] for item in listed["items"])
    assert (await inbox(api, cast.boris))["unreadCount"] == 1


async def test_a_participant_no_channel_reaches_still_finds_the_news_in_the_inbox(
    api: Client, cast: Cast, people: People, channel: MemoryMessageSender
) -> None:
    switched_off = await api.put(
        f"{API}/notifications/preferences",
        json={"categories": [{"category": "EVENT_NEWS", "telegram": False, "email": False, "sms": False}]},
        headers=people.pavel.auth,
    )
    assert switched_off.status_code == 200, switched_off.text
    event = await published_event(api, cast.anna, "river-rats", price="0")
    await booked(api, people.pavel, event["id"])
    await deliver_events(api)

    posted = await api.post(
        f"{API}/events/{event['id']}/news", json={"text": "Meet at pier 3."}, headers=cast.anna.auth
    )
    await send_messages(api)

    assert posted.json()["recipients"] == 0
    assert [m.body for m in channel.sent if m.category == "EVENT_NEWS"] == []
    listed = await inbox(api, people.pavel)
    news = [item for item in listed["items"] if item["category"] == "EVENT_NEWS"]
    assert [(item["text"], item["eventId"], item["read"]) for item in news] == [
        ("Meet at pier 3.", event["id"], False)
    ]


async def test_a_message_its_channel_refused_stays_in_the_inbox(
    api: Client, cast: Cast, channel: MemoryMessageSender
) -> None:
    channel.failures = [DeliveryRefused("550 mailbox unavailable")]
    await told(api, cast, cast.vera, "ping")

    await send_messages(api)

    assert channel.sent == []
    export = await api.get(f"{API}/users/me/export", headers=cast.vera.auth)
    assert [m["status"] for m in export.json()["notifications"]["messages"]] == [MessageStatus.FAILED]
    assert [item["text"] for item in (await inbox(api, cast.vera))["items"]] == ["ping"]


@pytest.mark.parametrize(
    ("method", "path"), [("GET", INBOX), ("POST", f"{INBOX}/{UNKNOWN}/read"), ("POST", f"{INBOX}/read-all")]
)
async def test_the_inbox_needs_a_signed_in_caller(api: Client, method: str, path: str) -> None:
    assert_problem(await api.request(method, path), 401, "auth.unauthenticated")


@pytest.mark.parametrize("query", [{"size": "0"}, {"size": "101"}, {"page": "-1"}, {"page": "x"}])
async def test_bad_paging_is_a_400(api: Client, cast: Cast, query: dict[str, str]) -> None:
    response = await api.get(INBOX, params=query, headers=cast.vera.auth)

    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_malformed_id_is_a_client_error_not_a_500(api: Client, cast: Cast) -> None:
    response = await api.post(f"{INBOX}/not-a-uuid/read", headers=cast.vera.auth)

    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_the_inbox_is_never_stored_by_a_cache(api: Client, cast: Cast) -> None:
    response = await api.get(INBOX, headers=cast.vera.auth)

    assert response.headers["cache-control"] == "no-store"


async def test_the_inbox_paths_leave_the_preferences_and_the_bot_webhook_alone(
    api: Client, cast: Cast
) -> None:
    preferences = await api.get(f"{API}/notifications/preferences", headers=cast.vera.auth)
    webhook = await api.post(f"{API}/notifications/telegram/webhook", json={"update_id": 1})

    assert preferences.status_code == 200, preferences.text
    assert "language" in preferences.json()
    assert_problem(webhook, 401, "notifications.bad_webhook_secret")
