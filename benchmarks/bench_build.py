"""Time `gcm-graph build` as a whole process: median of N runs, and the seconds of each stage.

The peer measured in the same run is a process that only imports the libraries the build needs
(rdflib, pyshacl) and exits: the floor no build can go below, so `build / imports` says how much
of the time is ours. Also printed: the CPU seconds of the build and its child processes (the
analysis runs in a second process beside the validation), less sensitive to other load than
wall time.

    .venv/bin/python benchmarks/bench_build.py [--runs 7] [--no-analysis]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


GOAL_S = 4.0


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the process and everything it started)."""
    cpu, start = cpu_of_children(), time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, cpu_of_children() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--no-analysis", action="store_true", help="time the graph release alone (no analysis/)"
    )
    args = parser.parse_args()
    extra = ["--no-analysis"] if args.no_analysis else []
    builds, cpus, imports, stages = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            timings = Path(tmp) / f"timings-{i}.json"
            out = Path(tmp) / "build"
            command = [
                str(BIN / "gcm-graph"),
                "build",
                "--out",
                str(out),
                "--timings",
                str(timings),
            ]
            wall, cpu = timed(command + extra)
            builds.append(wall)
            cpus.append(cpu)
            stages.append(json.loads(timings.read_text()))
            imports.append(
                timed([sys.executable, "-c", "import rdflib, pyshacl, gcm_graph.pipeline"])[0]
            )
    build, floor = statistics.median(builds), statistics.median(imports)
    print(
        f"gcm-graph build, whole process, median of {args.runs}: {build:.3f} s "
        f"(min {min(builds):.3f}, max {max(builds):.3f})"
    )
    print(
        f"peer: import rdflib + pyshacl + gcm_graph, median: {floor:.3f} s; "
        f"ratio build/imports: {build / floor:.2f}"
    )
    print(f"CPU seconds of the build and its processes, median: {statistics.median(cpus):.3f}")
    names = list(stages[0])
    medians = {name: statistics.median(s[name] for s in stages) for name in names}
    print(
        "stages (median seconds; 'analyze: ...' run in the analysis process while the main one "
        "does 'merge', 'validate' and 'write'):"
    )
    for name in names:
        print(f"  {name:30} {medians[name]:.3f} s")
    print(f"goal: at most {GOAL_S:.0f} s -> {'met' if build <= GOAL_S else 'missed'}")


if __name__ == "__main__":
    main()
