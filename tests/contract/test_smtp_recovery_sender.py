"""The SMTP recovery sender against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import asyncio
import email
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.policy import default as default_policy
from typing import Any

import aiosmtplib
import pytest
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from aquastream.adapters.notify.recovery import SmtpRecoveryCodeSender
from aquastream.adapters.notify.smtp import Mailer

USERNAME = "mailer"
PASSWORD = "mail-secret"


@dataclass
class Inbox:
    """What the server received, and who logged in to send it."""

    envelopes: list[Envelope] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    # Recipients the server refuses, with its reply ("550 5.1.1 No such user").
    refused: dict[str, str] = field(default_factory=dict)
    # A reply to DATA other than acceptance ("554 5.7.1 Message refused").
    data_reply: str | None = None

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refused:
            return self.refused[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.data_reply is not None:
            return self.data_reply
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            USERNAME.encode(),
            PASSWORD.encode(),
        ):
            self.logins.append(USERNAME)
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    def message(self, index: int = 0) -> Message:
        content = self.envelopes[index].original_content or b""
        return email.message_from_bytes(content, policy=default_policy)


def text_of(message: Message) -> str:
    """The text/plain part of a received mail."""
    assert isinstance(message, EmailMessage)
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    text: str = part.get_content()
    return text


@dataclass
class SmtpServer:
    port: int
    inbox: Inbox


async def start_server(**smtp_options: Any) -> tuple[asyncio.Server, SmtpServer]:
    inbox = Inbox()
    # aiosmtpd's Controller cannot bind port 0; a plain asyncio server can.
    server = await asyncio.get_running_loop().create_server(
        lambda: SMTP(inbox, authenticator=inbox.authenticate, **smtp_options), "127.0.0.1", 0
    )
    port = server.sockets[0].getsockname()[1]
    return server, SmtpServer(port, inbox)


@pytest.fixture
async def smtp_server() -> AsyncIterator[SmtpServer]:
    server, running = await start_server(auth_require_tls=False)
    yield running
    server.close()
    await server.wait_closed()


def sender_for(server: SmtpServer, **overrides: Any) -> SmtpRecoveryCodeSender:
    options: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": server.port,
        "username": None,
        "password": None,
        "sender": "AquaStream <no-reply@aquastream.test>",
        "starttls": False,
    }
    options.update(overrides)
    return SmtpRecoveryCodeSender(Mailer(**options))


async def test_the_code_arrives_as_a_mail_in_russian_and_english(smtp_server: SmtpServer) -> None:
    await sender_for(smtp_server).send_recovery_code(
        email="ivan@example.com", telegram_chat_id=None, code="482913"
    )

    [envelope] = smtp_server.inbox.envelopes
    assert envelope.mail_from == "no-reply@aquastream.test"
    assert envelope.rcpt_tos == ["ivan@example.com"]
    message = smtp_server.inbox.message()
    assert message["To"] == "ivan@example.com"
    assert "password recovery code" in message["Subject"]
    assert message.get_content_type() == "multipart/alternative"
    body = text_of(message)
    assert "482913" in body
    assert "код для восстановления пароля" in body
    assert "Your AquaStream password recovery code is: 482913" in body
    assert "15" in body


async def test_it_logs_in_when_given_credentials(smtp_server: SmtpServer) -> None:
    sender = sender_for(smtp_server, username=USERNAME, password=PASSWORD)

    await sender.send_recovery_code(email="ivan@example.com", telegram_chat_id=None, code="482913")

    assert smtp_server.inbox.logins == [USERNAME]
    assert len(smtp_server.inbox.envelopes) == 1


async def test_wrong_credentials_fail_loudly(smtp_server: SmtpServer) -> None:
    sender = sender_for(smtp_server, username=USERNAME, password="wrong")

    with pytest.raises(aiosmtplib.SMTPAuthenticationError):
        await sender.send_recovery_code(email="ivan@example.com", telegram_chat_id=None, code="482913")
    assert smtp_server.inbox.envelopes == []


async def test_the_smtp_sender_mails_the_code_even_when_a_chat_is_linked(smtp_server: SmtpServer) -> None:
    await sender_for(smtp_server).send_recovery_code(
        email="ivan@example.com", telegram_chat_id=77, code="482913"
    )

    assert len(smtp_server.inbox.envelopes) == 1


async def test_starttls_is_required_when_asked_for_never_skipped(smtp_server: SmtpServer) -> None:
    sender = sender_for(smtp_server, starttls=True)

    with pytest.raises(aiosmtplib.SMTPException):
        await sender.send_recovery_code(email="ivan@example.com", telegram_chat_id=None, code="482913")
    assert smtp_server.inbox.envelopes == []


async def test_an_unreachable_server_raises() -> None:
    server, running = await start_server()
    server.close()
    await server.wait_closed()

    with pytest.raises(aiosmtplib.SMTPException):
        await sender_for(running, timeout_seconds=2).send_recovery_code(
            email="ivan@example.com", telegram_chat_id=None, code="482913"
        )


async def test_an_email_verification_code_arrives_as_a_mail_to_the_address_it_verifies(
    smtp_server: SmtpServer,
) -> None:
    await sender_for(smtp_server).send_verification_code(email="ivan@new.example.com", code="570213")

    [envelope] = smtp_server.inbox.envelopes
    assert envelope.rcpt_tos == ["ivan@new.example.com"]
    message = smtp_server.inbox.message()
    assert "confirm your email" in message["Subject"]
    body = text_of(message)
    assert "Код для подтверждения адреса в AquaStream: 570213" in body
    assert "Your AquaStream email confirmation code is: 570213" in body


async def test_a_recovery_code_without_a_verified_email_is_not_mailed(smtp_server: SmtpServer) -> None:
    await sender_for(smtp_server).send_recovery_code(email=None, telegram_chat_id=None, code="482913")

    assert smtp_server.inbox.envelopes == []
