"""Benchmark: auto-assignment of 500 participants into 100 crews, its time and the share of
satisfiable wishes it keeps (targets: under 1 s, at least 90 %).

The situation is built so that every wish can be kept: a hidden plan puts the participants five
by five into the 100 crews (6 places each), each participant prefers 0 to 2 people of their own
hidden crew and avoids at most one of another; so a plan keeping 100 % exists, and the share the
planner keeps is measured against all the wishes. Timed twice, ``--rounds`` times each:

- the planner alone (``planning.plan_crews``, the pure function);
- the ``AutoAssign`` use case applying its plan on PostgreSQL (locks, 500 guarded places and
  their facts in one transaction), on a fresh event each round.

    uv run python bench/crews.py                       # AQUASTREAM_TEST_DATABASE_URL or local
    uv run python bench/crews.py --participants 500 --crews 100 --rounds 5
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
import uuid
from datetime import UTC, datetime

from seat_booking import DEFAULT_URL, _throwaway_database
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream import heap
from aquastream.adapters.sql.crews import SqlConfirmedParticipants, SqlCrewsUnitOfWork
from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.migrate import upgrade
from aquastream.adapters.sql.tables.crews import crews, participants, preferences
from aquastream.adapters.system import SystemClock
from aquastream.domain.crews.access import Gate
from aquastream.domain.crews.auto import AutoAssign
from aquastream.domain.crews.model import CrewEvent, CrewType, Preferences
from aquastream.domain.crews.planning import PlanCrew, plan_crews
from aquastream.domain.shared.principal import Principal, Role

CAPACITY = 6
TARGET_SECONDS = 1.0
TARGET_KEPT = 0.9


class _Situation:
    """Participants, crews and wishes of one event, every wish satisfiable."""

    def __init__(self, rng: random.Random, people: int, crew_count: int) -> None:
        self.event_id = uuid.UUID(int=rng.getrandbits(128))
        self.people = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(people)]
        self.crews = [
            PlanCrew(uuid.UUID(int=rng.getrandbits(128)), f"Raft {i:03d}", CAPACITY)
            for i in range(crew_count)
        ]
        per_crew = -(-people // crew_count)
        hidden = [self.people[i : i + per_crew] for i in range(0, people, per_crew)]
        self.preferences: list[Preferences] = []
        for group in hidden:
            for person in group:
                friends = rng.sample(
                    [p for p in group if p != person], min(len(group) - 1, rng.randint(0, 2))
                )
                stranger = rng.choice(self.people)
                avoid = (stranger,) if stranger not in group and rng.random() < 0.5 else ()
                self.preferences.append(Preferences(self.event_id, person, tuple(friends), avoid))


class _Catalog:
    """The catalog's answer about the event (crews asks it before its transaction)."""

    def __init__(self, event_id: uuid.UUID) -> None:
        self._event = CrewEvent(event_id, uuid.uuid4(), is_open=True)

    async def get(self, event_id: uuid.UUID) -> CrewEvent | None:
        return self._event if event_id == self._event.id else None

    async def can_manage(self, principal: Principal, organizer_id: uuid.UUID) -> bool:
        return principal.is_admin


async def _seed(engine: AsyncEngine, situation: _Situation) -> None:
    now = datetime.now(UTC)
    async with engine.begin() as connection:
        await connection.execute(
            insert(crews),
            [
                {
                    "id": crew.id,
                    "event_id": situation.event_id,
                    "crew_type": "CREW",
                    "name": crew.name,
                    "capacity": crew.capacity,
                    "size": 0,
                    "created_at": now,
                    "updated_at": now,
                }
                for crew in situation.crews
            ],
        )
        await connection.execute(
            insert(participants),
            [
                {
                    "booking_id": uuid.uuid4(),
                    "event_id": situation.event_id,
                    "user_id": p,
                    "standing": "CONFIRMED",
                }
                for p in situation.people
            ],
        )
        rows = [
            {
                "event_id": situation.event_id,
                "user_id": wish.user_id,
                "other_user_id": other,
                "kind": kind,
                "rank": rank,
                "updated_at": now,
            }
            for wish in situation.preferences
            for kind, others in (("PREFER", wish.prefer), ("AVOID", wish.avoid))
            for rank, other in enumerate(others, start=1)
        ]
        if rows:
            await connection.execute(insert(preferences), rows)


async def _apply(engine: AsyncEngine, situation: _Situation) -> tuple[float, float, int]:
    """Seconds of the use case, share of wishes kept, people placed."""
    await _seed(engine, situation)
    uow = SqlCrewsUnitOfWork(engine)
    gate = Gate(_Catalog(situation.event_id), SqlConfirmedParticipants(uow), people=None)  # type: ignore[arg-type]
    admin = Principal(user_id=uuid.uuid4(), role=Role.ADMIN)
    started = time.perf_counter()
    report = await AutoAssign(uow, SystemClock(), gate)(
        admin, situation.event_id, CrewType.CREW, dry_run=False
    )
    seconds = time.perf_counter() - started
    plan = report.plan
    return seconds, plan.preferences_satisfied / max(1, plan.preferences_considered), len(plan.placements)


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--crews", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=os.environ.get("AQUASTREAM_TEST_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()
    rng = random.Random(20261204)
    load_before = os.getloadavg()[0]

    planner: list[float] = []
    kept: list[float] = []
    for _ in range(args.rounds):
        situation = _Situation(rng, args.participants, args.crews)
        started = time.perf_counter()
        plan = plan_crews(situation.crews, situation.people, situation.preferences)
        planner.append(time.perf_counter() - started)
        kept.append(plan.preferences_satisfied / max(1, plan.preferences_considered))

    url, drop = await _throwaway_database(args.database_url)
    applied: list[float] = []
    try:
        await upgrade(url)
        engine = create_engine(url)
        heap.settle()  # as a server or worker process does once started (aquastream.heap)
        try:
            for _ in range(args.rounds):
                seconds, share, placed = await _apply(engine, _Situation(rng, args.participants, args.crews))
                if placed != args.participants:
                    raise SystemExit(f"bench: only {placed} of {args.participants} placed")
                applied.append(seconds)
                kept.append(share)
        finally:
            await engine.dispose()
    finally:
        await drop()

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    plan_s, apply_s, share = statistics.median(planner), statistics.median(applied), min(kept)
    print(
        f"| Auto-assignment, {args.participants} into {args.crews} crews | median of {args.rounds} | target |"
    )
    print("|---|---|---|")
    print(
        f"| planner alone (plan_crews) | {plan_s * 1000:,.0f} ms "
        f"| < {TARGET_SECONDS:g} s: {verdict(plan_s < TARGET_SECONDS)} |"
    )
    print(
        f"| AutoAssign applied on PostgreSQL | {apply_s * 1000:,.0f} ms "
        f"| < {TARGET_SECONDS:g} s: {verdict(apply_s < TARGET_SECONDS)} |"
    )
    print(
        f"| satisfiable wishes kept (worst round) | {share:.1%} "
        f"| ≥ {TARGET_KEPT:.0%}: {verdict(share >= TARGET_KEPT)} |"
    )
    print(f"\nLoad {load_before:.1f} → {os.getloadavg()[0]:.1f}; {os.cpu_count()} CPUs.")


if __name__ == "__main__":
    asyncio.run(main())
