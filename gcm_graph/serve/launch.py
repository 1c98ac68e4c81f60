"""Start the production server (`python -m gcm_graph.serve.wsgi`) as a child process on a free
loopback port, and stop it with its query workers: shared by the HTTP tests and the benchmarks."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from ..config import REPO_ROOT


@contextmanager
def launched(
    release_dir: Path | str,
    *,
    deadline: float,
    workers: int,
    threads: int,
    config: dict | None = None,
    startup_timeout: float = 120.0,
) -> Iterator[tuple[str, int]]:
    """(URL, pid) of a started server until the block ends; RuntimeError with its stderr if it
    does not start."""
    command = [
        sys.executable,
        "-m",
        "gcm_graph.serve.wsgi",
        "--host=127.0.0.1",
        "--port=0",
        f"--release-dir={release_dir}",
        f"--deadline={deadline}",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--config-json={json.dumps(config or {})}",
    ]
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the workers go with it
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: queue.Queue[str] = queue.Queue()
    stderr: list[str] = []
    threading.Thread(target=_pump, args=(process.stdout, lines.put), daemon=True).start()
    threading.Thread(target=_pump, args=(process.stderr, stderr.append), daemon=True).start()
    try:
        yield _wait_for_url(lines, process, stderr, startup_timeout), process.pid
    finally:
        stop(process)


def _pump(stream, sink) -> None:
    for line in stream:
        sink(line)


def _wait_for_url(
    lines: queue.Queue[str], process: subprocess.Popen, stderr: list[str], timeout: float
) -> str:
    while True:
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            raise RuntimeError("server did not start:\n" + "".join(stderr)) from None
        if line.startswith("listening on "):
            return line.split()[-1]
        if process.poll() is not None:
            raise RuntimeError("server exited:\n" + "".join(stderr))


def stop(process: subprocess.Popen) -> None:
    """SIGINT (waitress stops, the app closes its pool), then kill what is left of the group."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=15)
