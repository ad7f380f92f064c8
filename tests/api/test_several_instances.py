"""Several instances on one PostgreSQL and one Redis: two API processes and two workers of
every domain, with the participants' requests alternating between the APIs.

What one instance alone could not prove: the rate limits count across the processes, no
fact, reaction, message or job tick is handled by both workers, and the seats stay
consistent while both APIs book them at once.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import redis

from aquastream.adapters.redis.spine import stream_of
from tests.api.catalog.kit import event_body
from tests.api.live_server import cli, free_port, spawned, stop, wait_ready, working

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

PASSWORD = "Paddle-Hard-2030!"
PARTICIPANTS = 8
SEATS = 5
AUTH_LIMIT = 5
DOMAINS = (
    "identity",
    "catalog",
    "booking",
    "payments",
    "notifications",
    "crews",
    "media",
    "webhooks",
    "tickets",
)

# Records every tick a worker takes of a periodic job: a row of ``infra.job_leases`` is
# updated exactly when a worker wins the job's due tick (``SqlJobLeases.try_acquire``).
TICK_RECORDER = """
CREATE TABLE public.ticks_taken (
    seq bigserial PRIMARY KEY,
    name text NOT NULL,
    tick timestamptz NOT NULL,
    next_tick timestamptz NOT NULL
);
CREATE FUNCTION public.record_tick() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.ticks_taken (name, tick, next_tick)
        VALUES (OLD.name, OLD.next_run_at, NEW.next_run_at);
    RETURN NEW;
END $$;
CREATE TRIGGER record_tick AFTER UPDATE ON infra.job_leases
    FOR EACH ROW EXECUTE FUNCTION public.record_tick();
"""


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


def _query(dsn: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    async def read() -> list[asyncpg.Record]:
        connection = await asyncpg.connect(dsn)
        try:
            return list(await connection.fetch(sql, *args))
        finally:
            await connection.close()

    return asyncio.run(read())


def _execute(dsn: str, sql: str) -> None:
    async def run() -> None:
        connection = await asyncpg.connect(dsn)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(run())


@pytest.fixture
def settings(empty_postgres_url: str, redis_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "AQUASTREAM_DATABASE_URL": empty_postgres_url,
        "AQUASTREAM_REDIS_URL": redis_url,
        # Both APIs sign and read the same tokens, as instances behind one balancer would.
        "AQUASTREAM_JWT_SECRET": secrets.token_hex(48),
        "AQUASTREAM_DATA_DIR": str(tmp_path / "data"),
        "AQUASTREAM_OUTBOX_POLL_SECONDS": "5",  # the wake-ups carry the journey, not the polls
        "AQUASTREAM_NOTIFICATION_SEND_SECONDS": "1",  # both workers contend for every tick
        "AQUASTREAM_EXPIRY_SWEEP_SECONDS": "1",
        "AQUASTREAM_RATE_LIMIT_ENABLED": "true",
        "AQUASTREAM_RATE_LIMIT_AUTH": f"{AUTH_LIMIT}/minute",
        "AQUASTREAM_RATE_LIMIT_BOOKING": "1000/minute",
        "AQUASTREAM_RATE_LIMIT_PAYMENTS": "1000/minute",
        "AQUASTREAM_RATE_LIMIT_DEFAULT": "1000/minute",
        # The tests' client stands for the balancer: each caller's address comes in
        # X-Forwarded-For, so each participant has the auth budget of an address of its own.
        "AQUASTREAM_TRUSTED_PROXIES": "127.0.0.1",
    }


@pytest.fixture
def instances(tmp_path: Path, settings: dict[str, str]) -> Iterator[tuple[list[str], list[Path]]]:
    migrated = cli(tmp_path, "migrate", **settings)
    assert migrated.returncode == 0, migrated.stderr
    _execute(_dsn(settings["AQUASTREAM_DATABASE_URL"]), TICK_RECORDER)
    ports = [free_port(), free_port()]
    for name in ("api-a", "api-b"):
        (tmp_path / name).mkdir()
    serve = ("serve", "--no-worker", "--port")
    with (
        working(tmp_path, log_name="worker-1.log", **settings) as log_1,
        working(tmp_path, log_name="worker-2.log", **settings) as log_2,
        # Both APIs start at once; their logs go to their own folders.
        spawned(tmp_path / "api-a", *serve, str(ports[0]), log_name="serve.log", **settings) as (a, a_log),
        spawned(tmp_path / "api-b", *serve, str(ports[1]), log_name="serve.log", **settings) as (b, b_log),
    ):
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        try:
            wait_ready(bases[0], a, a_log)
            wait_ready(bases[1], b, b_log)
            yield [f"{base}/api/v1" for base in bases], [log_1, log_2]
        finally:
            stop(b)
            stop(a)


def _eventually(check: Callable[[], Any], what: str, seconds: float = 30) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    pytest.fail(f"{what} did not happen within {seconds} s")


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def _participant(api: str, number: int) -> dict[str, str]:
    """A registered participant with a phone (booking asks for one), from an address of its own."""
    registered = httpx.post(
        f"{api}/auth/register",
        json={"email": f"p{number}@example.com", "password": PASSWORD},
        headers=_from(f"10.1.0.{number}"),
        timeout=30,
    )
    assert registered.status_code == 201, registered.text
    auth = _auth(registered.json()["accessToken"])
    assert httpx.put(f"{api}/users/me", json={"phone": f"+7999000000{number}"}, headers=auth).is_success
    return auth


def test_two_apis_and_two_workers_share_limits_and_handle_everything_once(
    instances: tuple[list[str], list[Path]], tmp_path: Path, settings: dict[str, str]
) -> None:
    apis, logs = instances
    dsn = _dsn(settings["AQUASTREAM_DATABASE_URL"])

    def api(i: int) -> str:
        return apis[i % 2]

    # The auth limit is one budget for the address, whichever API the attempts reach: counted
    # per process, the eight attempts below would be four a process, all under the limit.
    attempts = [
        httpx.post(
            f"{api(i)}/auth/login",
            json={"email": "nobody@example.com", "password": "wrong-password-1"},
            headers=_from("10.9.9.9"),
        ).status_code
        for i in range(8)
    ]
    assert attempts == [401] * AUTH_LIMIT + [429] * (8 - AUTH_LIMIT)

    made = cli(tmp_path, "create-admin", "--email", "root@example.com", "--password", PASSWORD, **settings)
    assert made.returncode == 0, made.stderr
    root_login = httpx.post(
        f"{api(0)}/auth/login",
        json={"email": "root@example.com", "password": PASSWORD},
        headers=_from("10.2.0.1"),
    )
    assert root_login.status_code == 200, root_login.text
    root = _auth(root_login.json()["accessToken"])
    assert httpx.post(f"{api(1)}/organizers", json={"slug": "rats", "name": "Rats"}, headers=root).is_success
    event = httpx.post(f"{api(0)}/events", json=event_body("rats", capacity=SEATS), headers=root).json()
    assert httpx.post(f"{api(1)}/events/{event['id']}/publish", headers=root).is_success

    with ThreadPoolExecutor(PARTICIPANTS) as pool:
        people = list(pool.map(lambda i: _participant(api(i), i), range(PARTICIPANTS)))
        # Everyone books at once, half through each API: only the seats there are are taken.
        answers = list(
            pool.map(
                lambda i: httpx.post(
                    f"{api(i)}/bookings", json={"eventId": event["id"]}, headers=people[i], timeout=30
                ),
                range(PARTICIPANTS),
            )
        )
    booked = {i: answer.json() for i, answer in enumerate(answers) if answer.status_code == 201}
    full = [i for i, answer in enumerate(answers) if answer.status_code != 201]
    assert len(booked) == SEATS, [(a.status_code, a.text) for a in answers]
    assert all(answers[i].status_code == 409 and answers[i].json()["code"] == "event.full" for i in full)
    assert {booking["status"] for booking in booked.values()} == {"PENDING"}

    for i in full:  # the others queue, one after another, through alternating APIs
        joined = httpx.post(f"{api(i)}/events/{event['id']}/waitlist", headers=people[i])
        assert joined.status_code == 201, joined.text

    # Each pays through the API the booking was not made on. The sandbox keeps its payments
    # in the memory of the process that made them: its page is that API's.
    for i, booking in booked.items():
        payment = httpx.post(
            f"{api(i + 1)}/payments", json={"bookingId": booking["id"], "method": "WIDGET"}, headers=people[i]
        )
        assert payment.status_code == 201, payment.text
        base = api(i + 1).removesuffix("/api/v1")
        page = base + payment.json()["confirmation"]["url"].removeprefix("http://localhost:8000")
        assert httpx.post(page).status_code == 200
    for i, booking in booked.items():
        _eventually(
            _confirmed(f"{api(i)}/bookings/{booking['id']}", people[i]),
            f"the confirmation of participant {i}'s paid booking",
        )

    _eventually(lambda: _all_quiet(dsn), "the workers' sending every message and delivering every fact")

    _assert_seats_consistent(dsn, event["id"], booked_ids={b["id"] for b in booked.values()})
    _assert_waitlist_in_order(dsn, event["id"], queued=len(full))
    _assert_every_message_sent_once(dsn, logs)
    _assert_every_fact_delivered_once(dsn, settings["AQUASTREAM_REDIS_URL"])
    _assert_every_tick_taken_once(dsn)


def _confirmed(booking_url: str, auth: dict[str, str]) -> Callable[[], bool]:
    return lambda: bool(httpx.get(booking_url, headers=auth).json()["status"] == "CONFIRMED")


def _all_quiet(dsn: str) -> bool:
    """Nothing left to relay, deliver or send (and something was sent)."""
    for domain in DOMAINS:
        undone = _query(
            dsn,
            f"SELECT (SELECT count(*) FROM {domain}.{domain}_outbox WHERE relayed_at IS NULL)"
            f" + (SELECT count(*) FROM {domain}.{domain}_deliveries WHERE delivered_at IS NULL) AS n",
        )
        if undone[0]["n"]:
            return False
    statuses = Counter(row["status"] for row in _query(dsn, "SELECT status FROM notifications.messages"))
    return bool(statuses) and set(statuses) == {"SENT"}


def _assert_seats_consistent(dsn: str, event_id: str, *, booked_ids: set[str]) -> None:
    [inventory] = _query(dsn, "SELECT * FROM booking.inventories WHERE event_id = $1", uuid.UUID(event_id))
    statuses = Counter(
        row["status"]
        for row in _query(dsn, "SELECT status FROM booking.bookings WHERE event_id = $1", uuid.UUID(event_id))
    )
    waiting = _query(
        dsn,
        "SELECT count(*) AS n FROM booking.waitlist_entries WHERE event_id = $1 AND status = 'WAITING'",
        uuid.UUID(event_id),
    )[0]["n"]
    taken = statuses["CONFIRMED"] + statuses["PENDING"]
    assert taken <= inventory["capacity"] == SEATS
    assert inventory["available"] == inventory["capacity"] - taken - inventory["reserved"]
    assert statuses == Counter({"CONFIRMED": SEATS})
    assert waiting == inventory["waiting"] == PARTICIPANTS - SEATS
    assert taken + waiting == PARTICIPANTS

    confirmations = Counter(
        str(row["booking_id"])
        for row in _query(
            dsn,
            "SELECT booking_id FROM booking.booking_log WHERE new_status = 'CONFIRMED'",
        )
    )
    assert confirmations == Counter(dict.fromkeys(booked_ids, 1)), "a paid booking confirmed twice"


def _assert_waitlist_in_order(dsn: str, event_id: str, *, queued: int) -> None:
    entries = _query(
        dsn,
        "SELECT position FROM booking.waitlist_entries WHERE event_id = $1 ORDER BY joined_at",
        uuid.UUID(event_id),
    )
    positions = [row["position"] for row in entries]
    assert len(positions) == queued
    assert positions == sorted(set(positions)), f"positions {positions} repeat or go back"


def _sent_in_logs(logs: list[Path]) -> list[Counter[str]]:
    """The ids of the messages each worker's log-only channel sent (one JSON line each)."""
    sent = []
    for log in logs:
        ids: Counter[str] = Counter()
        for line in log.read_text().splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if not isinstance(record, dict) or record.get("logger") != "aquastream.notify":
                continue
            if "notification_id" in record:
                ids[record["notification_id"]] += 1
        sent.append(ids)
    return sent


def _assert_every_message_sent_once(dsn: str, logs: list[Path]) -> None:
    messages = _query(dsn, "SELECT id, status, attempts FROM notifications.messages")
    assert {(row["status"], row["attempts"]) for row in messages} == {("SENT", 1)}
    first, second = _sent_in_logs(logs)
    assert not set(first) & set(second), "a message sent by both workers"
    in_logs = first + second
    assert in_logs == Counter({str(row["id"]): 1 for row in messages})


def _assert_every_fact_delivered_once(dsn: str, redis_url: str) -> None:
    streams = redis.Redis.from_url(redis_url)
    delivered = 0
    for domain in DOMAINS:
        facts = _query(dsn, f"SELECT id FROM {domain}.{domain}_outbox")
        appended = Counter(fields[b"id"].decode() for _, fields in streams.xrange(stream_of(domain)))
        assert appended == Counter({str(row["id"]): 1 for row in facts}), f"{domain}'s facts relayed twice"
        deliveries = _query(
            dsn, f"SELECT attempts, delivered_at, dead, last_error FROM {domain}.{domain}_deliveries"
        )
        # A delivery claimed a second time without a failure before would be a double delivery.
        twice = [row for row in deliveries if row["attempts"] != 1 and row["last_error"] is None]
        assert not twice, f"{domain}'s deliveries claimed twice: {twice}"
        assert all(row["delivered_at"] is not None and not row["dead"] for row in deliveries)
        delivered += len(deliveries)
    assert delivered > 0


def _assert_every_tick_taken_once(dsn: str) -> None:
    takes = _query(dsn, "SELECT name, tick, next_tick FROM public.ticks_taken ORDER BY seq")
    by_job: dict[str, list[asyncpg.Record]] = {}
    for take in takes:
        by_job.setdefault(take["name"], []).append(take)
    assert len(by_job["notifications.send"]) >= 3, "too few ticks for the check to mean anything"
    for name, chain in by_job.items():
        ticks = [take["tick"] for take in chain]
        assert len(ticks) == len(set(ticks)), f"a tick of {name} taken twice"
        # Each tick starts where the one before ended: no two workers ran overlapping ticks.
        assert all(chain[k]["tick"] == chain[k - 1]["next_tick"] for k in range(1, len(chain))), name
