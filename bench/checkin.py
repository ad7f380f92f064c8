"""Benchmark: check-in at the door over HTTP, 16 scanners at once, on PostgreSQL; against
pgbench running the statement that decides a check-in (the conditional UPDATE) with as many
clients.

1. seeds a throwaway database: an organizer, its event, its Ed25519 key (sealed under the
   bench's server secret, as the service seals it) and, per run, ``--pool`` tickets whose
   codes the key signed;
2. serves AquaStream as one process without the worker (``aquastream serve --no-worker``;
   ``--workers N`` for N processes);
   ``--scanners`` (16) clients each POST ``/api/v1/events/{id}/check-ins`` with the next
   ticket's signed QR code, as the organizer, back to back for ``--seconds``; every answer
   must be 201 (each ticket is scanned once). The load comes from wrk (one connection per
   scanner, each request the next prepared code), so that the load generator takes little
   of the CPU the server needs; the server runs in its own process;
3. pgbench runs ``UPDATE tickets.tickets SET checked_in_at = now(), checked_in_by = …
   WHERE id = … AND checked_in_at IS NULL`` on tickets of its own, with as many clients;
   alternating A B A B for ``--pairs`` pairs. Target: the service's p99 ≤ 50 ms;
4. then ``GET /health/live`` with the same clients, a floor to read the figures against on
   a shared machine (what the server and the load generator give with no database at all);
5. then ``--interval``: the scanners at a person's pace, each at most once per interval,
   starting at random offsets (from this process, httpx: the rate is low).

    ./dev bench checkin
    ./dev bench checkin --seconds 5 --pairs 3
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
from compare import (
    Comparison,
    Sample,
    alternate,
    emit,
    free_port,
    pgbench,
    pgbench_path,
    rotating_requests,
    rss_mb,
    server,
    service_python,
    table,
    wrk,
    wrk_path,
)
from seat_booking import DEFAULT_URL, _throwaway_database
from sqlalchemy.engine import make_url

from aquastream.adapters.crypto.jwt_tokens import JwtAccessTokens
from aquastream.adapters.crypto.tickets import Ed25519TicketSigner
from aquastream.adapters.sql.migrate import upgrade
from aquastream.domain.identity.model import Role, User
from aquastream.domain.tickets.codes import message_of, signed_code

TARGET_P99_MS = 50.0
SECRET = "bench-secret-" + "c" * 60
ORGANIZER_ID = uuid.UUID("00000000-0000-7000-8000-00000000a001")
OWNER_ID = uuid.UUID("00000000-0000-7000-8000-00000000b001")
EVENT_ID = uuid.UUID("00000000-0000-7000-8000-00000000c001")


def ticket_id(n: int) -> uuid.UUID:
    """The n-th seeded ticket: pgbench derives the same id from n."""
    return uuid.UUID(f"00000001-0000-7000-8000-{n:012x}")


async def seed(dsn: str, signer: Ed25519TicketSigner, signed: range, unsigned: range) -> dict[int, str]:
    """The organizer, its event and key; tickets ``signed`` (with their codes, returned) and
    ``unsigned`` (pgbench's, codes not needed)."""
    now = dt.datetime.now(dt.UTC)
    pair = signer.new_key_pair()
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(
            "INSERT INTO catalog.organizers"
            " (id, slug, name, owner_user_id, search_text, created_at, updated_at)"
            " VALUES ($1, 'bench-club', 'Bench Club', $2, 'bench club', $3, $3)",
            ORGANIZER_ID,
            OWNER_ID,
            now,
        )
        await connection.execute(
            "INSERT INTO catalog.events (id, organizer_id, type, title, date_start, date_end, capacity,"
            " status, tags, search_text, created_at, updated_at)"
            " VALUES ($1, $2, 'RAFTING', 'Bench trip', $3, $4, 1000000, 'PUBLISHED', '[]', 'bench', $5, $5)",
            EVENT_ID,
            ORGANIZER_ID,
            now + dt.timedelta(days=1),
            now + dt.timedelta(days=2),
            now,
        )
        await connection.execute(
            "INSERT INTO tickets.organizer_keys VALUES ($1, $2, $3, $4)",
            ORGANIZER_ID,
            pair.public_key,
            pair.sealed_private_key,
            now,
        )
        codes = {}
        records = []
        for n in [*signed, *unsigned]:
            booking_id = uuid.uuid4()
            code = "-"
            if n in signed:
                message = message_of(EVENT_ID, booking_id, ticket_id(n), 0)
                code = codes[n] = signed_code(message, signer.sign(pair.sealed_private_key, message))
            records.append(
                (
                    ticket_id(n),
                    EVENT_ID,
                    ORGANIZER_ID,
                    booking_id,
                    uuid.uuid4(),
                    0,
                    f"{n:08X}"[-8:],
                    code,
                    now,
                )
            )
        await connection.copy_records_to_table(
            "tickets",
            schema_name="tickets",
            records=records,
            columns=[
                "id",
                "event_id",
                "organizer_id",
                "booking_id",
                "user_id",
                "seat",
                "short_code",
                "code",
                "issued_at",
            ],
        )
        # The seeding's aftermath out of the measured runs: the half million rows vacuumed
        # (else autovacuum takes them on during a run) and their WAL checkpointed (else the
        # checkpointer writes them out while the service is measured).
        await connection.execute("VACUUM ANALYZE tickets.tickets")
        await connection.execute("CHECKPOINT")
    finally:
        await connection.close()
    return codes


def organizer_token() -> str:
    now = dt.datetime.now(dt.UTC)
    owner = User(OWNER_ID, "bench-owner@example.com", "x", Role.ORGANIZER, True, now, now)
    token, _ = JwtAccessTokens(SECRET, 3600).issue(owner, now=now, session_family_id=uuid.uuid4())
    return token


def floor(base: str, scanners: int, seconds: int) -> Sample:
    """``GET /health/live`` (no database, no token) with the same clients: what this machine
    and this load generator give at best right now, to read the check-in figures against."""
    return wrk(f"{base}/health/live", seconds=seconds, connections=scanners)


def scans(into: Path, codes: list[str]) -> Path:
    """wrk's requests: one check-in of each code, as the organizer."""
    path = f"/api/v1/events/{EVENT_ID}/check-ins"
    headers = {"Authorization": f"Bearer {organizer_token()}", "Content-Type": "application/json"}
    return rotating_requests(into, (("POST", path, headers, json.dumps({"code": code})) for code in codes))


async def paced(base: str, codes: list[str], scanners: int, seconds: float, interval: float) -> Sample:
    """``scanners`` clients checking in the next code, each at most once every ``interval``
    seconds (a person at the door scanning one ticket after another)."""
    path = f"/api/v1/events/{EVENT_ID}/check-ins"
    headers = {"Authorization": f"Bearer {organizer_token()}"}
    pending = iter(codes)
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def scanner() -> None:
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
            await asyncio.sleep(random.uniform(0, interval))  # people at the door do not scan in step
            while time.perf_counter() < deadline:
                code = next(pending, None)
                if code is None:
                    sys.exit("bench: the load outlasted the prepared tickets; give it more (--pool)")
                started = time.perf_counter()
                response = await client.post(path, json={"code": code})
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code != 201:
                    sys.exit(f"bench: a check-in answered {response.status_code}: {response.text[:300]}")
                await asyncio.sleep(max(0.0, started + interval - time.perf_counter()))

    began = time.perf_counter()
    await asyncio.gather(*(scanner() for _ in range(scanners)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return Sample(len(latencies) / elapsed, statistics.median(latencies), p99)


PGBENCH_SCRIPT = """\\set i :i + 1
\\set n :base + :client_id + :clients * (:i - 1)
UPDATE tickets.tickets SET checked_in_at = now(), checked_in_by = '{owner}'
 WHERE id = ('00000001-0000-7000-8000-' || lpad(to_hex(:n::bigint), 12, '0'))::uuid AND checked_in_at IS NULL;
"""


def _env(**values: str) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith("AQUASTREAM_")}
    return {**kept, **values}


async def run(args: argparse.Namespace) -> list[Comparison]:
    pgbench_path()
    wrk_path()
    url, drop = await _throwaway_database(os.environ.get("AQUASTREAM_TEST_DATABASE_URL", DEFAULT_URL))
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    folder = Path(tempfile.mkdtemp(prefix="aqs-bench-checkin-"))
    runs = args.pairs + 2  # of each side, with a warm-up (and the paced run, for ours)
    try:
        await upgrade(url, "head")
        ours_total, sql_total = runs * args.pool, runs * args.pool * args.sql_pool_factor
        print(f"seeding {ours_total + sql_total:,} tickets ({ours_total:,} signed) …", file=sys.stderr)
        codes = await seed(
            dsn,
            Ed25519TicketSigner(SECRET),
            range(1, ours_total + 1),
            range(ours_total + 1, ours_total + sql_total + 1),
        )
        script = folder / "checkin.sql"
        script.write_text(PGBENCH_SCRIPT.format(owner=OWNER_ID))
        python = service_python()
        port = free_port()
        env = _env(
            AQUASTREAM_DATABASE_URL=url,
            AQUASTREAM_ENV="development",
            AQUASTREAM_JWT_SECRET=SECRET,
            AQUASTREAM_DATA_DIR=str(folder / "data"),
            AQUASTREAM_LOG_LEVEL="WARNING",
            AQUASTREAM_RATE_LIMIT_ENABLED="false",
        )
        command = [python, "-m", "aquastream", "serve", "--no-worker", "--port", str(port)]
        command += ["--workers", str(args.workers)]
        base = f"http://127.0.0.1:{port}"
        with server(command, env, ready=f"{base}/health/ready", log=folder / "ours.log") as (ready_s, pid):
            chunks = [list(codes.values())[i * args.pool : (i + 1) * args.pool] for i in range(runs)]
            bases = iter(range(ours_total, ours_total + sql_total, args.pool * args.sql_pool_factor))

            files = iter([scans(folder / f"ours-{i}.txt", chunk) for i, chunk in enumerate(chunks[:-1])])

            async def ours() -> Sample:
                return wrk(f"{base}/", seconds=args.seconds, connections=args.scanners, requests=next(files))

            async def sql() -> Sample:
                define = {"i": 0, "base": next(bases), "clients": args.scanners}
                return pgbench(dsn, script, seconds=args.seconds, clients=args.scanners, define=define)

            await ours()  # warm-up: pools filled, statements prepared
            await sql()
            comparison = Comparison(
                f"POST /api/v1/events/{{id}}/check-ins, {args.scanners} scanners, {args.workers} process(es),"
                " vs pgbench's UPDATE",
                "req/s",
                None,
            )
            await alternate(comparison, ours, sql, pairs=args.pairs)
            comparison.rss_mb, comparison.ready_s = rss_mb(pid), ready_s
            args.floor = floor(base, args.scanners, args.seconds)
            if args.interval:
                args.paced = await paced(base, chunks[-1], args.scanners, args.seconds, args.interval)
        return [comparison]
    finally:
        await drop()
        shutil.rmtree(folder, ignore_errors=True)


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10, help="of each run")
    parser.add_argument("--scanners", type=int, default=16, help="concurrent scanners, pgbench's clients")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="server processes (serve --workers)")
    parser.add_argument(
        "--interval",
        type=float,
        default=0.5,
        help="after the pairs, a run where each scanner scans at most once per this many seconds (0: none)",
    )
    parser.add_argument("--pool", type=int, help="tickets per run of the service; default 2,000 per second")
    parser.add_argument(
        "--sql-pool-factor", type=int, default=10, help="pgbench's tickets, as a multiple of --pool"
    )
    return parser


def main() -> None:
    args = parser().parse_args()
    if args.pairs < 3:
        parser().error("--pairs must be at least 3")
    args.pool = args.pool or 2000 * args.seconds
    comparisons = asyncio.run(run(args))
    print(table(comparisons))
    comparison = comparisons[0]
    p99 = statistics.median(s.p99_ms for s in comparison.ours if s.p99_ms is not None)
    met = p99 <= TARGET_P99_MS
    print(
        f"\ncheck-in p99 at {args.scanners} scanners: {p99:.1f} ms "
        f"(target ≤ {TARGET_P99_MS:.0f} ms: {'met' if met else 'NOT met'})"
    )
    paced: Sample | None = getattr(args, "paced", None)
    if paced is not None:
        print(
            f"check-in p99 at {args.scanners} scanners each scanning once per {args.interval:g} s "
            f"({paced.rate:.0f} scans/s): {paced.p99_ms:.1f} ms, p50 {paced.p50_ms:.1f} ms "
            f"(target ≤ {TARGET_P99_MS:.0f} ms: {'met' if paced.p99_ms <= TARGET_P99_MS else 'NOT met'})"
        )
    lowest: Sample = args.floor
    print(
        f"the floor now, GET /health/live with the same clients: {lowest.rate:.0f} req/s, "
        f"p50 {lowest.p50_ms:.1f} ms, p99 {lowest.p99_ms:.1f} ms (load {os.getloadavg()[0]:.1f})"
    )
    row = comparison.row()
    row.update(target=f"p99 ≤ {TARGET_P99_MS:.0f} ms", met=met)
    reference = {
        "scenario": f"GET /health/live, {args.scanners} clients (the machine's floor for the row above)",
        "ours": f"{lowest.rate:,.0f} req/s",
        "latency": f"{lowest.p50_ms:.1f} / {lowest.p99_ms:.1f}",
    }
    emit([row, reference])


if __name__ == "__main__":
    main()
