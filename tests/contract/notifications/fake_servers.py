"""Local HTTP servers that speak what the channels talk to: the Telegram Bot API's
``sendMessage`` (as documented at core.telegram.org/bots/api, errors included: ``{"ok":
false, "error_code", "description", "parameters": {"retry_after"}}``) and a JSON SMS
gateway."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BOT_TOKEN = "123456:ABC-test-token"
BROKEN_CHAT = 502
# Chats Telegram answers with an error, in the Bot API's words.
BLOCKED_CHAT = 403
DEACTIVATED_CHAT = 4031
UNKNOWN_CHAT = 400
BAD_REQUEST_CHAT = 4001
THROTTLED_CHAT = 429
RETRY_AFTER = 7
TELEGRAM_ERRORS: dict[int, tuple[int, str]] = {
    BLOCKED_CHAT: (403, "Forbidden: bot was blocked by the user"),
    DEACTIVATED_CHAT: (403, "Forbidden: user is deactivated"),
    UNKNOWN_CHAT: (400, "Bad Request: chat not found"),
    BAD_REQUEST_CHAT: (400, "Bad Request: message text is empty"),
    THROTTLED_CHAT: (429, f"Too Many Requests: retry after {RETRY_AFTER}"),
}
SMS_TOKEN = "sms-secret"
FAILING_PHONE = "+70000000000"
# "+70000000" and a status: the gateway answers that status (503, 400, 429…); 999: it never
# answers in time.
ANSWERING_PHONE = "+70000000{status}"
SLOW_PHONE = "+70000000999"
SMS_RETRY_AFTER = 30


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakeServer:
    url: str
    received: list[Received] = field(default_factory=list)
    # Telegram: chats that blocked the bot, or that it answers 429 for, besides
    # ``BLOCKED_CHAT`` and ``THROTTLED_CHAT`` (a test may add some).
    blocked: set[int] = field(default_factory=set)
    throttled: set[int] = field(default_factory=set)


def _telegram_error(code: int, description: str) -> tuple[int, bytes]:
    answer: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if code == 429:
        answer["parameters"] = {"retry_after": RETRY_AFTER}
    return code, json.dumps(answer).encode()


def _telegram_answer(path: str, body: Any, fake: FakeServer) -> tuple[int, bytes]:
    if path != f"/bot{BOT_TOKEN}/sendMessage":
        return _telegram_error(401, "Unauthorized")
    chat_id = body.get("chat_id")
    if chat_id in fake.blocked:
        return _telegram_error(*TELEGRAM_ERRORS[BLOCKED_CHAT])
    if chat_id in fake.throttled:
        return _telegram_error(*TELEGRAM_ERRORS[THROTTLED_CHAT])
    if chat_id in TELEGRAM_ERRORS:
        return _telegram_error(*TELEGRAM_ERRORS[chat_id])
    if chat_id == BROKEN_CHAT:
        return 502, b"<html>Bad Gateway</html>"
    result = {
        "message_id": 1,
        "date": 1893456000,
        "chat": {"id": chat_id, "type": "private"},
        "text": body["text"],
    }
    return 200, json.dumps({"ok": True, "result": result}).encode()


def _sms_answer(headers: dict[str, str], body: Any) -> tuple[int, bytes]:
    if headers.get("authorization") != f"Bearer {SMS_TOKEN}":
        return 401, b'{"error": "unauthorized"}'
    to = str(body.get("to"))
    if to == FAILING_PHONE:
        return 500, b'{"error": "operator unavailable"}'
    if to == SLOW_PHONE:
        time.sleep(1)
    elif to.startswith(ANSWERING_PHONE.format(status="")):
        return int(to[-3:]), json.dumps({"error": f"answered {to[-3:]}"}).encode()
    return 202, json.dumps({"id": body.get("id"), "status": "queued"}).encode()


@contextmanager
def serving(kind: str) -> Iterator[FakeServer]:
    """``kind``: ``telegram`` or ``sms``. Listens on 127.0.0.1, a free port."""
    received: list[Received] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = json.loads(raw) if raw else {}
            headers = {k.lower(): v for k, v in self.headers.items()}
            received.append(Received(self.path, headers, body))
            status, answer = (
                _telegram_answer(self.path, body, fake) if kind == "telegram" else _sms_answer(headers, body)
            )
            self.send_response(status)
            if kind == "sms" and status == 429:
                self.send_header("Retry-After", str(SMS_RETRY_AFTER))
            self.send_header("Content-Type", "application/json" if answer.startswith(b"{") else "text/html")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake = FakeServer(f"http://127.0.0.1:{server.server_address[1]}", received)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
