"""``aquastream serve --workers 2`` as a real subprocess: ``/metrics`` reports what every
worker counted, whichever worker answers the scrape (prometheus_client's multiprocess mode)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from .live_server import served
from .test_metrics import sample

ROUTE = "/health/live"
BATCH = 20
MAX_BATCHES = 10
SCRAPES = 6
PENDING_SMS = 'aquastream_notifications_pending{channel="SMS"}'


def _get(url: str) -> int:
    # A connection of its own per request, so that the kernel hands them to either worker.
    return httpx.get(url, headers={"Connection": "close"}, timeout=10).status_code


def _pids_counting(folder: Path) -> set[str]:
    """The processes that wrote counters to the run's metrics directory (``serve`` made it under
    TMPDIR, which the test points at its folder)."""
    return {path.stem.rsplit("_", 1)[1] for path in folder.glob("aquastream-metrics-*/counter_*.db")}


def test_counters_sum_what_every_worker_counted_on_every_scrape(tmp_path: Path) -> None:
    sent = 0
    with served(tmp_path, "--workers", "2", TMPDIR=str(tmp_path)) as base:
        with ThreadPoolExecutor(max_workers=8) as pool:
            # Until both workers have answered some (on an idle machine one may take them all).
            for _ in range(MAX_BATCHES):
                assert set(pool.map(_get, [f"{base}{ROUTE}"] * BATCH)) == {200}
                sent += BATCH
                if len(_pids_counting(tmp_path)) >= 2:
                    break
        assert len(_pids_counting(tmp_path)) >= 2, "one worker answered every request"

        scrapes = [
            httpx.get(f"{base}/metrics", headers={"Connection": "close"}, timeout=10).text
            for _ in range(SCRAPES)
        ]

    for exposition in scrapes:
        assert sample(exposition, "aquastream_http_requests_total", route=ROUTE, status="200") == sent
        assert sample(exposition, "aquastream_http_request_duration_seconds_count", route=ROUTE) == sent
        # They would describe only the process that answered.
        assert "process_cpu_seconds_total" not in exposition
        # Read from the database by the process that answers: once, not once per worker.
        pending = [line for line in exposition.splitlines() if line.startswith(PENDING_SMS)]
        assert pending == [f"{PENDING_SMS} 0.0"]
    assert not list(tmp_path.glob("aquastream-metrics-*")), "the run's metrics directory is left behind"
