"""Fault test: kill processes in the middle of work and watch the service answer and heal.

    .venv/bin/python benchmarks/fault_test.py [--release-dir build] [--rounds 3]

A. Query worker killed mid-query (embedded store). A query that runs for seconds (a three-way
   cross join of the release) is sent; once it is running, the query worker process evaluating
   it is killed with SIGKILL, while other clients keep sending small queries. Expected: the
   client of the killed query gets an error status with a message at once (not a 200, not a
   hang until the deadline), the pool starts a replacement worker, every other client's query
   succeeds, and queries succeed afterwards. Repeated --rounds times.
B. Instance killed mid-request (two replicas behind one port). One instance (a gunicorn worker)
   is killed with SIGKILL under load. Expected: gunicorn starts a replacement that answers
   /healthz; requests that were in flight on the killed instance fail (a crash cannot answer
   them: that is what reload's graceful stop is for), every later request succeeds.

Loopback only; bounded (each round waits at most a few seconds). Exit status 1 if A's
expectations or B's replacement fail.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import requests
from serving import (
    REPO,
    ClientThreads,
    children,
    command_line,
    cpu_ticks,
    descendants,
    replica_server,
    wsgi_server,
)

CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SMALL = "ASK { <https://w3id.org/gcm/objective/7> ?p ?o }"


class Steady(ClientThreads):
    """`clients` threads sending small queries until stopped; counts failures."""

    def __init__(self, sparql: str, clients: int = 4, keep_alive: bool = True):
        super().__init__(clients)
        self.sparql, self.ok, self.failures = sparql, 0, []
        self.headers = {} if keep_alive else {"Connection": "close"}

    def client(self, number: int) -> None:
        session = requests.Session()
        while not self.stop.is_set():
            try:
                response = session.get(
                    self.sparql, params={"query": SMALL}, headers=self.headers, timeout=30
                )
                if response.status_code == 200:
                    self.ok += 1
                else:
                    self.failures.append(f"HTTP {response.status_code}: {response.text[:100]}")
            except requests.RequestException as error:
                self.failures.append(repr(error)[:160])
            time.sleep(0.01)


def query_workers(server_pid: int) -> set[int]:
    """The query worker processes: children of the forkserver started by the server."""
    servers = {p for p in children(server_pid) if "forkserver" in command_line(p)}
    return set().union(*(children(p) for p in servers))


def busiest(pids: set[int], interval: float = 0.5) -> int:
    before = {p: cpu_ticks(p) for p in pids}
    time.sleep(interval)
    return max(pids, key=lambda p: cpu_ticks(p) - before[p])


def kill_query_worker_round(server) -> dict:
    workers_before = query_workers(server.pid)
    result: dict = {}

    def long_query() -> None:
        response = requests.get(server.sparql, params={"query": CROSS_JOIN}, timeout=60)
        result.update(status=response.status_code, message=response.text.strip()[:200])
        result["answered_at"] = time.monotonic()

    thread = threading.Thread(target=long_query)
    thread.start()
    time.sleep(1.0)
    victim = busiest(workers_before)
    killed_at = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    thread.join(timeout=30)
    result["answered_after_kill_s"] = round(result.get("answered_at", float("inf")) - killed_at, 3)
    result.pop("answered_at", None)
    replaced_at = None
    while time.monotonic() - killed_at < 30:
        now = query_workers(server.pid)
        if victim not in now and len(now) >= len(workers_before) and now - workers_before:
            replaced_at = time.monotonic()
            break
        time.sleep(0.05)
    result["replacement_started_after_s"] = (
        round(replaced_at - killed_at, 3) if replaced_at else None
    )
    after = [
        requests.get(server.sparql, params={"query": SMALL}, timeout=30).status_code
        for _ in range(20)
    ]
    result["queries_after"] = {"ok": after.count(200), "of": len(after)}
    result["killed_pid"] = victim
    return result


def scenario_query_worker(release_dir: str, rounds: int) -> dict:
    with wsgi_server(release_dir, workers=2, threads=32, deadline=20.0) as server:
        requests.get(server.sparql, params={"query": SMALL}, timeout=30).raise_for_status()
        with Steady(server.sparql) as steady:
            results = [kill_query_worker_round(server) for _ in range(rounds)]
        passed = all(
            500 <= r.get("status", 200) < 600
            and r["message"]
            and r["answered_after_kill_s"] < 3.0
            and r["replacement_started_after_s"] is not None
            and r["queries_after"]["ok"] == r["queries_after"]["of"]
            for r in results
        )
        return {
            "rounds": results,
            "other_clients": {"ok": steady.ok, "failed": len(steady.failures)},
            "failure_samples": steady.failures[:5],
            "passed": passed and not steady.failures,
        }


def scenario_instance(release_dir: str) -> dict:
    with replica_server(2, threads=16, RELEASE_DIR=release_dir, WORKERS=1) as server:
        instances = set(descendants(server.pid)) & {
            p for p in descendants(server.pid) if "gunicorn" in command_line(p)
        }
        master_children = {p for p in instances if _parent(p) == server.pid}
        with Steady(server.sparql, clients=8) as steady:
            time.sleep(2.0)
            victim = sorted(master_children)[0]
            failures_before = len(steady.failures)
            killed_at = time.monotonic()
            os.kill(victim, signal.SIGKILL)
            replacement_at = None
            while time.monotonic() - killed_at < 60:
                try:
                    body = requests.get(
                        server.url + "healthz", headers={"Connection": "close"}, timeout=5
                    ).json()
                    fresh = {p for p in descendants(server.pid) if _parent(p) == server.pid}
                    if body["instance"] in fresh - master_children:
                        replacement_at = time.monotonic()
                        break
                except (requests.RequestException, ValueError):
                    pass
                time.sleep(0.05)
            failures_at_replacement = len(steady.failures)
            time.sleep(2.0)
        return {
            "killed_pid": victim,
            "replacement_answers_after_s": round(replacement_at - killed_at, 3)
            if replacement_at
            else None,
            "requests_ok": steady.ok,
            "failed_before_kill": failures_before,
            "failed_by_the_kill": failures_at_replacement - failures_before,
            "failed_after_replacement": len(steady.failures) - failures_at_replacement,
            "failure_samples": steady.failures[:5],
            "passed": replacement_at is not None,
        }


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release-dir", default=str(REPO / "build"))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    report = {
        "query_worker_killed": scenario_query_worker(args.release_dir, args.rounds),
        "instance_killed": scenario_instance(args.release_dir),
    }
    print(json.dumps(report, indent=2))
    return 0 if all(part["passed"] for part in report.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
