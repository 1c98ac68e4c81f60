"""Load test: many concurrent connections on /sparql and resource pages, for a bounded time.

    .venv/bin/python benchmarks/load_test.py                       # 64 connections, 30 s, build/
    .venv/bin/python benchmarks/load_test.py --replicas 2          # two instances (gunicorn)
    .venv/bin/python benchmarks/load_test.py --backend URL         # answering from a remote store
    .venv/bin/python benchmarks/load_test.py --url http://127.0.0.1:8000/   # a running server

The mix: every catalogue query (sparql_queries/*.rq, POSTed as application/sparql-query, SPARQL
JSON asked; a query that fails when tried alone before the run is left out and listed) and the HTML and Turtle documents of up to 200 resources of the release, taken in
turn by each connection. Each connection is a keep-alive session in one of several client
processes (so that the client's GIL is not the bottleneck). Every answer must be a 200 with a
body that parses; anything else counts as an error. Reports requests/s and p50/p99 latency per
kind; exit status 1 if any request failed. Loopback only; stops by itself after --duration.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests
from serving import REPO, percentile, replica_server, require_loopback, wsgi_server

EXCLUDED: dict[str, str] = {}  # catalogue queries that fail when tried alone, left out of the mix
RESOURCES = """SELECT DISTINCT ?s WHERE { ?s a ?class FILTER(STRSTARTS(STR(?s), "%s")) }
ORDER BY ?s LIMIT 200"""


def targets(url: str, base: str) -> list[tuple[str, str, dict]]:
    """(kind, path, request options) for every request of the mix."""
    sys.path.insert(0, str(REPO))
    from gcm_graph.catalogue import catalogue

    queries = []
    for entry in catalogue():
        headers = {"Content-Type": "application/sparql-query", "Accept": "application/json"}
        options = {"data": entry.text.encode(), "headers": headers}
        trial = requests.post(url + "sparql", timeout=60, **options)
        if trial.status_code != 200:  # the server cannot answer it at all (e.g. a store's bug)
            EXCLUDED[entry.name] = f"HTTP {trial.status_code}: {trial.text[:120]}"
            continue
        queries.append(("sparql", "sparql", options))
    answer = requests.post(
        url + "sparql", data={"query": RESOURCES % base}, headers={"Accept": "application/json"}
    )
    answer.raise_for_status()
    pages = []
    for row in answer.json()["results"]["bindings"]:
        path = row["s"]["value"][len(base) :]
        pages += [("page", f"{path}.html", {}), ("page", f"{path}.ttl", {})]
    # half queries, half pages: alternate, cycling through the shorter list
    size = max(len(queries), len(pages))
    return [
        item for i in range(size) for item in (queries[i % len(queries)], pages[i % len(pages)])
    ]


def check(kind: str, path: str, response: requests.Response) -> str | None:
    if response.status_code != 200:
        return f"{path}: HTTP {response.status_code} {response.text[:120]!r}"
    if kind == "sparql":
        json.loads(response.content)
    elif path.endswith(".html") and b"</html>" not in response.content:
        return f"{path}: truncated HTML"
    return None


def client_process(
    url: str, mix: list, connections: list[int], start: float, until: float, out
) -> None:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()

    def connection(number: int) -> None:
        session = requests.Session()
        position = number * 7 % len(mix)
        time.sleep(max(0.0, start - time.time()))  # every connection starts together
        while time.time() < until:
            kind, path, options = mix[position]
            position = (position + 1) % len(mix)
            method = "POST" if "data" in options else "GET"
            started = time.perf_counter()
            try:
                response = session.request(method, url + path, timeout=60, **options)
                problem = check(kind, path, response)
            except (requests.RequestException, ValueError) as error:
                problem = f"{path}: {error!r}"
            elapsed = time.perf_counter() - started
            with lock:
                latencies[kind].append(elapsed)
                if problem:
                    errors.append(problem)

    threads = [threading.Thread(target=connection, args=(n,)) for n in connections]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put((dict(latencies), errors))


def run_load(url: str, connections: int, duration: float, processes: int, base: str) -> dict:
    require_loopback(url)
    mix = targets(url, base)
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    start = time.time() + 3.0  # client processes are spawned (and import requests) by then
    until = start + duration
    groups = [list(range(p, connections, processes)) for p in range(processes)]
    workers = [
        context.Process(target=client_process, args=(url, mix, group, start, until, out))
        for group in groups
    ]
    for worker in workers:
        worker.start()
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    for _ in workers:
        part, failures = out.get(timeout=duration + 120)
        for kind, values in part.items():
            latencies[kind].extend(values)
        errors.extend(failures)
    for worker in workers:
        worker.join(timeout=30)
    total = sum(len(v) for v in latencies.values())
    report = {
        "url": url,
        "connections": connections,
        "seconds": duration,
        "requests": total,
        "errors": len(errors),
        "requests_per_second": round(total / duration, 1),
        "error_samples": errors[:10],
        "excluded_queries": EXCLUDED,
        "distinct_requests": {
            kind: len({(m[1], m[2].get("data")) for m in mix if m[0] == kind})
            for kind in ("sparql", "page")
        },
    }
    every = [v for values in latencies.values() for v in values]
    for kind, values in [("all", every), *sorted(latencies.items())]:
        if values:
            report[kind] = {
                "requests": len(values),
                "p50_ms": round(1000 * percentile(values, 0.50), 1),
                "p99_ms": round(1000 * percentile(values, 0.99), 1),
            }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server (loopback); default: start one")
    parser.add_argument("--release-dir", default=str(REPO / "build"))
    parser.add_argument("--backend", help="serve from this remote SPARQL endpoint")
    parser.add_argument("--replicas", type=int, default=0, help="instances behind one port")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--processes", type=int, default=4, help="client processes")
    parser.add_argument("--query-workers", type=int, default=4)
    parser.add_argument("--base", default="https://w3id.org/gcm/")
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args(argv)

    config: dict = {"QUEUE_TIMEOUT_S": 30.0}
    if args.backend:
        require_loopback(args.backend)
        config["BACKEND_URL"] = args.backend
    if args.url:
        report = run_load(args.url, args.connections, args.duration, args.processes, args.base)
    elif args.replicas:
        config |= {"RELEASE_DIR": args.release_dir, "WORKERS": args.query_workers}
        with replica_server(args.replicas, threads=32, **config) as server:
            report = run_load(
                server.url, args.connections, args.duration, args.processes, args.base
            )
    else:
        with wsgi_server(
            args.release_dir, workers=args.query_workers, threads=args.connections, **config
        ) as server:
            report = run_load(
                server.url, args.connections, args.duration, args.processes, args.base
            )
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
