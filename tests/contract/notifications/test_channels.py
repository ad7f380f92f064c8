"""The channels against real servers on loopback: a Bot API speaker, an SMS gateway, aiosmtpd."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

import aiosmtplib
import httpx
import pytest

from aquastream.adapters.notify.channels import (
    ChannelRouter,
    EmailSender,
    LogSender,
    SmsGatewaySender,
    TelegramBotSender,
)
from aquastream.adapters.notify.recovery import SmtpRecoveryCodeSender, TelegramRecoveryCodeSender
from aquastream.adapters.notify.smtp import Mailer
from aquastream.domain.notifications.errors import DeliveryFailed
from aquastream.domain.notifications.model import Channel, Message
from tests.contract.test_smtp_recovery_sender import SmtpServer, start_server

from .fake_servers import (
    BLOCKED_CHAT,
    BOT_TOKEN,
    BROKEN_CHAT,
    FAILING_PHONE,
    SMS_TOKEN,
    FakeServer,
    serving,
)
from .test_messages_contract import a_message


@pytest.fixture
def telegram() -> Iterator[FakeServer]:
    with serving("telegram") as server:
        yield server


@pytest.fixture
def sms_gateway() -> Iterator[FakeServer]:
    with serving("sms") as server:
        yield server


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


@pytest.fixture
async def smtp_server() -> AsyncIterator[SmtpServer]:
    server, running = await start_server(auth_require_tls=False)
    yield running
    server.close()
    await server.wait_closed()


def to_chat(chat: int) -> Message:
    return a_message(
        channel=Channel.TELEGRAM, address=str(chat), title="Бронь подтверждена", body="Ждём вас!"
    )


async def test_telegram_send_message_posts_the_chat_and_the_text(
    telegram: FakeServer, client: httpx.AsyncClient
) -> None:
    await TelegramBotSender(client, BOT_TOKEN, telegram.url).send(to_chat(42))

    [request] = telegram.received
    assert request.path == f"/bot{BOT_TOKEN}/sendMessage"
    assert request.headers["content-type"] == "application/json"
    assert request.body == {
        "chat_id": 42,
        "text": "Бронь подтверждена\n\nЖдём вас!",
        "disable_web_page_preview": True,
    }


async def test_telegram_errors_carry_the_api_description_never_the_token(
    telegram: FakeServer, client: httpx.AsyncClient
) -> None:
    with pytest.raises(DeliveryFailed, match="Telegram error 403: Forbidden: bot was blocked by the user"):
        await TelegramBotSender(client, BOT_TOKEN, telegram.url).send(to_chat(BLOCKED_CHAT))
    with pytest.raises(DeliveryFailed, match="Telegram error 401: Unauthorized") as wrong_token:
        await TelegramBotSender(client, "999:wrong", telegram.url).send(to_chat(42))
    with pytest.raises(DeliveryFailed, match="HTTP 502 without JSON"):
        await TelegramBotSender(client, BOT_TOKEN, telegram.url).send(to_chat(BROKEN_CHAT))
    assert "999:wrong" not in str(wrong_token.value)


async def test_an_unreachable_telegram_is_a_delivery_failure(client: httpx.AsyncClient) -> None:
    with serving("telegram") as gone:
        url = gone.url

    with pytest.raises(DeliveryFailed, match="Telegram unreachable") as failure:
        await TelegramBotSender(client, BOT_TOKEN, url).send(to_chat(42))
    assert BOT_TOKEN not in str(failure.value)


async def test_long_texts_are_cut_to_telegrams_limit(telegram: FakeServer, client: httpx.AsyncClient) -> None:
    await TelegramBotSender(client, BOT_TOKEN, telegram.url).send(
        a_message(channel=Channel.TELEGRAM, address="42", body="x" * 5000)
    )

    assert len(telegram.received[0].body["text"]) == 4096


async def test_sms_gateway_gets_the_phone_the_body_and_the_message_id(
    sms_gateway: FakeServer, client: httpx.AsyncClient
) -> None:
    message = a_message(channel=Channel.SMS, address="+79991234567", body="Бронь подтверждена")

    await SmsGatewaySender(client, f"{sms_gateway.url}/sms", SMS_TOKEN).send(message)

    [request] = sms_gateway.received
    assert request.path == "/sms"
    assert request.headers["authorization"] == f"Bearer {SMS_TOKEN}"
    assert request.body == {"to": "+79991234567", "text": "Бронь подтверждена", "id": str(message.id)}


async def test_sms_gateway_refusals_are_delivery_failures(
    sms_gateway: FakeServer, client: httpx.AsyncClient
) -> None:
    sender = SmsGatewaySender(client, f"{sms_gateway.url}/sms", SMS_TOKEN)

    with pytest.raises(DeliveryFailed, match="HTTP 500"):
        await sender.send(a_message(channel=Channel.SMS, address=FAILING_PHONE))
    with pytest.raises(DeliveryFailed, match="HTTP 401"):
        await SmsGatewaySender(client, f"{sms_gateway.url}/sms").send(
            a_message(channel=Channel.SMS, address="+7999")
        )


async def test_email_goes_through_smtp_with_the_title_as_subject(smtp_server: SmtpServer) -> None:
    mailer = Mailer("127.0.0.1", smtp_server.port, None, None, "AquaStream <no-reply@aquastream.test>", False)

    await EmailSender(mailer).send(
        a_message(
            channel=Channel.EMAIL, address="ann@example.com", title="Бронь подтверждена", body="Ждём вас!"
        )
    )

    [envelope] = smtp_server.inbox.envelopes
    assert envelope.rcpt_tos == ["ann@example.com"]
    mail = smtp_server.inbox.message()
    assert mail["Subject"] == "Бронь подтверждена"
    assert mail.get_content().strip() == "Ждём вас!"


async def test_an_smtp_refusal_raises(smtp_server: SmtpServer) -> None:
    mailer = Mailer("127.0.0.1", smtp_server.port, None, None, "no-reply@aquastream.test", True)

    with pytest.raises(aiosmtplib.SMTPException):
        await EmailSender(mailer).send(a_message(channel=Channel.EMAIL, address="ann@example.com"))


async def test_the_router_uses_each_configured_channel_and_logs_the_rest(
    telegram: FakeServer, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    router = ChannelRouter(
        {Channel.TELEGRAM: TelegramBotSender(client, BOT_TOKEN, telegram.url)}, LogSender()
    )

    with caplog.at_level(logging.INFO, logger="aquastream.notify"):
        await router.send(to_chat(42))
        await router.send(a_message(channel=Channel.EMAIL, address="ann@example.com", body="secret body"))

    assert len(telegram.received) == 1
    [logged] = [r for r in caplog.records if r.name == "aquastream.notify"]
    assert logged.getMessage() == "Notification written to the log only (channel not configured)"
    assert logged.__dict__["recipient"] == "a***@example.com"


async def test_the_log_channel_shows_the_text_outside_production(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="aquastream.notify"):
        await LogSender(reveal=True).send(
            a_message(channel=Channel.SMS, address="+79991234567", body="Hello")
        )

    [logged] = [r for r in caplog.records if r.name == "aquastream.notify"]
    assert "Hello" in logged.getMessage()
    assert logged.__dict__["recipient"] == "***4567"


async def test_recovery_codes_go_to_a_linked_chat_first(
    telegram: FakeServer, client: httpx.AsyncClient, smtp_server: SmtpServer
) -> None:
    mailer = Mailer("127.0.0.1", smtp_server.port, None, None, "no-reply@aquastream.test", False)
    sender = TelegramRecoveryCodeSender(
        TelegramBotSender(client, BOT_TOKEN, telegram.url),
        SmtpRecoveryCodeSender(mailer),
        code_ttl_minutes=15,
    )

    await sender.send_recovery_code(email="ann@example.com", telegram_chat_id=42, code="482913")
    assert smtp_server.inbox.envelopes == []
    [request] = telegram.received
    assert request.body["chat_id"] == 42
    assert "482913" in request.body["text"]
    assert "15" in request.body["text"]

    await sender.send_recovery_code(email="ann@example.com", telegram_chat_id=None, code="111111")
    await sender.send_recovery_code(email="ann@example.com", telegram_chat_id=BLOCKED_CHAT, code="222222")
    assert len(telegram.received) == 2
    assert "111111" in smtp_server.inbox.message(0).get_content()
    assert "222222" in smtp_server.inbox.message(1).get_content()
