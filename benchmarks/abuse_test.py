"""Abuse test: every hostile probe of issue 11 against one started server, one line per probe.

    .venv/bin/python benchmarks/abuse_test.py [--release-dir build] [--only NAME ...]

The server is `python -m gcm_graph.serve.http.wsgi` (what `gcm-graph serve` runs) with its
default settings, on a free loopback port (testing/servers.py). Clients are told apart by their
source address (127.0.0.N). Probes, in order:

  start         seconds from launch to the "listening on" line (query workers warm) and the
                /healthz answer then (benchmarks/bench_start.py times the first answers)
  connections   1,000 idle sockets + 50 clients sending one header line every 5 s: /healthz and
                a cheap query (first answer after the sockets are open; then median and max)
  body          a POST announcing 300 MiB: status, body bytes taken, temporary files opened
  crafted       the 20,000-character query (`"` then `\\"` 9,990 times): status and CPU seconds of
                the web process; 4 clients at once: /healthz median
  heavy         8 clients sending queries that run into the deadline, another sending cheap
                queries (and /healthz): the cheap ones' statuses, p50 and p99
  bypass        SERVICE and FROM tricks on /sparql (GET, POST) and /query: statuses, connections
                seen by a listener named in SERVICE
  memory        tree RSS before and after 18 heavy queries, and 10 s later
  kill-idle     kill -9 of an idle query worker: seconds until /healthz and a query answer 200
  kill-busy     kill -9 of the worker running a query: that client's status and message, seconds
                until the service answers again

Loopback only. Figures are measurements on this machine (noisy, shared); nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import sys
import threading
import time
from contextlib import suppress

from serving import REPO, children, command_line, cpu_ticks, descendants, wsgi_server

from testing.hostile import (
    HeavyClients,
    SlowHeaders,
    announce_body,
    client,
    distinct,
    fetch,
    idle_connections,
    spooled_files,
    tree_rss_mib,
)

CHEAP = "ASK { ?s ?p ?o }"
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HUNGRY = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?i"
CRAFTED = '"' + '\\"' * 9990  # 19,981 characters: under the length limit
TIMEOUT = 120.0
MIB = 1024 * 1024


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def sparql(url: str, query: str, source: str = "127.0.0.1", **kw):
    return fetch(url, "/sparql", params={"query": query}, source=source, timeout=TIMEOUT, **kw)


def healthz(url: str, source: str = "127.0.0.1"):
    return fetch(url, "/healthz", source=source, timeout=TIMEOUT)


def counts(statuses: list) -> str:
    found: dict[str, int] = {}
    for status in statuses:
        found[str(status)] = found.get(str(status), 0) + 1
    return " ".join(f"{k}x{v}" for k, v in sorted(found.items()))


# --- probes ---------------------------------------------------------------------------------


def probe_connections(url: str, pid: int) -> str:
    cheap = client(30)
    sparql(url, CHEAP, cheap)
    with idle_connections(url, 1000), SlowHeaders(url, 50, interval=5.0) as slow:
        first_health = healthz(url)
        first_query = sparql(url, CHEAP + " # first", cheap)
        health, query = [], []
        for n in range(10):
            health.append(healthz(url))
            query.append(sparql(url, distinct(CHEAP, n), cheap))
            time.sleep(0.5)
        slow_left = len(slow.sockets)
    seconds_h = [r.seconds for r in health]
    seconds_q = [r.seconds for r in query]
    return (
        f"1000 idle + 50 slow-header: first /healthz {first_health.status} in "
        f"{ms(first_health.seconds)}, first query {first_query.status} in "
        f"{ms(first_query.seconds)}; then /healthz {counts([r.status for r in health])} median "
        f"{ms(statistics.median(seconds_h))} max {ms(max(seconds_h))}, query "
        f"{counts([r.status for r in query])} median {ms(statistics.median(seconds_q))} max "
        f"{ms(max(seconds_q))}; slow clients still connected {slow_left}/50"
    )


def probe_body(url: str, pid: int) -> str:
    before = set(spooled_files(pid))
    started = time.perf_counter()
    status, _ = announce_body(url, 300 * MIB, timeout=TIMEOUT)
    answered = time.perf_counter() - started
    seen: set[str] = set()
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            seen.update(set(spooled_files(pid)) - before)
            time.sleep(0.01)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    pushed_status, taken = announce_body(url, 300 * MIB, send=64 * MIB, timeout=TIMEOUT)
    stop.set()
    watcher.join()
    return (
        f"300 MiB announced: {status} after {ms(answered)} with no body sent; pushing the body: "
        f"{pushed_status} after {taken / MIB:.1f} MiB written by the client; temporary files "
        f"opened by the server: {len(seen)}"
    )


def probe_crafted(url: str, pid: int) -> str:
    before = cpu_ticks(pid)
    reply = sparql(url, CRAFTED, client(40))
    one = (cpu_ticks(pid) - before) / os.sysconf("SC_CLK_TCK")
    stop = threading.Event()

    def attacker(number: int) -> None:
        while not stop.is_set():
            with suppress(OSError):
                sparql(url, CRAFTED + f" # {number}", client(41 + number))

    threads = [threading.Thread(target=attacker, args=(n,), daemon=True) for n in range(4)]
    before = cpu_ticks(pid)
    for thread in threads:
        thread.start()
    seconds = [healthz(url).seconds for _ in range(5)]
    stop.set()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    busy = (cpu_ticks(pid) - before) / os.sysconf("SC_CLK_TCK")
    return (
        f"20,000-char crafted query: {reply.status} in {ms(reply.seconds)}, web-process CPU "
        f"{one:.3f} s; with 4 such clients: /healthz median {ms(statistics.median(seconds))} "
        f"max {ms(max(seconds))} (web process used {busy:.1f} s CPU meanwhile)"
    )


def probe_heavy(url: str, pid: int, duration: float = 40.0) -> str:
    cheap = client(60)
    sparql(url, CHEAP, cheap)  # a known client
    queries, healths = [], []
    with HeavyClients(url, CROSS_JOIN, 8, first=70, timeout=TIMEOUT) as heavy:
        until = time.monotonic() + duration
        while time.monotonic() < until:
            queries.append(sparql(url, f"ASK {{ ?s ?p {len(queries)} }}", cheap))
            healths.append(healthz(url, client(61)))
            time.sleep(0.2)
    seconds = [r.seconds for r in queries]
    health_seconds = [r.seconds for r in healths]
    return (
        f"8 heavy clients, {duration:g} s: cheap queries {counts([r.status for r in queries])} "
        f"p50 {ms(percentile(seconds, 0.5))} p99 {ms(percentile(seconds, 0.99))} max "
        f"{ms(max(seconds))}; /healthz {counts([r.status for r in healths])} p99 "
        f"{ms(percentile(health_seconds, 0.99))}; heavy queries {counts(heavy.statuses)}"
    )


class Listener:
    """A TCP listener that counts the connections it gets (the target of SERVICE attempts)."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            with suppress(TimeoutError, OSError):
                connection, _ = self.socket.accept()
                self.connections += 1
                connection.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.socket.close()


def probe_bypass(url: str, pid: int) -> str:
    listener = Listener()
    target = f"http://127.0.0.1:{listener.port}/sparql"
    texts = {
        "service": f"SELECT * {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        "service-gt-in-string": (
            f"SELECT * {{ ?s ?p ?o FILTER(?o != '>') SERVICE <{target}> {{ ?a ?b ?c }} }}"
        ),
        "service-escaped-backslash": (
            f'SELECT * {{ BIND("\\u005C" AS ?x) SERVICE <{target}> {{ ?a ?b ?c }} }}'
        ),
        "from-no-space": "SELECT * FROM<http://example.org/foreign> { ?s ?p ?o } LIMIT 1",
        "from-named-no-space": (
            "SELECT * FROM NAMED<http://example.org/foreign> { GRAPH ?g { ?s ?p ?o } } LIMIT 1"
        ),
    }
    results = []
    for name, text in texts.items():
        get = sparql(url, text, client(90))
        post = fetch(
            url, "/sparql", method="POST", body=text.encode(),
            headers={"Content-Type": "application/sparql-query"}, source=client(90), timeout=TIMEOUT,
        )  # fmt: skip
        form = fetch(
            url, "/query", method="POST", body=f"query={_form(text)}".encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"}, source=client(90),
            timeout=TIMEOUT,
        )  # fmt: skip
        results.append(f"{name} {get.status}/{post.status}/{form.status}")
    time.sleep(1.0)
    listener.close()
    return (
        "GET/POST /sparql, POST /query: "
        + ", ".join(results)
        + f"; connections to the SERVICE listener: {listener.connections}"
    )


def _form(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def probe_memory(url: str, pid: int) -> str:
    before = tree_rss_mib(pid)
    statuses, peak = [], before

    def run(number: int) -> None:
        statuses.append(sparql(url, distinct(HUNGRY, number), client(130 + number)).status)

    for first in range(0, 18, 2):  # two at a time (the general lane's two workers)
        pair = [threading.Thread(target=run, args=(n,)) for n in (first, first + 1)]
        for thread in pair:
            thread.start()
        for thread in pair:
            thread.join(timeout=TIMEOUT)
        peak = max(peak, tree_rss_mib(pid))
    after = tree_rss_mib(pid)
    time.sleep(10)
    settled = tree_rss_mib(pid)
    return (
        f"tree RSS {before:.0f} MiB before, {after:.0f} MiB after 18 heavy queries "
        f"({counts(statuses)}; peak seen {peak:.0f} MiB), {settled:.0f} MiB 10 s later"
    )


def query_workers(server_pid: int) -> set[int]:
    """Processes that run queries: the children of the server's forkserver(s), else every
    descendant that is not a multiprocessing helper."""
    forkservers = {p for p in children(server_pid) if "forkserver" in command_line(p)}
    workers = set().union(*(children(p) for p in forkservers)) if forkservers else set()
    if workers:
        return workers
    helpers = ("resource_tracker", "forkserver")
    return {p for p in descendants(server_pid) if not any(h in command_line(p) for h in helpers)}


def until_answering(url: str, limit: float = 30.0) -> tuple[float | None, list]:
    started, seen = time.monotonic(), []
    while time.monotonic() - started < limit:
        health = healthz(url)
        query = sparql(url, f"ASK {{ ?s ?p {time.monotonic()} }}", client(110))
        seen += [health.status, query.status]
        if health.status == 200 and query.status == 200:
            return time.monotonic() - started, seen
        time.sleep(0.1)
    return None, seen


def probe_kill_idle(url: str, pid: int) -> str:
    workers = sorted(query_workers(pid))
    if not workers:
        return "no query worker process found"
    os.kill(workers[0], signal.SIGKILL)
    recovered, seen = until_answering(url)
    when = f"{recovered:.2f} s" if recovered is not None else "not within 30 s"
    return f"killed idle worker {workers[0]}: answering again after {when} (saw {counts(seen)})"


def probe_kill_busy(url: str, pid: int) -> str:
    until_answering(url)
    time.sleep(5)  # a replacement still loading the release would look busy
    before = {p: cpu_ticks(p) for p in query_workers(pid)}
    answer: list = []
    thread = threading.Thread(
        target=lambda: answer.append(sparql(url, CROSS_JOIN + " # victim", client(120)))
    )
    thread.start()
    victim = None
    until = time.monotonic() + 30
    while victim is None and time.monotonic() < until:
        time.sleep(0.1)
        for p in query_workers(pid) & set(before):  # workers that were warm before the query
            if cpu_ticks(p) - before[p] >= 20:
                victim = p
    if victim is None:
        thread.join(timeout=TIMEOUT)
        return "no busy worker found"
    killed = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    thread.join(timeout=TIMEOUT)
    told = time.monotonic() - killed
    recovered, seen = until_answering(url)
    reply = answer[0] if answer else None
    message = reply.text.strip()[:120] if reply else "no answer"
    when = f"{recovered:.2f} s" if recovered is not None else "not within 30 s"
    return (
        f"killed busy worker {victim}: its client got {reply.status if reply else '-'} after "
        f"{told:.2f} s ({message!r}); answering again after {when} (saw {counts(seen)})"
    )


PROBES = {
    "connections": probe_connections,
    "body": probe_body,
    "crafted": probe_crafted,
    "heavy": probe_heavy,
    "bypass": probe_bypass,
    "memory": probe_memory,
    "kill-idle": probe_kill_idle,
    "kill-busy": probe_kill_busy,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release-dir", default=str(REPO / "build"))
    parser.add_argument("--only", nargs="*", choices=sorted(PROBES), default=None)
    args = parser.parse_args(argv)
    launched_at = time.monotonic()
    with wsgi_server(args.release_dir, workers=2, threads=16, deadline=10.0) as server:
        url = server.url
        first = healthz(url)
        print(
            f"start        workers warm, /healthz {first.status} "
            f"{time.monotonic() - launched_at:.2f} s after launch",
            flush=True,
        )
        for name, probe in PROBES.items():
            if args.only and name not in args.only:
                continue
            try:
                line = probe(url, server.pid)
            except Exception as error:  # a probe that breaks is reported, the others still run
                line = f"probe failed: {type(error).__name__}: {error}"
            print(f"{name:<12} {line}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
