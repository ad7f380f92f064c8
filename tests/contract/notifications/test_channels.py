"""The channels against real servers on loopback: a Bot API speaker, an SMS gateway, aiosmtpd."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import parsedate_to_datetime

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
from aquastream.domain.notifications.errors import (
    DeliveryFailed,
    DeliveryRefused,
    DeliveryThrottled,
    RecipientGone,
)
from aquastream.domain.notifications.model import Channel, Message
from tests.contract.test_smtp_recovery_sender import SmtpServer, start_server, text_of

from .fake_servers import (
    ANSWERING_PHONE,
    BAD_REQUEST_CHAT,
    BLOCKED_CHAT,
    BOT_TOKEN,
    BROKEN_CHAT,
    DEACTIVATED_CHAT,
    FAILING_PHONE,
    RETRY_AFTER,
    SLOW_PHONE,
    SMS_RETRY_AFTER,
    SMS_TOKEN,
    THROTTLED_CHAT,
    UNKNOWN_CHAT,
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


@pytest.mark.parametrize("chat", [BLOCKED_CHAT, DEACTIVATED_CHAT, UNKNOWN_CHAT])
async def test_a_blocked_bot_a_deactivated_user_or_an_unknown_chat_means_the_recipient_is_gone(
    telegram: FakeServer, client: httpx.AsyncClient, chat: int
) -> None:
    with pytest.raises(RecipientGone, match=r"Telegram error 40[03]: (Forbidden|Bad Request): "):
        await TelegramBotSender(client, BOT_TOKEN, telegram.url).send(to_chat(chat))


async def test_a_malformed_request_is_refused_for_good_but_the_chat_is_not_gone(
    telegram: FakeServer, client: httpx.AsyncClient
) -> None:
    with pytest.raises(DeliveryRefused, match="message text is empty") as refused:
        await TelegramBotSender(client, BOT_TOKEN, telegram.url).send(to_chat(BAD_REQUEST_CHAT))
    assert not isinstance(refused.value, RecipientGone)


async def test_too_many_requests_carries_telegrams_retry_after(
    telegram: FakeServer, client: httpx.AsyncClient
) -> None:
    with pytest.raises(
        DeliveryThrottled, match=f"Telegram error 429: Too Many Requests: retry after {RETRY_AFTER}"
    ) as throttled:
        await TelegramBotSender(client, BOT_TOKEN, telegram.url).send(to_chat(THROTTLED_CHAT))
    assert throttled.value.retry_after == timedelta(seconds=RETRY_AFTER)


async def test_a_wrong_token_and_a_broken_telegram_are_passing_failures(
    telegram: FakeServer, client: httpx.AsyncClient
) -> None:
    for sender, chat in (
        (TelegramBotSender(client, "999:wrong", telegram.url), 42),
        (TelegramBotSender(client, BOT_TOKEN, telegram.url), BROKEN_CHAT),
    ):
        with pytest.raises(DeliveryFailed) as failure:
            await sender.send(to_chat(chat))
        assert type(failure.value) is DeliveryFailed


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


@pytest.mark.parametrize("status", [500, 502, 503, 408, 429])
async def test_sms_gateway_errors_that_may_pass_are_retried(
    sms_gateway: FakeServer, client: httpx.AsyncClient, status: int
) -> None:
    sender = SmsGatewaySender(client, f"{sms_gateway.url}/sms", SMS_TOKEN)

    with pytest.raises(DeliveryFailed, match=f"HTTP {status}") as failure:
        await sender.send(a_message(channel=Channel.SMS, address=ANSWERING_PHONE.format(status=status)))
    assert not isinstance(failure.value, DeliveryRefused)


async def test_a_throttling_sms_gateway_is_retried_after_its_retry_after(
    sms_gateway: FakeServer, client: httpx.AsyncClient
) -> None:
    sender = SmsGatewaySender(client, f"{sms_gateway.url}/sms", SMS_TOKEN)

    with pytest.raises(DeliveryThrottled) as throttled:
        await sender.send(a_message(channel=Channel.SMS, address=ANSWERING_PHONE.format(status=429)))
    assert throttled.value.retry_after == timedelta(seconds=SMS_RETRY_AFTER)


@pytest.mark.parametrize("status", [400, 403, 404, 410, 422])
async def test_sms_gateway_client_errors_are_refused_for_good(
    sms_gateway: FakeServer, client: httpx.AsyncClient, status: int
) -> None:
    sender = SmsGatewaySender(client, f"{sms_gateway.url}/sms", SMS_TOKEN)

    with pytest.raises(DeliveryRefused, match=f"HTTP {status}"):
        await sender.send(a_message(channel=Channel.SMS, address=ANSWERING_PHONE.format(status=status)))


async def test_a_slow_or_unreachable_sms_gateway_is_a_passing_failure(sms_gateway: FakeServer) -> None:
    async with httpx.AsyncClient(timeout=0.2) as impatient:
        with pytest.raises(DeliveryFailed, match="unreachable \\(ReadTimeout\\)") as slow:
            await SmsGatewaySender(impatient, f"{sms_gateway.url}/sms", SMS_TOKEN).send(
                a_message(channel=Channel.SMS, address=SLOW_PHONE)
            )
    with serving("sms") as gone:
        url = gone.url
    async with httpx.AsyncClient(timeout=2) as client:
        with pytest.raises(DeliveryFailed, match="unreachable \\(ConnectError\\)") as unreachable:
            await SmsGatewaySender(client, f"{url}/sms", SMS_TOKEN).send(
                a_message(channel=Channel.SMS, address="+79991234567")
            )
    assert not isinstance(slow.value, DeliveryRefused)
    assert not isinstance(unreachable.value, DeliveryRefused)


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
    assert text_of(mail).strip() == "Ждём вас!"


def plain_mailer(server: SmtpServer, **options: object) -> Mailer:
    values: dict[str, object] = {
        "host": "127.0.0.1",
        "port": server.port,
        "username": None,
        "password": None,
        "sender": "no-reply@aquastream.test",
        "starttls": False,
    }
    values.update(options)
    return Mailer(**values)  # type: ignore[arg-type]


async def test_smtp_failures_that_may_pass_are_retried(smtp_server: SmtpServer) -> None:
    smtp_server.inbox.refused["busy@example.com"] = "450 4.2.1 Mailbox busy, try later"
    closed, gone = await start_server()
    closed.close()
    await closed.wait_closed()

    for mailer, address, reason in (
        (plain_mailer(smtp_server), "busy@example.com", "450 4.2.1 Mailbox busy"),
        (plain_mailer(smtp_server, starttls=True), "ann@example.com", "SMTP failed"),
        (plain_mailer(smtp_server, username="mailer", password="wrong"), "ann@example.com", "SMTP failed"),
        (plain_mailer(gone, timeout_seconds=2), "ann@example.com", "SMTP failed"),
    ):
        with pytest.raises(DeliveryFailed, match=re.escape(reason)) as failure:
            await EmailSender(mailer).send(a_message(channel=Channel.EMAIL, address=address))
        assert type(failure.value) is DeliveryFailed
        assert "wrong" not in str(failure.value)
    assert smtp_server.inbox.envelopes == []


async def test_smtp_permanent_refusals_are_final(smtp_server: SmtpServer) -> None:
    smtp_server.inbox.refused["nobody@example.com"] = "550 5.1.1 No such user"
    sender = EmailSender(plain_mailer(smtp_server))

    with pytest.raises(
        DeliveryRefused, match=re.escape("SMTP refused the recipient: 550 5.1.1 No such user")
    ):
        await sender.send(a_message(channel=Channel.EMAIL, address="nobody@example.com"))
    smtp_server.inbox.data_reply = "554 5.7.1 Message refused"
    with pytest.raises(
        DeliveryRefused, match=re.escape("SMTP refused the message: 554 5.7.1 Message refused")
    ):
        await sender.send(a_message(channel=Channel.EMAIL, address="ann@example.com"))


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
    assert "111111" in text_of(smtp_server.inbox.message(0))
    assert "222222" in text_of(smtp_server.inbox.message(1))


async def test_an_email_has_a_date_a_message_id_of_the_senders_domain_and_text_and_html(
    smtp_server: SmtpServer,
) -> None:
    mailer = Mailer("127.0.0.1", smtp_server.port, None, None, "AquaStream <no-reply@aquastream.test>", False)
    before = datetime.now(UTC).replace(microsecond=0)

    for _ in range(2):
        await EmailSender(mailer).send(
            a_message(
                channel=Channel.EMAIL,
                address="ann@example.com",
                title="Rafting <Vuoksa> & co",
                body='Dear <b>Ann</b> & "friends",\nsee you at 9.\n\nAquaStream',
            )
        )

    mail, other = smtp_server.inbox.message(0), smtp_server.inbox.message(1)
    assert isinstance(mail, EmailMessage)
    sent_at = parsedate_to_datetime(mail["Date"])
    assert sent_at.tzinfo is not None
    assert before <= sent_at <= datetime.now(UTC)
    assert mail["Message-ID"].startswith("<")
    assert mail["Message-ID"].endswith("@aquastream.test>")
    assert mail["Message-ID"] != other["Message-ID"]
    assert mail.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in mail.iter_parts()] == ["text/plain", "text/html"]
    # On the wire lines end in CRLF.
    assert (
        text_of(mail).replace("\r\n", "\n") == 'Dear <b>Ann</b> & "friends",\nsee you at 9.\n\nAquaStream\n'
    )
    html_part = mail.get_body(preferencelist=("html",))
    assert html_part is not None
    html = html_part.get_content().replace("\r\n", "\n")
    assert "<p>Dear &lt;b&gt;Ann&lt;/b&gt; &amp; &quot;friends&quot;,<br>\nsee you at 9.</p>" in html
    assert "<p>AquaStream</p>" in html
    assert "<title>Rafting &lt;Vuoksa&gt; &amp; co</title>" in html
    assert "<b>" not in html
