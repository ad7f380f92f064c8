"""SIGTERM stops gracefully: the API answers the requests it has accepted, the worker finishes
the job or delivery in hand, and both exit 0 (as a rolling deploy or ``docker stop`` needs)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from aquastream.adapters.memory.database import MemoryDatabase, MemoryJobLeases
from aquastream.adapters.system import SystemClock
from aquastream.domain.shared.dispatch import OutboxDispatcher
from aquastream.domain.shared.scheduling import PeriodicJob, Scheduler
from aquastream.worker import BackgroundWorker
from tests.api.live_server import cli, free_port, spawned, wait_ready

PASSWORD = "Paddle-Hard-2030!"
STOPS_WITHIN_SECONDS = 20
BURST = 30


def _slow_job_worker(started: asyncio.Event, done: list[str]) -> BackgroundWorker:
    async def slow() -> None:
        started.set()
        await asyncio.sleep(0.5)
        done.append("slow")

    scheduler = Scheduler(
        MemoryJobLeases(MemoryDatabase()), SystemClock(), [PeriodicJob("slow", timedelta(hours=1), slow)]
    )
    return BackgroundWorker(OutboxDispatcher([], []), scheduler, poll_seconds=0.05, tick_seconds=0.05)


async def test_a_stopped_worker_finishes_the_job_it_is_running_then_returns() -> None:
    started, done = asyncio.Event(), []
    worker = _slow_job_worker(started, done)
    running = asyncio.create_task(worker.run())
    await asyncio.wait_for(started.wait(), timeout=5)

    await worker.stop()
    await asyncio.wait_for(running, timeout=5)

    assert done == ["slow"]


async def test_stopping_the_in_process_worker_waits_for_the_job_it_is_running() -> None:
    started, done = asyncio.Event(), []
    worker = _slow_job_worker(started, done)
    worker.start()
    await asyncio.wait_for(started.wait(), timeout=5)

    await asyncio.wait_for(worker.stop(), timeout=5)

    assert done == ["slow"]  # stop() returned only once the job had finished


def _eventually(check: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} did not happen within {seconds} s")


def _terminated(process: subprocess.Popen[str]) -> tuple[int, float]:
    """SIGTERM to the process group; its exit code and how long it took to exit."""
    signalled = time.monotonic()
    os.killpg(process.pid, signal.SIGTERM)
    try:
        code = process.wait(timeout=STOPS_WITHIN_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running {STOPS_WITHIN_SECONDS} s after SIGTERM")
    return code, time.monotonic() - signalled


@pytest.fixture(params=["database", pytest.param("redis-streams", marks=pytest.mark.redis)])
def settings(request: pytest.FixtureRequest, empty_postgres_url: str, tmp_path: Path) -> dict[str, str]:
    chosen = {"AQUASTREAM_DATABASE_URL": empty_postgres_url, "AQUASTREAM_RATE_LIMIT_ENABLED": "false"}
    if request.param == "redis-streams":
        chosen["AQUASTREAM_REDIS_URL"] = request.getfixturevalue("redis_url")
    migrated = cli(tmp_path, "migrate", **chosen)
    assert migrated.returncode == 0, migrated.stderr
    return chosen


@pytest.mark.postgres
def test_sigterm_stops_the_worker_process_cleanly(tmp_path: Path, settings: dict[str, str]) -> None:
    with spawned(tmp_path, "worker", log_name="worker.log", **settings) as (process, log):
        _eventually(lambda: "worker started" in log.read_text(), "the worker's start")
        time.sleep(1)  # a pass or two of the spine and the jobs

        code, took = _terminated(process)

    assert code == 0, log.read_text()[-2000:]
    assert "worker stopped" in log.read_text()
    assert took < 10, f"the worker took {took:.1f} s to exit"


def _established(port: int) -> int:
    """How many TCP connections to ``port`` the kernel has established (Linux's /proc/net/tcp):
    the connections the server had accepted, from its clients' point of view."""
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        if int(local.split(":")[1], 16) == port and state == "01":
            count += 1
    return count


def _register(client: httpx.Client, number: int) -> int | str:
    """The status of a registration, or the transport error that cut it."""
    try:
        answer = client.post(
            "/api/v1/auth/register", json={"email": f"burst{number}@example.com", "password": PASSWORD}
        )
    except httpx.TransportError as error:
        return repr(error)
    return answer.status_code


@pytest.mark.postgres
def test_sigterm_lets_the_api_answer_every_request_it_had_accepted(
    tmp_path: Path, empty_postgres_url: str
) -> None:
    """Every connection established before the signal gets its complete answer (201), and
    the server exits 0 once they are answered."""
    settings = {
        "AQUASTREAM_DATABASE_URL": empty_postgres_url,
        "AQUASTREAM_RATE_LIMIT_ENABLED": "false",
        # The production hashing cost: each registration takes a while, and the burst queues.
        "AQUASTREAM_PASSWORD_TIME_COST": "3",
        "AQUASTREAM_PASSWORD_MEMORY_COST": "65536",
    }
    migrated = cli(tmp_path, "migrate", **settings)
    assert migrated.returncode == 0, migrated.stderr
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    clients = [httpx.Client(base_url=base, timeout=60) for _ in range(BURST)]
    serve = ("serve", "--port", str(port), "--no-worker")
    with (
        spawned(tmp_path, *serve, log_name="serve.log", **settings) as (process, log),
        ThreadPoolExecutor(BURST) as pool,
    ):
        wait_ready(base, process, log)
        burst = [pool.submit(_register, clients[number], number) for number in range(BURST)]
        _eventually(lambda: _established(port) >= BURST, "the burst's connections", seconds=30)
        answered_before = sum(future.done() for future in burst)
        code, took = _terminated(process)
        answers = [future.result() for future in burst]
    for client in clients:
        client.close()

    assert answered_before <= BURST // 2, "the burst was mostly over before the signal: little was tested"
    assert answers == [201] * BURST, log.read_text()[-3000:]
    assert code == 0, log.read_text()[-3000:]
    assert took < STOPS_WITHIN_SECONDS


@pytest.mark.postgres
def test_sigterm_stops_the_api_with_its_in_process_worker_cleanly(
    tmp_path: Path, settings: dict[str, str]
) -> None:
    port = free_port()
    with spawned(tmp_path, "serve", "--port", str(port), log_name="serve.log", **settings) as (process, log):
        wait_ready(f"http://127.0.0.1:{port}", process, log)
        _eventually(lambda: "worker started" in log.read_text(), "the in-process worker's start")

        code, took = _terminated(process)

    assert code == 0, log.read_text()[-2000:]
    assert "worker stopped" in log.read_text()  # the shutdown hook stopped it
    assert took < 10, f"the server took {took:.1f} s to exit"
