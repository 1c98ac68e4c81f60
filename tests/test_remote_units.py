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
from gcm_graph.serve.query.policy import analyse
from gcm_graph.serve.remote.backend import parse_results
from gcm_graph.serve.remote.client import is_describe
from gcm_graph.serve.remote.dataset import (
    EMPTY_GRAPH,
    Dataset,
    confine,
    protocol_params,
)

G = "https://w3id.org/gcm/graph/"


graph_names = st.sampled_from(["resolution", "booklet", "sdg-kos", "other"])


@given(st.lists(st.tuples(st.booleans(), graph_names, st.booleans()), max_size=5))
def test_any_mix_of_from_clauses_round_trips(clauses: list[tuple[bool, str, bool]]) -> None:
    """FROM / FROM NAMED in any order, as IRIs or prefixed names: the policy's dataset is exactly
    the clauses, and the text without them (what goes to a remote store) still parses."""
    parts = []
    for named, name, prefixed in clauses:
        graph = f"g:{name}" if prefixed else f"<{G}{name}>"
        parts.append(f"{'FROM NAMED' if named else 'FROM'} {graph}")
    body = 'WHERE { ?s ?p "FROM <x>" }'
    plan = analyse(f"PREFIX g: <{G}>\nSELECT * {' '.join(parts)} {body}", base_iri=G)
    assert plan.default_graphs == tuple(G + name for named, name, _ in clauses if not named)
    assert plan.named_graphs == tuple(G + name for named, name, _ in clauses if named)
    assert "FROM <" not in plan.text_without_dataset.replace('"FROM <x>"', "")
    assert plan.text_without_dataset.endswith('WHERE { ?s ?p "FROM <x>" }')
    Store().query(plan.text_without_dataset)


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

    spec = yaml.safe_load(
        (REPOSITORY / "gcm_graph" / "resources" / "openapi.yaml").read_text(encoding="utf-8")
    )
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
