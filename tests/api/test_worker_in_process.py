"""With ``run_worker`` on, the API process runs the event spine itself."""

from __future__ import annotations

import asyncio

from tests.api.conftest import Serve
from tests.api.worker import backlog


async def test_events_of_a_request_are_dispatched_by_the_in_process_worker(serve: Serve) -> None:
    # Commits wake the in-process worker at once: its poll (here 0.5 s) is only the fallback.
    # With a poll of 20 ms (50 claims a second per domain, each taking SQLite's write lock) the
    # registration waited out its 5 s busy timeout (503) in one CI run, not reproduced since.
    async with serve(run_worker=True, outbox_poll_seconds=0.5, rate_limit_enabled=False) as client:
        response = await client.post(
            "/api/v1/auth/register", json={"email": "anna@example.com", "password": "Paddle-Hard-2030!"}
        )
        assert response.status_code == 201
        for _ in range(250):
            if not any((await backlog(client)).values()):
                break
            await asyncio.sleep(0.02)
        assert not any((await backlog(client)).values())
        assert client.app.state.worker is not None


async def test_without_run_worker_events_wait_in_the_outbox(serve: Serve) -> None:
    async with serve(run_worker=False, rate_limit_enabled=False) as client:
        await client.post(
            "/api/v1/auth/register", json={"email": "anna@example.com", "password": "Paddle-Hard-2030!"}
        )
        await asyncio.sleep(0.1)
        assert (await backlog(client))["identity.relay"] == 1
