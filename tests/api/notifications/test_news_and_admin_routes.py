"""``POST /events/{id}/news`` (organizer) and ``POST /admin/notifications/test`` (admin)."""

from __future__ import annotations

from typing import Any

import pytest

from aquastream.adapters.memory.notifications import MemoryMessageSender
from aquastream.domain.notifications.model import Category, Channel
from tests.api.booking.conftest import People
from tests.api.booking.kit import booked
from tests.api.catalog.kit import API, Cast, published_event
from tests.api.identity.conftest import Client, assert_problem

from .kit import deliver_events, send_messages

UNKNOWN = "018f0000-0000-7000-8000-000000000000"


async def event_with_participants(api: Client, cast: Cast, people: People) -> dict[str, Any]:
    event = await published_event(api, cast.anna, "river-rats", price="0")
    for person in (people.pavel, people.rita):
        await booked(api, person, event["id"])
    return event


async def test_the_organizer_writes_to_every_confirmed_participant(
    api: Client, cast: Cast, people: People, channel: MemoryMessageSender
) -> None:
    event = await event_with_participants(api, cast, people)

    response = await api.post(
        f"{API}/events/{event['id']}/news", json={"text": "Meet at pier 3 at 9:00."}, headers=cast.anna.auth
    )

    assert response.status_code == 202, response.text
    assert response.json()["recipients"] == 2
    assert await send_messages(api) == 2
    news = [m for m in channel.sent if m.category is Category.EVENT_NEWS]
    assert sorted(m.address for m in news) == ["pavel@example.com", "rita@example.com"]
    assert {m.body for m in news} == {"Meet at pier 3 at 9:00."}
    assert {m.title for m in news} == {"Новости «Rafting on the Msta»"}


async def test_admins_may_write_to_any_event(api: Client, cast: Cast, people: People) -> None:
    event = await event_with_participants(api, cast, people)

    response = await api.post(f"{API}/events/{event['id']}/news", json={"text": "Hi"}, headers=cast.root.auth)

    assert response.status_code == 202, response.text


async def test_news_is_refused_to_anyone_but_the_organizer(api: Client, cast: Cast, people: People) -> None:
    event = await event_with_participants(api, cast, people)
    path = f"{API}/events/{event['id']}/news"

    assert_problem(await api.post(path, json={"text": "Hi"}, headers=cast.boris.auth), 404, "event.not_found")
    assert_problem(
        await api.post(path, json={"text": "Hi"}, headers=people.pavel.auth), 403, "auth.forbidden"
    )
    assert_problem(await api.post(path, json={"text": "Hi"}), 401, "auth.unauthenticated")
    unknown = f"{API}/events/{UNKNOWN}/news"
    assert_problem(
        await api.post(unknown, json={"text": "Hi"}, headers=cast.anna.auth), 404, "event.not_found"
    )


@pytest.mark.parametrize(
    "body", [{}, {"text": ""}, {"text": "   "}, {"text": "x" * 4001}, {"text": "Hi", "to": "all"}]
)
async def test_news_needs_a_text(
    api: Client, cast: Cast, people: People, channel: MemoryMessageSender, body: dict[str, Any]
) -> None:
    event = await event_with_participants(api, cast, people)

    response = await api.post(f"{API}/events/{event['id']}/news", json=body, headers=cast.anna.auth)

    assert_problem(response, 400, "validation.failed")
    await deliver_events(api)
    await send_messages(api)
    # Besides the organizers' news of their new role (ACCOUNT), only the booking's message.
    assert {m.category for m in channel.sent if m.category is not Category.ACCOUNT} == {
        Category.BOOKING_CONFIRMED
    }


async def test_the_admin_sends_a_test_message(api: Client, cast: Cast, channel: MemoryMessageSender) -> None:
    response = await api.post(
        f"{API}/admin/notifications/test",
        json={"userId": cast.vera.id, "text": "ping"},
        headers=cast.root.auth,
    )

    assert response.status_code == 202, response.text
    body = response.json()
    assert (body["userId"], body["category"], body["channel"], body["status"]) == (
        cast.vera.id,
        "TEST",
        "EMAIL",
        "PENDING",
    )
    assert await send_messages(api) == 1
    [sent] = channel.sent
    assert (str(sent.id), sent.channel, sent.address, sent.body) == (
        body["id"],
        Channel.EMAIL,
        "vera@example.com",
        "ping",
    )


async def test_the_test_message_is_for_admins_and_known_users(api: Client, cast: Cast) -> None:
    path = f"{API}/admin/notifications/test"

    assert_problem(
        await api.post(path, json={"userId": cast.vera.id, "text": "ping"}, headers=cast.anna.auth),
        403,
        "auth.forbidden",
    )
    assert_problem(
        await api.post(path, json={"userId": UNKNOWN, "text": "ping"}, headers=cast.root.auth),
        404,
        "notifications.recipient_not_found",
    )
    for bad in ({"userId": cast.vera.id, "text": " "}, {"text": "ping"}, {"userId": "nope", "text": "ping"}):
        assert_problem(await api.post(path, json=bad, headers=cast.root.auth), 400, "validation.failed")
