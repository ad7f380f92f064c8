"""The hourly job that completes finished events, wired into the worker of the real app."""

from __future__ import annotations

from datetime import timedelta

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.domain.shared.scheduling import PeriodicJob
from aquastream.ioc.catalog import COMPLETE_FINISHED_EVENTS_JOB
from tests.api.catalog.kit import API, Cast, at, published_event
from tests.api.identity.conftest import Client
from tests.api.worker import in_app, run_due_jobs


async def test_the_completion_job_is_registered_hourly(api: Client) -> None:
    jobs = await in_app(api, lambda container: container.get(list[PeriodicJob]))
    (job,) = [job for job in jobs if job.name == COMPLETE_FINISHED_EVENTS_JOB]
    assert job.name == "catalog.complete_finished_events"
    assert job.interval == timedelta(hours=1)


async def test_the_scheduler_completes_events_that_ended(api: Client, cast: Cast, clock: FrozenClock) -> None:
    short = await published_event(
        api, cast.anna, "river-rats", title="Day trip", dateStart=at(1), dateEnd=at(1, 8)
    )
    long = await published_event(
        api, cast.anna, "river-rats", title="Long trip", dateStart=at(1), dateEnd=at(10)
    )

    clock.advance(days=2)
    assert COMPLETE_FINISHED_EVENTS_JOB in await run_due_jobs(api)
    done = (await api.get(f"{API}/events/{short['id']}")).json()
    assert (done["status"], done["completedAt"], done["available"]) == (
        "COMPLETED",
        "2030-01-03T12:00:00Z",
        0,
    )
    assert (await api.get(f"{API}/events/{long['id']}")).json()["status"] == "PUBLISHED"

    clock.advance(minutes=30)
    assert COMPLETE_FINISHED_EVENTS_JOB not in await run_due_jobs(api)  # not due before the hour

    clock.advance(days=9)
    assert COMPLETE_FINISHED_EVENTS_JOB in await run_due_jobs(api)
    assert (await api.get(f"{API}/events/{long['id']}")).json()["status"] == "COMPLETED"
    past = (await api.get(f"{API}/events", params={"includePast": "true"})).json()
    assert {e["status"] for e in past["items"]} == {"COMPLETED"}
