"""SPARQL endpoint benchmark: gcm-graph's /sparql against rdflib-endpoint on the same dump.

    .venv/bin/python benchmarks/bench_sparql.py [--release build] [--json out.json]

Both servers run on loopback in the same run. rdflib-endpoint (not a project dependency) is
installed from PyPI into its own virtualenv (default ~/.cache/gcm-graph/rdflib-endpoint-venv) and
serves build/gcm.trig (named graphs, default graph = their union, like ours). For every catalogue
query (sparql_queries/*.rq) the script checks that both endpoints return the same number of rows,
then measures the median HTTP latency (GET, SPARQL JSON, one keep-alive connection), then the
throughput with 16 concurrent keep-alive connections cycling through all queries. Everything is
bounded in time: a per-query sample budget, a fixed throughput window, a per-request timeout.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BASELINE_PACKAGE = "rdflib-endpoint[cli]==0.6.3"
DEFAULT_VENV = Path.home() / ".cache" / "gcm-graph" / "rdflib-endpoint-venv"
FALLBACK_QUERIES = {  # used only if the catalogue is empty
    "count": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
    "objectives": "PREFIX gcm: <https://w3id.org/gcm/ontology#> PREFIX dcterms: "
    "<http://purl.org/dc/terms/> SELECT ?o ?t { ?o a gcm:Objective ; dcterms:title ?t } ORDER BY ?o",
    "graphs": "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
}


@dataclass
class Endpoint:
    name: str
    host: str
    port: int
    path: str = "/sparql"
    latencies: dict[str, list[float]] = field(default_factory=dict)
    rows: dict[str, int | str] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ask(
    connection: http.client.HTTPConnection, endpoint: Endpoint, query: str
) -> tuple[int, bytes]:
    target = endpoint.path + "?" + urllib.parse.urlencode({"query": query})
    connection.request("GET", target, headers={"Accept": "application/sparql-results+json"})
    response = connection.getresponse()
    return response.status, response.read()


def row_count(body: bytes) -> int | str:
    try:
        answer = json.loads(body)
    except ValueError:
        return "unparsable"
    if "boolean" in answer:
        return int(answer["boolean"])
    return len(answer["results"]["bindings"])


@contextmanager
def process(command: list[str], ready, label: str, timeout: float = 300):
    """Start a server process group; `ready()` polls it up; stopped (and its group killed) after.

    stdout is a pipe that a thread keeps draining (a server blocked on a full pipe would stall);
    `ready` gets the lines seen so far; stderr goes to a log file."""
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-{label}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=log, text=True, start_new_session=True
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
    try:
        started = time.monotonic()
        value = ready(lines)
        while value is None:
            if proc.poll() is not None or time.monotonic() - started > timeout:
                raise RuntimeError(f"{label} did not start; see {log.name}")
            time.sleep(0.2)
            value = ready(lines)
        print(f"  {label} ready in {time.monotonic() - started:.1f} s", file=sys.stderr)
        yield value
    finally:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGINT)
        with suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        log.close()


def gcm_server(release: Path, workers: int, threads: int):
    """The production setup (waitress, warm workers, default 10 s deadline and limits)."""
    command = [
        sys.executable, "-m", "gcm_graph.serve.http.wsgi", "--host=127.0.0.1", "--port=0",
        f"--release-dir={release}", f"--workers={workers}", f"--threads={threads}",
    ]  # fmt: skip

    def ready(lines: list[str]):
        for line in lines:  # printed once the query workers are warm
            if line.startswith("listening on "):
                port = int(line.rsplit(":", 1)[1].strip("/\n"))
                return Endpoint("gcm-graph", "127.0.0.1", port)
        return None

    return process(command, ready, "gcm-graph")


def baseline_server(venv: Path, dump: Path):
    if not (venv / "bin" / "rdflib-endpoint").exists():
        print(f"  installing {BASELINE_PACKAGE} into {venv}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "pip"), "install", "--quiet", BASELINE_PACKAGE]
        subprocess.run(pip, check=True)
    port = free_port()
    endpoint = Endpoint("rdflib-endpoint", "127.0.0.1", port, path="/")  # its default path
    command = [str(venv / "bin" / "rdflib-endpoint"), "serve", str(dump), "--host=127.0.0.1",
               f"--port={port}"]  # fmt: skip

    def ready(lines: list[str]):
        try:
            connection = http.client.HTTPConnection(endpoint.host, endpoint.port, timeout=5)
            status, _ = ask(connection, endpoint, "ASK { ?s ?p ?o }")
            connection.close()
            return endpoint if status == 200 else None
        except OSError:
            return None

    return process(command, ready, "rdflib-endpoint")


def measure_latency(
    endpoint: Endpoint, queries: dict[str, str], repeat: int, budget: float, timeout: float
) -> None:
    connection = http.client.HTTPConnection(endpoint.host, endpoint.port, timeout=timeout)
    for name, text in queries.items():
        samples: list[float] = []
        try:
            status, body = ask(connection, endpoint, text)  # warm-up, and the answer to compare
            endpoint.rows[name] = row_count(body) if status == 200 else f"HTTP {status}"
            started = time.monotonic()
            while len(samples) < repeat and time.monotonic() - started < budget:
                t0 = time.perf_counter()
                ask(connection, endpoint, text)
                samples.append(time.perf_counter() - t0)
        except (TimeoutError, OSError) as error:
            endpoint.rows.setdefault(name, f"error: {error}")
            connection.close()
            connection = http.client.HTTPConnection(endpoint.host, endpoint.port, timeout=timeout)
        endpoint.latencies[name] = samples
    connection.close()


def measure_throughput(
    endpoint: Endpoint, queries: list[str], clients: int, duration: float, timeout: float
) -> tuple[float, int, int]:
    """Completed requests per second over `duration` s with `clients` keep-alive connections."""
    done, failed = [0] * clients, [0] * clients
    stop_at = time.monotonic() + duration

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(endpoint.host, endpoint.port, timeout=timeout)
        position = index
        while time.monotonic() < stop_at:
            try:
                status, _ = ask(connection, endpoint, queries[position % len(queries)])
            except (TimeoutError, OSError):
                failed[index] += 1
                connection.close()
                connection = http.client.HTTPConnection(
                    endpoint.host, endpoint.port, timeout=timeout
                )
                continue
            if time.monotonic() <= stop_at:
                if status == 200:
                    done[index] += 1
                else:
                    failed[index] += 1
            position += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = max(duration, min(time.monotonic() - started, duration))
    return sum(done) / elapsed, sum(done), sum(failed)


def load_queries(directory: Path) -> dict[str, str]:
    files = sorted(directory.glob("*.rq"))
    if not files:
        print(f"  {directory} has no .rq files: using the script's own queries", file=sys.stderr)
        return dict(FALLBACK_QUERIES)
    return {path.stem: path.read_text(encoding="utf-8") for path in files}


def median_ms(samples: list[float]) -> float | None:
    return statistics.median(samples) * 1000 if samples else None


def report(ours: Endpoint, theirs: Endpoint, throughput: dict[str, tuple[float, int, int]]) -> dict:
    """Print the per-query table and the summary; return the figures."""
    print(f"\n{'query':38} {'rows':>9} {'gcm-graph ms':>13} {'rdflib-ep ms':>13} {'speed-up':>9}")
    ratios: list[float] = []
    per_query = {}
    for name in ours.latencies:
        mine = median_ms(ours.latencies[name])
        base = median_ms(theirs.latencies.get(name, []))
        rows_mine, rows_base = ours.rows.get(name), theirs.rows.get(name)
        rows = f"{rows_mine}" if rows_mine == rows_base else f"{rows_mine}!={rows_base}"
        ratio = base / mine if mine and base else None
        if ratio:
            ratios.append(ratio)
        per_query[name] = {
            "rows": [rows_mine, rows_base],
            "gcm_ms": mine,
            "rdflib_endpoint_ms": base,
            "speedup": ratio,
        }
        shown = [f"{v:13.2f}" if v is not None else f"{'-':>13}" for v in (mine, base)]
        speedup = f"{ratio:8.1f}x" if ratio else "-"
        print(f"{name:38} {rows:>9} {shown[0]} {shown[1]} {speedup:>9}")
    mine_rps, mine_ok, mine_failed = throughput["gcm-graph"]
    base_rps, base_ok, base_failed = throughput["rdflib-endpoint"]
    if ratios:
        print(
            f"\nmedian latency speed-up: geometric mean {statistics.geometric_mean(ratios):.1f}x, "
            f"min {min(ratios):.1f}x, max {max(ratios):.1f}x over {len(ratios)} queries"
        )
    print(
        f"throughput: gcm-graph {mine_rps:.1f} req/s ({mine_ok} ok, {mine_failed} failed), "
        f"rdflib-endpoint {base_rps:.2f} req/s ({base_ok} ok, {base_failed} failed)"
        + (f", ratio {mine_rps / base_rps:.1f}x" if base_rps else "")
    )
    return {
        "queries": per_query,
        "latency_speedup_geomean": statistics.geometric_mean(ratios) if ratios else None,
        "latency_speedup_min": min(ratios) if ratios else None,
        "throughput_rps": {"gcm-graph": mine_rps, "rdflib-endpoint": base_rps},
        "throughput_ok_failed": {
            "gcm-graph": [mine_ok, mine_failed],
            "rdflib-endpoint": [base_ok, base_failed],
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, default=REPO / "build")
    parser.add_argument("--queries", type=Path, default=REPO / "sparql_queries")
    parser.add_argument("--repeat", type=int, default=15, help="latency samples per query")
    parser.add_argument("--budget", type=float, default=15.0, help="s of samples per query")
    parser.add_argument("--duration", type=float, default=15.0, help="s of throughput load")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gcm-graph query workers")
    parser.add_argument("--timeout", type=float, default=60.0, help="s per request")
    parser.add_argument("--baseline-venv", type=Path, default=DEFAULT_VENV)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    # stopped by a timeout or kill: still run the `finally` blocks that stop both servers
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))

    queries = load_queries(args.queries)
    print(f"{len(queries)} queries; release {args.release}; {os.cpu_count()} CPUs", file=sys.stderr)
    with (
        gcm_server(args.release, args.workers, args.clients) as ours,
        baseline_server(args.baseline_venv, args.release / "gcm.trig") as theirs,
    ):
        throughput = {}
        for endpoint in (ours, theirs):
            print(f"  latency: {endpoint.name}", file=sys.stderr)
            measure_latency(endpoint, queries, args.repeat, args.budget, args.timeout)
        for endpoint in (ours, theirs):
            print(f"  throughput: {endpoint.name}", file=sys.stderr)
            throughput[endpoint.name] = measure_throughput(
                endpoint, list(queries.values()), args.clients, args.duration, args.timeout
            )
    figures = report(ours, theirs, throughput)
    figures["settings"] = {k: str(v) for k, v in vars(args).items()}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
