"""With AQUASTREAM_PUBLIC_URL set, every link the API hands out starts with it: a local media
link and the sandbox's payment page alike (one setting for both)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from aquastream.adapters.memory.clock import FrozenClock
from tests.api.catalog.conftest import FrozenClockProvider
from tests.api.conftest import Serve
from tests.api.identity.conftest import Client
from tests.api.payments.kit import started
from tests.unit.media.samples import PNG

from .conftest import Scene
from .kit import link, uploaded

PUBLIC_URL = "https://api.aquastream.example"


@pytest.fixture
async def api(serve: Serve, clock: FrozenClock, media_dir: Path) -> AsyncIterator[Client]:
    async with serve(
        FrozenClockProvider(clock), rate_limit_enabled=False, media_dir=str(media_dir), public_url=PUBLIC_URL
    ) as client:
        yield client


async def test_media_links_and_the_sandbox_payment_page_start_with_the_public_url(
    api: Client, scene: Scene
) -> None:
    logo = await uploaded(api, scene.cast.anna, "organizer_logo", scene.organizer_id, PNG)
    got = await link(api, None, logo["id"])
    assert got.status_code == 200, got.text
    assert got.json()["url"].startswith(f"{PUBLIC_URL}/api/v1/media/objects/")

    payment = await started(api, scene.people.pavel, scene.booking_id)
    assert payment["confirmation"]["url"].startswith(f"{PUBLIC_URL}/api/v1/payments/sandbox/")
