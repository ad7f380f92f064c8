"""The real ``aquastream`` command in a subprocess, on an empty data folder as a fresh clone
would have it: one-shot commands and a served API (tests of the CLI and the API fuzzing)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(folder: Path, **settings: str) -> dict[str, str]:
    """The process environment: only the AQUASTREAM_ settings given here, cheap password hashing."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AQUASTREAM_")}
    env.update(
        AQUASTREAM_DATA_DIR=str(folder / "data"),
        AQUASTREAM_DATABASE_URL=f"sqlite+aiosqlite:///{folder / 'aquastream.db'}",
        AQUASTREAM_PASSWORD_TIME_COST="1",
        AQUASTREAM_PASSWORD_MEMORY_COST="8",
        AQUASTREAM_PASSWORD_PARALLELISM="1",
    )
    return env | settings


def cli(folder: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aquastream", *args],
        env=environment(folder, **settings),
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


READY_WITHIN_SECONDS = 60


@contextmanager
def served(folder: Path, *args: str, **settings: str) -> Iterator[str]:
    """``aquastream serve [args]`` on a free port until the block ends; yields its base URL."""
    port = free_port()
    # To a file, not a pipe: nobody reads a pipe while the tests run, and a server whose
    # log fills the pipe's buffer blocks on its next log line.
    log_path = folder / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "aquastream", "serve", "--port", str(port), *args],
            env=environment(folder, **settings),
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group: stopping it stops its workers too
        )
        base = f"http://127.0.0.1:{port}"
        try:
            # Generous: a loaded 2-core CI machine has taken over 30 s to start a server.
            deadline = time.monotonic() + READY_WITHIN_SECONDS
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    pytest.fail(f"serve exited with {process.returncode}: {log_path.read_text()}")
                try:
                    if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            else:
                pytest.fail(f"serve did not become ready within {READY_WITHIN_SECONDS} s")
            yield base
        finally:
            stop(process)


def stop(process: subprocess.Popen[str]) -> None:
    """SIGTERM to the process and everything it started (a server's workers, even those it
    was still spawning), then SIGKILL after 15 s."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        process.wait()


@contextmanager
def working(folder: Path, *args: str, log_name: str = "worker.log", **settings: str) -> Iterator[Path]:
    """``aquastream worker [args]`` until the block ends (then SIGTERM); yields its log file."""
    log_path = folder / log_name
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "aquastream", "worker", *args],
            env=environment(folder, **settings),
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group: stopping it stops its workers too
        )
        try:
            yield log_path
        finally:
            stop(process)


@contextmanager
def spawned(
    folder: Path, *args: str, log_name: str, **settings: str
) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """``aquastream [args]`` in a process group of its own, its output in ``folder/log_name``,
    for a test that signals it itself; killed at the end of the block if still running."""
    log_path = folder / log_name
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "aquastream", *args],
            env=environment(folder, **settings),
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            yield process, log_path
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_ready(base: str, process: subprocess.Popen[str], log_path: Path) -> None:
    """Until ``base``'s readiness probe answers 200 (failing the test if the process exits)."""
    deadline = time.monotonic() + READY_WITHIN_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the process exited with {process.returncode}: {log_path.read_text()}")
        try:
            if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail(f"{base} did not become ready within {READY_WITHIN_SECONDS} s")
