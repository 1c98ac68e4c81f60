"""A public endpoint under abuse: updates, LOAD, SERVICE, runaway queries, huge results, a full pool.

All against real started servers. Outbound connections are detected with a loopback listener that
must not receive anything.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest
import requests
from conftest import LiveServer, start_server

from testing.hostile import distinct
from testing.processes import descendants, wait_until_busy, wait_until_gone

GCM = "https://w3id.org/gcm/"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# Six independent patterns over the 43-triple default graph: 43**6 ~ 6e9 rows to count.
CROSS_JOIN = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n0 ?o . "
    "?p ?q ?r }"
)
TIMEOUT = 30
GUARD_S = 600.0  # only ends a wait for a server that never answers


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A loopback TCP listener standing in for a remote SPARQL endpoint / data URL."""
    server = socket.create_server(("127.0.0.1", 0))
    yield server
    server.close()


def assert_no_connection(server: socket.socket) -> None:
    """Connections that reached the port wait in the backlog: accept() would return them."""
    server.settimeout(0.5)
    with pytest.raises(TimeoutError):
        connection, _ = server.accept()
        connection.close()


def triple_count(server: LiveServer) -> int:
    response = requests.get(
        server.sparql, params={"query": COUNT, "format": "json"}, timeout=TIMEOUT
    )
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# --- updates -----------------------------------------------------------------------------------


def test_updates_are_refused_and_data_unchanged(live_server: LiveServer) -> None:
    before = triple_count(live_server)
    insert = f"INSERT DATA {{ <{GCM}objective/99> a <https://w3id.org/gcm/ontology#Objective> }}"
    delete = "DELETE WHERE { ?s ?p ?o }"
    attempts = [
        requests.post(live_server.sparql, data={"update": insert}, timeout=TIMEOUT),
        requests.post(
            live_server.sparql,
            data=delete,
            headers={"Content-Type": "application/sparql-update"},
            timeout=TIMEOUT,
        ),
        requests.post(live_server.sparql, data={"query": delete}, timeout=TIMEOUT),
        requests.get(live_server.sparql, params={"update": "CLEAR ALL"}, timeout=TIMEOUT),
        requests.get(live_server.sparql, params={"query": "DROP DEFAULT"}, timeout=TIMEOUT),
    ]
    for response in attempts:
        assert response.status_code == 403, response.text
        assert "read-only" in response.text
    assert triple_count(live_server) == before == 43
    ask = requests.get(
        live_server.sparql,
        params={"query": f"ASK {{ <{GCM}objective/99> ?p ?o }}"},
        timeout=TIMEOUT,
    )
    assert ask.json()["boolean"] is False


def test_load_is_refused_without_fetching(live_server: LiveServer, listener: socket.socket) -> None:
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/data.ttl"
    for field in ("update", "query"):
        response = requests.post(
            live_server.sparql,
            data={field: f"LOAD <{url}> INTO GRAPH <{GCM}graph/x>"},
            timeout=TIMEOUT,
        )
        assert response.status_code == 403
    assert_no_connection(listener)
    assert triple_count(live_server) == 43


# --- SERVICE -----------------------------------------------------------------------------------


def test_service_is_refused_and_nothing_connects(
    live_server: LiveServer, listener: socket.socket
) -> None:
    endpoint = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    variants = [
        f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}",
        f"select * {{ service silent <{endpoint}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ \\u0053ERVICE <{endpoint}> {{ ?s ?p ?o }} }}",
    ]
    for query in variants:
        response = requests.get(live_server.sparql, params={"query": query}, timeout=TIMEOUT)
        assert response.status_code == 403, (query, response.text)
        assert "SERVICE" in response.text
    assert_no_connection(listener)


def test_service_hidden_from_the_lexical_check_is_read_by_the_policy(
    live_server: LiveServer, listener: socket.socket
) -> None:
    """This query fooled the old lexical check (`'>'` read as an IRI, so SERVICE looked like
    part of a string) while pyoxigraph evaluated the SERVICE; the policy reads the parse tree,
    refuses it, and nothing connects (issue 11). The worker's seccomp filter stays behind it."""
    endpoint = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    trick = (
        "SELECT * { { BIND(1 AS ?o) FILTER(?o<'>') } UNION "
        f"{{ SERVICE <{endpoint}> {{ ?s ?p ?x }} }} FILTER(?x != '') }}"
    )
    for route in (live_server.sparql, live_server.url + "query"):
        response = requests.get(route, params={"query": trick}, timeout=TIMEOUT)
        assert response.status_code == 403, response.text
        assert "SERVICE (federated query) is disabled" in response.text
    assert_no_connection(listener)
    assert triple_count(live_server) == 43


# --- deadline ----------------------------------------------------------------------------------


def test_runaway_query_is_stopped_at_the_deadline(live_server: LiveServer) -> None:
    """The cross join runs until the 2 s deadline: 504 with a message, the worker that ran it is
    killed, a warm replacement answers."""
    processes_before = descendants(live_server.pid)
    response, elapsed, busy = run_away(live_server, processes_before)
    assert response.status_code == 504
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "2 s deadline" in response.text
    assert elapsed >= live_server.deadline  # never cut short (no upper bound: machines are slow)
    wait_until_gone(busy)
    assert triple_count(live_server) == 43
    replacements = descendants(live_server.pid) - processes_before
    assert replacements, "the pool should have started a replacement worker"


def run_away(server: LiveServer, pids: set[int]) -> tuple[requests.Response, float, int]:
    """Send the cross join; once one of `pids` works on it, wait for the answer."""
    answer: dict[str, object] = {}

    def cross_join() -> None:
        started = time.monotonic()
        answer["response"] = requests.get(
            server.sparql, params={"query": CROSS_JOIN}, timeout=TIMEOUT
        )
        answer["elapsed"] = time.monotonic() - started

    thread = threading.Thread(target=cross_join, daemon=True)
    thread.start()
    busy = wait_until_busy(pids)
    thread.join(timeout=TIMEOUT)
    response = answer["response"]
    assert isinstance(response, requests.Response)
    return response, float(answer["elapsed"]), busy  # type: ignore[arg-type]


def test_others_are_answered_while_a_runaway_query_runs(fixture_release: Path) -> None:
    """A server whose deadline outlasts the test (the cross join needs minutes): once one worker
    is working on it, twenty other queries are all answered by the other worker, and the
    runaway query still has no answer. Events only: no time limit of any query is assumed."""
    with start_server(fixture_release, deadline=3600.0, workers=2) as server:
        outstanding = threading.Event()
        outstanding.set()

        def cross_join() -> None:
            with suppress(requests.RequestException):  # cut when the server stops
                requests.get(server.sparql, params={"query": CROSS_JOIN}, timeout=3600)
            outstanding.clear()

        threading.Thread(target=cross_join, daemon=True).start()
        busy = wait_until_busy(descendants(server.pid))
        for number in range(20):  # distinct queries: each one evaluated, none from the cache
            query = distinct(f"ASK {{ <{GCM}objective/7> ?p ?o }}", number)
            response = requests.get(server.sparql, params={"query": query}, timeout=TIMEOUT)
            assert (response.status_code, response.json()["boolean"]) == (200, True)
        assert outstanding.is_set(), "the runaway query was answered: it did not run away"
        wait_until_busy({busy}, ticks=1)  # and its worker is still at it


# --- a small server: one worker, tiny limits, a changed release ---------------------------------


@pytest.fixture(scope="module")
def small_server(
    tmp_path_factory: pytest.TempPathFactory, fixture_release: Path
) -> Iterator[LiveServer]:
    release = tmp_path_factory.mktemp("release")
    for name in ("gcm.nq", "manifest.json"):
        shutil.copy(fixture_release / name, release / name)
    manifest = release / "manifest.json"
    manifest.write_text(manifest.read_text().replace("fixture release", "another release"))
    with start_server(
        release,
        workers=1,
        QUEUE_TIMEOUT_S=0.5,
        MAX_RESULT_BYTES=300,
        MAX_QUERY_LENGTH=500,
        WORKER_MEMORY_MB=400,
        FAST_LANE_SLOTS=0,  # one worker in all: the 503 of a full pool (fast lane: test_hostile_*)
    ) as server:
        yield server


def test_oversized_result_is_refused_not_truncated(small_server: LiveServer) -> None:
    response = requests.get(
        small_server.sparql,
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 422
    assert "larger than" in response.text
    small = requests.get(small_server.sparql, params={"query": COUNT}, timeout=TIMEOUT)
    assert small.status_code == 200


def test_memory_hungry_query_kills_only_its_worker(fixture_release: Path) -> None:
    """Sorting a 43**5-row cross join needs far more than the 400 MB cap: the worker dies (the
    allocation fails), the client is told why, and a replacement worker answers the next query.
    (Its own server, with a deadline that outlasts any machine: the allocation must fail first.)"""
    hungry = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o } ORDER BY ?a ?o"
    with start_server(fixture_release, deadline=3600.0, workers=1, WORKER_MEMORY_MB=400) as server:
        response = requests.get(server.sparql, params={"query": hungry}, timeout=GUARD_S)
        assert response.status_code == 502
        assert "more than the 400 MiB a query worker may use" in response.text
        assert response.headers["Content-Type"].startswith("text/plain")
        assert requests.get(server.sparql, params={"query": COUNT}, timeout=TIMEOUT).ok


def test_configured_query_length_limit(small_server: LiveServer) -> None:
    response = requests.get(
        small_server.sparql, params={"query": COUNT + "#" + "x" * 500}, timeout=TIMEOUT
    )
    assert response.status_code == 413
    assert "at most 500" in response.text


def test_full_pool_answers_503(fixture_release: Path) -> None:
    """The only worker is stuck in a runaway query: a new query is turned away after the queue
    wait (0.5 s here), with Retry-After, instead of hanging; nothing of it runs. (Its own server,
    whose deadline outlasts the test: the runaway query must still run during the wait; it is
    ended by killing its worker, whose replacement then answers.)"""
    with start_server(fixture_release, deadline=3600.0, workers=1, QUEUE_TIMEOUT_S=0.5) as server:
        answers: list[requests.Response] = []
        runaway = threading.Thread(
            target=lambda: answers.append(
                requests.get(server.sparql, params={"query": CROSS_JOIN}, timeout=GUARD_S)
            ),
            daemon=True,
        )
        runaway.start()
        busy = wait_until_busy(descendants(server.pid))  # the only worker is on the cross join
        started = time.monotonic()
        response = requests.get(
            server.sparql, params={"query": COUNT + " # waits"}, timeout=TIMEOUT
        )
        waited = time.monotonic() - started
        assert response.status_code == 503, response.text
        assert response.headers["Retry-After"] == "5"
        assert "busy" in response.text
        assert waited >= 0.5  # it waited its queue time (no upper bound: machines are slow)
        os.kill(busy, signal.SIGKILL)
        runaway.join(timeout=GUARD_S)
        assert answers[0].status_code == 502, answers[0].text
        # once the runaway query is stopped, the (replaced) worker answers again; until it is
        # up (a fork, slow on a loaded machine), 503 after the 0.5 s queue wait is expected
        give_up = time.monotonic() + GUARD_S
        again = requests.get(server.sparql, params={"query": COUNT}, timeout=TIMEOUT)
        while again.status_code == 503 and time.monotonic() < give_up:
            time.sleep(0.1)
            again = requests.get(server.sparql, params={"query": COUNT}, timeout=TIMEOUT)
        assert again.status_code == 200, again.text


def test_etag_follows_the_release(live_server: LiveServer, small_server: LiveServer) -> None:
    """Same query, same format, other release (manifest changed): another ETag."""
    tags = [
        requests.get(server.sparql, params={"query": COUNT}, timeout=TIMEOUT).headers["ETag"]
        for server in (live_server, small_server)
    ]
    assert tags[0] != tags[1]
