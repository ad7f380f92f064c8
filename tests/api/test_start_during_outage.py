"""A server started while its database does not answer starts anyway: it says so in one line,
is not ready and answers 503 meanwhile, and becomes ready without a restart once the database
answers (PostgreSQL behind a TCP proxy that refuses connections, then lets them through)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url

from .live_server import environment, free_port, stop
from .tcp_proxy import tcp_proxy

pytestmark = pytest.mark.postgres


def _until(check: object, seconds: float) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while True:
        try:
            response = check()  # type: ignore[operator]
            if response is not None:
                return response  # type: ignore[no-any-return]
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"nothing within {seconds} s")
        time.sleep(0.2)


def test_a_server_started_while_the_database_is_down_recovers_without_a_restart(
    tmp_path: Path, migrated_postgres_url: str
) -> None:
    database = make_url(migrated_postgres_url)
    with tcp_proxy(database.host or "127.0.0.1", database.port or 5432) as proxy:
        proxy.cut()  # the port is known, nothing listens on it
        proxied = database.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = tmp_path / "serve.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "aquastream", "serve", "--port", str(port)],
                env=environment(tmp_path, AQUASTREAM_DATABASE_URL=proxied),
                cwd=tmp_path,
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
        try:
            down = _until(lambda: httpx.get(f"{base}/health/ready", timeout=2), 60)
            listing = httpx.get(f"{base}/api/v1/events", timeout=5)
            proxy.restore()
            up = _until(
                lambda: r if (r := httpx.get(f"{base}/health/ready", timeout=2)).status_code == 200 else None,
                30,
            )
            served = httpx.get(f"{base}/api/v1/events", timeout=5)
            assert process.poll() is None, log.read_text()
        finally:
            stop(process)

    assert down.status_code == 503
    assert down.json()["checks"]["database"] == {"status": "DOWN"}
    assert listing.status_code == 503
    assert listing.json()["code"] == "service.unavailable"
    assert listing.headers["Retry-After"] == "1"
    assert up.json()["status"] == "UP"
    assert served.status_code == 200
    told = log.read_text()
    warning = [line for line in told.splitlines() if "does not answer" in line]
    assert len(warning) == 1
    assert warning[0].startswith("aquastream: warning: AQUASTREAM_DATABASE_URL: the database at")
    assert "Traceback" not in told
