"""The built release (build/gcm.nq) loaded into an embedded, in-memory pyoxigraph Store.

How the dataset is exposed (the SPARQL endpoint and the linked-data pages see the same thing):

* every source's triples stay in their named graph `<base>graph/{source id}`, queryable with GRAPH;
* the **default graph is the RDF merge of all named graphs**, materialised once at load time. It is
  a set: a triple stated by two sources (e.g. `objective/1 a gcm:Objective` in the resolution and the
  booklet graphs) is in the default graph once, so counts over the default graph are not inflated.
  (pyoxigraph's `use_default_graph_as_union` would return such a triple once per graph, so it is not
  used.) Quads that the release itself puts in the default graph are kept there as well.
* the SPARQL protocol's `default-graph-uri` / `named-graph-uri` replace this dataset per request.

The server and the analysis read only the release, never the parsers.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyoxigraph import (
    DefaultGraph,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    Variable,
    parse,
    serialize,
)
from rdflib import Graph

from ...vocab import PREFIXES

RELEASE_EXTENSION = (
    "gcm_release"  # app.extensions key of a release that is not this directory (remote)
)
NQUADS_FILE = "gcm.nq"
MANIFEST_FILE = "manifest.json"
PREFIX_MAP: dict[str, str] = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


class ReleaseNotFound(FileNotFoundError):
    """The release directory has no gcm.nq: the build has not run (or wrote elsewhere)."""

    def __init__(self, directory: Path):
        super().__init__(
            f"{directory / NQUADS_FILE}: no release found; run `gcm-graph build` first"
        )
        self.directory = directory


@dataclass(frozen=True)
class NamedGraphInfo:
    name: str
    triples: int


def load_store(nquads: Path) -> Store:
    """An in-memory Store with the release's named graphs and their merge as the default graph."""
    if not nquads.is_file():
        raise ReleaseNotFound(nquads.parent)
    store = Store()
    store.bulk_load(path=str(nquads), format=RdfFormat.N_QUADS)
    # the merge, in the store (three times faster than copying quads through Python); a Store is
    # a set of quads: triples that several sources state collapse here
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return store


def release_fingerprint(directory: Path) -> str:
    """A hex digest that changes whenever the release changes (seed for ETags).

    The manifest lists the sha256 of every output, so hashing it covers the whole release; without a
    manifest (hand-made releases) the N-Quads file itself is hashed.
    """
    for name in (MANIFEST_FILE, NQUADS_FILE):
        path = directory / name
        if path.is_file():
            return hashlib.sha256(path.read_bytes()).hexdigest()
    raise ReleaseNotFound(directory)


class Release:
    """One release directory; its Store is loaded on first use (thread-safe) and then shared."""

    def __init__(self, directory: Path | str):
        self.directory = Path(directory).resolve()
        if not (self.directory / NQUADS_FILE).is_file():
            raise ReleaseNotFound(self.directory)
        self.fingerprint = release_fingerprint(self.directory)
        self._store: Store | None = None
        self._graph_names: frozenset[str] | None = None
        self._lock = threading.Lock()

    @property
    def store(self) -> Store:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = load_store(self.directory / NQUADS_FILE)
        return self._store

    def named_graphs(self) -> list[NamedGraphInfo]:
        """The named graphs with their sizes, sorted by name."""
        rows = self.store.query("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        assert isinstance(rows, QuerySolutions)
        found = [NamedGraphInfo(row["g"].value, int(row["n"].value)) for row in rows]
        return sorted(found, key=lambda info: info.name)

    def graph_names(self) -> frozenset[str]:
        """The IRIs of the release's named graphs: all a query's FROM / FROM NAMED may name.

        Read from the N-Quads file the store loads (streamed, once), so that a web process that
        only checks queries need not load the store."""
        if self._graph_names is None:
            path = self.directory / NQUADS_FILE
            quads = parse(path=path, format=RdfFormat.N_QUADS)
            found = frozenset(
                q.graph_name.value for q in quads if isinstance(q.graph_name, NamedNode)
            )
            self._graph_names = found
        return self._graph_names

    def triple_count(self) -> int:
        """Triples in the default (merged) graph."""
        return sum(1 for _ in self.store.quads_for_pattern(None, None, None, DefaultGraph()))

    # Helpers for the linked-data pages: bounded queries run in the web process.

    def select(self, query: str, bindings: Mapping[str, object] | None = None) -> list[dict]:
        """SELECT rows as dicts {variable name: pyoxigraph term} (unbound variables omitted).

        pyoxigraph substitutes only variables that the SELECT projects (or `SELECT *`)."""
        result = self.store.query(query, substitutions=_substitutions(bindings))
        if not isinstance(result, QuerySolutions):
            raise ValueError("select() needs a SELECT query")
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in result]

    def ask(self, query: str, bindings: Mapping[str, object] | None = None) -> bool:
        result = self.store.query(query, substitutions=_substitutions(bindings))
        if not isinstance(result, QueryBoolean):
            raise ValueError("ask() needs an ASK query")
        return bool(result)

    def construct(self, query: str, bindings: Mapping[str, object] | None = None) -> list[Triple]:
        """The triples of a CONSTRUCT or DESCRIBE query, e.g. ``construct(q, {"s": NamedNode(iri)})``."""
        result = self.store.query(query, substitutions=_substitutions(bindings))
        if not isinstance(result, QueryTriples):
            raise ValueError("construct() needs a CONSTRUCT or DESCRIBE query")
        return list(result)

    def describe(self, iri: str) -> list[Triple]:
        """The resource's description as pyoxigraph's DESCRIBE gives it (its outgoing triples),
        over the merged default graph."""
        return self.construct(f"DESCRIBE <{NamedNode(iri).value}>")


def _substitutions(bindings: Mapping[str, object] | None) -> dict | None:
    if not bindings:
        return None
    return {Variable(name): term for name, term in bindings.items()}


def to_rdflib(triples: Iterable[Triple]) -> Graph:
    """An rdflib Graph of pyoxigraph triples (for templates and rdflib serialisers), with prefixes."""
    graph = Graph()
    for prefix, namespace in PREFIX_MAP.items():
        graph.bind(prefix, namespace)
    data = serialize(list(triples), format=RdfFormat.N_TRIPLES)
    graph.parse(data=data, format="nt")
    return graph


@cache
def open_release(directory: str) -> Release:
    """The Release of a directory, one per process (the Store is loaded on first use)."""
    return Release(directory)


def current_release() -> Release:
    """The release of the running Flask app (its RELEASE_DIR setting)."""
    from flask import current_app

    remote = current_app.extensions.get(RELEASE_EXTENSION)  # set by remote.install_backend
    if remote is not None:
        return remote
    return open_release(str(Path(current_app.config["RELEASE_DIR"]).resolve()))
