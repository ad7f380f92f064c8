"""The served application freezes its start-up heap (``aquastream.heap``): a full collection
under load walks only what requests made, not the million objects of the started process; and
no automatic collection runs while it is imported and built. Libraries of what is not
configured (Redis, tracing) or not asked yet (an iCalendar download, a picture, a QR code, a
call to a payment provider or to Telegram, a ticket's signature or a sealed secret) stay out of
its memory; PyJWT checks HS512 tokens without ``cryptography`` (``adapters.crypto.hmac_only``).

Checked in a process of its own, as the server builds it (``aquastream.asgi``): freezing the
test process would keep every later test's garbage alive.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from aquastream.heap import YOUNG_OBJECTS

PROBE = """
import asyncio, gc, sys
from aquastream.asgi import application

async def main() -> None:
    app = application()
    before = gc.get_freeze_count(), gc.isenabled()
    async with app.lifespan():
        print(*before, gc.get_freeze_count(), gc.isenabled(), gc.get_threshold()[0])

asyncio.run(main())
"""


STARTED_WITH = """
import asyncio, sys
from aquastream.asgi import application

async def main() -> None:
    async with application().lifespan():
        names = (
            "redis", "icalendar", "PIL", "filetype", "segno", "httpx", "cryptography",
            "opentelemetry.sdk.trace.export", "opentelemetry.instrumentation.httpx", "aquastream.asgi",
        )
        print(*sorted(name for name in names if name in sys.modules))

asyncio.run(main())
"""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A migrated embedded database (SQLite, no Redis) for a served application."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AQUASTREAM_")},
        "AQUASTREAM_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'heap.db'}",
        "AQUASTREAM_DATA_DIR": str(tmp_path / "data"),
        "AQUASTREAM_RUN_WORKER": "false",
    }
    subprocess.run(
        [sys.executable, "-m", "aquastream", "migrate"], env=env, check=True, capture_output=True, timeout=120
    )
    return env


def test_the_served_application_freezes_its_heap_once_started(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, check=True, capture_output=True, text=True, timeout=120
    )
    frozen_before, enabled_before, frozen_after, enabled_after, young = done.stdout.split()
    # Off while the application is imported and built, on again once it started, its
    # youngest generation collected past YOUNG_OBJECTS objects (CPython's default: 700).
    assert (frozen_before, enabled_before, enabled_after) == ("0", "False", "True")
    assert int(young) == YOUNG_OBJECTS
    # The application's modules, routes, providers and mappers: hundreds of thousands.
    assert int(frozen_after) > 100_000, frozen_after


def test_the_started_application_leaves_out_what_it_was_not_configured_for(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", STARTED_WITH], env=env, check=True, capture_output=True, text=True, timeout=120
    )

    assert done.stdout.split() == ["aquastream.asgi"]


WEBHOOK_REFUSED = """
import asyncio, sys
from aquastream.asgi import application

async def deliver(app, provider: str) -> int:
    body = b'{"id": "evt_heap", "type": "checkout.session.completed"}'
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": f"/api/v1/webhooks/payments/{provider}", "raw_path": b"",
        "query_string": b"", "root_path": "", "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
        "headers": [(b"content-type", b"application/json"), (b"stripe-signature", b"t=1,v1=00")],
    }
    sent = []
    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}
    async def send(message):
        sent.append(message)
    await app(scope, receive, send)
    return next(m["status"] for m in sent if m["type"] == "http.response.start")

async def main() -> None:
    app = application()
    async with app.lifespan():
        statuses = [await deliver(app, provider) for provider in ("stripe", "yookassa", "cloudpayments")]
        print(*statuses, "httpx" in sys.modules)

asyncio.run(main())
"""


def test_a_webhook_is_checked_without_the_client_that_calls_providers(env: dict[str, str]) -> None:
    # A server that receives providers' webhooks checks each one (an HMAC over its body, or
    # the sender's network) without calling out: the HTTP client (httpx, ~14 MB) is made when
    # a payment first needs a provider's API.
    credentials = {
        "AQUASTREAM_STRIPE_SECRET_KEY": "sk_test_heap",
        "AQUASTREAM_STRIPE_WEBHOOK_SECRET": "whsec_heap",
        "AQUASTREAM_YOOKASSA_SHOP_ID": "1",
        "AQUASTREAM_YOOKASSA_SECRET_KEY": "test_heap",
        "AQUASTREAM_CLOUDPAYMENTS_PUBLIC_ID": "pk_heap",
        "AQUASTREAM_CLOUDPAYMENTS_API_SECRET": "heap",
    }
    done = subprocess.run(
        [sys.executable, "-c", WEBHOOK_REFUSED],
        env={**env, **credentials},
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )

    *statuses, httpx_loaded = done.stdout.split()
    assert all(400 <= int(status) < 500 for status in statuses), statuses
    assert httpx_loaded == "False"
