"""A database outage in the middle of a load: every request it fails answers 503
``service.unavailable`` with ``Retry-After`` (never 500), and the service recovers by itself.

The real server (``aquastream serve``, worker included) talks to PostgreSQL through a TCP
proxy that cuts every connection and refuses new ones for a few seconds, while eight clients
keep listing events and registering accounts.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import make_url

from .live_server import served
from .tcp_proxy import tcp_proxy

pytestmark = pytest.mark.postgres

CLIENTS = 8
BEFORE_SECONDS = 2.0
OUTAGE_SECONDS = 4.0
RECOVERY_WITHIN_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class Answer:
    at: float
    status: int
    code: str | None
    retry_after: str | None


def _load(base: str, stop: threading.Event, answers: list[Answer], lock: threading.Lock) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        while not stop.is_set():
            if len(answers) % 2:
                email = f"outage-{uuid.uuid4().hex}@example.com"
                response = client.post(
                    "/api/v1/auth/register",
                    json={"email": email, "password": f"Paddle-{uuid.uuid4().hex}!"},
                )
            else:
                response = client.get("/api/v1/events", params={"q": "river"})
            code = response.json().get("code") if response.status_code >= 400 else None
            answer = Answer(time.monotonic(), response.status_code, code, response.headers.get("Retry-After"))
            with lock:
                answers.append(answer)


def test_a_database_cut_in_the_middle_of_a_load_answers_503_and_recovers(
    tmp_path: Path, migrated_postgres_url: str
) -> None:
    database = make_url(migrated_postgres_url)
    with tcp_proxy(database.host or "127.0.0.1", database.port or 5432) as proxy:
        proxied = database.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        with served(tmp_path, AQUASTREAM_DATABASE_URL=proxied, AQUASTREAM_RATE_LIMIT_ENABLED="false") as base:
            answers: list[Answer] = []
            lock = threading.Lock()
            stop = threading.Event()
            clients = [
                threading.Thread(target=_load, args=(base, stop, answers, lock)) for _ in range(CLIENTS)
            ]
            for client in clients:
                client.start()
            try:
                time.sleep(BEFORE_SECONDS)
                cut_at = time.monotonic()
                proxy.cut()
                time.sleep(OUTAGE_SECONDS)
                proxy.restore()
                restored_at = time.monotonic()
                deadline = restored_at + RECOVERY_WITHIN_SECONDS
                while time.monotonic() < deadline:
                    time.sleep(0.5)
                    with lock:
                        recent = [a for a in answers if a.at > time.monotonic() - 1.0]
                    if len(recent) >= 5 and all(a.status < 300 for a in recent):
                        break
            finally:
                stop.set()
                for client in clients:
                    client.join(timeout=30)
            ended_at = time.monotonic()

            # After recovery nothing failed: the last second of answers are all successes.
            last_second = [a for a in answers if a.at > ended_at - 1.0]
            assert last_second, "no answer in the last second: the service did not recover"
            assert all(a.status in (200, 201) for a in last_second), last_second

    statuses = {a.status for a in answers}
    assert statuses <= {200, 201, 503}, sorted(statuses)
    before = [a for a in answers if a.at < cut_at]
    during = [a for a in answers if cut_at + 0.5 < a.at < restored_at]
    assert before
    assert all(a.status in (200, 201) for a in before)
    assert any(a.status == 503 for a in during), "the outage was not seen"
    for answer in answers:
        if answer.status == 503:
            assert answer.code == "service.unavailable"
            assert answer.retry_after == "1"
