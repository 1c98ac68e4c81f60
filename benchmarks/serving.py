"""Servers for the load, fault, fuzz and Virtuoso benchmarks: loopback only, stopped at the end.

`wsgi_server` runs `python -m gcm_graph.serve.http.wsgi` (one instance: waitress threads + query
worker processes); `replica_server` runs several instances behind one port (gunicorn,
gcm_graph/serve/http/replicas.py). Both yield a Server once it answers, and stop it (its whole
process group) when the block ends, also on errors.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the harness (testing/) lives at the root of the repository

from testing.clients import ClientThreads  # noqa: E402
from testing.processes import children, command_line, cpu_ticks, descendants  # noqa: E402
from testing.servers import Server, free_port, launched, replicas  # noqa: E402

__all__ = [
    "REPO",
    "ClientThreads",
    "Server",
    "children",
    "command_line",
    "cpu_ticks",
    "descendants",
    "free_port",
    "replica_server",
    "wsgi_server",
]

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def require_loopback(url: str) -> None:
    """These scripts generate load: they refuse to aim it at anything but this machine."""
    host = urlparse(url).hostname
    if host not in LOOPBACK:
        raise SystemExit(f"{url}: only loopback addresses (127.0.0.1, localhost) are allowed")


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
        release_dir, deadline=deadline, workers=workers, threads=threads, config=config
    ) as server:
        yield server


@contextmanager
def replica_server(instances: int, threads: int = 16, **config: object) -> Iterator[Server]:
    with replicas(instances, threads=threads, config=config) as (server, _master):
        yield server


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (fraction in 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]
