"""Benchmark: hot booking over HTTP, against pgbench running the same SQL transaction, on
PostgreSQL.

``POST /api/v1/bookings`` on one hot event (capacity larger than the run), every request
from a user of its own (each seeded with a profile and an access token), through the real
server; against pgbench replaying the statements one booking issues, so the baseline
follows the code:

1. seeds a throwaway database with the event and the users of every run (``--pool`` per
   run: a run that would outlast them stops the bench);
2. captures the statements the service issues for one booking (a SQLAlchemy cursor hook
   on the service's own engines, with the transactions' BEGIN and COMMIT), twice, for two
   users; what differs between the two is what varies per request: the user (a variable
   pgbench counts up per client, so users are distinct as they are over HTTP) and the new
   ids (derived from the same counter); the rest is kept as captured. That becomes the
   pgbench script (``--show-script`` prints it);
3. serves AquaStream as one Granian process without the worker (``aquastream serve
   --no-worker``) and loads it with wrk at ``--connections`` (32), each request the next
   user's token; pgbench runs with as many clients, prepared statements (as asyncpg);
   alternating A B A B for ``--pairs`` pairs. Target: ratio ≥ 0.5 (aim 0.7).

    ./dev bench http_booking
    ./dev bench http_booking --seconds 5 --pairs 3 --show-script
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import shutil
import sys
import tempfile
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from catalog import statements
from compare import (
    Comparison,
    Sample,
    alternate,
    emit,
    free_port,
    pgbench,
    pgbench_path,
    recording,
    rotating_requests,
    rss_mb,
    server,
    service_python,
    table,
    wrk,
    wrk_path,
)
from seat_booking import DEFAULT_URL, _open_event, _throwaway_database
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url

from aquastream.adapters.crypto.jwt_tokens import JwtAccessTokens
from aquastream.adapters.http.token_check import AccessTokenCheck
from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.migrate import upgrade
from aquastream.app import create_app
from aquastream.domain.identity.model import Role, User
from aquastream.settings import Settings

TARGET = 0.5
SECRET = "bench-secret-" + "h" * 60
PATH = "/api/v1/bookings"


def user_id(n: int) -> uuid.UUID:
    """The n-th seeded user: pgbench derives the same id from n."""
    return uuid.UUID(f"00000000-0000-7000-8000-{n:012x}")


async def seed_users(dsn: str, first: int, count: int) -> None:
    """Users ``first`` … ``first + count - 1``, active, each with a profile and a phone."""
    now = dt.datetime.now(dt.UTC)
    numbers = range(first, first + count)
    connection = await asyncpg.connect(dsn)
    try:
        await connection.copy_records_to_table(
            "users",
            schema_name="identity",
            records=[(user_id(n), f"bench-{n}@example.com", "x", "USER", True, now, now) for n in numbers],
            columns=["id", "email", "password_hash", "role", "is_active", "created_at", "updated_at"],
        )
        await connection.copy_records_to_table(
            "profiles",
            schema_name="identity",
            records=[(user_id(n), now, f"+7900{n:07d}", "{}") for n in numbers],
            columns=["user_id", "updated_at", "phone", "extra"],
        )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


def tokens(first: int, count: int) -> list[str]:
    issuer = JwtAccessTokens(SECRET, 3600)
    now = dt.datetime.now(dt.UTC)
    return [
        issuer.issue(
            User(user_id(n), f"bench-{n}@example.com", "x", Role.USER, True, now, now),
            now=now,
            session_family_id=uuid.uuid4(),
        )[0]
        for n in range(first, first + count)
    ]


def bookings(event_id: uuid.UUID, first: int, count: int) -> list[tuple[str, str, dict[str, str], str]]:
    body = json.dumps({"eventId": str(event_id)})
    return [
        ("POST", PATH, {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}, body)
        for token in tokens(first, count)
    ]


Captured = list[tuple[str, tuple[Any, ...]]]


async def capture(url: str, event_id: uuid.UUID, users: list[int]) -> list[Captured]:
    """The statements of one booking per user (after a first one: warm), with BEGIN/COMMIT/
    ROLLBACK; nothing else runs meanwhile (no worker, the revocation reader stopped)."""
    settings = Settings.for_tests(database_url=url, jwt_secret=SECRET, rate_limit_enabled=False)
    captured = []
    body = {"eventId": str(event_id)}

    def mark(what: str, seen: Captured) -> Any:
        def record(conn: Any, *args: Any) -> None:
            # A connection in autocommit sends no BEGIN, COMMIT or ROLLBACK (SQLAlchemy's
            # events fire all the same): each statement stands by itself, in pgbench too.
            if conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
                seen.append((what, ()))

        return record

    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://bench.test") as client:
        # The revocation list is read every second: here just before each capture, not in it.
        revocations = await app.state.dishka_container.get(AccessTokenCheck)
        await revocations.stop()
        for token in tokens(users[0], len(users)):
            await revocations.refresh()
            with statements() as seen:
                hooks = {name: mark(name.upper(), seen) for name in ("begin", "commit", "rollback")}
                for name, hook in hooks.items():
                    event.listen(Engine, name, hook)
                try:
                    response = await client.post(
                        PATH, json=body, headers={"Authorization": f"Bearer {token}"}
                    )
                finally:
                    for name, hook in hooks.items():
                        event.remove(Engine, name, hook)
            assert response.status_code == 201, response.text
            captured.append(list(seen))
    return captured[1:]


PLACEHOLDER = re.compile(r"\$(\d+)\b")
SCRIPT_HEAD = """\\set i :i + 1
\\set n :base + :client_id + :clients * (:i - 1)
"""


def pgbench_script(first: Captured, second: Captured, first_user: int, second_user: int) -> str:
    """The pgbench script of one booking from two captures of it (two users): what is equal
    in both is kept as captured; the user becomes the n-th seeded user and each new id one
    derived from n; another value that differs (a timestamp, the outbox's payload) is kept as
    the first capture has it."""
    if [sql for sql, _ in first] != [sql for sql, _ in second]:
        sys.exit("bench: two bookings issued different statements; cannot build the pgbench script")
    users = {str(user_id(first_user)), str(user_id(second_user))}
    new_ids: dict[str, int] = {}
    lines = [SCRIPT_HEAD]
    for (sql, ours), (_, theirs) in zip(first, second, strict=True):
        if not ours and sql in ("BEGIN", "COMMIT", "ROLLBACK"):
            lines.append(f"{sql};")
            continue
        rendered = []
        for a, b in zip(ours, theirs, strict=True):
            if str(a) in users and str(b) in users and a != b:
                rendered.append(_derived_id(0))
            elif a != b and _is_uuid(a) and _is_uuid(b):
                slot = new_ids.setdefault(str(a), len(new_ids) + 1)
                rendered.append(_derived_id(slot))
            else:
                rendered.append(_literal(a))
        text = PLACEHOLDER.sub(lambda m, values=rendered: values[int(m.group(1)) - 1], sql)
        lines.append(" ".join(text.split()) + ";")
    return "\n".join(lines) + "\n"


def _derived_id(slot: int) -> str:
    """The id pgbench derives from n: slot 0 is the user (as ``user_id``), others new ids."""
    return f"('{slot:08x}-0000-7000-8000-' || lpad(to_hex(:n::bigint), 12, '0'))"


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return f"'{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


async def _users_missing(dsn: str) -> int:
    """Bookings of users that were never seeded: pgbench went past its range."""
    connection = await asyncpg.connect(dsn)
    try:
        missing: int = await connection.fetchval(
            "SELECT count(*) FROM booking.bookings b "
            "WHERE NOT EXISTS (SELECT 1 FROM identity.users u WHERE u.id = b.user_id)"
        )
    finally:
        await connection.close()
    return missing


def _env(**values: str) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith("AQUASTREAM_")}
    return {**kept, **values}


async def run(args: argparse.Namespace) -> list[Comparison]:
    wrk_path()
    pgbench_path()
    url, drop = await _throwaway_database(os.environ.get("AQUASTREAM_TEST_DATABASE_URL", DEFAULT_URL))
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    folder = Path(tempfile.mkdtemp(prefix="aqs-bench-booking-"))
    runs = args.pairs + 1 + bool(args.profile)  # of each side, with a warm-up (and the profiled run)
    ours_pool, sql_pool = args.pool, args.pool * args.sql_pool_factor
    try:
        await upgrade(url, "head")
        engine = create_engine(url)
        try:
            hot = await _open_event(engine, capacity=10_000_000)  # larger than any run
        finally:
            await engine.dispose()
        total = 3 + runs * (ours_pool + sql_pool)
        print(f"seeding {total:,} users …", file=sys.stderr)
        await seed_users(dsn, 1, total)
        first, second = await capture(url, hot, [1, 2, 3])
        script = folder / "booking.sql"
        script.write_text(pgbench_script(first, second, 2, 3))
        if args.show_script:
            print(script.read_text(), file=sys.stderr)
        next_user = 4
        ours_files, sql_bases = [], []
        for _ in range(runs):
            ours_files.append(
                rotating_requests(folder / f"ours-{next_user}.txt", bookings(hot, next_user, ours_pool))
            )
            sql_bases.append(next_user + ours_pool)
            next_user += ours_pool + sql_pool
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
        target = f"http://127.0.0.1:{port}{PATH}"
        with server(command, env, ready=f"http://127.0.0.1:{port}/health/ready", log=folder / "ours.log") as (
            ready_s,
            pid,
        ):
            files, bases = iter(ours_files), iter(sql_bases)

            async def ours() -> Sample:
                return wrk(target, seconds=args.seconds, connections=args.connections, requests=next(files))

            async def sql() -> Sample:
                define = {"i": 0, "base": next(bases), "clients": args.connections}
                return pgbench(dsn, script, seconds=args.seconds, clients=args.connections, define=define)

            await ours()  # warm-up: pools filled, statements prepared
            await sql()
            comparison = Comparison(
                "POST /api/v1/bookings (hot event, distinct users) vs pgbench, same SQL", "req/s", TARGET
            )
            await alternate(comparison, ours, sql, pairs=args.pairs)
            if args.profile:
                with recording(pid, Path(args.profile), seconds=args.seconds):
                    await ours()
            comparison.rss_mb, comparison.ready_s = rss_mb(pid), ready_s
        if missing := await _users_missing(dsn):
            sys.exit(f"bench: pgbench booked for {missing} users past its range; give it more (--pool)")
        return [comparison]
    finally:
        await drop()
        shutil.rmtree(folder, ignore_errors=True)


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10, help="of each run")
    parser.add_argument("--connections", type=int, default=32, help="wrk's connections, pgbench's clients")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--pool", type=int, help="users per run; default 2,000 per second")
    parser.add_argument(
        "--sql-pool-factor", type=int, default=5, help="users of a pgbench run, as a multiple of --pool"
    )
    parser.add_argument("--show-script", action="store_true", help="print the pgbench script")
    parser.add_argument(
        "--profile", metavar="FILE", help="also record py-spy's stacks of one more run into FILE"
    )
    return parser


def main() -> None:
    args = parser().parse_args()
    if args.pairs < 3:
        parser().error("--pairs must be at least 3")
    args.pool = args.pool or 2000 * args.seconds
    comparisons = asyncio.run(run(args))
    print(table(comparisons))
    for c in comparisons[:1]:
        assert c.rss_mb is not None
        assert c.ready_s is not None
        print(f"\nAquaStream: RSS after the load {c.rss_mb:.0f} MB; start to ready {c.ready_s:.1f} s")
    emit(comparisons)


if __name__ == "__main__":
    main()
