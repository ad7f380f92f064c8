"""The real app with its channels configured by settings: messages and recovery codes reach
a local Bot API speaker and a local SMS gateway through the sender job."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from aquastream.adapters.memory.clock import FrozenClock
from tests.api.booking.kit import booked, participant
from tests.api.catalog.conftest import FrozenClockProvider
from tests.api.catalog.kit import API, Cast, published_event
from tests.api.conftest import Serve
from tests.api.identity.conftest import Client
from tests.contract.notifications.fake_servers import (
    BOT_TOKEN,
    RETRY_AFTER,
    SMS_TOKEN,
    FakeServer,
    serving,
)

from .conftest import WEBHOOK_SECRET
from .kit import deliver_events, send_messages
from .test_telegram_webhook import CHAT, link_code, say


@pytest.fixture
def telegram() -> Iterator[FakeServer]:
    with serving("telegram") as server:
        yield server


@pytest.fixture
def sms_gateway() -> Iterator[FakeServer]:
    with serving("sms") as server:
        yield server


@pytest.fixture
async def api(
    serve: Serve, clock: FrozenClock, telegram: FakeServer, sms_gateway: FakeServer
) -> AsyncIterator[Client]:
    async with serve(
        FrozenClockProvider(clock),
        rate_limit_enabled=False,
        telegram_webhook_secret=WEBHOOK_SECRET,
        telegram_bot_token=BOT_TOKEN,
        telegram_api_url=telegram.url,
        sms_gateway_url=f"{sms_gateway.url}/sms",
        sms_gateway_token=SMS_TOKEN,
    ) as client:
        yield client


async def test_a_linked_user_gets_messages_and_recovery_codes_in_telegram(
    api: Client, cast: Cast, telegram: FakeServer
) -> None:
    await say(api, f"/start {await link_code(api, cast.vera)}")

    queued = await api.post(
        f"{API}/admin/notifications/test",
        json={"userId": cast.vera.id, "text": "ping"},
        headers=cast.root.auth,
    )
    assert queued.json()["channel"] == "TELEGRAM"
    assert await send_messages(api) == 1
    recovery = await api.post(f"{API}/auth/recovery/init", json={"email": "vera@example.com"})
    assert recovery.status_code in (200, 202, 204), recovery.text

    [message, code] = [request.body for request in telegram.received]
    assert message == {
        "chat_id": CHAT,
        "text": "Тестовое сообщение AquaStream\n\nping",
        "disable_web_page_preview": True,
    }
    assert code["chat_id"] == CHAT
    assert "Код для восстановления пароля AquaStream" in code["text"]


async def test_news_switched_off_for_email_goes_by_sms(
    api: Client, cast: Cast, sms_gateway: FakeServer
) -> None:
    rita = await participant(api, "rita@example.com")
    switched = await api.put(
        f"{API}/notifications/preferences",
        json={"categories": [{"category": "EVENT_NEWS", "email": False}]},
        headers=rita.auth,
    )
    assert switched.status_code == 200, switched.text
    event = await published_event(api, cast.anna, "river-rats", price="0")
    await booked(api, rita, event["id"])
    await deliver_events(api)

    posted = await api.post(
        f"{API}/events/{event['id']}/news", json={"text": "Bring boots."}, headers=cast.anna.auth
    )
    assert posted.json()["recipients"] == 1
    await send_messages(api)

    [sms] = [request.body for request in sms_gateway.received]
    assert sms["text"] == "Bring boots."
    assert sms["to"].startswith("+7999")


async def test_a_chat_that_blocked_the_bot_is_unlinked_until_it_talks_to_the_bot_again(
    api: Client, cast: Cast, telegram: FakeServer
) -> None:
    await say(api, f"/start {await link_code(api, cast.vera)}")
    telegram.blocked.add(CHAT)

    async def test_message(text: str) -> str:
        queued = await api.post(
            f"{API}/admin/notifications/test",
            json={"userId": cast.vera.id, "text": text},
            headers=cast.root.auth,
        )
        assert queued.status_code in (200, 201, 202), queued.text
        channel: str = queued.json()["channel"]
        return channel

    async def unreachable_channels() -> list[str]:
        response = await api.get(f"{API}/notifications/preferences", headers=cast.vera.auth)
        assert response.status_code == 200, response.text
        channels: list[str] = response.json()["unreachableChannels"]
        return channels

    assert await test_message("one") == "TELEGRAM"
    assert await send_messages(api) == 1  # Telegram answers 403: the message moves to email
    assert await send_messages(api) == 1  # and goes by email (the log, SMTP not configured)
    assert await send_messages(api) == 0
    assert await unreachable_channels() == ["TELEGRAM"]
    assert await test_message("two") == "EMAIL"
    assert len(telegram.received) == 1

    telegram.blocked.discard(CHAT)
    await say(api, "/start")  # what Telegram's "Restart" sends when the bot is unblocked

    assert await unreachable_channels() == []
    assert await test_message("three") == "TELEGRAM"


async def test_a_throttled_message_is_tried_again_when_telegrams_retry_after_has_passed(
    api: Client, cast: Cast, telegram: FakeServer, clock: FrozenClock
) -> None:
    await say(api, f"/start {await link_code(api, cast.vera)}")
    telegram.throttled.add(CHAT)
    queued = await api.post(
        f"{API}/admin/notifications/test",
        json={"userId": cast.vera.id, "text": "ping"},
        headers=cast.root.auth,
    )
    assert queued.json()["channel"] == "TELEGRAM"

    assert await send_messages(api) == 1
    telegram.throttled.discard(CHAT)
    clock.advance(seconds=RETRY_AFTER - 1)
    assert await send_messages(api) == 0
    clock.advance(seconds=1)
    assert await send_messages(api) == 1

    assert [request.body["chat_id"] for request in telegram.received] == [CHAT, CHAT]
