"""gcm-graph servers for tests and benchmarks: one instance (`python -m gcm_graph.serve.http.wsgi`) or
several behind one port (gunicorn, gcm_graph/serve/http/replicas.py), on a free loopback port, each in
its own process group that is stopped, query workers included, when the block ends (also on
errors). Both wait for events (the "listening on" line; every instance answering /healthz), with
a generous start-up timeout only as a guard against a server that never starts.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import requests

STARTUP_TIMEOUT_S = 180.0


@dataclass(frozen=True)
class Server:
    url: str  # http://127.0.0.1:PORT/
    pid: int

    @property
    def sparql(self) -> str:
        return self.url + "sparql"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def launched(
    release_dir: Path | str,
    *,
    deadline: float,
    workers: int,
    threads: int,
    config: dict | None = None,
    startup_timeout: float = STARTUP_TIMEOUT_S,
) -> Iterator[Server]:
    """One server until the block ends; RuntimeError with its stderr if it does not start."""
    command = [
        sys.executable,
        "-m",
        "gcm_graph.serve.http.wsgi",
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
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the workers go with it
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: queue.Queue[str] = queue.Queue()
    stderr: list[str] = []
    threading.Thread(target=_pump, args=(process.stdout, lines.put, ""), daemon=True).start()
    threading.Thread(target=_pump, args=(process.stderr, stderr.append), daemon=True).start()
    try:
        yield Server(_wait_for_url(lines, process, stderr, startup_timeout), process.pid)
    finally:
        stop(
            process, signal.SIGTERM
        )  # handled like Ctrl-C (SIGINT may be ignored: a background job)


@contextmanager
def replicas(
    instances: int,
    *,
    threads: int = 16,
    config: dict | None = None,
    startup_timeout: float = STARTUP_TIMEOUT_S,
) -> Iterator[tuple[Server, subprocess.Popen]]:
    """gunicorn with `instances` workers on a free loopback port, once every instance answers
    /healthz; the master process too (a test sends it SIGHUP to reload)."""
    from gcm_graph.serve.http.replicas import CONFIG_ENV, replica_command

    bind = f"127.0.0.1:{free_port()}"
    process = subprocess.Popen(
        replica_command(bind, instances, threads),
        env={**os.environ, CONFIG_ENV: json.dumps(config or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    stderr: list[bytes] = []
    threading.Thread(target=_pump, args=(process.stderr, stderr.append), daemon=True).start()
    server = Server(f"http://{bind}/", process.pid)
    try:
        started, seen = time.monotonic(), set()
        while len(seen) < instances:  # every instance up (the kernel picks who answers)
            if process.poll() is not None or time.monotonic() - started > startup_timeout:
                tail = b"".join(stderr).decode(errors="replace")[-2000:]
                raise RuntimeError(f"replicas did not start:\n{tail}")
            with suppress(requests.RequestException, ValueError):
                response = requests.get(
                    server.url + "healthz", headers={"Connection": "close"}, timeout=5
                )
                if response.status_code == 200:
                    seen.add(response.json()["instance"])
            time.sleep(0.05)
        yield server, process
    finally:
        stop(process, signal.SIGTERM)


def stop(process: subprocess.Popen, first: signal.Signals = signal.SIGTERM) -> None:
    """`first` (the server stops cleanly, closing its pool), then kill what is left of its group."""
    if process.poll() is None:
        process.send_signal(first)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=15)


def _pump(stream, sink, end: object = None) -> None:
    """Copy the stream's lines to sink; then `end`, if given (a sentinel: the stream closed)."""
    for line in stream:
        sink(line)
    if end is not None:
        sink(end)


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
        if line == "":  # its stdout closed: it exited
            process.wait()
            raise RuntimeError(f"server exited ({process.returncode}):\n" + "".join(stderr))
