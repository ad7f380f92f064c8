"""Benchmark: the expiry sweep of due holds (``ExpireHolds``), side by side with one hand-written
SQL statement that makes the same state change.

A throwaway PostgreSQL database, migrated with the real migrations, is seeded before every run
with ``--holds`` PENDING bookings whose hold has ended, spread over ``--events`` events whose
seats they fill, each event with a waitlist of ``--waitlist`` WAITING entries; a few bookings
have a payment (``--paid-every``): succeeded (the seat is kept a grace), a QR receipt under
review (kept until the review limit), an open card payment at a provider not configured here
(the probe answers at once: not kept), a cancelled one (not kept).

- A, ours: the ``ExpireHolds`` use case with the production SQL adapters and the production
  payment probe (``PaymentHoldProbe`` over payments' ``SqlBookingPayments``, on the same
  database), in the production job's lanes (``BookingPolicy.expiry_lanes``, each on its share
  of the events, at once), each called until it returns 0;
- B, baseline: one statement (a CTE chain) that expires the due holds no payment keeps, extends
  the kept ones, writes the log rows, returns the seats, notifies the first waiting entries
  with their windows and audit rows, and writes the facts to the outbox.

Both must leave the same state (bookings per status, inventory counters, notified entries and
that they are the first of their queue, log, audit and outbox rows); the table shows holds
per second, medians of ``--pairs`` interleaved runs, and the target (A at least half of B).

    uv run python bench/expiry_sweep.py                      # AQUASTREAM_TEST_DATABASE_URL or local
    uv run python bench/expiry_sweep.py --holds 10000 --events 100 --pairs 3
    uv run python bench/expiry_sweep.py --lanes 1 --only ours   # one lane, once (for a profiler)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from advanced_alchemy.types import DateTimeUTC
from compare import Comparison, Sample, alternate, emit, table
from seat_booking import DEFAULT_URL, _throwaway_database
from sqlalchemy import Interval, bindparam, text
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream import heap
from aquastream.adapters.payments.probe import PaymentHoldProbe
from aquastream.adapters.payments.registry import ConfiguredProviders
from aquastream.adapters.sql.booking import SqlBookingUnitOfWork
from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.migrate import upgrade
from aquastream.adapters.sql.payments.lookups import SqlBookingPayments
from aquastream.adapters.system import SystemClock
from aquastream.domain.booking.jobs import ExpireHolds
from aquastream.domain.booking.model import EventShare
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.payments.policy import PaymentsPolicy

TARGET = 0.5
TABLES = (
    "booking.booking_log, booking.waitlist_audit, booking.bookings, booking.waitlist_entries, "
    "booking.inventories, booking.booking_outbox, payments.payments"
)

SEED_INVENTORIES = text(
    """
    INSERT INTO booking.inventories (event_id, organizer_id, title, status, starts_at, ends_at, capacity,
                                     available, reserved, waiting, next_position, price, currency)
    SELECT gen_random_uuid(), gen_random_uuid(), 'Bench rafting ' || n, 'OPEN', :starts_at, :ends_at,
           :per_event, 0, 0, CAST(:waitlist AS integer), CAST(:waitlist AS integer), 1500, 'RUB'
    FROM generate_series(1, :events) AS n
    """
)
# Holds ended in the last 20 minutes, in no order of event: each batch of the sweep meets many events.
SEED_BOOKINGS = text(
    """
    INSERT INTO booking.bookings (id, event_id, user_id, status, payment_status, amount, currency,
                                  created_at, updated_at, expires_at)
    SELECT gen_random_uuid(), i.event_id, gen_random_uuid(), 'PENDING', 'PENDING', 1500, 'RUB',
           :created_at, :created_at, :ended_at - random() * interval '20 minutes'
    FROM booking.inventories i CROSS JOIN generate_series(1, :per_event)
    """
).bindparams(bindparam("ended_at", type_=DateTimeUTC()))
SEED_WAITLIST = text(
    """
    INSERT INTO booking.waitlist_entries (id, event_id, user_id, position, status, joined_at)
    SELECT gen_random_uuid(), i.event_id, gen_random_uuid(), n, 'WAITING', :created_at
    FROM booking.inventories i CROSS JOIN generate_series(1, :waitlist) AS n
    """
)
# One booking in ``paid_every`` of each event of each kind: succeeded, receipt under review, open card payment
# at a provider that is not configured, cancelled.
SEED_PAYMENTS = text(
    """
    INSERT INTO payments.payments (id, booking_id, event_id, organizer_id, user_id, method, provider,
                                   amount, currency, status, created_at, updated_at,
                                   provider_payment_id, confirmation, submitted_at)
    SELECT gen_random_uuid(), b.id, b.event_id, i.organizer_id, b.user_id,
           CASE b.kind WHEN 1 THEN 'QR_MANUAL' ELSE 'WIDGET' END,
           CASE b.kind WHEN 1 THEN 'manual' ELSE 'yookassa' END,
           1500, 'RUB',
           (ARRAY['SUCCEEDED', 'SUBMITTED', 'PENDING', 'CANCELLED'])[b.kind + 1],
           :created_at, :created_at,
           CASE WHEN b.kind = 1 THEN NULL ELSE 'bench-' || b.id END,
           '{}'::jsonb,
           CASE WHEN b.kind = 1 THEN :created_at END
    FROM (
        SELECT id, event_id, user_id,
               (row_number() OVER (PARTITION BY event_id ORDER BY id)) % :paid_every AS kind
        FROM booking.bookings
    ) AS b JOIN booking.inventories i ON i.event_id = b.event_id
    WHERE b.kind < 4
    """
).bindparams(bindparam("created_at", type_=DateTimeUTC()))

# The baseline: the whole sweep as one statement. Kept: a succeeded payment (a grace from now)
# or a receipt under review (until the review limit); every other due hold expires.
HAND_SWEEP = text(
    """
    WITH due AS (
        SELECT b.id, b.event_id, b.user_id FROM booking.bookings b
        WHERE b.status = 'PENDING' AND b.expires_at <= :now
        FOR UPDATE SKIP LOCKED
    ), held AS (
        SELECT p.booking_id, max(CASE
            WHEN p.status IN ('SUCCEEDED', 'PARTIALLY_REFUNDED') THEN :now + :grace
            WHEN p.status = 'SUBMITTED' THEN p.submitted_at + :proof_hold
        END) AS until
        FROM payments.payments p JOIN due ON due.id = p.booking_id
        GROUP BY p.booking_id
    ), kept AS (
        UPDATE booking.bookings b SET expires_at = held.until, updated_at = :now
        FROM held WHERE b.id = held.booking_id AND held.until > :now
        RETURNING b.id
    ), expired AS (
        UPDATE booking.bookings b SET status = 'EXPIRED', updated_at = :now
        FROM due
        WHERE b.id = due.id
          AND NOT EXISTS (SELECT FROM held WHERE held.booking_id = due.id AND held.until > :now)
        RETURNING b.id, b.event_id, b.user_id
    ), logged AS (
        INSERT INTO booking.booking_log (id, booking_id, old_status, new_status, reason, actor_id, created_at)
        SELECT gen_random_uuid(), id, 'PENDING', 'EXPIRED', 'HOLD_EXPIRED', NULL, :now FROM expired
    ), freed AS (
        SELECT event_id, count(*) AS seats FROM expired GROUP BY event_id
    ), plan AS (
        SELECT i.event_id, f.seats,
               CASE WHEN i.status = 'OPEN' AND i.starts_at > :now
                    THEN least(i.available + f.seats, i.waiting) ELSE 0 END AS offered
        FROM booking.inventories i JOIN freed f ON f.event_id = i.event_id
        ORDER BY i.event_id
        FOR UPDATE OF i
    ), counted AS (
        UPDATE booking.inventories i
        SET available = i.available + plan.seats - plan.offered,
            reserved = i.reserved + plan.offered,
            waiting = i.waiting - plan.offered
        FROM plan WHERE i.event_id = plan.event_id
    ), chosen AS (
        SELECT ranked.id FROM (
            SELECT w.id, w.event_id, row_number() OVER (PARTITION BY w.event_id ORDER BY w.position) AS place
            FROM booking.waitlist_entries w JOIN plan ON plan.event_id = w.event_id AND plan.offered > 0
            WHERE w.status = 'WAITING'
        ) AS ranked JOIN plan ON plan.event_id = ranked.event_id
        WHERE ranked.place <= plan.offered
    ), notified AS (
        UPDATE booking.waitlist_entries w
        SET status = 'NOTIFIED', notified_at = :now, window_expires_at = :now + :window
        FROM chosen WHERE w.id = chosen.id
        RETURNING w.id, w.event_id, w.user_id, w.window_expires_at
    ), audited AS (
        INSERT INTO booking.waitlist_audit (id, entry_id, event_id, user_id, action, created_at, actor_id)
        SELECT gen_random_uuid(), id, event_id, user_id, 'NOTIFIED', :now, NULL FROM notified
    ), facts AS (
        SELECT gen_random_uuid() AS id, 'BookingExpired' AS event_name,
               jsonb_build_object('booking_id', id, 'event_id', event_id, 'user_id', user_id) AS body
        FROM expired
        UNION ALL
        SELECT gen_random_uuid(), 'WaitlistSeatOffered',
               jsonb_build_object('user_id', user_id, 'event_id', event_id, 'entry_id', id,
                                  'window_expires_at', window_expires_at)
        FROM notified
    ), published AS (
        INSERT INTO booking.booking_outbox (id, event_name, payload, created_at)
        SELECT id, event_name, (body || jsonb_build_object('occurred_at', :now, 'message_id', id))::text, :now
        FROM facts
    )
    SELECT (SELECT count(*) FROM expired) AS expired
    """
).bindparams(
    bindparam("now", type_=DateTimeUTC()),
    bindparam("grace", type_=Interval()),
    bindparam("proof_hold", type_=Interval()),
    bindparam("window", type_=Interval()),
)

STATE = {
    "bookings": "SELECT status || CASE WHEN status = 'PENDING' AND expires_at > now() THEN ' (kept)' "
    "ELSE '' END, count(*) FROM booking.bookings GROUP BY 1",
    "inventory": "SELECT 'available', sum(available) FROM booking.inventories UNION ALL "
    "SELECT 'reserved', sum(reserved) FROM booking.inventories UNION ALL "
    "SELECT 'waiting', sum(waiting) FROM booking.inventories UNION ALL "
    "SELECT 'distinct counters', count(DISTINCT (available, reserved, waiting)) FROM booking.inventories",
    "waitlist": "SELECT status, count(*) FROM booking.waitlist_entries GROUP BY 1 UNION ALL "
    "SELECT 'notified after a waiting one', count(*) FROM booking.waitlist_entries n "
    "WHERE n.status = 'NOTIFIED' AND EXISTS (SELECT FROM booking.waitlist_entries w "
    "WHERE w.event_id = n.event_id AND w.status = 'WAITING' AND w.position < n.position) UNION ALL "
    "SELECT 'open windows', count(*) FROM booking.waitlist_entries WHERE window_expires_at > now()",
    "log": "SELECT reason, count(*) FROM booking.booking_log GROUP BY 1",
    "audit": "SELECT action, count(*) FROM booking.waitlist_audit GROUP BY 1",
    "outbox": "SELECT event_name, count(*) FROM booking.booking_outbox GROUP BY 1",
    "seats": "SELECT 'seats adding up', count(*) FROM booking.inventories i WHERE i.capacity = i.available "
    "+ i.reserved + (SELECT count(*) FROM booking.bookings b WHERE b.event_id = i.event_id "
    "AND b.status IN ('PENDING', 'CONFIRMED', 'COMPLETED', 'NO_SHOW'))",
}


async def _seed(engine: AsyncEngine, args: argparse.Namespace) -> int:
    """A fresh situation; how many holds are due."""
    now = datetime.now(UTC)
    per_event = args.holds // args.events
    values: dict[str, Any] = {
        "events": args.events,
        "per_event": per_event,
        "waitlist": args.waitlist,
        "paid_every": args.paid_every,
        "starts_at": now + timedelta(days=30),
        "ends_at": now + timedelta(days=31),
        "created_at": now - timedelta(hours=1),
        "ended_at": now - timedelta(seconds=1),
    }
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {TABLES} CASCADE"))
        for statement in (SEED_INVENTORIES, SEED_BOOKINGS, SEED_WAITLIST, SEED_PAYMENTS):
            await connection.execute(statement, values)
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text(f"VACUUM ANALYZE {TABLES}"))
    return per_event * args.events


async def _state(engine: AsyncEngine) -> dict[str, int]:
    found: dict[str, int] = {}
    async with engine.connect() as connection:
        for name, query in STATE.items():
            for key, value in (await connection.execute(text(query))).all():
                found[f"{name}: {key}"] = int(value or 0)
    return found


async def _ours(engine: AsyncEngine, policy: BookingPolicy) -> int:
    """The production sweep: ``ExpireHolds`` in the policy's lanes (a share of the events each,
    at once, each with its unit of work), each until a run expires nothing."""
    clock = SystemClock()
    probe = PaymentHoldProbe(
        SqlBookingPayments(engine), ConfiguredProviders("yookassa", {}), PaymentsPolicy(), timeout_seconds=2
    )

    async def lane(share: EventShare) -> int:
        expire, expired = ExpireHolds(SqlBookingUnitOfWork(engine), clock, probe, policy), 0
        while done := await expire(share):
            expired += done
        return expired

    return sum(await asyncio.gather(*map(lane, EventShare.split(policy.expiry_lanes))))


async def _baseline(engine: AsyncEngine, policy: BookingPolicy) -> int:
    payments = PaymentsPolicy()
    values = {
        "now": datetime.now(UTC),
        "grace": payments.confirmation_grace,
        "proof_hold": payments.proof_hold,
        "window": policy.waitlist_window,
    }
    async with engine.begin() as connection:
        return int((await connection.execute(HAND_SWEEP, values)).scalar_one())


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("AQUASTREAM_TEST_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--holds", type=int, default=100_000, help="due PENDING bookings")
    parser.add_argument("--events", type=int, default=1000, help="events they fill")
    parser.add_argument("--waitlist", type=int, default=20, help="WAITING entries per event")
    parser.add_argument("--paid-every", type=int, default=50, help="1 booking in N has each kind of payment")
    parser.add_argument(
        "--batch", type=int, default=None, help="the sweep's batch size (default: the policy's)"
    )
    parser.add_argument(
        "--lanes", type=int, default=None, help="the sweep's lanes at once (default: the policy's)"
    )
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--only", choices=["ours", "baseline"], help="run one side once (for a profiler)")
    args = parser.parse_args()
    policy = BookingPolicy()
    policy = replace(
        policy,
        expiry_batch_size=args.batch or policy.expiry_batch_size,
        expiry_lanes=args.lanes or policy.expiry_lanes,
    )

    url, drop = await _throwaway_database(args.database_url)
    engine = create_engine(url)
    states: dict[str, dict[str, int]] = {}
    try:
        await upgrade(engine)
        heap.settle()  # as a server or worker process does once started (aquastream.heap)

        def side(name: str, sweep: Callable[[AsyncEngine, BookingPolicy], Awaitable[int]]) -> Any:
            async def run() -> Sample:
                due = await _seed(engine, args)
                started = time.perf_counter()
                expired = await sweep(engine, policy)
                elapsed = time.perf_counter() - started
                state = await _state(engine)
                if name in states and states[name] != state:
                    sys.exit(f"bench: {name} left another state than its previous run")
                states[name] = state
                print(f"  {name}: {expired:,} of {due:,} due holds expired in {elapsed:.2f} s", flush=True)
                return Sample(due / elapsed)

            return run

        ours, baseline = side("ExpireHolds", _ours), side("hand SQL", _baseline)
        if args.only:
            await (ours if args.only == "ours" else baseline)()
            return
        comparison = Comparison(
            f"Expiry sweep, {args.holds:,} due holds on {args.events:,} events, "
            f"waitlists of {args.waitlist}, batch {policy.expiry_batch_size}, {policy.expiry_lanes} lanes",
            "holds/s",
            TARGET,
        )
        await alternate(comparison, ours, baseline, pairs=args.pairs)
    finally:
        await engine.dispose()
        await drop()

    mine, theirs = states["ExpireHolds"], states["hand SQL"]
    if mine != theirs:
        for key in sorted(mine.keys() | theirs.keys()):
            if mine.get(key) != theirs.get(key):
                print(f"  differs: {key}: ExpireHolds {mine.get(key)}, hand SQL {theirs.get(key)}")
        sys.exit("bench: the sweep and the hand SQL left different states")
    print("\nSame state after both:", ", ".join(f"{k} {v:,}" for k, v in sorted(mine.items())))
    print()
    print(table([comparison]))
    verdict = "met" if comparison.ratio >= TARGET else "NOT met"
    print(f"\nTarget ExpireHolds / hand SQL ≥ {TARGET}: {verdict} ({comparison.ratio:.2f}).")
    emit([comparison])


if __name__ == "__main__":
    asyncio.run(main())
