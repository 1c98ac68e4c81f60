"""Time `gcm-graph build` as a whole process: median of N runs, and the share of each stage.

The peer measured in the same run is a process that only imports the libraries the build needs
(rdflib, pyshacl) and exits: the floor no build can go below, so `build / imports` says how much
of the time is ours.

    .venv/bin/python benchmarks/bench_build.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--no-analysis", action="store_true", help="time the graph release alone (no analysis/)"
    )
    args = parser.parse_args()
    extra = ["--no-analysis"] if args.no_analysis else []
    builds, imports, stages = [], [], []
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
            builds.append(timed(command + extra))
            stages.append(json.loads(timings.read_text()))
            imports.append(
                timed([sys.executable, "-c", "import rdflib, pyshacl, gcm_graph.pipeline"])
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
    names = list(stages[0])
    medians = {name: statistics.median(s[name] for s in stages) for name in names}
    total = sum(medians.values())
    print(
        f"stages (median seconds, share of in-process work {total:.3f} s; the rest of the "
        f"{build:.3f} s is interpreter start-up and imports):"
    )
    for name in names:
        print(f"  {name:14} {medians[name]:.3f} s  {100 * medians[name] / total:5.1f} %")
    print(f"goal: under 3 s -> {'met' if build < 3 else 'missed'}")


if __name__ == "__main__":
    main()
