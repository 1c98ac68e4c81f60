"""The SPARQL endpoint's HTTP test suite again, with the server answering from Virtuoso.

Every test of tests/test_sparql_http.py (protocol, formats, negotiation, datasets, errors,
service description, caching, CORS, real clients) and the backend-independent tests of
tests/test_sparql_safety.py (updates, LOAD and SERVICE refused, nothing connects) run here against
a server started with BACKEND_URL = Virtuoso's /sparql, the fixture release published into it by
gcm_graph.publish.publish. The module's `live_server` fixture overrides conftest's for them.
Then the tests that only make sense for a remote store: its deadline, dataset confinement,
/healthz.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from conftest import LiveServer, start_server
from test_policy_http import assert_graph_refused
from test_sparql_http import *  # noqa: F403  (the suite, collected here with our live_server)
from test_sparql_safety import (  # noqa: F401  (re-run here; `listener` is their fixture)
    listener,
    run_away,
    test_load_is_refused_without_fetching,
    test_service_is_refused_and_nothing_connects,
    test_updates_are_refused_and_data_unchanged,
    triple_count,
)
from test_virtuoso import virtuoso  # noqa: F401  (fixture)

from gcm_graph.config import DEFAULT_BASE_URI
from gcm_graph.publish import StoreClient, publish, resolve_endpoints
from gcm_graph.serve import BLUEPRINTS, DEFAULT_CONFIG
from gcm_graph.serve.query.store import release_fingerprint
from testing.virtuoso import Virtuoso

pytestmark = pytest.mark.slow

SECRET_GRAPH = "https://example.org/another-organisation/private"
TIMEOUT = 30
GENEROUS_DEADLINE_S = 20.0  # below TIMEOUT; no test of the shared server waits for it


def require_backend_hook() -> None:
    """create_app must know BACKEND_URL and register /healthz (the two-file hook of issue 6)."""
    if "BACKEND_URL" not in DEFAULT_CONFIG or "gcm_graph.serve.http.health" not in BLUEPRINTS:
        pytest.fail(
            "gcm_graph.serve.create_app lacks the hook for BACKEND_URL and /healthz: apply the "
            "patch to gcm_graph/serve/__init__.py and store.py given with issue 6"
        )


@contextmanager
def remote_server(
    virtuoso: Virtuoso,  # noqa: F811
    release: Path,
    deadline: float = 2.0,
    **config: object,
) -> Iterator[LiveServer]:
    """Publish `release` into Virtuoso and serve it from there (release dir kept for /dumps/)."""
    require_backend_hook()
    publish(release, virtuoso.gsp, base_uri=DEFAULT_BASE_URI, **virtuoso.client_options)
    with start_server(release, deadline=deadline, BACKEND_URL=virtuoso.sparql, **config) as server:
        yield server


@pytest.fixture(scope="module")
def live_server(virtuoso: Virtuoso, fixture_release: Path) -> Iterator[LiveServer]:  # noqa: F811
    """A generous deadline: each query is two round trips to Virtuoso (the query, then the
    release's sequence number), which a loaded machine may stall; the deadline has its own
    server (deadline_server)."""
    with remote_server(virtuoso, fixture_release, deadline=GENEROUS_DEADLINE_S) as server:
        yield server


@pytest.fixture(scope="module")
def deadline_server(
    live_server: LiveServer,
    virtuoso: Virtuoso,  # noqa: F811
    fixture_release: Path,
) -> Iterator[LiveServer]:
    """A second server on the release live_server published, with a 2 s deadline."""
    with start_server(fixture_release, deadline=2.0, BACKEND_URL=virtuoso.sparql) as server:
        yield server


def test_healthz_names_the_release_published_in_the_store(
    live_server: LiveServer, fixture_release: Path
) -> None:
    response = requests.get(live_server.url + "healthz", timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    assert body["release"] == release_fingerprint(fixture_release)
    assert body["backend"].endswith("/sparql")
    assert response.headers["Cache-Control"] == "no-store"


def test_runaway_query_answers_504_at_the_deadline(
    deadline_server: LiveServer,
    virtuoso: Virtuoso,  # noqa: F811
) -> None:
    """The cross join keeps Virtuoso busy until the 2 s deadline (which Virtuoso is told too):
    504, and the store answers again at once. (Other queries meanwhile: test_remote_faults.py,
    with a query held by a proxy, so that no time limit is assumed.)"""
    response, elapsed, _ = run_away(deadline_server, {virtuoso.pid})
    assert response.status_code == 504, response.text
    assert "2 s deadline" in response.text
    assert elapsed >= deadline_server.deadline
    assert triple_count(deadline_server) == 43


def test_service_hidden_from_the_lexical_check_is_refused_by_the_strict_one(
    live_server: LiveServer,
    listener: socket.socket,  # noqa: F811
) -> None:
    """The remote store would federate by itself and no sandbox can stop it, so the server uses
    the strict check (the whole text) for every query sent out."""
    endpoint = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    trick = (
        "SELECT * { { BIND(1 AS ?o) FILTER(?o<'>') } UNION "
        f"{{ SERVICE <{endpoint}> {{ ?s ?p ?x }} }} FILTER(?x != '') }}"
    )
    response = requests.get(live_server.sparql, params={"query": trick}, timeout=TIMEOUT)
    assert response.status_code == 403 and "SERVICE" in response.text
    listener.settimeout(0.5)
    with pytest.raises(TimeoutError):
        listener.accept()


def test_other_graphs_of_the_store_stay_out_of_reach(
    live_server: LiveServer,
    virtuoso: Virtuoso,  # noqa: F811
) -> None:
    client = StoreClient(resolve_endpoints(virtuoso.gsp, None, None), **virtuoso.client_options)
    client.put_graph(SECRET_GRAPH, b"<urn:x:secret> <urn:x:is> 'confidential' .\n")
    # issue 11: a FROM / FROM NAMED graph outside the publication record's graphs is refused
    # (403, the graph named) on /sparql and /query, in every spelling (FROM<iri>, prefixed names)
    assert_graph_refused(live_server, SECRET_GRAPH)
    # the patterns that name it in the query's body find nothing: the dataset is confined
    queries = [
        f"SELECT ?o {{ GRAPH <{SECRET_GRAPH}> {{ ?s ?p ?o }} }}",
        f"SELECT ?o {{ VALUES ?g {{ <{SECRET_GRAPH}> }} GRAPH ?g {{ ?s ?p ?o }} }}",
        "SELECT ?o { GRAPH ?g { <urn:x:secret> ?p ?o } }",
        "SELECT ?o { <urn:x:secret> ?p ?o }",
    ]
    for query in queries:
        response = get(live_server, query, params={"format": "csv"})  # noqa: F405
        assert response.status_code == 200, response.text
        assert response.text.splitlines() == ["o"], query
    params = {"default-graph-uri": SECRET_GRAPH, "named-graph-uri": SECRET_GRAPH}
    assert count(live_server, COUNT, **params) == 0  # noqa: F405
    # Why: Virtuoso adds a query's FROM to the protocol's default graph instead of replacing it.
    direct = requests.get(
        virtuoso.sparql,
        params={
            "query": f"SELECT ?o FROM <{SECRET_GRAPH}> {{ <urn:x:secret> ?p ?o }}",
            "default-graph-uri": f"{DEFAULT_BASE_URI}graph/merged",
        },
        headers={"Accept": "text/csv"},
        timeout=TIMEOUT,
    )
    assert "confidential" in direct.text
    client.update(f"DROP SILENT GRAPH <{SECRET_GRAPH}>")
