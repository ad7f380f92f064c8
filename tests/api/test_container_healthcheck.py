"""The image's health check (``python -m aquastream.healthcheck``) follows what runs: the API's
readiness on its port, or the worker's heartbeat; an unmigrated database fails both."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aquastream.healthcheck import HEARTBEAT_FILE, what_runs

from .live_server import free_port, served, working


def _healthcheck(*args: str, tmp: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if tmp is not None:
        env["TMPDIR"] = str(tmp)
    return subprocess.run(
        [sys.executable, "-m", "aquastream.healthcheck", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_the_mode_and_port_come_from_the_main_process_command_line() -> None:
    image = ["/app/.venv/bin/python", "/app/.venv/bin/aquastream"]

    assert what_runs([*image, "serve", "--host", "0.0.0.0", "--port", "9000"]) == ("serve", 9000)
    assert what_runs([*image, "serve", "--port=8080", "--no-worker"]) == ("serve", 8080)
    assert what_runs([*image, "serve"]) == ("serve", 8000)
    assert what_runs([*image, "worker", "--domains", "booking"]) == ("worker", 8000)
    assert what_runs([*image, "migrate"])[0] == ""


def test_the_api_is_healthy_on_its_own_port_and_not_on_another(tmp_path: Path) -> None:
    with served(tmp_path) as base:
        port = base.rsplit(":", 1)[1]
        healthy = _healthcheck("serve", "--port", port)
        elsewhere = _healthcheck("serve", "--port", str(free_port()))

    assert healthy.returncode == 0, healthy.stderr
    assert elsewhere.returncode == 1
    assert elsewhere.stderr.count("\n") == 1
    assert "/health/ready did not answer" in elsewhere.stderr


def test_a_worker_is_healthy_while_its_passes_reach_the_database(tmp_path: Path) -> None:
    heartbeat = tmp_path / HEARTBEAT_FILE.name
    with working(tmp_path, TMPDIR=str(tmp_path)):  # SQLite, migrated on start
        deadline = time.monotonic() + 60
        while not heartbeat.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        healthy = _healthcheck("worker", tmp=tmp_path)

    assert healthy.returncode == 0, healthy.stderr
    stale = time.time() - 120
    os.utime(heartbeat, (stale, stale))
    gone_quiet = _healthcheck("worker", tmp=tmp_path)
    assert gone_quiet.returncode == 1
    assert "last pass that reached the database was 120 s ago" in gone_quiet.stderr


@pytest.mark.postgres
def test_a_worker_on_an_unmigrated_database_never_becomes_healthy(
    tmp_path: Path, empty_postgres_url: str
) -> None:
    with working(tmp_path, TMPDIR=str(tmp_path), AQUASTREAM_DATABASE_URL=empty_postgres_url) as log:
        deadline = time.monotonic() + 60
        while "aquastream migrate" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        unhealthy = _healthcheck("worker", tmp=tmp_path)
        told = log.read_text()

    assert unhealthy.returncode == 1
    assert "no worker heartbeat yet" in unhealthy.stderr
    assert "run `aquastream migrate`" in told
    assert "Traceback" not in told
