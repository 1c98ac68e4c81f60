"""Benchmark: gcm-graph embedded vs gcm-graph on Virtuoso vs Virtuoso's own /sparql, one run.

    .venv/bin/python benchmarks/bench_virtuoso.py [--repeat 20] [--duration 15] [--connections 16]

Starts a throw-away Virtuoso (scripts/virtuoso.sh), publishes the release (build/) into it,
starts gcm-graph twice on loopback — (a) on its embedded store, (b) with BACKEND_URL = that
Virtuoso — and measures, one target at a time so that they do not compete for the CPU:

* the median HTTP latency of every catalogue query (sparql_queries/*.rq), `--repeat` times each
  after two warm-up runs, one keep-alive connection, SPARQL JSON asked;
* the throughput (answers per second) at `--connections` concurrent keep-alive connections
  cycling through the catalogue queries for `--duration` seconds.

(c) Virtuoso's own /sparql gets the same queries with the same dataset as protocol parameters
(the merged graph as default graph, the source graphs as named graphs), so that all three
answer the same question. Queries that fail on a target are reported and left out of that
target's throughput mix. Goal (issue 6): (a) no slower than (c) on median latency, and at least
0.8x its throughput.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests
from serving import REPO, wsgi_server

sys.path.insert(0, str(REPO))

from gcm_graph.catalogue import catalogue
from gcm_graph.publish import merged_graph_iri, publish
from testing.virtuoso import running_virtuoso

# No compression for anyone: Virtuoso's is off (scripts/virtuoso.sh), and gzip of a few KB only
# costs time on loopback (about 0.2 ms per answer measured for gcm-graph).
ACCEPT = {"Accept": "application/sparql-results+json", "Accept-Encoding": "identity"}


class Target:
    """How to send one query to one system: (session, query) -> response."""

    def __init__(self, name: str, url: str, dataset: list[tuple[str, str]] | None = None):
        self.name, self.url, self.dataset = name, url, dataset or []

    def send(self, session: requests.Session, query: str) -> requests.Response:
        return session.post(
            self.url, data=[("query", query), *self.dataset], headers=ACCEPT, timeout=120
        )


def latencies(target: Target, queries: dict[str, str], repeat: int) -> dict[str, dict]:
    session = requests.Session()
    found = {}
    for name, text in queries.items():
        times, error = [], None
        for run in range(repeat + 2):
            started = time.perf_counter()
            response = target.send(session, text)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                error = f"HTTP {response.status_code}: {response.text[:160]}"
                break
            json.loads(response.content)
            if run >= 2:
                times.append(elapsed)
        found[name] = (
            {"error": error} if error else {"median_ms": round(1000 * statistics.median(times), 2)}
        )
    return found


def throughput(target: Target, queries: list[str], connections: int, duration: float) -> dict:
    counts, errors = [0] * connections, []
    start = time.perf_counter() + 0.5
    until = start + duration

    def client(number: int) -> None:
        session = requests.Session()
        position = number
        time.sleep(max(0.0, start - time.perf_counter()))
        while time.perf_counter() < until:
            response = target.send(session, queries[position % len(queries)])
            position += 1
            if response.status_code == 200:
                counts[number] += 1
            else:
                errors.append(response.status_code)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"answers_per_second": round(sum(counts) / duration, 1), "errors": len(errors)}


def measure(targets: list[Target], args: argparse.Namespace, say: Callable[[str], None]) -> dict:
    queries = {entry.name: entry.text for entry in catalogue()}
    report: dict = {"latency": {}, "throughput": {}}
    for target in targets:
        say(f"latency: {target.name}")
        report["latency"][target.name] = latencies(target, queries, args.repeat)
    ok = [
        text
        for name, text in queries.items()
        if all("median_ms" in report["latency"][t.name][name] for t in targets)
    ]
    report["throughput_mix"] = len(ok)
    for target in targets:
        say(f"throughput: {target.name}")
        report["throughput"][target.name] = throughput(target, ok, args.connections, args.duration)
    return report


def summary(report: dict, a: str, c: str) -> dict:
    rows = report["latency"]
    both = [q for q in rows[a] if "median_ms" in rows[a][q] and "median_ms" in rows[c][q]]
    not_slower = [q for q in both if rows[a][q]["median_ms"] <= rows[c][q]["median_ms"]]
    ratio = report["throughput"][a]["answers_per_second"] / max(
        report["throughput"][c]["answers_per_second"], 1e-9
    )
    return {
        "queries_compared": len(both),
        "embedded_not_slower_on": len(not_slower),
        "median_of_medians_ms": {
            a: statistics.median(rows[a][q]["median_ms"] for q in both),
            c: statistics.median(rows[c][q]["median_ms"] for q in both),
        },
        "throughput_ratio_embedded_to_virtuoso": round(ratio, 2),
        "goal_latency_met": len(not_slower) == len(both),
        "goal_throughput_met": ratio >= 0.8,
    }


def table(report: dict) -> str:
    names = list(report["latency"])
    lines = ["query".ljust(36) + "".join(n.rjust(22) for n in names)]
    for query in report["latency"][names[0]]:
        cells = []
        for name in names:
            cell = report["latency"][name][query]
            cells.append(f"{cell['median_ms']:.2f} ms" if "median_ms" in cell else "error")
        lines.append(query[:36].ljust(36) + "".join(c.rjust(22) for c in cells))
    lines.append(
        "throughput (answers/s)".ljust(36)
        + "".join(str(report["throughput"][n]["answers_per_second"]).rjust(22) for n in names)
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release-dir", type=Path, default=REPO / "build")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--query-workers", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    with running_virtuoso() as virtuoso:
        result = publish(args.release_dir, virtuoso.gsp, **virtuoso.client_options)
        say(f"published {result.sha[:12]} into Virtuoso: {result.graphs}")
        dataset = [("default-graph-uri", merged_graph_iri("https://w3id.org/gcm/"))]
        dataset += [("named-graph-uri", g) for g in result.graphs if not g.endswith("/merged")]
        common = {"workers": args.query_workers, "threads": 32, "deadline": 60.0}
        with (
            wsgi_server(args.release_dir, **common) as embedded,
            wsgi_server(args.release_dir, BACKEND_URL=virtuoso.sparql, **common) as remote,
        ):
            targets = [
                Target("a_embedded", embedded.sparql),
                Target("b_gcm_on_virtuoso", remote.sparql),
                Target("c_virtuoso_sparql", virtuoso.sparql, dataset),
            ]
            report = measure(targets, args, say)
    report["summary"] = summary(report, "a_embedded", "c_virtuoso_sparql")
    report["settings"] = vars(args) | {"release_dir": str(args.release_dir), "json": None}
    print(table(report))
    print(json.dumps(report["summary"], indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
