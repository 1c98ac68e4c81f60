"""Memory of the server's process tree after heavy queries, with and without worker recycling.

    .venv/bin/python benchmarks/memory_recycling.py [--release-dir build] [--queries 6]

One server per setting (2 query workers), the same heavy queries (DISTINCT over the pairs of
objects of each subject: the allocator keeps what the hash set took), then, once the workers are
quiet, the resident memory of the server and all its descendants. Settings: recycling by memory
off (WORKER_RECYCLE_MB null), and on with a bound below one query's growth. Prints one JSON line
per setting.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from contextlib import suppress
from pathlib import Path

import requests
from serving import REPO, children, command_line, cpu_ticks, descendants, wsgi_server

HEAVY = "SELECT (COUNT(*) AS ?n) {{ SELECT DISTINCT ?s ?o ?o2 {{ ?s ?p ?o . ?s ?p2 ?o2 }} }} # {}"
PAGE = 4096


def rss_mib(pids: set[int]) -> float:
    total = 0
    for pid in pids:
        with suppress(OSError, IndexError, ValueError):  # gone meanwhile
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    return round(total / 2**20, 1)


def workers(server_pid: int) -> set[int]:
    forkservers = {p for p in children(server_pid) if "forkserver" in command_line(p)}
    return set().union(*(children(p) for p in forkservers))


def quiet(pids: set[int]) -> None:
    until = time.monotonic() + 120
    while time.monotonic() < until:
        before = {p: cpu_ticks(p) for p in pids}
        time.sleep(0.5)
        if all(cpu_ticks(p) - before[p] <= 2 for p in pids):
            return


def measure(release: str, queries: int, recycle_mb: float | None) -> dict:
    with wsgi_server(release, workers=2, deadline=120.0, WORKER_RECYCLE_MB=recycle_mb) as server:
        tree = {server.pid} | descendants(server.pid)
        before = rss_mib(tree)
        first = workers(server.pid)
        for number in range(queries):
            response = requests.get(
                server.sparql, params={"query": HEAVY.format(number)}, timeout=300
            )
            response.raise_for_status()
        time.sleep(1.0)  # recycled workers exit once their replacement is warm
        quiet(workers(server.pid))
        after = rss_mib({server.pid} | descendants(server.pid))
        return {
            "recycle_mb": recycle_mb,
            "heavy_queries": queries,
            "tree_rss_mib_before": before,
            "tree_rss_mib_after": after,
            "workers_replaced": len(first - workers(server.pid)),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release-dir", default=str(REPO / "build"))
    parser.add_argument("--queries", type=int, default=6)
    parser.add_argument("--bound-mib", type=float, default=32.0)
    args = parser.parse_args(argv)
    for recycle_mb in (None, args.bound_mib):
        print(json.dumps(measure(args.release_dir, args.queries, recycle_mb)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
