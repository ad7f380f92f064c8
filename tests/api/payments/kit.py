"""Helpers of the payments API tests: paid events and bookings, payments, sandbox payers and
receipts in the media table (what the background worker does is in ``tests/api/worker.py``)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from dishka import AsyncContainer
from sqlalchemy import insert

from aquastream.adapters.sql.engine import DomainEngines
from aquastream.adapters.sql.tables.media import files
from tests.api.booking.kit import booked
from tests.api.catalog.kit import API, Cast, published_event
from tests.api.identity.conftest import Account, Client
from tests.api.worker import in_app


async def paid_booking(api: Client, cast: Cast, payer: Account, **event: Any) -> dict[str, Any]:
    """A PENDING booking of a new 1500 RUB event of ``river-rats`` (anna's)."""
    published = await published_event(api, cast.anna, "river-rats", **event)
    return await booked(api, payer, published["id"])


async def start_payment(
    api: Client, payer: Account, booking_id: str, method: str = "WIDGET", **extra: Any
) -> Any:
    return await api.post(
        f"{API}/payments", json={"bookingId": booking_id, "method": method, **extra}, headers=payer.auth
    )


async def started(api: Client, payer: Account, booking_id: str, method: str = "WIDGET") -> dict[str, Any]:
    response = await start_payment(api, payer, booking_id, method)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def complete_in_sandbox(api: Client, payment: dict[str, Any], outcome: str = "SUCCEEDED") -> Any:
    """What the payer's browser does on the sandbox payment page (``confirmation.url``)."""
    path = payment["confirmation"]["url"].removeprefix("http://localhost:8000")
    return await api.post(path, json={"outcome": outcome})


async def receipt(api: Client, booking: dict[str, Any], uploaded_by: str, **overrides: Any) -> str:
    """A receipt file as the media domain stores it (a row of ``media.files``, written as media)."""
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "owner_type": "payment_proof",
        "owner_id": uuid.UUID(booking["id"]),
        "uploaded_by": uuid.UUID(uploaded_by),
        "status": "READY",
        "storage_key": f"proofs/{uuid.uuid4()}.jpg",
        "content_type": "image/jpeg",
        "size_bytes": 1024,
        "created_at": datetime.now(UTC),
    }
    values.update(overrides)

    async def store(container: AsyncContainer) -> None:
        async with (await container.get(DomainEngines)).of("media").begin() as connection:
            await connection.execute(insert(files).values(values))

    await in_app(api, store)
    return str(values["id"])


async def fetched(api: Client, account: Account, path: str) -> dict[str, Any]:
    response = await api.get(f"{API}{path}", headers=account.auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
