"""Benchmark: a signed, deduplicated payment webhook, against the same handler with the
signature check off, over HTTP on PostgreSQL.

``POST /api/v1/webhooks/payments/stripe``: Stripe's ``checkout.session.completed`` events, each
signed as Stripe signs them (``Stripe-Signature``: HMAC-SHA256 of ``<t>.<body>``), each one
new and about a pending payment of its own, so that every request does the handler's whole
work: check the signature, store the event once under its id (the deduplication), find the
payment, move it to SUCCEEDED and write its fact to the outbox, in one transaction. A second
row measures the other path: ``--duplicates`` (1,000) events delivered once, then sent again
and again, each answered as a duplicate (signature checked, the event's insert refused by its
unique id, nothing else).

1. seeds a throwaway database with the pending Stripe payments of every run (``--pool`` per
   run; a run that would outlast them stops the bench);
2. serves AquaStream twice, each one Granian process without the worker, on that database,
   from an environment installed as the container installs it (``compare.service_python``):
   the real application (``aquastream.asgi:application``, verification on) and the same
   application with Stripe's adapter swapped, through dishka as tests swap adapters, for
   one whose signature check does nothing (``unverified_application`` below): the same
   handler, parsing, storage and transaction, minus the HMAC and the timestamp window;
3. loads both with wrk at ``--connections`` (32), each request the next prepared event,
   alternating A B A B for ``--pairs`` pairs; target: verification costs at most 15 %
   (ratio ≥ 0.85).

    ./dev bench webhook
    ./dev bench webhook --seconds 5 --pairs 3
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import asyncpg
import httpx
from compare import (
    Comparison,
    Sample,
    alternate,
    emit,
    free_port,
    rotating_requests,
    rss_mb,
    server,
    service_python,
    table,
    wrk,
    wrk_path,
)
from dishka import Provider, Scope, provide
from litestar import Litestar
from seat_booking import DEFAULT_URL, _throwaway_database
from sqlalchemy.engine import make_url

from aquastream.adapters.outbound import PaymentsHttp
from aquastream.adapters.payments.common import hmac_sha256
from aquastream.adapters.payments.registry import KNOWN_PROVIDERS, ConfiguredProviders, build_providers
from aquastream.adapters.payments.stripe import STRIPE, StripeProvider
from aquastream.adapters.sql.migrate import upgrade
from aquastream.app import create_app
from aquastream.domain.payments.model import WebhookDelivery
from aquastream.domain.shared.ids import new_id
from aquastream.ports.clock import Clock
from aquastream.ports.payments import PaymentProviders
from aquastream.settings import Settings, load_settings

TARGET = 0.85
WEBHOOK_SECRET = "whsec_bench_" + "w" * 32
PATH = f"/api/v1/webhooks/payments/{STRIPE}"


class UnverifiedStripe(StripeProvider):
    """Stripe's adapter minus its signature check: everything else as it is."""

    def _check_signature(self, delivery: WebhookDelivery) -> None:
        return None


class VerificationOff(Provider):
    @provide(scope=Scope.APP)
    def providers(self, settings: Settings, http: PaymentsHttp, clock: Clock) -> PaymentProviders:
        built = build_providers(settings, http, clock)
        assert settings.stripe_secret_key is not None
        assert settings.stripe_webhook_secret is not None
        stripe = UnverifiedStripe(
            http,
            settings.stripe_secret_key,
            settings.stripe_webhook_secret,
            clock,
            api_url=settings.stripe_api_url,
            tolerance_seconds=settings.stripe_webhook_tolerance_seconds,
        )
        kept = {name: provider for name in KNOWN_PROVIDERS if (provider := built.get(name)) is not None}
        return ConfiguredProviders(built.default, {**kept, STRIPE: stripe})


def unverified_application() -> Litestar:
    """The server's application, its Stripe signature check off (Granian's factory)."""
    return create_app(load_settings(), VerificationOff())


async def seed(dsn: str, count: int) -> list[tuple[uuid.UUID, str]]:
    """``count`` pending Stripe payments of 1,500.00 RUB: their ids and Checkout Session ids."""
    now = datetime.now(UTC)
    rows = []
    for _ in range(count):
        payment_id = new_id()
        session = f"cs_bench_{uuid.uuid4().hex}"
        rows.append(
            (
                payment_id,
                new_id(),
                new_id(),
                new_id(),
                new_id(),
                "WIDGET",
                STRIPE,
                Decimal("1500.000"),
                "RUB",
                "PENDING",
                now,
                now,
                session,
                "{}",
            )
        )
    connection = await asyncpg.connect(dsn)
    try:
        await connection.copy_records_to_table(
            "payments",
            schema_name="payments",
            records=rows,
            columns=[
                "id", "booking_id", "event_id", "organizer_id", "user_id", "method", "provider", "amount",
                "currency", "status", "created_at", "updated_at", "provider_payment_id", "confirmation",
            ],
        )  # fmt: skip
        await connection.execute("ANALYZE payments.payments")
    finally:
        await connection.close()
    return [(row[0], row[12]) for row in rows]


def events(payments: list[tuple[uuid.UUID, str]]) -> list[tuple[str, str, dict[str, str], str]]:
    """One signed ``checkout.session.completed`` per payment, as Stripe sends them."""
    signed_at = int(time.time())
    requests = []
    for payment_id, session in payments:
        body = json.dumps(
            {
                "id": f"evt_bench_{uuid.uuid4().hex}",
                "object": "event",
                "type": "checkout.session.completed",
                "created": signed_at,
                "data": {
                    "object": {
                        "id": session,
                        "object": "checkout.session",
                        "status": "complete",
                        "payment_status": "paid",
                        "amount_total": 150000,
                        "currency": "rub",
                        "client_reference_id": str(payment_id),
                        "payment_intent": f"pi_bench_{uuid.uuid4().hex[:16]}",
                    }
                },
            },
            separators=(",", ":"),
        )
        signature = hmac_sha256(WEBHOOK_SECRET, f"{signed_at}.{body}".encode()).hex()
        headers = {"Content-Type": "application/json", "Stripe-Signature": f"t={signed_at},v1={signature}"}
        requests.append(("POST", PATH, headers, body))
    return requests


def _env(**values: str) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith("AQUASTREAM_")}
    return {**kept, **values}


async def run(args: argparse.Namespace) -> list[Comparison]:
    wrk_path()
    url, drop = await _throwaway_database(os.environ.get("AQUASTREAM_TEST_DATABASE_URL", DEFAULT_URL))
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    folder = Path(tempfile.mkdtemp(prefix="aqs-bench-webhook-"))
    runs = 2 * (args.pairs + 1)  # and a warm-up of each side
    try:
        await upgrade(url, "head")
        print(f"seeding {runs} x {args.pool} pending payments …", file=sys.stderr)
        payments = await seed(dsn, runs * args.pool + args.duplicates)
        # Signed now: the window is widened so that events prepared at the start stay valid.
        files = iter(
            rotating_requests(folder / f"run-{n}.txt", events(payments[n * args.pool : (n + 1) * args.pool]))
            for n in range(runs)
        )
        env = _env(
            AQUASTREAM_DATABASE_URL=url,
            AQUASTREAM_ENV="development",
            AQUASTREAM_DATA_DIR=str(folder / "data"),
            AQUASTREAM_LOG_LEVEL="WARNING",
            AQUASTREAM_RUN_WORKER="false",
            AQUASTREAM_RATE_LIMIT_ENABLED="false",
            AQUASTREAM_STRIPE_SECRET_KEY="sk_test_bench",
            AQUASTREAM_STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
            AQUASTREAM_STRIPE_WEBHOOK_TOLERANCE_SECONDS="86400",
            PYTHONPATH=str(Path(__file__).parent),
        )
        ours_port, off_port = free_port(), free_port()
        # Both served from the deployment's environment, as the other servers of the suite.
        granian = [service_python(), "-m", "granian", "--interface", "asgi", "--factory"]
        ours_command = [*granian, "--port", str(ours_port), "aquastream.asgi:application"]
        off_command = [*granian, "--port", str(off_port), "webhook:unverified_application"]
        ours_url, off_url = f"http://127.0.0.1:{ours_port}{PATH}", f"http://127.0.0.1:{off_port}{PATH}"
        ours_ready, off_ready = (f"http://127.0.0.1:{port}/health/ready" for port in (ours_port, off_port))
        with (
            server(ours_command, env, ready=ours_ready, log=folder / "ours.log") as (ready_s, ours_pid),
            server(off_command, env, ready=off_ready, log=folder / "off.log"),
        ):
            for target in (ours_url, off_url):  # warm up: pools filled, statements prepared
                wrk(target, seconds=2, connections=args.connections, requests=next(files))

            async def ours() -> Sample:
                return wrk(ours_url, seconds=args.seconds, connections=args.connections, requests=next(files))

            async def off() -> Sample:
                return wrk(off_url, seconds=args.seconds, connections=args.connections, requests=next(files))

            comparison = Comparison(
                "Stripe webhook: signed, each new (applied) vs signature check off",
                "req/s",
                TARGET,
            )
            await alternate(comparison, ours, off, pairs=args.pairs)
            comparison.rss_mb, comparison.ready_s = rss_mb(ours_pid), ready_s
            await _check_applied(dsn)
            comparisons = [comparison]
            if args.duplicates:
                # Redeliveries: events already stored, sent again (both sides), over and over.
                redelivered = events(payments[runs * args.pool :])
                await _deliver_once(ours_url, redelivered, args.connections)
                again = rotating_requests(folder / "again.txt", redelivered)

                async def ours_again() -> Sample:
                    return wrk(
                        ours_url,
                        seconds=args.seconds,
                        connections=args.connections,
                        requests=again,
                        repeat=True,
                    )

                async def off_again() -> Sample:
                    return wrk(
                        off_url,
                        seconds=args.seconds,
                        connections=args.connections,
                        requests=again,
                        repeat=True,
                    )

                duplicates = Comparison(
                    "Stripe webhook: signed, redelivered (deduplicated) vs signature check off",
                    "req/s",
                    TARGET,
                )
                comparisons.append(await alternate(duplicates, ours_again, off_again, pairs=args.pairs))
                await _check_applied(dsn)
        return comparisons
    finally:
        await drop()
        shutil.rmtree(folder, ignore_errors=True)


async def _deliver_once(
    url: str, requests: list[tuple[str, str, dict[str, str], str]], concurrency: int
) -> None:
    """Each event once (applied), so that sending them again is a duplicate."""
    gate = asyncio.Semaphore(concurrency)

    async def deliver(client: httpx.AsyncClient, headers: dict[str, str], body: str) -> None:
        async with gate:
            answer = await client.post(url, headers=headers, content=body.encode())
        if answer.json().get("outcome") != "APPLIED":
            sys.exit(f"bench: a first delivery was not applied: {answer.status_code} {answer.text}")

    async with httpx.AsyncClient(timeout=60) as client:
        await asyncio.gather(*(deliver(client, headers, body) for _, _, headers, body in requests))


async def _check_applied(dsn: str) -> None:
    """Every stored event moved its payment: no request took a cheaper path."""
    connection = await asyncpg.connect(dsn)
    try:
        outcomes = dict(
            await connection.fetch("SELECT outcome, count(*) FROM payments.webhook_events GROUP BY outcome")
        )
    finally:
        await connection.close()
    if set(outcomes) != {"APPLIED"}:
        sys.exit(f"bench: the webhook's outcomes were {outcomes}, not all APPLIED")
    print(f"webhook events stored and applied: {outcomes['APPLIED']:,}", file=sys.stderr)


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10, help="of each wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument(
        "--pool", type=int, help="prepared events (and payments) per run; default 1,500 per second"
    )
    parser.add_argument(
        "--duplicates",
        type=int,
        default=1000,
        help="events delivered once, then sent again and again (the dedup path); 0: skip",
    )
    return parser


def main() -> None:
    args = parser().parse_args()
    if args.pairs < 3:
        parser().error("--pairs must be at least 3")
    args.pool = args.pool or 1500 * args.seconds
    comparisons = asyncio.run(run(args))
    print(table(comparisons))
    for c in comparisons[:1]:
        assert c.rss_mb is not None
        assert c.ready_s is not None
        print(f"\nAquaStream: RSS after the load {c.rss_mb:.0f} MB; start to ready {c.ready_s:.1f} s")
    emit(comparisons)


if __name__ == "__main__":
    main()
