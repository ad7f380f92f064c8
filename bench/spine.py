"""Benchmark: the event spine under booking load, on PostgreSQL.

Runs the service's own container (its units of work, use cases, reactions and background
worker, which a server process runs beside its requests) against a throwaway database:

1. latency, idle: a booking commits while the worker waits; the time from the commit to
   the start of a subscriber of ``BookingCreated`` (a probe reaction beside the real ones),
   over ``--samples`` bookings a little apart. Target: p50 ≤ 200 ms;
2. backlog: ``--seconds`` of bookings at the top rate ``--concurrency`` callers reach, with
   the worker delivering meanwhile; then the backlog left when the load stops, and how long
   the worker takes to drain it. Target: drained within 10 s.

With ``--worker-process`` the worker runs as ``aquastream worker`` in a process of its own
(as in a deployment with ``serve --no-worker``) and the bench process only books; then only
the backlog is measured (the latency probe lives in the bench process).

Measured (60 s, 16 callers, on a shared 2-core machine whose load average other work kept at
4.5-7, so the booking rate is the machine's, not the API's):

- before batched delivery (82c59d7): in-process 61 bookings/s, backlog at stop 4,633,
  drained in 46.5 s; worker in its own process 76 bookings/s, backlog 1,836, drained in 22.2 s;
- after (the notice rules take batches, a ping only after 2 s idle, spine statements in
  autocommit): in-process 96 bookings/s, backlog 813, drained in 1.8 s; worker in its own
  process 144 bookings/s, backlog 18, drained in 0.1 s;
- once a booking became one statement (500-1,100 bookings/s, so the backlog grew), before and
  after the batch writes as arrays, webhooks taking facts together and the event owners kept:
  in-process 60 s, backlog 33,387 drained in 109.1 s -> 37,969 in 33.4 s; worker in its own
  process (15 s), 12,279 in 14.3 s -> 6,672 in 3.2 s; then a pass of the worker taking 400
  deliveries of each inbox (was 100) and 500 facts of each outbox (was 200), and this probe
  taking facts together: in-process 60 s (30,000 bookings, the participants there are), backlog
  37,155 drained in 13.8 s;
- once the spine's one-statement questions went by the driver's lane and a pass ran two domains
  at once (load average ~2): in-process 60 s, backlog at stop 42,123 drained in 9.5 s -> 5,372
  in 0.9 s (the worker now nearly keeps up with the bookings); idle p50 23 ms -> 10 ms.

    uv run python bench/spine.py                     # AQUASTREAM_TEST_DATABASE_URL or local
    uv run python bench/spine.py --seconds 60 --concurrency 16
    uv run python bench/spine.py --worker-process
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence

from compare import emit
from dishka import Provider, Scope, provide
from seat_booking import DEFAULT_URL, _open_event, _participants, _throwaway_database
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream import heap
from aquastream.adapters.sql.migrate import upgrade
from aquastream.app import make_container
from aquastream.domain.booking.book import BookSeat
from aquastream.domain.booking.events import BookingCreated
from aquastream.domain.shared.dispatch import Spine
from aquastream.domain.shared.principal import Principal, Role
from aquastream.ioc.subscriptions import Reactions, on
from aquastream.settings import Settings
from aquastream.worker import BackgroundWorker

STARTED: dict[uuid.UUID, float] = {}
ARRIVED = asyncio.Event()


class Probe:
    """Notes when a booking's fact reaches a subscriber. It takes a backlog's facts together,
    as the real subscribers do, so that the instrument costs the worker as little as it can."""

    async def __call__(self, events: Sequence[BookingCreated]) -> None:
        now = time.monotonic()
        for event in events:
            STARTED.setdefault(event.booking_id, now)
        ARRIVED.set()


class ProbeProvider(Provider):
    probe = provide(Probe, scope=Scope.REQUEST)

    @provide(scope=Scope.APP)
    def reactions(self) -> Reactions:
        return Reactions("notifications", on(BookingCreated, Probe).call_many(lambda probe, e: probe(e)))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _book(container: object, event_id: uuid.UUID, user_id: uuid.UUID) -> uuid.UUID:
    async with container() as request:  # type: ignore[operator]
        book = await request.get(BookSeat)
        booking = await book(Principal(user_id, Role.USER), event_id)
    return booking.id


async def _latency(container: object, engine: AsyncEngine, samples: int) -> list[float]:
    event_id = await _open_event(engine, samples)
    users = await _participants(engine, samples)
    delays = []
    for user_id in users:
        ARRIVED.clear()
        committed = time.monotonic()
        booking_id = await _book(container, event_id, user_id)
        while booking_id not in STARTED:
            await ARRIVED.wait()
            ARRIVED.clear()
        delays.append(STARTED[booking_id] - committed)
        await asyncio.sleep(0.2)  # idle again before the next one
    return delays


async def _backlog(spine: Spine) -> int:
    return sum((await spine.backlog()).values())


async def _load(
    container: object, engine: AsyncEngine, spine: Spine, seconds: float, concurrency: int
) -> dict[str, float]:
    users = await _participants(engine, 30_000)
    event_id = await _open_event(engine, len(users))
    queue = iter(users)
    made = 0
    deadline = time.monotonic() + seconds

    async def caller() -> None:
        nonlocal made
        while time.monotonic() < deadline and (user_id := next(queue, None)) is not None:
            await _book(container, event_id, user_id)
            made += 1

    await asyncio.gather(*(caller() for _ in range(concurrency)))
    stopped = time.monotonic()
    left = await _backlog(spine)
    # Polled from the database, as an operator's dashboard would.
    while await _backlog(spine) > 0:  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    drained = time.monotonic() - stopped
    return {"bookings": made, "rate": made / seconds, "backlog_at_stop": left, "drain_seconds": drained}


def _worker_process(url: str) -> subprocess.Popen[bytes]:
    """``aquastream worker`` on the bench's database, for every domain."""
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("AQUASTREAM_")},
        "AQUASTREAM_ENV": "test",
        "AQUASTREAM_DATABASE_URL": url,
        "AQUASTREAM_JWT_SECRET": "b" * 64,
        "AQUASTREAM_DATA_DIR": tempfile.mkdtemp(prefix="aqs-bench-"),
        "AQUASTREAM_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen([sys.executable, "-m", "aquastream", "worker"], env=env)


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--worker-process", action="store_true", help="run the worker in its own process")
    args = parser.parse_args()
    server = os.environ.get("AQUASTREAM_TEST_DATABASE_URL", DEFAULT_URL)
    load_before = os.getloadavg()[0]
    url, drop = await _throwaway_database(server)
    try:
        await upgrade(url, "head")
        settings = Settings.for_tests(
            database_url=url,
            jwt_secret="b" * 64,
            run_worker=not args.worker_process,
            outbox_poll_seconds=1.0,
        )
        container = make_container(settings, ProbeProvider())
        worker_process = _worker_process(url) if args.worker_process else None
        try:
            engine = await container.get(AsyncEngine)
            spine = await container.get(Spine)
            heap.settle()  # as a server or worker process does once started (aquastream.heap)
            delays: list[float] = []
            if worker_process is None:
                worker = await container.get(BackgroundWorker)
                worker.start()
                delays = await _latency(container, engine, args.samples)
            load = await _load(container, engine, spine, args.seconds, args.concurrency)
            if worker_process is None:
                await worker.stop()
        finally:
            if worker_process is not None:
                worker_process.terminate()
                worker_process.wait(timeout=30)
            await container.close()
    finally:
        await drop()
    load_avg = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, load average {load_avg[0]:.2f} {load_avg[1]:.2f} {load_avg[2]:.2f}"
    )
    if delays:
        print(
            f"commit → subscriber start, idle ({len(delays)} bookings): "
            f"p50 {statistics.median(delays) * 1000:.1f} ms, "
            f"p99 {_percentile(delays, 0.99) * 1000:.1f} ms (target p50 ≤ 200 ms)"
        )
    where = "its own process" if args.worker_process else "the bench's process"
    print(f"worker in {where}")
    print(
        f"{args.seconds:.0f} s of bookings, {args.concurrency} callers: {load['bookings']:.0f} made "
        f"({load['rate']:.0f}/s); backlog at stop {load['backlog_at_stop']:.0f}, "
        f"drained in {load['drain_seconds']:.1f} s (target ≤ 10 s)"
    )
    spent = f"{load_before:.1f} → {load_avg[0]:.1f}"
    rows = []
    if delays:
        p50 = statistics.median(delays) * 1000
        rows.append(
            {"scenario": "spine: commit → subscriber start, idle", "ours": f"p50 {p50:.0f} ms",
             "target": "p50 ≤ 200 ms", "met": p50 <= 200, "load": spent,
             "latency": f"{p50:.1f} / {_percentile(delays, 0.99) * 1000:.1f}"}
        )  # fmt: skip
    rows.append(
        {"scenario": f"spine: backlog after {args.seconds:.0f} s of bookings at {load['rate']:.0f}/s, "
                     f"worker in {where}",
         "ours": f"drained in {load['drain_seconds']:.1f} s",
         "target": "≤ 10 s", "met": load["drain_seconds"] <= 10, "load": spent}
    )  # fmt: skip
    emit(rows)


if __name__ == "__main__":
    asyncio.run(main())
