"""Side-by-side measurement: a scenario against its baseline, in one run, A B A B.

The machines are shared and noisy, so a figure alone means little: each scenario runs
its two sides alternately (``--pairs`` times, at least 3), and the table shows the median
of each side, their ratio, latency percentiles where the side reports them, and the
machine's load average before and after.

HTTP sides are driven by wrk (Debian's package ``wrk``: ``apt-get install wrk``), a load
generator in a process of its own, so the Python under test is not also generating load.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

SUITE_PREFIX = "BENCH-ROW "


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
    rss_mb: float | None = None  # the service's, after the load
    ready_s: float | None = None  # the service's start to ready

    @property
    def ratio(self) -> float:
        return _median([s.rate for s in self.ours]) / _median([s.rate for s in self.baseline])

    def row(self) -> dict[str, Any]:
        """This comparison as one row of the suite's table (``emit``)."""
        ours, baseline = _median([s.rate for s in self.ours]), _median([s.rate for s in self.baseline])
        return {
            "scenario": self.scenario,
            "ours": f"{ours:,.0f} {self.unit}",
            "baseline": f"{baseline:,.0f} {self.unit}",
            "ratio": f"{self.ratio:.2f}",
            "target": f"≥ {self.target:.2f}" if self.target is not None else "—",
            "met": None if self.target is None else self.ratio >= self.target,
            "latency": _latencies(self.ours) + " · " + _latencies(self.baseline),
            "load": f"{self.load_before:.1f} → {self.load_after:.1f}",
            "rss": f"{self.rss_mb:.0f} MB" if self.rss_mb is not None else "—",
            "ready": f"{self.ready_s:.1f} s" if self.ready_s is not None else "—",
        }


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
        ours_rate, baseline_rate = comparison.ours[-1].rate, comparison.baseline[-1].rate
        print(f"  pair {len(comparison.ours)}: {ours_rate:,.0f} vs {baseline_rate:,.0f}", file=sys.stderr)
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


def wrk(
    url: str,
    *,
    seconds: int,
    connections: int,
    threads: int = 2,
    requests: Path | None = None,
    repeat: bool = False,
) -> Sample:
    """``wrk`` against ``url``; a run with any non-2xx answer or socket error is refused.

    With ``requests`` (a file of ``rotating_requests``), every request is the next one of the
    file, each sent once; a run that outlasts the file is refused (give it more), unless
    ``repeat`` (the file is sent again and again)."""
    # A generous timeout: on a busy machine a slow answer is a latency, not an error.
    command = [
        wrk_path(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "--latency",
    ]
    if requests is not None:
        script = requests.with_suffix(".lua")
        script.write_text(ROTATE_LUA)
        command += ["-s", str(script), url, "--", str(requests), str(threads)]
    else:
        command.append(url)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    errors = WRK_ERRORS.search(output)
    if errors:
        sys.exit(f"bench: {url} answered errors under load:\n{output}{_first_answer(url, requests)}")
    wrapped = re.search(r"^BENCH-WRAPPED (\d+)$", output, re.MULTILINE)
    if wrapped and int(wrapped.group(1)) > 0 and not repeat:
        sys.exit(f"bench: the load outlasted the {_lines(requests)} prepared requests; prepare more")
    rate = WRK_RATE.search(output)
    if rate is None or float(rate.group(1)) < 1:
        sys.exit(f"bench: cannot read wrk's output:\n{output}")
    latency = {int(p): float(v) * UNIT_MS[u] for p, v, u in WRK_LATENCY.findall(output)}
    return Sample(float(rate.group(1)), latency.get(50), latency.get(99))


def _first_answer(url: str, requests: Path | None) -> str:
    """What the server answers the file's first request now (why the load failed)."""
    if requests is None:
        return ""
    with requests.open() as lines:
        method, path, head, body = lines.readline().rstrip("\n").split("\t", 3)
    headers = dict(header.split(": ", 1) for header in head.split("\x1f") if header)
    target = httpx.URL(url).copy_with(raw_path=path.encode())
    answer = httpx.request(method, target, headers=headers, content=body.encode())
    return f"the first request again: {answer.status_code} {answer.text[:500]}"


def _lines(path: Path | None) -> int:
    return 0 if path is None else sum(1 for _ in path.open())


def rotating_requests(into: Path, requests: Iterable[tuple[str, str, dict[str, str], str]]) -> Path:
    """Write ``(method, path, headers, body)`` requests for ``wrk(requests=…)``: one a line."""
    with into.open("w") as out:
        for method, path, headers, body in requests:
            head = "\x1f".join(f"{name}: {value}" for name, value in headers.items())
            if any(c in part for part in (path, head, body) for c in "\t\n"):
                raise ValueError("a request with a tab or a newline")
            out.write(f"{method}\t{path}\t{head}\t{body}\n")
    return into


# Each wrk thread reads the file; thread k of n sends lines k, k + n, k + 2n… (each line once
# over the run); past the end it starts again and counts it, and ``done`` reports the count.
ROTATE_LUA = r"""
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  prepared = {}
  for line in io.lines(args[1]) do
    local method, path, head, body = line:match("^([^	]*)	([^	]*)	([^	]*)	(.*)$")
    local headers = {}
    for name, value in head:gmatch("([^:\31]+):%s*([^\31]*)") do headers[name] = value end
    table.insert(prepared, wrk.format(method, path, headers, body))
  end
  step = tonumber(args[2])
  index = id - step
  wrapped = 0
end

function request()
  index = index + step
  if index > #prepared then
    index = id
    wrapped = wrapped + 1
  end
  return prepared[index]
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("wrapped") end
  io.write(string.format("BENCH-WRAPPED %d\n", total))
end
"""


# SQL load with pgbench.

PGBENCH_TPS = re.compile(r"^tps = ([\d.]+) \(without initial connection time\)", re.MULTILINE)


def pgbench_path() -> str:
    found = shutil.which("pgbench")
    if found is None:
        sys.exit(
            "bench: pgbench is missing; install it with `apt-get install postgresql-client` "
            "(Debian's package)."
        )
    return found


def pgbench(
    dsn: str,
    script: Path,
    *,
    seconds: int,
    clients: int,
    threads: int = 2,
    define: dict[str, str | int] | None = None,
) -> Sample:
    """``pgbench`` running ``script`` (prepared statements, as asyncpg does) on ``dsn``: its
    transactions per second, and its p50 / p99 from the per-transaction log. A failed
    transaction stops the bench."""
    logs = Path(tempfile.mkdtemp(prefix="aqs-pgbench-"))
    try:
        command = [
            pgbench_path(), "-n", "-M", "prepared", f"-c{clients}", f"-j{threads}", f"-T{seconds}",
            "-f", str(script), "-l", "--log-prefix", str(logs / "tx"),
        ]  # fmt: skip
        for name, value in (define or {}).items():
            command += ["-D", f"{name}={value}"]
        done = subprocess.run([*command, dsn], capture_output=True, text=True)
        output = done.stdout + done.stderr
        failed = re.search(r"number of failed transactions: (\d+)", output)
        if done.returncode != 0 or (failed and int(failed.group(1)) > 0):
            sys.exit(f"bench: pgbench failed:\n{output[-3000:]}")
        rate = PGBENCH_TPS.search(output)
        if rate is None:
            sys.exit(f"bench: cannot read pgbench's output:\n{output}")
        latencies = sorted(
            int(line.split()[2]) / 1000 for log in logs.iterdir() for line in log.read_text().splitlines()
        )
    finally:
        shutil.rmtree(logs, ignore_errors=True)
    if not latencies:
        return Sample(float(rate.group(1)))
    return Sample(
        float(rate.group(1)),
        latencies[len(latencies) // 2],
        latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    )


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


@contextmanager
def recording(pid: int, into: Path, seconds: int) -> Iterator[None]:
    """py-spy's raw stacks of ``pid`` and its children while the block runs (about ``seconds``)."""
    into.parent.mkdir(parents=True, exist_ok=True)
    spy = shutil.which("py-spy") or sys.exit("bench: --profile needs py-spy (pip install py-spy)")
    command = [spy, "record", "--pid", str(pid), "--subprocesses", "--format", "raw", "-o", str(into)]
    recorder = subprocess.Popen([*command, "--duration", str(seconds + 2), "--rate", "200", "--nonblocking"])
    try:
        yield
    finally:
        recorder.wait()


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


# The suite: every scenario in turn, then one table.

SUITE_COLUMNS = {
    "scenario": "Scenario",
    "ours": "AquaStream",
    "baseline": "Baseline",
    "ratio": "Ratio",
    "target": "Target",
    "met": "Met?",
    "latency": "p50 / p99 ms (ours · baseline)",
    "load": "Load",
    "rss": "RSS after load",
    "ready": "Start to ready",
}
# Short runs for `./dev bench --quick` (a check that every scenario works, not figures).
QUICK = {
    "catalog": ["--seconds", "2", "--events", "2000"],
    "checkin": ["--seconds", "2", "--pool", "3000"],
    "crews": ["--rounds", "1"],
    "http_booking": ["--seconds", "2", "--pool", "3000"],
    "seat_booking": ["--bookings", "300", "--capacity", "200"],
    "spine": ["--seconds", "5", "--samples", "10"],
    "token_check": ["--requests", "200", "--pairs", "3"],
    "webhook": ["--seconds", "2", "--pool", "3000", "--duplicates", "300"],
}
HERE = Path(__file__).resolve().parent
SERVICE_ENVIRONMENT = HERE.parent / ".cache" / "bench-service"


def service_python() -> str:
    """The interpreter of an environment installed as the container installs the service:
    the locked runtime dependencies alone, the project as a package (``uv sync --frozen
    --no-dev --no-editable``, as in the Containerfile). The servers under test (and the bare
    apps they are compared with) run there, so that their memory and start are those of a
    deployment, not of the development environment, whose test tools some libraries import
    when they find them (advanced-alchemy and Litestar take pydantic: 0.2 s and 6 MB).
    Installed again at every bench run (a few seconds): the project's code is copied in."""
    uv = shutil.which("uv") or str(HERE.parent / ".cache" / "uv" / "bin" / "uv")
    environment = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(SERVICE_ENVIRONMENT)}
    command = [uv, "sync", "--frozen", "--no-dev", "--no-editable", "--compile-bytecode", "--quiet"]
    command += ["--reinstall-package", "aquastream"]  # the code as it is now, not a cached build
    subprocess.run(command, cwd=HERE.parent, env=environment, check=True)
    return str(SERVICE_ENVIRONMENT / "bin" / "python")


def emit(rows: Iterable[Comparison | dict[str, Any]]) -> None:
    """Print the scenario's rows for the suite's table (the suite reads them from its output)."""
    for row in rows:
        values = row.row() if isinstance(row, Comparison) else row
        print(SUITE_PREFIX + json.dumps(values, ensure_ascii=False), flush=True)


def scenarios() -> list[str]:
    """The scripts of bench/ that run on their own."""
    return sorted(
        path.stem
        for path in HERE.glob("*.py")
        if path.stem != "compare" and '\nif __name__ == "__main__":' in path.read_text()
    )


def crews_rows(output: str) -> list[dict[str, Any]]:
    """bench/crews.py's own Markdown table as suite rows: | what | figure | target: verdict |."""
    rows: list[dict[str, Any]] = []
    lines = output.splitlines()
    for n, line in enumerate(lines):
        if not line.startswith("| Auto-assignment"):
            continue
        title = line.strip("| ").split("|")[0].strip()
        for body in lines[n + 2 :]:
            if not body.startswith("|"):
                break
            what, figure, verdict = (cell.strip() for cell in body.strip("|").split("|")[:3])
            target, _, met = verdict.rpartition(":")
            row = {"scenario": f"{title}: {what}", "ours": figure, "target": target, "met": met == " met"}
            rows.append(row)
    load = re.search(r"^Load ([\d.]+ → [\d.]+)", output, re.MULTILINE)
    for row in rows:
        row["load"] = load.group(1) if load else "—"
    return rows


def suite_table(rows: list[dict[str, Any]]) -> str:
    def cell(row: dict[str, Any], key: str) -> str:
        value = row.get(key)
        if key == "met":
            return "—" if value is None else ("yes" if value else "**no**")
        return "—" if value in (None, "") else str(value)

    lines = [
        "| " + " | ".join(SUITE_COLUMNS.values()) + " |",
        "|" + "---|" * len(SUITE_COLUMNS),
    ]
    lines += ["| " + " | ".join(cell(row, key) for key in SUITE_COLUMNS) + " |" for row in rows]
    lines.append("")
    lines.append(f"{os.cpu_count()} CPUs; load average now {os.getloadavg()[0]:.1f}.")
    return "\n".join(lines)


QUIET_BUSY = 0.25  # the share of the CPUs busy under which the machine counts as quiet
QUIET_WAIT_SECONDS = 90


def cpu_busy(seconds: float) -> float:
    """The share of all CPUs' time spent busy over the next ``seconds`` (``/proc/stat``)."""

    def times() -> tuple[int, int]:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
        idle = values[3] + values[4]  # idle and iowait
        return sum(values) - idle, sum(values)

    busy_before, total_before = times()
    time.sleep(seconds)
    busy_after, total_after = times()
    return (busy_after - busy_before) / max(total_after - total_before, 1)


def quiet(*, wait_seconds: float = QUIET_WAIT_SECONDS) -> str:
    """Wait until the machine is quiet (at most ``wait_seconds``): a scenario's servers,
    PostgreSQL's checkpoint or autovacuum after it, and the dropped databases' files go on
    using the CPUs for a while after it ends, which the next scenario would otherwise pay
    for (the CPU-bound ones most: both sides share the two cores with what is left)."""
    started = time.monotonic()
    while True:
        busy = cpu_busy(2.0)
        waited = time.monotonic() - started
        if busy < QUIET_BUSY or waited >= wait_seconds:
            return f"CPUs {busy:.0%} busy after {waited:.0f} s"


def run_suite(names: list[str], *, quick: bool) -> int:
    """Run each scenario (its output shown as it comes) once the machine is quiet, then
    print one table of all."""
    rows: list[dict[str, Any]] = []
    failed = 0
    for name in names:
        state = "" if quick else f" ({quiet()})"
        print(f"== bench {name}{state}", flush=True)
        command = [sys.executable, f"{name}.py", *(QUICK.get(name, []) if quick else [])]
        process = subprocess.Popen(command, cwd=HERE, stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None
        output = []
        for line in process.stdout:
            if not line.startswith(SUITE_PREFIX):
                print(line, end="", flush=True)
            output.append(line)
        if process.wait() != 0:
            failed += 1
            rows.append({"scenario": name, "ours": f"failed (exit {process.returncode})"})
            continue
        found = [json.loads(line[len(SUITE_PREFIX) :]) for line in output if line.startswith(SUITE_PREFIX)]
        if not found and name == "crews":
            found = crews_rows("".join(output))
        rows += found or [{"scenario": name, "ours": "see its own output above"}]
    print("\n== the suite\n")
    print(suite_table(rows))
    return 1 if failed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description="Every benchmark of bench/ in turn, then one table.")
    parser.add_argument("names", nargs="*", help=f"some of: {', '.join(scenarios())} (default: all)")
    parser.add_argument("--quick", action="store_true", help="short runs: a check that each works")
    args = parser.parse_args()
    unknown = set(args.names) - set(scenarios())
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    sys.exit(run_suite(args.names or scenarios(), quick=args.quick))


if __name__ == "__main__":
    main()
