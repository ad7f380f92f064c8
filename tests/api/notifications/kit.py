"""Helpers of the notification API tests: what the background worker does, on demand."""

from __future__ import annotations

from dishka import AsyncContainer

from aquastream.domain.notifications.sending import SendDueMessages
from tests.api.identity.conftest import Client
from tests.api.worker import drain_outbox, in_request, run_due_jobs

# Drain the event outbox: subscribers (notifications among them) get every fact.
deliver_events = drain_outbox
__all__ = ["deliver_events", "run_due_jobs", "send_messages"]


async def send_messages(api: Client) -> int:
    """One run of the sender job; how many messages it claimed."""

    async def send(request: AsyncContainer) -> int:
        return await (await request.get(SendDueMessages))()

    return await in_request(api, send)
