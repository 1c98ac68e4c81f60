"""gcm-graph's endpoint against Oxigraph's own HTTP server, same data, same queries, same run.

    .venv/bin/pip install -e '.[bench]'            # the `oxigraph` command (pinned in the extra)
    .venv/bin/python benchmarks/bench_oxigraph.py [--rounds 5] [--seconds 20] [--connections 16]

Oxigraph (`oxigraph serve-read-only`, the engine gcm-graph embeds, without Python in front) is
loaded with build/gcm.nq plus the merge of its named graphs as the default graph, the dataset
gcm-graph's workers hold (query/store.py load_store; `--union` instead serves build/gcm.nq as
it is with `--union-default-graph`, which evaluates the union at query time: slower). The mix is every catalogue query (sparql_queries/*.rq), cheap and heavy.

* latency: each query `--rounds` times on each server, one at a time, servers interleaved;
  the median latency over the whole mix, and the median of the per-query ratios;
* throughput: `--connections` keep-alive connections (threads, each its own client address
  127.0.0.N: gcm-graph shares its capacity per client) cycling through the mix for `--seconds`;
  completed answers per second.

gcm-graph is measured twice: with its answer cache (the default; identical queries on the
release are answered from memory) and without it (ANSWER_CACHE_BYTES=0: every query evaluated,
like Oxigraph). Goals (issue 11): median latency within 1.5x of Oxigraph, throughput at 16
connections at least Oxigraph's. Loopback only; figures are medians on a noisy shared machine.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlencode

from pyoxigraph import RdfFormat
from serving import REPO, free_port, wsgi_server

from gcm_graph.catalogue import catalogue
from gcm_graph.serve.query.store import load_store

ACCEPT = "application/sparql-results+json"


class Connection:
    """One keep-alive HTTP connection from a chosen loopback address."""

    def __init__(self, port: int, path: str, source: str):
        self.port, self.path, self.source = port, path, source
        self.http: http.client.HTTPConnection | None = None

    def ask(self, query: str) -> tuple[int, float]:
        started = time.perf_counter()
        for attempt in (1, 2):  # a keep-alive connection the server closed: reconnect once
            if self.http is None:
                self.http = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=120, source_address=(self.source, 0)
                )
            try:
                self.http.request(
                    "GET", f"{self.path}?{urlencode({'query': query})}", headers={"Accept": ACCEPT}
                )
                response = self.http.getresponse()
                response.read()
                return response.status, time.perf_counter() - started
            except (http.client.HTTPException, OSError):
                self.http.close()
                self.http = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


@contextmanager
def oxigraph_server(nquads: Path, union: bool = False) -> Iterator[int]:
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        raise SystemExit("no `oxigraph` command: pip install -e '.[bench]'")
    with tempfile.TemporaryDirectory(prefix="bench-oxigraph-") as work:
        location, data = Path(work, "store"), nquads
        if not union:  # the dataset as gcm-graph's workers hold it
            data = Path(work, "dataset.nq")
            load_store(nquads).dump(str(data), format=RdfFormat.N_QUADS)
        subprocess.run(
            [binary, "load", "--location", str(location), "--file", str(data)],
            check=True,
            capture_output=True,
        )
        port = free_port()
        process = subprocess.Popen(
            [binary, "serve-read-only", "--location", str(location), "--bind",
             f"127.0.0.1:{port}", *(["--union-default-graph"] if union else [])],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            probe = Connection(port, "/query", "127.0.0.1")
            until = time.monotonic() + 120
            while True:
                with suppress(OSError, http.client.HTTPException):
                    if probe.ask("ASK {}")[0] == 200:
                        break
                if time.monotonic() > until or process.poll() is not None:
                    raise RuntimeError("oxigraph serve-read-only did not start")
                time.sleep(0.1)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=30)


def latencies(targets: dict[str, Connection], mix: list[str], rounds: int) -> dict:
    """{server: {query index: [seconds]}}, servers interleaved query by query."""
    seen: dict[str, dict[int, list[float]]] = {name: {} for name in targets}
    failures: dict[str, int] = dict.fromkeys(targets, 0)
    for _ in range(rounds):
        for index, query in enumerate(mix):
            for name, connection in targets.items():
                status, seconds = connection.ask(query)
                if status != 200:
                    failures[name] += 1
                seen[name].setdefault(index, []).append(seconds)
    return {"seconds": seen, "failures": failures}


def throughput(port: int, path: str, mix: list[str], connections: int, seconds: float) -> dict:
    done: list[int] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def worker(number: int) -> None:
        connection = Connection(port, path, f"127.0.0.{number + 2}")
        order = mix[:]
        random.Random(number).shuffle(order)
        n = 0
        while not stop.is_set():
            status, _ = connection.ask(order[n % len(order)])
            n += 1
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status == 200:
                    done.append(1)

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=180)
    elapsed = time.perf_counter() - started
    return {"per_second": len(done) / elapsed, "statuses": statuses}


def compare(label: str, gcm_port: int, ox_port: int, mix: list[str], args) -> None:
    targets = {
        "gcm-graph": Connection(gcm_port, "/sparql", "127.0.0.1"),
        "oxigraph": Connection(ox_port, "/query", "127.0.0.1"),
    }
    for connection in targets.values():  # warm both (first answers, connections)
        for query in mix:
            connection.ask(query)
    result = latencies(targets, mix, args.rounds)
    gcm, ox = result["seconds"]["gcm-graph"], result["seconds"]["oxigraph"]
    gcm_all = [s for values in gcm.values() for s in values]
    ox_all = [s for values in ox.values() for s in values]
    per_query = [statistics.median(gcm[i]) / statistics.median(ox[i]) for i in gcm]
    heavy = sorted(ox, key=lambda i: statistics.median(ox[i]))[-max(1, len(mix) // 4) :]
    heavy_ratio = statistics.median(
        statistics.median(gcm[i]) / statistics.median(ox[i]) for i in heavy
    )
    gcm_tp = throughput(gcm_port, "/sparql", mix, args.connections, args.seconds)
    ox_tp = throughput(ox_port, "/query", mix, args.connections, args.seconds)
    print(
        f"{label}: median latency gcm-graph {statistics.median(gcm_all) * 1000:.1f} ms, "
        f"oxigraph {statistics.median(ox_all) * 1000:.1f} ms, ratio "
        f"{statistics.median(gcm_all) / statistics.median(ox_all):.2f}x (median per-query "
        f"ratio {statistics.median(per_query):.2f}x, heaviest quarter {heavy_ratio:.2f}x; "
        f"non-200: {result['failures']})",
        flush=True,
    )
    print(
        f"{label}: throughput at {args.connections} connections gcm-graph "
        f"{gcm_tp['per_second']:.1f}/s {gcm_tp['statuses']}, oxigraph "
        f"{ox_tp['per_second']:.1f}/s {ox_tp['statuses']}, ratio "
        f"{gcm_tp['per_second'] / ox_tp['per_second']:.2f}x",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release-dir", default=str(REPO / "build"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--union", action="store_true", help="Oxigraph with --union-default-graph")
    args = parser.parse_args(argv)
    mix = [entry.text for entry in catalogue()]
    print(f"{len(mix)} catalogue queries; {os.cpu_count()} CPUs", flush=True)
    release = Path(args.release_dir)
    with oxigraph_server(release / "gcm.nq", args.union) as ox_port:
        for label, config in (
            ("without cache", {"ANSWER_CACHE_BYTES": 0}),
            ("with cache   ", {}),
        ):
            with wsgi_server(release, workers=2, threads=16, **config) as server:
                port = int(server.url.rsplit(":", 1)[1].strip("/"))
                compare(label, port, ox_port, mix, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
