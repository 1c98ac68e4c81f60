"""Time the full-text search: index build, queries, and a started server's first answer.

In process (median of --runs): loading build/gcm.nq into a pyoxigraph Store, building the FTS5
index from it (gcm_graph.search.SearchIndex), and each query of QUERIES; the peer measured in the
same run is what a user had to do before /search existed: a SPARQL `REGEX` over every literal of
the store for the same word (`search / regex` is the ratio).

With --server, also a real server (`python -m gcm_graph.serve.wsgi`, as the tests start it)
--runs times: seconds from launch to "listening", then the first /search answer (which loads the
store in the web process and builds the index, unless SEARCH_INDEX_AT_START built it in the
background while the server started), then a second one; once with each setting.

    .venv/bin/python benchmarks/bench_search.py [--runs 5] [--server]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import requests
from pyoxigraph import RdfFormat, Store

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))  # testing/ (the harness that starts servers)

from gcm_graph.search import SearchIndex, store_select  # noqa: E402

RELEASE = REPOSITORY / "build"
QUERIES = ("remittances", "Mexique", "remit", "migrant workers", "consular")
REGEX = """SELECT DISTINCT ?r WHERE {{ GRAPH ?g {{ ?r ?p ?text }}
  FILTER(isLiteral(?text) && REGEX(STR(?text), "{word}", "i")) }}"""


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def median_time(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def load() -> Store:
    store = Store()
    store.bulk_load(path=str(RELEASE / "gcm.nq"), format=RdfFormat.N_QUADS)
    return store


def in_process(runs: int) -> None:
    print(f"store load (bulk_load gcm.nq)       {ms(median_time(load, runs))}")
    store = load()
    select = store_select(store)
    builds, cpu = [], []
    for _ in range(runs):
        started = time.process_time()
        builds.append(SearchIndex(select))
        cpu.append(time.process_time() - started)
    print(
        f"index build ({builds[0].size} resources)      {ms(statistics.median(b.build_ms / 1000 for b in builds))}"
    )
    print(f"index build, CPU time of this process  {ms(statistics.median(cpu))}")
    index = builds[0]
    for word in QUERIES:
        search = median_time(lambda w=word: index.search(w), runs * 4)
        regex = median_time(lambda w=word: list(store.query(REGEX.format(word=w))), runs)
        total = index.search(word).total
        print(
            f"query {word!r:20} {total:4d} hits {ms(search)}   regex peer {ms(regex)}"
            f"   search/regex {search / regex:.4f}"
        )


def server(runs: int, at_start: bool) -> None:
    from testing.servers import launched

    config = {"SEARCH_INDEX_AT_START": at_start}
    mode = "index at start" if at_start else "index on first search"

    listening, first, second = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        with launched(RELEASE, deadline=10.0, workers=2, threads=8, config=config) as running:
            up = time.perf_counter()
            url = running.url + "search"
            params = {"q": "remittances", "format": "json"}
            assert requests.get(url, params=params, timeout=120).status_code == 200
            answered = time.perf_counter()
            params["q"] = "Mexique"
            assert requests.get(url, params=params, timeout=120).status_code == 200
            again = time.perf_counter()
        listening.append(up - start)
        first.append(answered - up)
        second.append(again - answered)
    print(f"server ({mode}): launch -> listening         {ms(statistics.median(listening))}")
    print(f"server ({mode}): first /search (store+index) {ms(statistics.median(first))}")
    print(f"server ({mode}): second /search              {ms(statistics.median(second))}")
    total = [a + b for a, b in zip(listening, first, strict=True)]
    print(f"server ({mode}): launch -> first search      {ms(statistics.median(total))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--server", action="store_true")
    options = parser.parse_args()
    in_process(options.runs)
    if options.server:
        server(options.runs, at_start=False)
        server(options.runs, at_start=True)


if __name__ == "__main__":
    main()
