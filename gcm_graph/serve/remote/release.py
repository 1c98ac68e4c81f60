"""The release, for the linked-data pages, VoID and the service description, read from a remote
store: the same interface as store.Release (and, for `.store`, the part of pyoxigraph's Store
that the pages use), answered by queries through remote.RemoteBackend under its sequence lock.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from pathlib import Path

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    Store,
    Triple,
    Variable,
)

from ...publish import Publication
from ..query.store import NamedGraphInfo
from .backend import NTRIPLES, RESULTS_JSON, RemoteBackend, parse_results, parse_triples
from .dataset import confine, protocol_params


class RemoteStore:
    """The part of pyoxigraph's Store that the pages use, answered by the remote store.

    Triple-pattern lookups are cached per publication record (a new release starts a new cache).
    A blank node can be named in a query only if the store's dialect has a way (Virtuoso's
    `<nodeID://...>`); on other stores patterns on blank nodes match nothing (the built release
    has none).
    """

    CACHE_ENTRIES = 20_000

    def __init__(self, backend: RemoteBackend, deadline: float):
        self.backend = backend
        self.deadline = deadline
        self._cache: OrderedDict[tuple, list[Quad]] = OrderedDict()
        self._lock = threading.Lock()

    def _run(self, query: str, tabular: bool) -> bytes:
        until = time.monotonic() + self.deadline

        def send(record: Publication) -> bytes:
            dataset = confine(None, record.default, frozenset(record.graphs))
            accept = RESULTS_JSON if tabular else NTRIPLES
            return self.backend.post(query, protocol_params(dataset), accept, until)

        return self.backend.consistent(send, until)

    def query(self, query: str, substitutions: Mapping | None = None):
        if substitutions:
            names = " ".join(str(variable) for variable in substitutions)
            values = " ".join(str(term) for term in substitutions.values())
            query = f"{query}\nVALUES ({names}) {{ ({values}) }}"
        form = Store().query(query)
        if isinstance(form, QuerySolutions | QueryBoolean):
            return parse_results(self._run(query, True))
        return iter(parse_triples(self._run(query, False)))

    def quads_for_pattern(self, subject, predicate, object, graph_name=None) -> Iterator[Quad]:
        terms = (subject, predicate, object, graph_name)
        blanks = [t for t in terms if isinstance(t, BlankNode)]
        if blanks and self._dialect().blank_node_iri(blanks[0].value) is None:
            return iter(())  # this store has no way to name a blank node in a query
        # A lookup by subject (or by object) fetches everything about that term once, so that
        # the other lookups of a page (one per label predicate, ...) are answered from it.
        if subject is not None:
            wide = (subject, None, None, graph_name)
        elif object is not None:
            wide = (None, None, object, graph_name)
        else:
            wide = terms
        found = self._lookup(wide)
        return iter([q for q in found if _matches(q, subject, predicate, object)])

    def _lookup(self, terms: tuple) -> list[Quad]:
        record = self.backend.record()
        key = (record.id, *(str(t) if t is not None else None for t in terms))
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        found = self._fetch(*terms)
        with self._lock:
            self._cache[key] = found
            while len(self._cache) > self.CACHE_ENTRIES:
                self._cache.popitem(last=False)
        return found

    def _fetch(self, subject, predicate, object, graph_name) -> list[Quad]:
        slots = {"s": subject, "p": predicate, "o": object}
        dialect = self._dialect()

        def term(value) -> str:
            if isinstance(value, BlankNode):  # as the store names its own (see parse_results)
                return dialect.blank_node_iri(value.value) or str(value)
            return str(value)

        pattern = " ".join(f"?{k}" if v is None else term(v) for k, v in slots.items())
        wanted = [f"?{k}" for k, v in slots.items() if v is None]
        if isinstance(graph_name, DefaultGraph):
            where = f"{{ {pattern} }}"
        elif isinstance(graph_name, NamedNode):
            where = f"{{ GRAPH {graph_name} {{ {pattern} }} }}"
        else:
            where = f"{{ {{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} }} }}"
            wanted.append("?g")
        rows = parse_results(self._run(f"SELECT {' '.join(wanted) or '*'} {where}", True))
        quads = []
        for row in rows:
            s, p, o = (slots[k] if slots[k] is not None else row[k] for k in "spo")
            g = graph_name if graph_name is not None else (row["g"] or DefaultGraph())
            quads.append(Quad(s, p, o, g))
        return quads

    def _dialect(self):
        return self.backend.dialect(time.monotonic() + self.deadline)

    def contains_named_graph(self, graph) -> bool:
        return isinstance(graph, NamedNode) and graph.value in self.backend.record().graphs


def _matches(quad: Quad, subject, predicate, object) -> bool:
    return (
        (subject is None or quad.subject == subject)
        and (predicate is None or quad.predicate == predicate)
        and (object is None or quad.object == object)
    )


class RemoteRelease:
    """Same interface as store.Release, for a release published into a remote store."""

    def __init__(self, backend: RemoteBackend, directory: Path, deadline: float):
        self.backend = backend
        self.directory = directory  # local copy of the release files, for /dumps/ (optional)
        self.store = RemoteStore(backend, deadline)

    @property
    def fingerprint(self) -> str:
        return self.backend.record(max_age=None).sha

    def named_graphs(self) -> list[NamedGraphInfo]:
        graphs = self.backend.record().graphs
        return [NamedGraphInfo(name, count) for name, count in sorted(graphs.items())]

    def triple_count(self) -> int:
        return self.backend.record().default_triples

    def select(self, query: str, bindings: Mapping[str, object] | None = None) -> list[dict]:
        result = self.store.query(query, _substitutions(bindings))
        if not isinstance(result, QuerySolutions):
            raise ValueError("select() needs a SELECT query")
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in result]

    def ask(self, query: str, bindings: Mapping[str, object] | None = None) -> bool:
        result = self.store.query(query, _substitutions(bindings))
        if not isinstance(result, QueryBoolean):
            raise ValueError("ask() needs an ASK query")
        return bool(result)

    def construct(self, query: str, bindings: Mapping[str, object] | None = None) -> list[Triple]:
        result = self.store.query(query, _substitutions(bindings))
        if isinstance(result, QuerySolutions | QueryBoolean):
            raise ValueError("construct() needs a CONSTRUCT or DESCRIBE query")
        return list(result)

    def describe(self, iri: str) -> list[Triple]:
        node = NamedNode(iri)
        return self.construct(f"CONSTRUCT {{ {node} ?p ?o }} WHERE {{ {node} ?p ?o }}")


def _substitutions(bindings: Mapping[str, object] | None) -> dict | None:
    if not bindings:
        return None
    return {Variable(name): term for name, term in bindings.items()}
