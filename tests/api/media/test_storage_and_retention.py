"""The app on S3 (moto in server mode), and the retention job run by the scheduler."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.domain.shared.scheduling import Scheduler
from aquastream.ioc.media import PURGE_FILES_JOB
from tests.api.catalog.conftest import FrozenClockProvider
from tests.api.conftest import Serve
from tests.api.identity.conftest import Client, assert_problem, login, register
from tests.api.worker import drain_outbox, in_app, run_due_jobs
from tests.s3_server import ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, s3_client
from tests.unit.media.samples import PDF, PNG, picture

from .conftest import Scene
from .kit import complete, link, start_upload, stored_keys, uploaded


@pytest.fixture
async def s3_api(serve: Serve, clock: FrozenClock, s3_endpoint: str, s3_bucket: str) -> AsyncIterator[Client]:
    async with serve(
        FrozenClockProvider(clock),
        rate_limit_enabled=False,
        # The S3 client belongs to the app's event loop: its own worker removes the objects.
        run_worker=True,
        outbox_poll_seconds=0.02,
        media_storage="s3",
        s3_endpoint_url=s3_endpoint,
        s3_bucket=s3_bucket,
        s3_region=REGION,
        s3_access_key_id=ACCESS_KEY_ID,
        s3_secret_access_key=SECRET_ACCESS_KEY,
    ) as client:
        yield client


async def bucket_keys(endpoint: str, bucket: str) -> list[str]:
    async with s3_client(endpoint) as client:
        listing = await client.list_objects_v2(Bucket=bucket)
    return [item["Key"] for item in listing.get("Contents", [])]


async def keys_become(endpoint: str, bucket: str, expected: list[str]) -> list[str]:
    """The bucket's keys once the app's own worker has made them ``expected`` (or after 10 s)."""
    for _ in range(500):
        keys = await bucket_keys(endpoint, bucket)
        if keys == expected:
            break
        await asyncio.sleep(0.02)
    return keys


async def test_on_s3_uploads_links_and_deletion_go_to_the_bucket(
    s3_api: Client, s3_endpoint: str, s3_bucket: str
) -> None:
    ulla = await register(s3_api, "ulla@example.com")
    pending = await start_upload(s3_api, ulla, "avatar", ulla.id)
    assert pending.status_code == 201, pending.text
    upload_url = pending.json()["uploadUrl"]
    assert upload_url.startswith(f"{s3_endpoint}/{s3_bucket}/avatar/{ulla.id}/")
    assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in upload_url

    async with httpx.AsyncClient() as browser:
        assert (await browser.put(upload_url, content=PNG)).status_code == 200
        done = await complete(s3_api, ulla, pending.json()["id"])
        assert done.status_code == 200, done.text
        assert done.json()["contentType"] == "image/png"
        direct = await uploaded(s3_api, ulla, "avatar", ulla.id, PNG)
        url = (await link(s3_api, ulla, direct["id"])).json()["url"]
        got = await browser.get(url)
        assert (got.status_code, got.content, got.headers["content-type"]) == (200, PNG, "image/png")
    kept = f"avatar/{ulla.id}/{pending.json()['id']}"
    gone = f"avatar/{ulla.id}/{direct['id']}"
    # Each picture and the one variant the app's worker makes of it (4 px: its own size).
    made = sorted([kept, f"{kept}.variants/4.webp", gone, f"{gone}.variants/4.webp"])
    assert await keys_become(s3_endpoint, s3_bucket, made) == made

    assert (await s3_api.delete(f"/api/v1/media/{direct['id']}", headers=ulla.auth)).status_code == 204
    left = [kept, f"{kept}.variants/4.webp"]
    assert await keys_become(s3_endpoint, s3_bucket, left) == left


async def test_on_s3_variants_are_made_linked_and_deleted_with_their_picture(
    s3_api: Client, s3_endpoint: str, s3_bucket: str
) -> None:
    ulla = await register(s3_api, "ulla@example.com")
    avatar = await uploaded(s3_api, ulla, "avatar", ulla.id, picture("PNG", (1500, 1000)))
    key = f"avatar/{ulla.id}/{avatar['id']}"
    made = [key, f"{key}.variants/1024.webp", f"{key}.variants/256.webp"]
    assert await keys_become(s3_endpoint, s3_bucket, made) == made

    # The worker writes the objects, then records them: the link lists them once recorded.
    for _ in range(500):
        shown = (await link(s3_api, ulla, avatar["id"])).json()
        if len(shown["variants"]) == 2:
            break
        await asyncio.sleep(0.02)
    assert [(v["width"], v["height"], v["contentType"]) for v in shown["variants"]] == [
        (256, 171, "image/webp"),
        (1024, 683, "image/webp"),
    ]
    async with httpx.AsyncClient() as browser:
        got = await browser.get(shown["variants"][0]["url"])
    assert (got.status_code, got.headers["content-type"]) == (200, "image/webp")
    assert got.content.startswith(b"RIFF")

    assert (await s3_api.delete(f"/api/v1/media/{avatar['id']}", headers=ulla.auth)).status_code == 204
    assert await keys_become(s3_endpoint, s3_bucket, []) == []


async def test_on_s3_the_local_link_routes_do_not_exist(s3_api: Client) -> None:
    response = await s3_api.get("/api/v1/media/objects/avatar/x/y", params={"expires": 1, "signature": "s"})
    assert_problem(response, 404, "media.not_found")


async def _ready_within(api: Client, seconds: float) -> int:
    """``/health/ready``'s status once it answers 200, or its last status after ``seconds``, as a
    load balancer polls it: on a loaded machine one pass of the checks may outlast their 2 s
    each (the S3 client's first call loads botocore's models, while the worker is busy with the
    new account's facts)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        status = (await api.get("/health/ready")).status_code
        if status == 200 or asyncio.get_running_loop().time() > deadline:
            return status
        await asyncio.sleep(0.2)


async def test_readiness_checks_the_bucket(s3_api: Client) -> None:
    ulla = await register(s3_api, "ulla@example.com")
    assert await _ready_within(s3_api, 15) == 200
    assert ulla.id


async def test_the_retention_job_deletes_proofs_after_90_days(
    api: Client, scene: Scene, clock: FrozenClock, media_dir: Path
) -> None:
    proof = await uploaded(api, scene.people.pavel, "payment_proof", scene.booking_id, PDF)
    logo = await uploaded(api, scene.cast.anna, "organizer_logo", scene.organizer_id, PNG)
    scheduler = await in_app(api, lambda container: container.get(Scheduler))
    assert PURGE_FILES_JOB in [job.name for job in scheduler.jobs]

    clock.advance(timedelta(days=90))
    assert PURGE_FILES_JOB in await run_due_jobs(api)
    await drain_outbox(api)

    root = await login(api, scene.cast.root.email)
    assert_problem(await link(api, root, proof["id"]), 404, "media.not_found")
    assert (await link(api, None, logo["id"])).status_code == 200
    logo_key = f"organizer_logo/{scene.organizer_id}/{logo['id']}"
    assert stored_keys(media_dir) == [logo_key, f"{logo_key}.variants/4.webp"]
