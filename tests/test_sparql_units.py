"""Unit tests of the endpoint's parts: the format table, the store, the sandbox (the query policy:
tests/test_query_policy.py)."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, QuerySolutions
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from gcm_graph.serve import formats
from gcm_graph.serve.query.store import Release, ReleaseNotFound, load_store, release_fingerprint

FIXTURE = Path(__file__).parent / "fixtures" / "release"
GCM = "https://w3id.org/gcm/"


# --- formats -----------------------------------------------------------------------------------


def _accept(header: str) -> MIMEAccept:
    return parse_accept_header(header, MIMEAccept)


@pytest.mark.parametrize(
    ("header", "kinds", "expected"),
    [
        ("", ("results",), "json"),
        ("*/*", ("graph",), "ttl"),
        ("text/turtle;q=0.5, application/ld+json", ("graph",), "jsonld"),
        ("text/turtle;q=0.9, application/ld+json;q=0.1", ("graph",), "ttl"),
        ("application/sparql-results+xml, */*;q=0.1", ("results",), "xml"),
        ("text/*", ("results",), "csv"),  # main types before aliases: not text/xml
        ("text/tab-separated-values", ("results",), "tsv"),
        ("application/n-triples", ("graph",), "nt"),
        ("application/rdf+xml", ("graph",), "rdfxml"),
        ("text/html, */*;q=0.8", ("page", "graph"), "html"),
        ("*/*", ("page", "graph"), "html"),
        ("*/*", ("graph", "page"), "ttl"),
    ],
)
def test_negotiation(header: str, kinds: tuple, expected: str) -> None:
    chosen = formats.negotiate(_accept(header), kinds)
    assert chosen is not None and chosen.name == expected


def test_negotiation_failure_and_format_parameter() -> None:
    assert formats.negotiate(_accept("image/png"), ("results", "graph")) is None
    assert formats.negotiate(_accept("text/csv"), ("graph",)) is None
    # the parameter wins over Accept; names, aliases and media types work; kinds restrict
    assert formats.choose(_accept("text/csv"), "turtle", ("graph",)).name == "ttl"
    assert formats.choose(_accept(""), "application/ld+json", ("graph",)).name == "jsonld"
    assert formats.choose(_accept(""), "xml", ("results",)).name == "xml"
    assert formats.choose(_accept(""), "xml", ("graph",)) is None
    assert formats.by_extension(".rdf").name == "rdfxml"
    assert formats.media_type_for_path("build/gcm.trig") == "application/trig"
    assert formats.media_type_for_path("build/manifest.json") == "application/json"
    assert formats.media_type_for_path("build/unknown.bin") == "application/octet-stream"


def test_format_table_is_consistent() -> None:
    names = [f.name for f in formats.FORMATS]
    assert len(names) == len(set(names))
    for fmt in formats.of_kind("results", "graph", "dataset"):
        assert fmt.oxigraph is not None and fmt.rdflib is not None, fmt.name
        assert formats.by_name(fmt.name, [fmt.kind]) is fmt
        assert formats.by_name(fmt.media_type, [fmt.kind]) is fmt
    assert formats.by_name("ttl").content_type == "text/turtle; charset=utf-8"


# --- store -------------------------------------------------------------------------------------


def _count(store, query: str, **kwargs) -> int:
    rows = store.query(query, **kwargs)
    assert isinstance(rows, QuerySolutions)
    return int(next(iter(rows))["n"].value)


def test_default_graph_is_the_merge_without_duplicates() -> None:
    store = load_store(FIXTURE / "gcm.nq")
    # gcm.trig states `objective/1 a gcm:Objective` in the resolution AND the booklet graph
    objective_1 = f"<{GCM}objective/1> a <https://w3id.org/gcm/ontology#Objective>"
    assert _count(store, f"SELECT (COUNT(*) AS ?n) {{ GRAPH ?g {{ {objective_1} }} }}") == 2
    assert _count(store, f"SELECT (COUNT(*) AS ?n) {{ {objective_1} }}") == 1
    lines = (FIXTURE / "gcm.nq").read_text().splitlines()
    distinct_triples = {line.rsplit(" ", 2)[0] for line in lines if line.strip()}
    assert _count(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") == len(distinct_triples)
    graphs = {g.value for g in store.named_graphs()}
    assert graphs == {f"{GCM}graph/{name}" for name in ("resolution", "booklet", "sdg-kos")}


def test_release_helpers_for_the_pages() -> None:
    release = Release(FIXTURE)
    assert release.fingerprint == release_fingerprint(FIXTURE)
    assert [g.name.rsplit("/", 1)[-1] for g in release.named_graphs()] == [
        "booklet",
        "resolution",
        "sdg-kos",
    ]
    titles = release.select(
        "SELECT ?o ?t { ?o <http://purl.org/dc/terms/title> ?t }",
        {"o": NamedNode(f"{GCM}objective/7")},
    )
    assert [row["t"].value for row in titles] == ["Address and reduce vulnerabilities in migration"]
    described = release.describe(f"{GCM}objective/2")
    assert {t.subject.value for t in described} == {f"{GCM}objective/2"}
    assert any(t.predicate.value.endswith("hasAction") for t in described)


def test_missing_release_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ReleaseNotFound, match="gcm-graph build"):
        Release(tmp_path)


def test_fingerprint_changes_with_the_manifest(tmp_path: Path) -> None:
    for name in ("gcm.nq", "manifest.json"):
        (tmp_path / name).write_bytes((FIXTURE / name).read_bytes())
    before = release_fingerprint(tmp_path)
    (tmp_path / "manifest.json").write_text("{}")
    assert release_fingerprint(tmp_path) != before


# --- sandbox -----------------------------------------------------------------------------------


def test_sandbox_forbids_internet_sockets_but_not_unix_ones() -> None:
    """In a child process (the filter is irreversible): no TCP client, even to a local listener."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(1.0)
    port = listener.getsockname()[1]
    script = textwrap.dedent(
        f"""
        import socket
        from gcm_graph.serve.query.sandbox import deny_internet_sockets
        deny_internet_sockets()
        socket.socket(socket.AF_UNIX).close()
        try:
            socket.create_connection(("127.0.0.1", {port}), timeout=1)
        except PermissionError:
            print("blocked")
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30, check=True
    )
    assert out.stdout.strip() == "blocked"
    with pytest.raises(TimeoutError):
        listener.accept()
    listener.close()


# --- app factory -------------------------------------------------------------------------------


def test_app_factory_without_query_pool() -> None:
    """Every blueprint is registered; an app without query workers answers queries with 503."""
    import gcm_graph.serve as serve

    config = {"RELEASE_DIR": str(FIXTURE), "START_QUERY_POOL": False}
    app = serve.create_app(config)
    assert set(app.blueprints) == {
        "sparql", "pages", "dumps", "health", "analysis", "search", "harvest"
    }  # fmt: skip
    response = app.test_client().get("/sparql", query_string={"query": "ASK {}"})
    assert response.status_code == 503  # no query workers in this app
