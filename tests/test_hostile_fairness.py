"""A started server shared by hostile and polite clients: a budget of query time per client
(429 with Retry-After past it), cheap queries answered while heavy ones fill the general lane,
the answer cache, and the client's address from a proxy's header only when the proxy is trusted.

Clients are told apart by their source address (127.0.0.N: all of 127/8 is this machine). No
timing is asserted; the timeouts only catch a hung server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import LiveServer, start_server

from testing.hostile import HeavyClients, client, distinct, fetch

TIMEOUT = 120.0
CROSS_JOIN = (  # 44**6 rows to count: never answered within a deadline, on any machine
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n0 ?o . "
    "?p ?q ?r }"
)
CHEAP = "ASK { ?s ?p ?o }"

pytestmark = pytest.mark.slow


def sparql(server: LiveServer, query: str, source: str, **headers: str):
    return fetch(
        server.url, "/sparql", params={"query": query}, source=source, headers=headers,
        timeout=TIMEOUT,
    )  # fmt: skip


@pytest.fixture(scope="module")
def budget_server(fixture_release: Path) -> Iterator[LiveServer]:
    """A 1 s deadline and 1.5 s of query time per client per minute."""
    with start_server(fixture_release, deadline=1.0, workers=1, CLIENT_BUDGET_S=1.5) as server:
        yield server


def test_past_its_budget_a_client_gets_429_and_others_do_not(budget_server: LiveServer) -> None:
    heavy = client(10)
    statuses = [sparql(budget_server, distinct(CROSS_JOIN, n), heavy).status for n in range(2)]
    assert statuses == [504, 504]  # 2 s of query time used
    refused = sparql(budget_server, CHEAP, heavy)
    assert refused.status == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert "query time" in refused.text
    # a header naming another client changes nothing: no proxy is trusted
    spoofed = sparql(budget_server, CHEAP, heavy, **{"X-Forwarded-For": "10.1.2.3"})
    assert spoofed.status == 429
    assert sparql(budget_server, CHEAP, client(11)).status == 200


def test_identical_queries_are_answered_from_the_cache(budget_server: LiveServer) -> None:
    query = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 3"
    first = sparql(budget_server, query, client(20))
    again = sparql(budget_server, "  " + query + "\r\n", client(21))  # same normal form
    assert first.status == again.status == 200
    assert (first.headers["x-cache"], again.headers["x-cache"]) == ("miss", "hit")
    assert again.body == first.body
    assert again.headers["etag"] == first.headers["etag"]
    revalidated = fetch(
        budget_server.url,
        "/sparql",
        params={"query": query},
        headers={"If-None-Match": first.headers["etag"]},
        source=client(22),
        timeout=TIMEOUT,
    )
    assert revalidated.status == 304 and revalidated.body == b""
    other_format = fetch(
        budget_server.url,
        "/sparql",
        params={"query": query, "format": "csv"},
        source=client(20),
        timeout=TIMEOUT,
    )
    assert other_format.headers["x-cache"] == "miss"


@pytest.fixture(scope="module")
def busy_server(fixture_release: Path) -> Iterator[LiveServer]:
    """One general worker, 1 s of queue wait: without a fast lane a cheap query behind a heavy
    one would be turned away (503).

    The deadline (10 s) is far beyond the loop below (it ends on the waiting heavy clients'
    503s, about 2 s in), so no heavy query is stopped, and no general worker replaced, while
    the cheap client asks. LIGHT_CLIENT_S = 5 s: a slow machine's cheap query (the health
    probe's too) does not make its client heavy; the heavy clients only become known once
    charged 10 s, heavy."""
    with start_server(
        fixture_release, deadline=10.0, workers=1, QUEUE_TIMEOUT_S=1.0, LIGHT_CLIENT_S=5.0
    ) as server:
        yield server


def test_cheap_queries_are_answered_while_heavy_ones_run(busy_server: LiveServer) -> None:
    cheap = client(40)
    assert sparql(busy_server, CHEAP, cheap).status == 200  # a known client
    statuses = []
    with HeavyClients(busy_server.url, CROSS_JOIN, 4, first=50, timeout=TIMEOUT) as heavy:
        while len(heavy.statuses) < 6:  # until the heavy queries have run for a while
            statuses.append(sparql(busy_server, distinct(CHEAP, len(statuses)), cheap).status)
            health = fetch(busy_server.url, "/healthz", source=client(41), timeout=TIMEOUT)
            statuses.append(health.status)
    assert set(statuses) == {200}
    assert 504 in heavy.statuses  # they really ran into the deadline


@pytest.fixture(scope="module")
def proxied_server(fixture_release: Path) -> Iterator[LiveServer]:
    with start_server(
        fixture_release,
        deadline=1.0,
        workers=1,
        CLIENT_BUDGET_S=0.5,
        TRUSTED_PROXY="127.0.0.1",
        ANSWER_CACHE_BYTES=0,
    ) as server:
        yield server


def test_behind_a_trusted_proxy_its_header_names_the_client(proxied_server: LiveServer) -> None:
    proxy = "127.0.0.1"
    first = {"X-Forwarded-For": "198.51.100.7"}
    assert sparql(proxied_server, CROSS_JOIN, proxy, **first).status == 504
    assert sparql(proxied_server, CHEAP, proxy, **first).status == 429
    second = {"X-Forwarded-For": "198.51.100.8"}
    assert sparql(proxied_server, CHEAP, proxy, **second).status == 200
    # a client that is not the proxy cannot name itself
    assert sparql(proxied_server, CROSS_JOIN, client(60), **second).status == 504
    assert (
        sparql(proxied_server, CHEAP, client(60), **{"X-Forwarded-For": "203.0.113.1"}).status
        == 429
    )
