"""Local HTTP servers that speak the documented request and response formats of YooKassa
(API v3), CloudPayments and Stripe, enough for our adapters: they check the authentication
and idempotency headers a real provider requires, answer a repeated idempotency key with the
first answer, and record every request for the tests to inspect."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode()))


Answer = tuple[int, dict[str, Any]]


@dataclass
class FakeProvider:
    """Routes ``(method, path prefix)`` to handlers; ``url`` is set once the server runs."""

    check_auth: Callable[[dict[str, str]], bool]
    idempotency_header: str
    routes: dict[tuple[str, str], Callable[[Recorded], Answer]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    url: str = ""
    _answers_by_key: dict[str, Answer] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, request: Recorded) -> Answer:
        with self._lock:
            self.requests.append(request)
            if not self.check_auth(request.headers):
                return 401, {"type": "error", "code": "invalid_credentials"}
            key = request.headers.get(self.idempotency_header.lower())
            if request.method == "POST" and key is not None and key in self._answers_by_key:
                return self._answers_by_key[key]
            for (method, prefix), handler in self.routes.items():
                if request.method == method and request.path.startswith(prefix):
                    answer = handler(request)
                    if request.method == "POST" and key is not None:
                        self._answers_by_key[key] = answer
                    return answer
            return 404, {"type": "error", "code": "not_found"}


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@contextmanager
def serving(fake: FakeProvider) -> Iterator[FakeProvider]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            request = Recorded(
                self.command,
                self.path,
                {name.lower(): value for name, value in self.headers.items()},
                self.rfile.read(length),
            )
            status, body = fake.handle(request)
            encoded = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(encoded)))
            self.end_headers()
            self.wfile.write(encoded)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
