"""Seconds from `gcm-graph serve` to its first answers (issue 11: "start to first answer < 1 s").

    .venv/bin/python benchmarks/bench_start.py [--runs 5] [--release-dir build]

Each run launches the installed `gcm-graph serve` on a free port and polls, every 10 ms, three
URLs at once until each has answered 200: /healthz (any answer counts for "first answer"; 200
means the query workers are warm), the home page (answered by the web process), and a SPARQL
`ASK {}` sent on /sparql. Printed: the median over the runs of

  first answer   launch -> the first HTTP answer of any route (503 "starting" counts)
  home page      launch -> the home page 200
  first query    launch -> the first SPARQL answer 200
  ready          launch -> /healthz 200 (every query worker warm)

The peer, measured in the same run: Oxigraph's own server started from the same release files
(`oxigraph load` of gcm.nq into a new store, then `oxigraph serve-read-only`) -> its first
`ASK {}` answer. It needs the `bench` extra (`pip install -e '.[bench]'`); without it the peer is
skipped. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POLL_S = 0.01
GUARD_S = 120.0
ASK = "/sparql?query=" + quote("ASK {}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status_of(port: int, path: str) -> int | None:
    """The status of one GET, None if nothing answers (yet)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=GUARD_S)
    try:
        connection.request("GET", path, headers={"Accept": "*/*", "Connection": "close"})
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return None
    finally:
        connection.close()


def first_200(port: int, path: str, launched: float, seen: dict, name: str) -> None:
    """Poll `path` until 200; record when anything first answered and when 200 came."""
    while time.perf_counter() - launched < GUARD_S:
        status = status_of(port, path)
        now = time.perf_counter() - launched
        if status is not None:
            seen.setdefault("first answer", now)
            seen["first answer"] = min(seen["first answer"], now)
        if status == 200:
            seen[name] = now
            return
        time.sleep(POLL_S)


def gcm_graph_run(release_dir: str) -> dict[str, float]:
    port = free_port()
    launched = time.perf_counter()
    process = subprocess.Popen(
        [str(BIN / "gcm-graph"), "serve", "--port", str(port), "--release", release_dir],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seen: dict[str, float] = {}
    try:
        pollers = [
            threading.Thread(target=first_200, args=(port, path, launched, seen, name))
            for name, path in (("ready", "/healthz"), ("home page", "/"), ("first query", ASK))
        ]
        for poller in pollers:
            poller.start()
        for poller in pollers:
            poller.join()
    finally:
        process.terminate()
        process.wait(timeout=30)
    return seen


def oxigraph_run(nquads: Path) -> float | None:
    binary = shutil.which("oxigraph") or str(BIN / "oxigraph")
    if not Path(binary).exists():
        return None
    with tempfile.TemporaryDirectory(prefix="bench-start-") as work:
        port, seen = free_port(), {}
        launched = time.perf_counter()
        location = str(Path(work, "store"))
        subprocess.run(
            [binary, "load", "--location", location, "--file", str(nquads)],
            check=True,
            capture_output=True,
        )
        process = subprocess.Popen(
            [binary, "serve-read-only", "--location", location, "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            first_200(port, "/query?query=" + quote("ASK {}"), launched, seen, "first query")
        finally:
            process.terminate()
            process.wait(timeout=30)
        return seen.get("first query")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--release-dir", default=str(REPO / "build"))
    args = parser.parse_args()
    ours: dict[str, list[float]] = {}
    peer: list[float] = []
    for _ in range(args.runs):  # interleaved: the same load for both
        for name, seconds in gcm_graph_run(args.release_dir).items():
            ours.setdefault(name, []).append(seconds)
        seconds = oxigraph_run(Path(args.release_dir) / "gcm.nq")
        if seconds is not None:
            peer.append(seconds)
    for name in ("first answer", "home page", "first query", "ready"):
        values = ours.get(name, [])
        if len(values) < args.runs:
            print(f"{name:14} answered in {len(values)} of {args.runs} runs")
            continue
        runs = " ".join(f"{v:.2f}" for v in values)
        print(f"{name:14} median {statistics.median(values):5.2f} s   runs: {runs}")
    if peer:
        first_query = statistics.median(ours.get("first query", [float("nan")]))
        print(
            f"peer: oxigraph load + serve-read-only, first query median "
            f"{statistics.median(peer):.2f} s; gcm-graph / oxigraph = "
            f"{first_query / statistics.median(peer):.2f}"
        )
    else:
        print("peer: no `oxigraph` command (pip install -e '.[bench]'): skipped")


if __name__ == "__main__":
    main()
