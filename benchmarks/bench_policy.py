"""CPU cost of deciding what a query may do: the parse-tree policy against the lexical guard.

    .venv/bin/python benchmarks/bench_policy.py [--repeat 15] [--max-guard-chars 20000]

Per catalogue query (sparql_queries/*.rq): the median CPU time (time.process_time, this process
only) of serve/query/policy.analyse, of its tree-sitter parse alone, of the lexical guard it
replaced (benchmarks/lexical_guard.py: check_query, strict SERVICE check) and of rdflib's SPARQL parser (the other
real parser at hand). Then crafted inputs of growing size, `"` followed by `\\"` n times and
never closed (issue 11's 20,000-character query at n = 9,990), alone and inside a query: the
policy's time per character stays flat (linear); the guard's grows with the size (quadratic),
so it is only run up to --max-guard-chars. Medians of --repeat runs; nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from contextlib import suppress

import lexical_guard as guard  # the peer, no longer in the package (benchmarks/lexical_guard.py)
from tree_sitter import Parser

from gcm_graph.catalogue import catalogue
from gcm_graph.serve.query import policy

BASE = "https://w3id.org/gcm/sparql"


def cpu_median(action: Callable[[], object], repeat: int) -> float:
    """Median CPU seconds of `action` (exceptions are an answer too: a refusal)."""
    spent = []
    for _ in range(repeat):
        started = time.process_time()
        with suppress(Exception):  # a refusal (PolicyError, Refusal, a parse error) is an answer
            action()
        spent.append(time.process_time() - started)
    return statistics.median(spent)


def run_policy(text: str) -> Callable[[], object]:
    return lambda: policy.analyse(text, base_iri=BASE)


def run_parse(text: str) -> Callable[[], object]:
    source = policy.decode_codepoints(text).encode("utf-8")
    return lambda: Parser(policy._LANGUAGE).parse(source)


def run_guard(text: str) -> Callable[[], object]:
    return lambda: guard.check_query(text, max_length=len(text) + 1, strict_service=True)


def run_rdflib(text: str) -> Callable[[], object]:
    from rdflib.plugins.sparql.parser import parseQuery

    return lambda: parseQuery(text)


def catalogue_table(repeat: int) -> None:
    print(f"catalogue queries: median CPU ms of {repeat} runs")
    print(f"{'query':38} {'chars':>5} {'policy':>7} {'parse':>6} {'guard':>6} {'rdflib':>7}")
    totals: dict[str, list[float]] = {"policy": [], "parse": [], "guard": [], "rdflib": []}
    for query in catalogue():
        row = {
            "policy": cpu_median(run_policy(query.text), repeat),
            "parse": cpu_median(run_parse(query.text), repeat),
            "guard": cpu_median(run_guard(query.text), repeat),
            "rdflib": cpu_median(run_rdflib(query.text), max(3, repeat // 5)),
        }
        for name, value in row.items():
            totals[name].append(value)
        print(
            f"{query.name:38} {len(query.text):5d} {row['policy'] * 1e3:7.2f} "
            f"{row['parse'] * 1e3:6.2f} {row['guard'] * 1e3:6.2f} {row['rdflib'] * 1e3:7.1f}"
        )
    medians = {name: statistics.median(values) * 1e3 for name, values in totals.items()}
    print(
        f"{'median over the catalogue':38} {'':5} {medians['policy']:7.2f} "
        f"{medians['parse']:6.2f} {medians['guard']:6.2f} {medians['rdflib']:7.1f}"
    )


def crafted_table(repeat: int, max_guard_chars: int) -> None:
    print()
    print(f"crafted unclosed string ('\"' + '\\\\\"' * n): median CPU ms of {repeat} runs")
    print(f"{'n':>6} {'chars':>7} {'policy':>8} {'us/char':>8} {'in-query':>9} {'guard':>9}")
    for n in (1_000, 2_500, 5_000, 9_990, 20_000, 40_000, 80_000):
        text = '"' + '\\"' * n
        in_query = "SELECT * { ?s ?p " + text
        alone = cpu_median(run_policy(text), repeat)
        embedded = cpu_median(run_policy(in_query), repeat)
        guarded = (
            f"{cpu_median(run_guard(text), max(1, repeat // 5)) * 1e3:9.1f}"
            if len(text) <= max_guard_chars
            else f"{'(skipped)':>9}"
        )
        print(
            f"{n:6d} {len(text):7d} {alone * 1e3:8.2f} {alone / len(text) * 1e6:8.3f} "
            f"{embedded * 1e3:9.2f} {guarded}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--max-guard-chars", type=int, default=20_000)
    options = parser.parse_args()
    catalogue_table(options.repeat)
    crafted_table(options.repeat, options.max_guard_chars)


if __name__ == "__main__":
    main()
