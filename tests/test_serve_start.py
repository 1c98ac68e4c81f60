"""Issue 11: a started server answers at once, while its query workers load the release.

The app does not wait for its workers: pages and /healthz answer while they warm (/healthz with
503 "starting" and Retry-After, without waiting for a probe), and a query sent meanwhile waits
in the queue and is answered once a worker is warm. The workers are held cold here by a gate on
the pool's "ready" handler, so nothing depends on how fast this machine loads the release.
The forkserver loads the release once (query/preload.py), and workers forked from it start with
it loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from conftest import FIXTURE_RELEASE

from gcm_graph.serve import create_app
from gcm_graph.serve.http.replicas import CONFIG_ENV, create_replica
from gcm_graph.serve.query.admission import query_workers_starting, warm_up
from gcm_graph.serve.query.jobs import ENGINE_EXTENSION
from gcm_graph.serve.query.pool import QueryPool

GUARD_S = 120.0  # only ends a hang


# one worker, no fast lane; a query waits as long as it takes (no 503 for a slow machine)
COLD_CONFIG = {
    "RELEASE_DIR": str(FIXTURE_RELEASE),
    "WORKERS": 1,
    "FAST_LANE_SLOTS": 0,
    "QUEUE_TIMEOUT_S": GUARD_S,
}


@pytest.fixture
def gate(monkeypatch) -> Iterator[threading.Event]:
    """Query workers cannot become warm until `gate.set()`."""
    opened = threading.Event()
    on_ready = QueryPool._on_ready

    def held(self, worker):
        opened.wait(GUARD_S)
        on_ready(self, worker)

    monkeypatch.setattr(QueryPool, "_on_ready", held)
    try:
        yield opened
    finally:
        opened.set()


@pytest.fixture
def cold_app(gate):
    """An app whose query workers cannot become warm until `gate.set()`."""
    app = create_app(COLD_CONFIG)
    try:
        yield app, gate
    finally:
        gate.set()
        app.extensions[ENGINE_EXTENSION].close()


def test_a_replica_is_handed_to_gunicorn_only_once_warm(gate, monkeypatch) -> None:
    """gunicorn lets an instance accept once its app is made: create_replica waits for the
    workers, so a new instance (a reload) does not take queries it would keep waiting."""
    monkeypatch.setenv(CONFIG_ENV, json.dumps(COLD_CONFIG))
    made: list = []
    making = threading.Thread(target=lambda: made.append(create_replica()))
    making.start()
    making.join(0.2)
    assert not made, "the replica was handed over with cold query workers"
    gate.set()
    making.join(GUARD_S)
    assert made and not query_workers_starting(made[0])
    made[0].extensions[ENGINE_EXTENSION].close()


def test_healthz_says_starting_at_once_while_the_workers_are_cold(cold_app) -> None:
    app, _gate = cold_app
    assert query_workers_starting(app)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    body = response.get_json()
    assert body["status"] == "starting"
    assert "loading the release" in body["error"]


def test_pages_answer_while_the_workers_are_cold(cold_app) -> None:
    app, _gate = cold_app
    client = app.test_client()
    response = client.get("/objective/7", headers={"Accept": "text/html"}, follow_redirects=True)
    assert response.status_code == 200
    assert query_workers_starting(app)  # answered by the web process, not by a worker


def test_a_query_sent_while_cold_waits_and_is_answered(cold_app) -> None:
    app, gate = cold_app
    answers: list = []
    client = app.test_client()
    asking = threading.Thread(
        target=lambda: answers.append(
            client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
        )
    )
    asking.start()
    asking.join(0.2)
    assert not answers, "answered before any worker was warm"
    gate.set()
    asking.join(GUARD_S)
    assert answers and answers[0].status_code == 200
    assert json.loads(answers[0].data)["boolean"] is True
    warm_up(app, GUARD_S)
    assert not query_workers_starting(app)
    assert app.test_client().get("/healthz").get_json()["status"] == "ok"


def test_the_forkserver_preload_loads_only_the_release_it_is_named() -> None:
    script = (
        "from gcm_graph.serve.query import preload\n"
        "import sys\n"
        "store = preload.preloaded_store(sys.argv[1])\n"
        "print(len(store) if store is not None else None, preload.preloaded_store('/elsewhere'))\n"
    )
    named = subprocess.run(
        [sys.executable, "-c", script, str(FIXTURE_RELEASE)],
        env={**os.environ, "GCM_PRELOAD_RELEASE": str(FIXTURE_RELEASE)},
        capture_output=True,
        text=True,
        timeout=GUARD_S,
    )
    assert named.returncode == 0, named.stderr
    count, elsewhere = named.stdout.split()
    assert int(count) > 0 and elsewhere == "None"
    unnamed = subprocess.run(
        [sys.executable, "-c", script, str(FIXTURE_RELEASE)],
        env={k: v for k, v in os.environ.items() if k != "GCM_PRELOAD_RELEASE"},
        capture_output=True,
        text=True,
        timeout=GUARD_S,
    )
    assert unnamed.stdout.split() == ["None", "None"], unnamed.stderr


def test_a_missing_release_in_the_preload_does_not_stop_the_forkserver(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from gcm_graph.serve.query import preload; print('imported')"],
        env={**os.environ, "GCM_PRELOAD_RELEASE": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=GUARD_S,
    )
    assert done.returncode == 0 and done.stdout.strip() == "imported", done.stderr
