"""Helpers of the notification API tests: what the background worker does, on demand."""

from __future__ import annotations

from aquastream.domain.notifications.sending import SendDueMessages
from aquastream.domain.shared.dispatch import OutboxDispatcher
from aquastream.domain.shared.scheduling import Scheduler
from tests.api.identity.conftest import Client


async def deliver_events(api: Client) -> None:
    """Drain the event outbox: subscribers (notifications among them) get every fact."""
    dispatcher = await api.app.state.dishka_container.get(OutboxDispatcher)
    await dispatcher.drain()


async def send_messages(api: Client) -> int:
    """One run of the sender job; how many messages it claimed."""
    async with api.app.state.dishka_container() as request:
        send = await request.get(SendDueMessages)
        return await send()


async def run_due_jobs(api: Client) -> list[str]:
    return await (await api.app.state.dishka_container.get(Scheduler)).run_due()
