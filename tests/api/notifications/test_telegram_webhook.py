"""``POST /notifications/telegram/webhook``: the secret, linking, help and settings."""

from __future__ import annotations

from typing import Any

from tests.api.catalog.kit import API, Cast
from tests.api.conftest import Serve
from tests.api.identity.conftest import Account, Client, assert_problem

from .conftest import WEBHOOK_SECRET

PATH = f"{API}/notifications/telegram/webhook"
CHAT = 777000111
SECRET = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}


def update(text: str | None, *, language_code: str = "ru", update_id: int = 1) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": 10,
        "date": 1893456000,
        "chat": {"id": CHAT, "type": "private", "first_name": "Vera"},
        "from": {
            "id": CHAT,
            "is_bot": False,
            "first_name": "Vera",
            "username": "vera_rafts",
            "language_code": language_code,
        },
    }
    if text is not None:
        message["text"] = text
    return {"update_id": update_id, "message": message}


async def say(api: Client, text: str, **options: Any) -> str:
    response = await api.post(PATH, json=update(text, **options), headers=SECRET)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["method"], body["chat_id"]) == ("sendMessage", CHAT)
    answer: str = body["text"]
    return answer


async def link_code(api: Client, account: Account) -> str:
    response = await api.post(f"{API}/users/me/telegram/link", headers=account.auth)
    assert response.status_code in (200, 201), response.text
    url: str = response.json()["url"]
    return url.split("start=", 1)[1]


async def test_calls_without_the_right_secret_are_refused(api: Client) -> None:
    assert_problem(await api.post(PATH, json=update("/help")), 401, "notifications.bad_webhook_secret")
    wrong = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
    assert_problem(
        await api.post(PATH, json=update("/help"), headers=wrong), 401, "notifications.bad_webhook_secret"
    )
    # The secret is checked before the body is read.
    assert_problem(await api.post(PATH, content=b"{", headers=wrong), 401, "notifications.bad_webhook_secret")


async def test_without_a_configured_secret_every_call_is_refused(serve: Serve) -> None:
    async with serve(rate_limit_enabled=False) as api:
        response = await api.post(PATH, json=update("/help"), headers={"X-Telegram-Bot-Api-Secret-Token": ""})
        assert_problem(response, 401, "notifications.bad_webhook_secret")


async def test_help_is_answered_in_the_reply(api: Client) -> None:
    assert "/settings" in await say(api, "/help")
    assert (await say(api, "/help", language_code="en")).startswith("I send")


async def test_start_with_the_profile_code_links_the_account(api: Client, cast: Cast) -> None:
    code = await link_code(api, cast.vera)

    assert (await say(api, f"/start {code}")).startswith("Готово")

    me = (await api.get(f"{API}/users/me", headers=cast.vera.auth)).json()
    assert me["telegramVerified"] is True
    assert me["telegram"] == "@vera_rafts"
    assert "недействителен" in await say(api, f"/start {code}")


async def test_settings_show_and_toggle_optional_categories(api: Client, cast: Cast) -> None:
    assert "не привязан" in await say(api, "/settings")
    await say(api, f"/start {await link_code(api, cast.vera)}")

    assert "EVENT_NEWS — включено" in await say(api, "/settings")
    assert await say(api, "/settings off EVENT_NEWS") == "EVENT_NEWS: выключено."
    assert "обязательная" in await say(api, "/settings off BOOKING_CONFIRMED")

    preferences = (await api.get(f"{API}/notifications/preferences", headers=cast.vera.auth)).json()
    news = next(item for item in preferences["categories"] if item["category"] == "EVENT_NEWS")
    assert (news["telegram"], news["email"]) == (False, True)


async def test_updates_without_text_get_an_empty_answer(api: Client) -> None:
    for body in (update(None), {"update_id": 2, "edited_message": {"message_id": 1}}):
        response = await api.post(PATH, json=body, headers=SECRET)
        assert response.status_code == 200, response.text
        assert response.json() == {}


async def test_a_malformed_update_is_400(api: Client) -> None:
    assert_problem(await api.post(PATH, json={"message": {}}, headers=SECRET), 400, "validation.failed")
