"""Plain-text email through an SMTP server (aiosmtplib), shared by every sender of mail."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

import aiosmtplib


@dataclass(frozen=True, slots=True)
class Mailer:
    """Raises what aiosmtplib raises when the server cannot be reached or refuses the mail."""

    host: str
    port: int
    username: str | None
    password: str | None
    sender: str
    starttls: bool
    timeout_seconds: float = 30

    async def send(self, *, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        await aiosmtplib.send(
            message,
            hostname=self.host,
            port=self.port,
            username=self.username,
            password=self.password,
            # Always a bool: None would mean "when offered", silently sending in plain
            # text to a server that does not offer STARTTLS.
            start_tls=self.starttls,
            timeout=self.timeout_seconds,
        )
