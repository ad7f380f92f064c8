"""Email through an SMTP server (aiosmtplib), shared by every sender of mail: a text part and
the same text as HTML, with the headers RFC 5322 asks for."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

import aiosmtplib

_BLANK_LINES = re.compile(r"\n\s*\n")


def html_of(subject: str, text: str) -> str:
    """The plain text as a small HTML document: every character escaped (a ``<`` in a user's
    name or an event title stays text), blank lines between paragraphs, line breaks kept."""
    paragraphs = [p for p in _BLANK_LINES.split(text.strip()) if p.strip()]
    body = "\n".join(
        "<p>" + "<br>\n".join(html.escape(line) for line in paragraph.splitlines()) + "</p>"
        for paragraph in paragraphs
    )
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(subject)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


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

    def compose(self, *, to: str, subject: str, body: str) -> EmailMessage:
        """``multipart/alternative``: the text, then the same text as HTML (mail clients show
        the last part they can). ``Date`` (mandatory in RFC 5322) is the time of composing;
        ``Message-ID`` is unique and names the sender's domain, as RFC 5322 recommends."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(usegmt=True)
        _, sender_address = parseaddr(self.sender)
        message["Message-ID"] = make_msgid(domain=sender_address.rpartition("@")[2] or None)
        message.set_content(body)
        message.add_alternative(html_of(subject, body), subtype="html")
        return message

    async def send(self, *, to: str, subject: str, body: str) -> None:
        await aiosmtplib.send(
            self.compose(to=to, subject=subject, body=body),
            hostname=self.host,
            port=self.port,
            username=self.username,
            password=self.password,
            # Always a bool: None would mean "when offered", silently sending in plain
            # text to a server that does not offer STARTTLS.
            start_tls=self.starttls,
            timeout=self.timeout_seconds,
        )
