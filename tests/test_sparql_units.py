"""Unit tests of the endpoint's parts: the query guard, the format table, the store, the sandbox."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyoxigraph import NamedNode, QuerySolutions
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from gcm_graph.serve import formats
from gcm_graph.serve.query import guard
from gcm_graph.serve.query.store import Release, ReleaseNotFound, load_store, release_fingerprint

FIXTURE = Path(__file__).parent / "fixtures" / "release"
GCM = "https://w3id.org/gcm/"


# --- guard -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <a:s> <a:p> <a:o> }",
        "PREFIX ex: <http://example.org/>\nDELETE WHERE { ?s ?p ?o }",
        "# a comment\nLOAD <http://example.org/data.ttl>",
        "BASE <http://x/> prefix : <http://y/> clear all",
        "DROP GRAPH <https://w3id.org/gcm/graph/resolution>",
        "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        r"\u0049NSERT DATA { <a:s> <a:p> <a:o> }",  # I as a codepoint escape
    ],
)
def test_updates_are_recognised(query: str) -> None:
    assert guard.is_update(query)
    with pytest.raises(guard.Refusal) as refused:
        guard.check_query(query, max_length=10_000)
    assert refused.value.status == 403


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p ?o }",
        "PREFIX insert: <http://x/> SELECT ?delete { ?delete insert:load ?o }",
        'SELECT * { ?s ?p "INSERT DATA" }',
        "# DELETE WHERE\nASK { ?s ?p ?o }",
    ],
)
def test_queries_are_not_taken_for_updates(query: str) -> None:
    assert not guard.is_update(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "select * { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * {\nSeRvIcE ?endpoint { ?s ?p ?o } }",
        r"SELECT * { \u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * { ?s ?p ?o . SERVICE:x { ?s ?p ?o } }",  # empty-prefix name as endpoint
        'SELECT * { ?s ?p "x" SERVICE <http://e/> { } } # "',
    ],
)
def test_service_is_found(query: str) -> None:
    assert guard.uses_service(query)
    with pytest.raises(guard.Refusal) as refused:
        guard.check_query(query, max_length=10_000)
    assert refused.value.status == 403
    guard.check_query(query, max_length=10_000, allow_service=True)  # the switch works


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p ?o FILTER(CONTAINS(?o, "basic services")) }',
        'SELECT * { ?s ?p """a SERVICE in a long string""" }',
        "SELECT * { <http://example.org/service> ?p ?o }",
        "SELECT ?service { ?service ?p ?o }",
        "PREFIX ex: <http://example.org/> SELECT * { ?s a ex:Service }",
        "SELECT * { ?s ?p ?o } # SERVICE <http://example.org/> in a comment",
    ],
)
def test_the_word_service_elsewhere_is_allowed(query: str) -> None:
    assert not guard.uses_service(query)


def test_strict_service_check_sees_through_tokeniser_tricks() -> None:
    """pyoxigraph reads `?o<'>'` as a comparison, the skeleton as the IRI <'>: the skeleton then
    takes `') SERVICE ... '` for a string. Only the strict check (used without sandbox) sees it."""
    trick = (
        "SELECT * { { BIND(1 AS ?o) FILTER(?o<'>') } UNION "
        "{ SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?x } } FILTER(?x != '') }"
    )
    assert not guard.uses_service(trick)
    assert guard.uses_service(trick, strict=True)
    assert not guard.uses_service("SELECT ?service { ?service ?p ?o }", strict=True)


def test_length_limit_and_empty_query() -> None:
    with pytest.raises(guard.Refusal) as refused:
        guard.check_query("SELECT * { ?s ?p ?o }" + " " * 100, max_length=50)
    assert refused.value.status == 413
    assert "at most 50" in refused.value.message
    with pytest.raises(guard.Refusal) as empty:
        guard.check_query("  \n", max_length=50)
    assert empty.value.status == 400


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@given(_text)
def test_skeleton_hides_any_string_content(content: str) -> None:
    """Whatever a string literal holds, the skeleton keeps nothing of it (so no keyword leaks)."""
    escaped = content.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r")
    assert guard.skeleton(f'SELECT * {{ ?s ?p "{escaped}" }}') == "SELECT * { ?s ?p   }"


@given(st.integers(min_value=0x20, max_value=0x10FFFF).filter(lambda c: not 0xD800 <= c <= 0xDFFF))
def test_codepoint_escapes_decode(code: int) -> None:
    assert guard.decode_codepoints(f"\\U{code:08X}") == chr(code)
    if code <= 0xFFFF:
        assert guard.decode_codepoints(f"\\u{code:04x}") == chr(code)


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
    assert set(app.blueprints) == {"sparql", "pages", "dumps", "health", "analysis"}
    response = app.test_client().get("/sparql", query_string={"query": "ASK {}"})
    assert response.status_code == 503  # no query workers in this app
