"""What the JSON-LD dump costs the build: compaction of the merged graph against its peers.

In one process, on the committed release's merged graph (build/gcm.nt, already parsed): the
median CPU seconds of `jsonld.compact` (rdflib's JSON-LD serializer with our context, then the
sort that makes the bytes deterministic), of rdflib's expanded JSON-LD serializer (the peer: the
same library without a context) and of pyoxigraph's Turtle writer (how the other dumps are
written). CPU time (time.process_time), not wall time: the machine is shared.

    .venv/bin/python benchmarks/bench_jsonld.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from gcm_graph import jsonld

RELEASE = Path(__file__).resolve().parent.parent / "build"


def median_cpu(task, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.process_time()
        task()
        times.append(time.process_time() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    graph = Graph().parse(RELEASE / "gcm.nt", format="nt")
    triples = list(ox.parse(path=RELEASE / "gcm.nt", format=ox.RdfFormat.N_TRIPLES))
    context = jsonld.load_context()
    ours = median_cpu(lambda: jsonld.compact(graph, context, context["@context"]), args.runs)
    expanded = median_cpu(lambda: graph.serialize(format="json-ld"), args.runs)
    turtle = median_cpu(lambda: ox.serialize(triples, format=ox.RdfFormat.TURTLE), args.runs)
    print(f"{len(graph)} triples, median CPU seconds of {args.runs} runs")
    print(f"  compact JSON-LD (ours)          {ours:6.2f}")
    print(f"  rdflib expanded JSON-LD (peer)  {expanded:6.2f}  ours/peer {ours / expanded:.2f}")
    print(f"  pyoxigraph Turtle               {turtle:6.2f}  ours/turtle {ours / turtle:.1f}")


if __name__ == "__main__":
    main()
