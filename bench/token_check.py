"""Benchmark: what checking access tokens for revocation costs a booking request.

``POST /api/v1/bookings`` through the real application on one throwaway PostgreSQL
database, in one process, with the check on (the token is judged against the list of
what identity revoked lately, which the app reads again every second) and off (the
token's signature and expiry only). Every request comes from a user of its own, as the
worst case for any check that would remember users. Rounds alternate on, off, on, off…
so that the machine's noise hits both alike; each round books a fresh event. The app
that checks reads the feed only during its own rounds (both apps share the process).

    uv run python bench/token_check.py                 # AQUASTREAM_TEST_DATABASE_URL or local
    uv run python bench/token_check.py --requests 1000 --concurrency 8 --pairs 5

It prints each round, then per variant the median over its rounds of the throughput, the
p50 and p99 latencies and the CPU time of this process per request (the app and the
client), and the ratios on / off. On a busy machine rounds differ by more than the check
costs, so it also times the check alone, as the middleware runs it, and one read of the
revocation feed holding ``--revoked`` ended sessions (as after a busy quarter of an hour).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from compare import emit
from dishka import Provider, Scope, provide
from litestar import Litestar
from seat_booking import DEFAULT_URL, _open_event, _participants, _throwaway_database
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream import heap
from aquastream.adapters.crypto.jwt_tokens import AccessToken, JwtAccessTokens
from aquastream.adapters.http.token_check import AccessTokenCheck
from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.identity import SqlIdentityUnitOfWork
from aquastream.adapters.sql.migrate import upgrade
from aquastream.app import create_app
from aquastream.domain.identity.model import RefreshSession, Role, User
from aquastream.domain.shared.ids import new_id
from aquastream.ports.clock import Clock
from aquastream.ports.identity import RevocationFeed
from aquastream.settings import Settings

SECRET = "bench-secret-" + "b" * 60
VARIANTS = ("on", "off")
FIELDS = ("per_second", "p50_ms", "p99_ms", "cpu_ms")


class SignatureOnly(AccessTokenCheck):
    """The edge as it was: a genuine, unexpired token is enough, and nothing is read."""

    async def ensure_live(self, token: AccessToken) -> None:
        return None

    async def start(self) -> None:
        return None


class CheckOff(Provider):
    @provide(scope=Scope.APP)
    def check(self, feed: RevocationFeed, clock: Clock) -> AccessTokenCheck:
        return SignatureOnly(feed, clock, token_ttl=timedelta(minutes=15), poll_seconds=1)


@dataclass(frozen=True)
class Round:
    variant: str
    per_second: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float  # per request


def _session(user_id: uuid.UUID, now: datetime, ended_at: datetime | None = None) -> RefreshSession:
    """The first session of a login, so its id is its family's."""
    session_id = new_id()
    hashed = uuid.uuid4().hex * 2
    return RefreshSession(session_id, user_id, session_id, hashed, now, now + timedelta(days=1), ended_at)


async def _tokens(engine: AsyncEngine, count: int) -> list[str]:
    """``count`` participants who can book, each logged in once: their access tokens."""
    issuer = JwtAccessTokens(SECRET, 900)
    now = datetime.now(UTC)
    user_ids = await _participants(engine, count)
    tokens = []
    async with SqlIdentityUnitOfWork(engine) as uow:
        for user_id in user_ids:
            session = _session(user_id, now)
            await uow.sessions.add(session)
            user = User(user_id, f"{user_id}@example.com", "x", Role.USER, True, now, now)
            tokens.append(issuer.issue(user, now=now, session_family_id=session.family_id)[0])
        await uow.commit()
    return tokens


async def _revocations(engine: AsyncEngine, count: int) -> None:
    """``count`` sessions ended over the last quarter of an hour, one user in ten marked
    too: what the app's list holds during the rounds."""
    now = datetime.now(UTC)
    user_ids = await _participants(engine, count)
    async with SqlIdentityUnitOfWork(engine) as uow:
        for n, user_id in enumerate(user_ids):
            ended_at = now - timedelta(minutes=15) * n / count
            await uow.sessions.add(_session(user_id, now, ended_at))
            if n % 10 == 0:
                user = await uow.users.get(user_id)
                assert user is not None
                user.tokens_not_before = ended_at
                await uow.users.save(user)
        await uow.commit()


async def _check_alone(app: Litestar, token: str) -> tuple[float, float]:
    """Microseconds the edge spends on the check per request, as the middleware runs it, and
    milliseconds per read of the revocation feed."""
    container = app.state.dishka_container
    access = (await container.get(JwtAccessTokens)).decode(token)
    checks = 20_000
    started = time.perf_counter()
    for _ in range(checks):
        await (await container.get(AccessTokenCheck)).ensure_live(access)
    per_check = (time.perf_counter() - started) / checks * 1e6
    check, reads = await container.get(AccessTokenCheck), 20
    await check.refresh()  # the reads that follow are the usual ones, of the last seconds
    started = time.perf_counter()
    for _ in range(reads):
        await check.refresh()
    return per_check, (time.perf_counter() - started) / reads * 1000


async def _round(
    app: Litestar, variant: str, engine: AsyncEngine, tokens: list[str], concurrency: int
) -> Round:
    event_id = str(await _open_event(engine, capacity=len(tokens)))
    queue = iter(tokens)
    latencies: list[float] = []
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]

    async def worker(client: httpx.AsyncClient) -> None:
        for token in queue:
            started = time.perf_counter()
            response = await client.post(
                "/api/v1/bookings", json={"eventId": event_id}, headers={"Authorization": f"Bearer {token}"}
            )
            latencies.append(time.perf_counter() - started)
            if response.status_code != 201:
                raise SystemExit(f"booking refused: {response.status_code} {response.text}")

    async with httpx.AsyncClient(transport=transport, base_url="http://bench.test") as client:
        started, cpu_started = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    quantiles = statistics.quantiles(latencies, n=100)
    count = len(latencies)
    return Round(variant, count / elapsed, quantiles[49] * 1000, quantiles[98] * 1000, cpu / count * 1000)


def _median(rounds: list[Round], variant: str, field: str) -> float:
    return statistics.median(getattr(r, field) for r in rounds if r.variant == variant)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("AQUASTREAM_TEST_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--requests", type=int, default=600, help="bookings per round, one user each")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--pairs", type=int, default=4, help="rounds of each variant, alternated")
    parser.add_argument("--revoked", type=int, default=2000, help="sessions ended in the last minutes")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    url, drop = await _throwaway_database(args.database_url)
    engine = create_engine(url)
    settings = Settings.for_tests(
        database_url=url,
        jwt_secret=SECRET,
        database_pool_size=args.concurrency,
        log_level="WARNING",
    )
    apps = {"on": create_app(settings), "off": create_app(settings, CheckOff())}
    rounds: list[Round] = []
    try:
        await upgrade(engine)
        await _revocations(engine, args.revoked)
        async with apps["on"].lifespan(), apps["off"].lifespan():
            heap.settle()  # as a server or worker process does once started (aquastream.heap)
            for variant in VARIANTS:  # warm-up: pools filled, statements prepared
                await _round(apps[variant], variant, engine, await _tokens(engine, 100), args.concurrency)
            # Both apps share the process: the one that checks reads the feed only in its rounds.
            reader = await apps["on"].state.dishka_container.get(AccessTokenCheck)
            for _ in range(args.pairs):
                for variant in VARIANTS:
                    tokens = await _tokens(engine, args.requests)
                    await reader.stop()
                    if variant == "on":
                        await reader.start()
                    rounds.append(await _round(apps[variant], variant, engine, tokens, args.concurrency))
            await reader.stop()
            await reader.start()
            per_check_us, per_read_ms = await _check_alone(apps["on"], (await _tokens(engine, 1))[0])
    finally:
        await engine.dispose()
        await drop()

    print(
        f"POST /api/v1/bookings, {args.requests} users per round, {args.concurrency} concurrent, "
        f"{args.pairs} rounds of each variant alternated (check on / off)"
    )
    for r in rounds:
        print(f"  round {r.variant:>3}: {_figures(r.per_second, r.p50_ms, r.p99_ms, r.cpu_ms)}")
    medians = {v: [_median(rounds, v, field) for field in FIELDS] for v in VARIANTS}
    for variant, figures in medians.items():
        print(f"  median, check {variant:>3}: {_figures(*figures)}")
    ratios = [on / off for on, off in zip(medians["on"], medians["off"], strict=True)]
    labels = ("throughput", "p50", "p99", "CPU per request")
    print("  ratio on / off:   " + "   ".join(f"{k} {r:.3f}" for k, r in zip(labels, ratios, strict=True)))
    share = per_check_us / 1000 / medians["on"][FIELDS.index("cpu_ms")]
    print(
        f"  the check alone:  {per_check_us:.1f} µs per request ({share:.3%} of its CPU); one read of "
        f"the revocations (of {args.revoked} in 15 min): {per_read_ms:.1f} ms, once a second"
    )
    on, off = medians["on"], medians["off"]
    emit(
        [
            {
                "scenario": "POST /api/v1/bookings, revocation check on vs off (in-process)",
                "ours": f"{on[0]:,.0f} req/s",
                "baseline": f"{off[0]:,.0f} req/s",
                "ratio": f"{ratios[0]:.2f}",
                "latency": f"{on[1]:.1f} / {on[2]:.1f} · {off[1]:.1f} / {off[2]:.1f}",
                "load": f"{load_before:.1f} → {os.getloadavg()[0]:.1f}",
            }
        ]
    )


def _figures(per_second: float, p50_ms: float, p99_ms: float, cpu_ms: float) -> str:
    return f"{per_second:6.0f} req/s  p50 {p50_ms:6.2f} ms  p99 {p99_ms:6.2f} ms  CPU {cpu_ms:5.2f} ms/req"


if __name__ == "__main__":
    asyncio.run(main())
