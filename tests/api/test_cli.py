"""The newcomer's path: ``aquastream serve`` on the embedded default, then register, log in, /users/me.

Runs the real command in a subprocess with an empty data folder, as a fresh clone would.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from aquastream.adapters.sql.revisions import heads, script_revisions
from tests.api.live_server import cli, environment, served
from tests.unit.media.samples import picture

PASSWORD = "Paddle-Hard-2030!"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with served(tmp_path) as base:
        yield base


def test_serve_on_the_embedded_default_lets_a_newcomer_register_and_log_in(
    server: str, tmp_path: Path
) -> None:
    registered = httpx.post(
        f"{server}/api/v1/auth/register", json={"email": "anna@example.com", "password": PASSWORD}
    )
    assert registered.status_code == 201, registered.text
    logged_in = httpx.post(
        f"{server}/api/v1/auth/login", json={"email": "anna@example.com", "password": PASSWORD}
    )
    assert logged_in.status_code == 200
    token = logged_in.json()["accessToken"]
    me = httpx.get(f"{server}/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["email"] == "anna@example.com"
    assert httpx.get(f"{server}/api/v1/openapi.json").json()["openapi"].startswith("3.1")
    assert (tmp_path / "aquastream.db").is_file()
    assert (tmp_path / "data" / "jwt-secret").is_file()


def test_create_admin_then_the_admin_logs_in(server: str, tmp_path: Path) -> None:
    made = cli(tmp_path, "create-admin", "--email", "root@example.com", "--password", PASSWORD)
    assert made.returncode == 0, made.stderr
    token = httpx.post(
        f"{server}/api/v1/auth/login", json={"email": "root@example.com", "password": PASSWORD}
    ).json()["accessToken"]
    users = httpx.get(f"{server}/api/v1/admin/users", headers={"Authorization": f"Bearer {token}"})
    assert users.status_code == 200
    assert users.json()["total"] == 1


def test_demo_data_fills_the_catalog_once(server: str, tmp_path: Path) -> None:
    loaded = cli(tmp_path, "demo-data", "--password", PASSWORD)
    assert loaded.returncode == 0, loaded.stderr
    assert "demo data loaded: 6 events" in loaded.stdout

    events = httpx.get(f"{server}/api/v1/events").json()
    assert events["total"] == 5  # the sixth, under way since two hours, has left the catalog
    assert {e["organizerSlug"] for e in events["items"]} == {"belaya-voda"}
    assert httpx.get(f"{server}/api/v1/organizers/belaya-voda/team").json()
    token = httpx.post(
        f"{server}/api/v1/auth/login", json={"email": "demo-participant@example.com", "password": PASSWORD}
    ).json()["accessToken"]
    bookings = httpx.get(f"{server}/api/v1/bookings", headers={"Authorization": f"Bearer {token}"}).json()
    assert [b["status"] for b in bookings["items"]] == ["PENDING", "PENDING", "CONFIRMED", "CONFIRMED"]

    again = cli(tmp_path, "demo-data", "--password", PASSWORD)
    assert again.returncode == 0, again.stderr
    assert "already loaded" in again.stdout
    assert httpx.get(f"{server}/api/v1/events").json()["total"] == 5


def test_demo_data_is_refused_in_production(tmp_path: Path) -> None:
    refused = cli(
        tmp_path,
        "demo-data",
        AQUASTREAM_ENV="production",
        AQUASTREAM_JWT_SECRET="s" * 64,
        AQUASTREAM_PAYMENTS_PROVIDER="stripe",
        AQUASTREAM_STRIPE_SECRET_KEY="sk_live_x",
        AQUASTREAM_STRIPE_WEBHOOK_SECRET="whsec_x",
    )
    assert refused.returncode != 0
    assert "not loaded in production" in refused.stderr
    assert not (tmp_path / "aquastream.db").exists()


def test_migrate_is_idempotent(tmp_path: Path) -> None:
    for _ in range(2):
        migrated = cli(tmp_path, "migrate")
        assert migrated.returncode == 0, migrated.stderr
    assert "migrated" in migrated.stdout


def test_a_bad_setting_stops_the_start_with_a_clear_message(tmp_path: Path) -> None:
    env = environment(tmp_path) | {"AQUASTREAM_ACCESS_TOKEN_TTL_SECONDS": "soon"}
    failed = subprocess.run(
        [sys.executable, "-m", "aquastream", "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert failed.returncode != 0
    assert "AQUASTREAM_ACCESS_TOKEN_TTL_SECONDS" in failed.stderr


def test_config_prints_the_reference(tmp_path: Path) -> None:
    printed = cli(tmp_path, "config")
    assert printed.returncode == 0
    assert "`AQUASTREAM_DATABASE_URL`" in printed.stdout


def test_worker_drains_the_outbox_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    made = cli(tmp_path, "create-admin", "--email", "root@example.com", "--password", PASSWORD)
    assert made.returncode == 0, made.stderr
    database = tmp_path / "aquastream.db"
    assert _backlog(database) > 0
    env = environment(tmp_path) | {"AQUASTREAM_OUTBOX_POLL_SECONDS": "0.05"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "aquastream", "worker"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while _backlog(database) > 0 and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.1)
        assert _backlog(database) == 0
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert "worker stopped" in output


def _backlog(database: Path) -> int:
    """Facts not relayed yet, and deliveries not made yet, of every domain."""
    with sqlite3.connect(database) as connection:
        tables = [
            name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        unrelayed = sum(
            connection.execute(f"SELECT count(*) FROM {name} WHERE relayed_at IS NULL").fetchone()[0]
            for name in tables
            if name.endswith("_outbox")
        )
        undelivered = sum(
            connection.execute(
                f"SELECT count(*) FROM {name} WHERE delivered_at IS NULL AND NOT dead"
            ).fetchone()[0]
            for name in tables
            if name.endswith("_deliveries")
        )
    return int(unrelayed + undelivered)


def test_media_make_variants_gives_an_old_upload_its_variants_once(tmp_path: Path) -> None:
    """A logo stored while no worker ran (as one uploaded before variants existed) gets its
    variants from the command, which finds nothing more to do when run again."""
    made = cli(tmp_path, "create-admin", "--email", "root@example.com", "--password", PASSWORD)
    assert made.returncode == 0, made.stderr
    with served(tmp_path, "--no-worker") as server:
        token = httpx.post(
            f"{server}/api/v1/auth/login", json={"email": "root@example.com", "password": PASSWORD}
        ).json()["accessToken"]
        auth = {"Authorization": f"Bearer {token}"}
        page = httpx.post(
            f"{server}/api/v1/organizers", json={"slug": "river-rats", "name": "River Rats"}, headers=auth
        )
        assert page.status_code == 201, page.text
        logo = httpx.post(
            f"{server}/api/v1/media",
            data={"ownerType": "organizer_logo", "ownerId": page.json()["id"]},
            files={"file": ("logo.png", picture("PNG", (300, 200)), "image/png")},
            headers=auth,
        )
        assert logo.status_code == 201, logo.text
        named = httpx.put(
            f"{server}/api/v1/organizers/river-rats", json={"logoMediaId": logo.json()["id"]}, headers=auth
        )
        assert named.json()["logoVariants"] == []

        backfilled = cli(tmp_path, "media", "make-variants", "--batch-size", "10")
        again = cli(tmp_path, "media", "make-variants")

        shown = httpx.get(f"{server}/api/v1/organizers/river-rats", headers=auth).json()["logoVariants"]
        assert [(v["width"], v["height"]) for v in shown] == [(256, 171), (300, 200)]
        assert httpx.get(f"{server}{shown[0]['url']}").headers["content-type"] == "image/webp"
    assert backfilled.returncode == 0, backfilled.stderr
    assert backfilled.stdout.startswith("1 pictures without variants: 1 given 2 variants, 0 passed over")
    assert again.stdout.startswith("0 pictures without variants: 0 given 0 variants")


MIGRATE_ON_START_PROBE = """
import sys
from aquastream.cli import _migrate_on_start
from aquastream.settings import load_settings
_migrate_on_start(load_settings())
print("alembic" in sys.modules)
"""


def test_the_start_migrates_a_new_database_and_leaves_one_at_head_without_loading_alembic(
    tmp_path: Path,
) -> None:
    """The embedded default migrates at start; once at head, a start asks the version table
    only (Alembic and its scripts cost most of a second of every start)."""

    def start() -> str:
        done = subprocess.run(
            [sys.executable, "-c", MIGRATE_ON_START_PROBE],
            env=environment(tmp_path),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout.strip()

    assert start() == "True"  # a new database: migrated by Alembic
    with sqlite3.connect(tmp_path / "aquastream.db") as database:
        (version,) = database.execute("SELECT version_num FROM alembic_version").fetchone()
    assert {version} == heads(script_revisions())
    assert start() == "False"  # at head: left alone
