"""What the background worker does, on demand, and any other work a test does with the
app's container, run in the app's own event loop.

Litestar's test client serves the app from an event loop of its own (in the thread of its
blocking portal). The connections in the app's pools belong to that loop: asyncpg's may
not be used from the test's loop at all, so work that reaches the database goes to the
app's loop through the portal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from dishka import AsyncContainer
from litestar import Litestar
from litestar.testing import AsyncTestClient

from aquastream.domain.shared.dispatch import OutboxDispatcher, Spine
from aquastream.domain.shared.scheduling import Scheduler

T = TypeVar("T")


Client = AsyncTestClient[Litestar]


async def in_app(client: Client, work: Callable[[AsyncContainer], Awaitable[T]]) -> T:
    """``await work(container)`` in the loop that serves ``client``'s app."""
    container: AsyncContainer = client.app.state.dishka_container
    result: T = await asyncio.to_thread(client.blocking_portal.call, work, container)
    return result


async def in_request(client: Client, work: Callable[[AsyncContainer], Awaitable[T]]) -> T:
    """Like ``in_app``, with a request scope of the container (closed afterwards)."""

    async def scoped(container: AsyncContainer) -> T:
        async with container() as request:
            return await work(request)

    return await in_app(client, scoped)


async def drain_outbox(client: Client) -> None:
    """What the background worker does between two polls: deliver every event to its subscribers."""

    async def drain(container: AsyncContainer) -> None:
        await (await container.get(OutboxDispatcher)).drain()

    await in_app(client, drain)


async def backlog(client: Client) -> dict[str, int]:
    """Work not done yet, per subscriber (and per domain's relay)."""

    async def count(container: AsyncContainer) -> dict[str, int]:
        return await (await container.get(Spine)).backlog()

    return await in_app(client, count)


async def run_due_jobs(client: Client) -> list[str]:
    """One pass of the scheduler: the names of the jobs that ran."""

    async def run(container: AsyncContainer) -> list[str]:
        return await (await container.get(Scheduler)).run_due()

    return await in_app(client, run)
