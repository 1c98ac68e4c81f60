"""Units of the remote backend that need no store: dataset confinement, DESCRIBE detection, the
parsing of Virtuoso's answers, the publication record."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyoxigraph import QueryResultsFormat, Store

from gcm_graph.publish import STABLE, Publication, parse_state
from gcm_graph.serve.remote.backend import parse_results
from gcm_graph.serve.remote.client import is_describe
from gcm_graph.serve.remote.dataset import (
    EMPTY_GRAPH,
    Dataset,
    confine,
    protocol_params,
    split_dataset_clauses,
)

G = "https://w3id.org/gcm/graph/"


def test_from_clauses_are_cut_and_resolved() -> None:
    query = (
        "BASE <http://example.org/base/>\n"
        f"PREFIX g: <{G}>\n"
        "SELECT ?s  # FROM <http://comment.example/> is a comment\n"
        f"FROM <{G}resolution> from g:booklet FROM NAMED <relative>\n"
        'WHERE { ?s ?p "FROM <http://literal.example/>" . ?from ?q <http://iri.example/#FROM> }'
    )
    text, dataset = split_dataset_clauses(query)
    assert dataset == Dataset(
        (f"{G}resolution", f"{G}booklet"), ("http://example.org/base/relative",)
    )
    assert "FROM <http://comment.example/>" in text  # comments, literals, IRIs untouched
    assert '"FROM <http://literal.example/>"' in text and "#FROM>" in text
    assert "resolution>" not in text and "g:booklet" not in text
    Store().query(text)  # still a valid query


def test_codepoint_escaped_from_is_seen() -> None:
    text, dataset = split_dataset_clauses(f"SELECT * \\u0046ROM <{G}booklet> {{ ?s ?p ?o }}")
    assert dataset == Dataset((f"{G}booklet",), ())
    assert text == "SELECT *  { ?s ?p ?o }"


def test_no_from_clause_means_no_dataset() -> None:
    query = "SELECT ?from WHERE { ?from ?p ?o } # FROM <x>"
    assert split_dataset_clauses(query) == (query, None)


graph_names = st.sampled_from(["resolution", "booklet", "sdg-kos", "other"])


@given(st.lists(st.tuples(st.booleans(), graph_names, st.booleans()), max_size=5))
def test_any_mix_of_from_clauses_round_trips(clauses: list[tuple[bool, str, bool]]) -> None:
    """FROM / FROM NAMED in any order, as IRIs or prefixed names: the dataset is exactly the
    clauses, the rest of the query is unchanged and parses."""
    parts = []
    for named, name, prefixed in clauses:
        graph = f"g:{name}" if prefixed else f"<{G}{name}>"
        parts.append(f"{'FROM NAMED' if named else 'FROM'} {graph}")
    body = 'WHERE { ?s ?p "FROM <x>" }'
    query = f"PREFIX g: <{G}>\nSELECT * {' '.join(parts)} {body}"
    text, dataset = split_dataset_clauses(query)
    if not clauses:
        assert dataset is None
        return
    assert dataset == Dataset(
        tuple(G + name for named, name, _ in clauses if not named),
        tuple(G + name for named, name, _ in clauses if named),
    )
    assert text.startswith(f"PREFIX g: <{G}>\nSELECT * ") and text.endswith(body)
    Store().query(text)


def test_confinement_to_the_release() -> None:
    release = frozenset({f"{G}resolution", f"{G}booklet"})
    merged = f"{G}merged"
    assert confine(None, merged, release) == Dataset((merged,), (f"{G}booklet", f"{G}resolution"))
    asked = Dataset((f"{G}booklet", "https://elsewhere.example/secret"), ("urn:x",))
    assert confine(asked, merged, release) == Dataset((f"{G}booklet",), (EMPTY_GRAPH,))
    # the merged graph is not a graph of the release's dataset: as on the embedded store
    assert confine(Dataset((merged,), ()), merged, release) == Dataset(
        (EMPTY_GRAPH,), (EMPTY_GRAPH,)
    )
    assert protocol_params(Dataset(("a",), ("b", "c"))) == [
        ("default-graph-uri", "a"),
        ("named-graph-uri", "b"),
        ("named-graph-uri", "c"),
    ]


@pytest.mark.parametrize(
    ("query", "describe"),
    [
        ("DESCRIBE <http://x>", True),
        ("PREFIX d: <http://describe.example/>\n  describe d:x", True),
        ("# DESCRIBE in a comment\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", False),
        ("CONSTRUCT { ?s <http://x/DESCRIBE> ?o } WHERE { ?s ?p ?o }", False),
    ],
)
def test_describe_is_recognised(query: str, describe: bool) -> None:
    assert is_describe(query) is describe


def test_virtuoso_blank_node_labels_are_made_valid() -> None:
    body = (
        b'{"head":{"link":[],"vars":["x","n"]},"results":{"distinct":false,"ordered":true,'
        b'"bindings":[{"x":{"type":"bnode","value":"nodeID://b10006"},'
        b'"n":{"type":"typed-literal","datatype":"http://www.w3.org/2001/XMLSchema#integer",'
        b'"value":"3"}}]}}'
    )
    output = io.BytesIO()
    parse_results(body).serialize(output, format=QueryResultsFormat.CSV)
    assert output.getvalue() == b"x,n\r\n_:b10006,3\r\n"


def test_publication_record_round_trips_and_only_one_value_is_a_record() -> None:
    record = Publication(STABLE, "ab" * 32, "id-1", f"{G}merged", {f"{G}booklet": 4}, 43)
    assert Publication.from_json(record.to_json()) == record
    assert parse_state([record.to_json()]) == record
    assert parse_state([]) is None  # between the two halves of a rewrite
    assert parse_state([record.to_json(), record.to_json()]) is None
    assert parse_state(["not json"]) is None


def test_openapi_describes_every_route_of_the_service() -> None:
    """openapi.yaml is published: each route of the app must be in it (the catch-all resource
    route is described through its examples, /objective/{number} and its documents)."""
    import yaml
    from conftest import FIXTURE_RELEASE, REPOSITORY

    from gcm_graph.serve import create_app

    spec = yaml.safe_load((REPOSITORY / "openapi.yaml").read_text(encoding="utf-8"))
    assert spec["openapi"].startswith("3.")
    described = set(spec["paths"])
    app = create_app({"START_QUERY_POOL": False, "RELEASE_DIR": str(FIXTURE_RELEASE)})
    routes = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        if rule.endpoint == "static" or path in ("/{path}", "/assets/{filename}"):
            continue
        routes.add(path)
    renamed = {
        "/ontology.{ext}": "/ontology.{extension}",
        "/describe.{ext}": "/describe.{extension}",
    }
    missing = {renamed.get(r, r) for r in routes} - described
    assert not missing, f"routes not in openapi.yaml: {sorted(missing)}"
