"""The RDF dataset of a query sent to a remote store, confined to the published release.

The embedded store holds only the release, so a query can name any graph: an unknown one is
empty. A shared triplestore holds other data too (its system graphs, an organisation's own
knowledge graph), and Virtuoso does not follow the protocol where it matters here: a query's
FROM / FROM NAMED clauses are *added* to the `default-graph-uri` / `named-graph-uri` given with
the request instead of being overridden by them (measured on 7.2.5, tests/test_remote_http.py).
So before a query goes out:

* its FROM / FROM NAMED clauses are left out of the text and sent as protocol parameters (the
  query policy's parse gives both: QueryPlan.text_without_dataset and its graphs; query/policy.py);
* the protocol dataset (the request's parameters if any, else the query's clauses, else the
  release's: the merged graph as default graph and every source graph as a named graph) is
  filtered to the release's graphs; a graph outside the release becomes EMPTY_GRAPH, which
  holds nothing (the routes already refuse a FROM graph outside the release with 403).
"""

from __future__ import annotations

from dataclasses import dataclass

EMPTY_GRAPH = "urn:gcm-graph:empty"


@dataclass(frozen=True)
class Dataset:
    default: tuple[str, ...]
    named: tuple[str, ...]


def confine(
    requested: Dataset | None, release_default: str, release_graphs: frozenset[str]
) -> Dataset:
    """The dataset to send: the requested one filtered to the release, or the release's own."""
    if requested is None:
        return Dataset((release_default,), tuple(sorted(release_graphs)))

    def keep(graphs: tuple[str, ...]) -> tuple[str, ...]:
        kept = tuple(dict.fromkeys(g for g in graphs if g in release_graphs))
        return kept or (EMPTY_GRAPH,)

    return Dataset(keep(requested.default), keep(requested.named))


def protocol_params(dataset: Dataset) -> list[tuple[str, str]]:
    return [("default-graph-uri", g) for g in dataset.default] + [
        ("named-graph-uri", g) for g in dataset.named
    ]
