"""Publishing a release into a real Virtuoso (scripts/virtuoso.sh): layout, fidelity, idempotence,
replacement, and no answer that mixes two releases while one replaces the other.

The releases here are synthetic (graphs under https://example.org/gcm-test/). Each test module
that uses the `virtuoso` fixture (this one, tests/test_remote_*.py, tests/test_cli.py) gets an
instance of its own, started for it and stopped after it: what one module does to the store
(fault injection, runaway queries cut at their deadline) cannot reach another. Virtuoso 7.2.5 was
seen to stop answering altogether (HTTP and SQL, every thread waiting) in this module's publishes
under readers, but only on an instance that the other modules had used before. Without Virtuoso
these tests skip, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse, serialize

from gcm_graph.publish import (
    STABLE,
    SWITCHING,
    Publication,
    PublishError,
    PublishInputError,
    StoreClient,
    merged_graph_iri,
    publish,
    resolve_endpoints,
    write_state_update,
)
from gcm_graph.serve.query.jobs import DeadlineExceeded
from gcm_graph.serve.remote.backend import BackendError, RemoteBackend
from testing.clients import ClientThreads
from testing.virtuoso import Virtuoso, VirtuosoUnavailable, start_virtuoso, stop_virtuoso

pytestmark = pytest.mark.slow

BASE = "https://example.org/gcm-test/"
EX = "https://example.org/gcm-test/thing/"
SOURCES = ("alpha", "beta", "gamma")
PER_GRAPH = 500  # triples per graph in the big releases (swaps long enough to overlap readers)
GUARD_S = 120.0  # only ends a test whose store hangs: nothing here waits for a time
COUNTS_BY_GRAPH = """SELECT ?g (COUNT(*) AS ?n) WHERE {
  { ?s ?p ?o BIND("default" AS ?g) } UNION { GRAPH ?g { ?s ?p ?o } } } GROUP BY ?g"""


@pytest.fixture(scope="module")
def virtuoso() -> Iterator[Virtuoso]:
    """A fresh Virtuoso for the module (a new empty database on free loopback ports)."""
    try:
        started = start_virtuoso()
    except VirtuosoUnavailable as error:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"Virtuoso cannot be installed here: {error}")
    try:
        yield started
    finally:
        stop_virtuoso(started)


def graph(source: str) -> str:
    return f"{BASE}graph/{source}"


def write_release(directory: Path, quads: list[Quad], label: str) -> Path:
    """A release directory as the build writes one: gcm.nq, gcm.nt (the merge), manifest.json."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "gcm.nq").write_bytes(serialize(sorted(quads, key=str), format=RdfFormat.N_QUADS))
    merged = sorted({q.triple for q in quads}, key=str)
    (directory / "gcm.nt").write_bytes(serialize(merged, format=RdfFormat.N_TRIPLES))
    outputs = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.glob("gcm.*"))
    }
    manifest = {"base_iri": BASE, "label": label, "outputs": outputs}
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return directory


def release_quads(label: str, sources=SOURCES, size: int = 20) -> list[Quad]:
    """`size` triples per graph, a literal naming the release on each, and one triple shared by
    every graph (so the merged graph is smaller than the sum: it is a set)."""
    quads = []
    for source in sources:
        g = NamedNode(graph(source))
        for i in range(size):
            subject = NamedNode(f"{EX}{source}/{i}")
            quads.append(
                Quad(subject, NamedNode(EX + "label"), Literal(f"{label} {i}", language="en"), g)
            )
        quads.append(Quad(NamedNode(EX + "shared"), NamedNode(EX + "in"), Literal("all"), g))
    return quads


def client_for(virtuoso: Virtuoso) -> StoreClient:
    return StoreClient(resolve_endpoints(virtuoso.gsp, None, None), **virtuoso.client_options)


def snapshot(client: StoreClient, graphs: list[str]) -> set[str]:
    """Every quad of the given graphs, as N-Quads lines."""
    values = " ".join(f"<{g}>" for g in graphs)
    rows = client.select(
        f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    )
    return {json.dumps(row, sort_keys=True) for row in rows}


def test_known_layouts_give_update_and_query_endpoints() -> None:
    virtuoso = resolve_endpoints("http://h:8890/sparql-graph-crud-auth", None, None)
    assert (virtuoso.update, virtuoso.query) == ("http://h:8890/sparql-auth",) * 2
    fuseki = resolve_endpoints("http://h:3030/ds/data", None, None)
    assert (fuseki.update, fuseki.query) == ("http://h:3030/ds/update", "http://h:3030/ds/query")
    with pytest.raises(PublishInputError, match="unknown Graph Store layout"):
        resolve_endpoints("http://h/gsp", None, None)
    given = resolve_endpoints("http://h/gsp", "http://h/u", "http://h/q")
    assert (given.update, given.query) == ("http://h/u", "http://h/q")


def test_publish_loads_every_graph_and_the_merge_faithfully(
    virtuoso: Virtuoso, tmp_path: Path
) -> None:
    quads = release_quads("first")
    release = write_release(tmp_path / "a", quads, "a")
    result = publish(release, virtuoso.gsp, **virtuoso.client_options)
    assert result.changed
    client = client_for(virtuoso)
    expected = {graph(s): 21 for s in SOURCES} | {merged_graph_iri(BASE): 61}
    assert client.counts(expected) == expected == result.graphs
    # What went in comes out: the merged graph equals the release's gcm.nt, term for term.
    response = requests.get(
        virtuoso.gsp.replace("-auth", ""),
        params={"graph": merged_graph_iri(BASE)},
        headers={"Accept": "application/n-triples"},
        timeout=30,
    )
    stored = {q.triple for q in parse(response.content, format=RdfFormat.N_TRIPLES)}
    assert stored == {q.triple for q in parse(path=release / "gcm.nt", format=RdfFormat.N_TRIPLES)}
    record, values = client.publication(BASE)
    assert values == 1 and record is not None
    assert (record.state, record.sha) == (STABLE, result.sha)
    assert record.graphs == {graph(s): 21 for s in SOURCES}
    assert (record.default, record.default_triples) == (merged_graph_iri(BASE), 61)


def test_publishing_the_same_release_again_changes_nothing(
    virtuoso: Virtuoso, tmp_path: Path
) -> None:
    release = write_release(tmp_path / "a", release_quads("same"), "same")
    first = publish(release, virtuoso.gsp, **virtuoso.client_options)
    client = client_for(virtuoso)
    graphs = [graph(s) for s in SOURCES] + [merged_graph_iri(BASE)]
    before, (record_before, _) = snapshot(client, graphs), client.publication(BASE)
    again = publish(release, virtuoso.gsp, **virtuoso.client_options)
    assert not again.changed and again.sha == first.sha
    assert client.publication(BASE)[0] == record_before  # not even the record was rewritten
    forced = publish(release, virtuoso.gsp, force=True, **virtuoso.client_options)
    assert forced.changed
    assert snapshot(client, graphs) == before


def test_a_new_release_replaces_the_old_one_and_leaves_no_staging(
    virtuoso: Virtuoso, tmp_path: Path
) -> None:
    publish(
        write_release(tmp_path / "a", release_quads("old"), "old"),
        virtuoso.gsp,
        **virtuoso.client_options,
    )
    smaller = release_quads("new", sources=("alpha", "beta"), size=5)
    publish(write_release(tmp_path / "b", smaller, "new"), virtuoso.gsp, **virtuoso.client_options)
    client = client_for(virtuoso)
    live = client.counts([graph(s) for s in SOURCES] + [merged_graph_iri(BASE)])
    assert live == {graph("alpha"): 6, graph("beta"): 6, merged_graph_iri(BASE): 11}
    labels = client.select(
        f"SELECT DISTINCT ?l {{ GRAPH <{graph('alpha')}> {{ ?s <{EX}label> ?l }} }}"
    )
    assert {row["l"].split()[0] for row in labels} == {"new"}
    leftovers = client.select(
        'SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "urn:gcm-graph:staging:")) }'
    )
    assert leftovers == []


def test_virtuoso_update_requests_are_not_all_or_nothing(virtuoso: Virtuoso) -> None:
    """Why publish does not rely on one Update request: a failing operation does not undo the
    operations before it in the same request (Virtuoso 7.2.5)."""
    client = client_for(virtuoso)
    marker = f"{BASE}graph/atomicity-probe"
    with pytest.raises(PublishError):
        client.update(
            f"INSERT DATA {{ GRAPH <{marker}> {{ <{EX}a> <{EX}b> 1 }} }} ;\n"
            f"DROP GRAPH <{BASE}graph/never-created>"
        )
    assert client.counts([marker]) == {marker: 1}
    client.update(f"DROP SILENT GRAPH <{marker}>")


@pytest.fixture
def two_big_releases(tmp_path: Path) -> Iterator[tuple[Path, Path, dict, dict]]:
    a_quads = release_quads("A", size=PER_GRAPH)
    b_quads = [q for q in release_quads("B", size=PER_GRAPH) if not q.subject.value.endswith("/0")]
    expected = {}
    for label, quads in (("A", a_quads), ("B", b_quads)):
        counts = Counter(q.graph_name.value for q in quads)
        counts["default"] = len({q.triple for q in quads})
        expected[label] = dict(counts)
    yield (
        write_release(tmp_path / "A", a_quads, "A"),
        write_release(tmp_path / "B", b_quads, "B"),
        expected["A"],
        expected["B"],
    )


class Readers(ClientThreads):
    """Readers of the graph sizes until stopped: three through the remote backend's sequence
    lock, one straight to Virtuoso (no lock: counted, to show what the lock is for). Waiting is
    for events (an answer of a kind), never for a time."""

    def __init__(self, virtuoso: Virtuoso, backend: RemoteBackend, expected: dict[str, dict]):
        super().__init__(4)
        self.virtuoso, self.backend, self.expected = virtuoso, backend, expected
        self.seen: Counter[str] = Counter()  # through the lock: "A", "B", "mixed", "unavailable"
        self.direct: Counter[str] = Counter()
        self.publishing_since: float | None = None  # monotonic time the current publish began

    def client(self, number: int) -> None:
        self.locked() if number < 3 else self.unlocked()

    def classify(self, rows: list[dict]) -> str:
        got = {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
        return next((label for label, counts in self.expected.items() if got == counts), "mixed")

    def count(self, tally: Counter[str], label: str, started: float | None = None) -> None:
        with self.changed:
            tally[label] += 1
            since = self.publishing_since
            if started is not None and since is not None and started >= since:
                tally["started during a publish"] += 1
            self.counted()

    def locked(self) -> None:
        while not self.stop.is_set():
            started = time.monotonic()
            until = started + GUARD_S

            def send(record: Publication, until: float = until) -> bytes:
                params = [("default-graph-uri", record.default)]
                params += [("named-graph-uri", g) for g in record.graphs]
                return self.backend.post(
                    COUNTS_BY_GRAPH, params, "application/sparql-results+json", until
                )

            try:
                body = self.backend.consistent(send, until)
            except (BackendError, DeadlineExceeded) as error:  # no answer: never a mixed one
                assert getattr(error, "status", 503) == 503
                self.count(self.seen, "unavailable")
                continue
            self.count(self.seen, self.classify(json.loads(body)["results"]["bindings"]), started)

    def unlocked(self) -> None:
        session = requests.Session()
        params = [("query", COUNTS_BY_GRAPH), ("default-graph-uri", merged_graph_iri(BASE))]
        params += [("named-graph-uri", graph(s)) for s in SOURCES]
        while not self.stop.is_set():
            try:
                response = session.post(
                    self.virtuoso.sparql,
                    data=params,
                    headers={"Accept": "application/sparql-results+json"},
                    timeout=GUARD_S,
                )
                label = self.classify(response.json()["results"]["bindings"])
            except (requests.RequestException, ValueError):
                label = "unavailable"
            self.count(self.direct, label)


def test_readers_never_see_half_of_each_release(virtuoso: Virtuoso, two_big_releases) -> None:
    """Readers through the remote backend's sequence lock, while A and B replace each other three
    times: every answer is exactly A's or exactly B's graph sizes. Each publish waits, before it
    stages anything, until a read that started after it began has been answered, and the next
    publish starts only once the readers have seen the new release."""
    release_a, release_b, counts_a, counts_b = two_big_releases
    publish(release_a, virtuoso.gsp, **virtuoso.client_options)
    backend = RemoteBackend(virtuoso.sparql, BASE, max_connections=8)
    with Readers(virtuoso, backend, {"A": counts_a, "B": counts_b}) as readers:
        readers.wait_for(lambda: readers.seen["A"] > 0, "answered A")
        for release, label in ((release_b, "B"), (release_a, "A"), (release_b, "B")):
            before = readers.seen[label]
            during = readers.seen["started during a publish"]
            overlapped = []

            def overlap(message: str, during: int = during, overlapped: list = overlapped) -> None:
                if not overlapped:  # the first step: a read runs while this publish runs
                    overlapped.append(message)
                    readers.wait_for(
                        lambda: readers.seen["started during a publish"] > during,
                        "a read during a publish",
                    )

            with readers.changed:
                readers.publishing_since = time.monotonic()
            result = publish(release, virtuoso.gsp, progress=overlap, **virtuoso.client_options)
            with readers.changed:
                readers.publishing_since = None
            print("publish", {k: round(v, 2) for k, v in result.seconds.items()})
            readers.wait_for(lambda: readers.seen[label] > before, f"answered {label}")  # noqa: B023
    print(f"through the lock: {dict(readers.seen)}; direct: {dict(readers.direct)}")
    assert readers.seen["mixed"] == 0
    assert readers.seen["started during a publish"] >= 3


def test_an_unfinished_switch_is_never_served_and_a_publish_repairs_it(
    virtuoso: Virtuoso, tmp_path: Path
) -> None:
    """A record left `switching` (a publisher died mid-swap): a reader keeps reading it and
    waiting, never answering; the next publish completes the switch and the reader then gets the
    stable record. (The 503 a reader gives when its patience ends: test_remote_units.py.)"""
    release = write_release(tmp_path / "a", release_quads("repair"), "repair")
    published = publish(release, virtuoso.gsp, **virtuoso.client_options)
    client = client_for(virtuoso)
    crashed = Publication(SWITCHING, published.sha, "crashed-publisher", merged_graph_iri(BASE))
    client.update(write_state_update(BASE, crashed))  # as a publisher dying mid-swap leaves it
    backend = RemoteBackend(virtuoso.sparql, BASE)
    reads: list[Publication | None] = []
    read_again = threading.Condition()
    read_record = backend.read_record

    def counted(until: float) -> Publication | None:
        record = read_record(until)
        with read_again:
            reads.append(record)
            read_again.notify_all()
        return record

    backend.read_record = counted  # type: ignore[method-assign]
    served: list[Publication] = []
    waiter = threading.Thread(
        target=lambda: served.append(backend.record(until=time.monotonic() + GUARD_S)),
        daemon=True,
    )
    waiter.start()
    with read_again:
        assert read_again.wait_for(lambda: len(reads) >= 3, timeout=GUARD_S)
    assert served == [] and all(r is not None and r.state == SWITCHING for r in reads[:3])
    assert publish(release, virtuoso.gsp, **virtuoso.client_options).changed
    waiter.join(timeout=GUARD_S)
    assert [record.state for record in served] == [STABLE]
    assert served[0].id != crashed.id and served[0].sha == published.sha
