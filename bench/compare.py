"""Side-by-side measurement: a scenario against its baseline, in one run, A B A B.

The machines are shared and noisy, so a figure alone means little: each scenario runs
its two sides alternately (``--pairs`` times, at least 3), and the table shows the median
of each side, their ratio, latency percentiles where the side reports them, and the
machine's load average before and after.

HTTP sides are driven by wrk (Debian's package ``wrk``: ``apt-get install wrk``), a load
generator in a process of its own, so the Python under test is not also generating load.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx


@dataclass
class Sample:
    """One run of one side: its rate (higher is better) and latencies in milliseconds."""

    rate: float
    p50_ms: float | None = None
    p99_ms: float | None = None


@dataclass
class Comparison:
    scenario: str
    unit: str
    target: float | None  # the ratio the scenario must reach, if any
    ours: list[Sample] = field(default_factory=list)
    baseline: list[Sample] = field(default_factory=list)
    load_before: float = 0.0
    load_after: float = 0.0

    @property
    def ratio(self) -> float:
        return _median([s.rate for s in self.ours]) / _median([s.rate for s in self.baseline])


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _median_of(samples: list[Sample], attribute: str) -> float | None:
    values = [getattr(s, attribute) for s in samples if getattr(s, attribute) is not None]
    return statistics.median(values) if values else None


async def alternate(
    comparison: Comparison,
    ours: Callable[[], Awaitable[Sample]],
    baseline: Callable[[], Awaitable[Sample]],
    *,
    pairs: int,
) -> Comparison:
    """Run A B A B … ``pairs`` times, recording the machine's load around the whole."""
    comparison.load_before = os.getloadavg()[0]
    for _ in range(pairs):
        comparison.ours.append(await ours())
        comparison.baseline.append(await baseline())
    comparison.load_after = os.getloadavg()[0]
    return comparison


def table(comparisons: list[Comparison]) -> str:
    """The run's table, in Markdown."""
    rows = [
        "| Scenario | AquaStream | Baseline | Ratio | Target | p50 / p99 ms (ours) "
        "| p50 / p99 ms (baseline) | Load |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in comparisons:
        rows.append(
            f"| {c.scenario} | {_median([s.rate for s in c.ours]):,.0f} {c.unit} "
            f"| {_median([s.rate for s in c.baseline]):,.0f} {c.unit} | {c.ratio:.2f} "
            f"| {'≥ ' + format(c.target, '.2f') if c.target is not None else '—'} "
            f"| {_latencies(c.ours)} | {_latencies(c.baseline)} "
            f"| {c.load_before:.1f} → {c.load_after:.1f} |"
        )
    cpus = os.cpu_count()
    rows.append("")
    rows.append(
        f"Medians of {len(comparisons[0].ours) if comparisons else 0} interleaved pairs; {cpus} CPUs."
    )
    return "\n".join(rows)


def _latencies(samples: list[Sample]) -> str:
    p50, p99 = _median_of(samples, "p50_ms"), _median_of(samples, "p99_ms")
    if p50 is None or p99 is None:
        return "—"
    return f"{p50:.1f} / {p99:.1f}"


# HTTP load with wrk.

WRK_LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
WRK_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
WRK_ERRORS = re.compile(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)")
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        sys.exit("bench: wrk is missing; install it with `apt-get install wrk` (Debian's package).")
    return found


def wrk(url: str, *, seconds: int, connections: int, threads: int = 2) -> Sample:
    """``wrk`` against ``url``; a run with any non-2xx answer or socket error is refused."""
    command = [wrk_path(), f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    errors = WRK_ERRORS.search(output)
    if errors:
        sys.exit(f"bench: {url} answered errors under load:\n{output}")
    rate = WRK_RATE.search(output)
    if rate is None or float(rate.group(1)) < 1:
        sys.exit(f"bench: cannot read wrk's output:\n{output}")
    latency = {int(p): float(v) * UNIT_MS[u] for p, v, u in WRK_LATENCY.findall(output)}
    return Sample(float(rate.group(1)), latency.get(50), latency.get(99))


# Servers in processes of their own.


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(command: list[str], env: dict[str, str], *, ready: str, log: Path) -> Iterator[tuple[float, int]]:
    """Run ``command`` until the block ends; yields the seconds it took until ``ready`` (a
    URL) answered 200, and its process id."""
    with log.open("w") as out:
        started = time.monotonic()
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = started + 120
            while True:
                if process.poll() is not None:
                    sys.exit(f"bench: {command[:4]} exited with {process.returncode}:\n{log.read_text()}")
                try:
                    if httpx.get(ready, timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    sys.exit(f"bench: {ready} did not answer within 120 s:\n{log.read_text()}")
                time.sleep(0.05)
            yield time.monotonic() - started, process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def rss_mb(pid: int) -> float:
    """Resident memory of the largest process of the tree under ``pid`` (a server's worker), in MB."""
    largest = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        for line in _read(Path(f"/proc/{current}/status")).splitlines():
            if line.startswith("VmRSS:"):
                largest = max(largest, int(line.split()[1]))
        for task in _list(Path(f"/proc/{current}/task")):
            pending += [int(p) for p in _read(Path(f"/proc/{current}/task/{task}/children")).split()]
    return largest / 1024


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _list(path: Path) -> list[str]:
    try:
        return os.listdir(path)
    except OSError:
        return []
