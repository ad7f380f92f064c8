"""Local HTTP servers that speak what the channels talk to: the Telegram Bot API's
``sendMessage`` (as documented at core.telegram.org/bots/api) and a JSON SMS gateway."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BOT_TOKEN = "123456:ABC-test-token"
BLOCKED_CHAT = 403
BROKEN_CHAT = 502
SMS_TOKEN = "sms-secret"
FAILING_PHONE = "+70000000000"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakeServer:
    url: str
    received: list[Received] = field(default_factory=list)


def _telegram_answer(path: str, body: Any) -> tuple[int, bytes]:
    if path != f"/bot{BOT_TOKEN}/sendMessage":
        return 401, json.dumps({"ok": False, "error_code": 401, "description": "Unauthorized"}).encode()
    chat_id = body.get("chat_id")
    if chat_id == BLOCKED_CHAT:
        answer = {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
        return 403, json.dumps(answer).encode()
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
    if body.get("to") == FAILING_PHONE:
        return 500, b'{"error": "operator unavailable"}'
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
                _telegram_answer(self.path, body) if kind == "telegram" else _sms_answer(headers, body)
            )
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if answer.startswith(b"{") else "text/html")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield FakeServer(f"http://127.0.0.1:{server.server_address[1]}", received)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
