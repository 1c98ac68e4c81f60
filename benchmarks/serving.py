"""Servers for the load, fault, fuzz and Virtuoso benchmarks: loopback only, stopped at the end.

`wsgi_server` runs `python -m gcm_graph.serve.wsgi` (one instance: waitress threads + query
worker processes); `replica_server` runs several instances behind one port (gunicorn,
gcm_graph/serve/replicas.py). Both yield a Server once it answers, and stop it (its whole
process group) when the block ends, also on errors.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import requests

from gcm_graph.serve.launch import launched

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
START_TIMEOUT_S = 180.0


@dataclass(frozen=True)
class Server:
    url: str  # http://127.0.0.1:PORT/
    pid: int

    @property
    def sparql(self) -> str:
        return self.url + "sparql"


def require_loopback(url: str) -> None:
    """These scripts generate load: they refuse to aim it at anything but this machine."""
    host = urlparse(url).hostname
    if host not in LOOPBACK:
        raise SystemExit(f"{url}: only loopback addresses (127.0.0.1, localhost) are allowed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


@contextmanager
def wsgi_server(
    release_dir: Path | str,
    *,
    workers: int = 2,
    threads: int = 64,
    deadline: float = 10.0,
    **config: object,
) -> Iterator[Server]:
    with launched(
        release_dir,
        deadline=deadline,
        workers=workers,
        threads=threads,
        config=config,
        startup_timeout=START_TIMEOUT_S,
    ) as (url, pid):
        yield Server(url, pid)


@contextmanager
def replica_server(instances: int, threads: int = 16, **config: object) -> Iterator[Server]:
    from gcm_graph.serve.replicas import CONFIG_ENV, replica_command

    bind = f"127.0.0.1:{free_port()}"
    env = {**os.environ, CONFIG_ENV: json.dumps(config)}
    process = subprocess.Popen(
        replica_command(bind, instances, threads),
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://{bind}/"
    try:
        started = time.monotonic()
        seen: set[int] = set()
        while len(seen) < instances:  # every instance up (the kernel picks who answers)
            if process.poll() is not None or time.monotonic() - started > START_TIMEOUT_S:
                raise RuntimeError("replicas did not start")
            with suppress(requests.RequestException):
                response = requests.get(url + "healthz", headers={"Connection": "close"}, timeout=5)
                if response.status_code == 200:
                    seen.add(response.json()["instance"])
            time.sleep(0.05)
        yield Server(url, process.pid)
    finally:
        _stop(process)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (fraction in 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(stat.parent.name))
    return found


def descendants(pid: int) -> set[int]:
    result, frontier = set(), {pid}
    while frontier:
        found = set().union(*(children(p) for p in frontier))
        result |= found
        frontier = found
    return result


def cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""
