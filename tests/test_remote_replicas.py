"""Several instances behind one address (gunicorn, gcm_graph/serve/http/replicas.py), under load:

* embedded store: three instances; the release directory is switched to a new release and the
  instances are reloaded (SIGHUP) while clients keep querying — no request fails, every answer
  is one release's or the other's, and afterwards every instance serves the new one;
* remote store: two instances on one Virtuoso; a new release is published while clients keep
  querying — no request fails, no answer mixes releases, no reload is needed.

Clients open a connection per request (`Connection: close`), so every failure counted is a
request the server accepted and did not answer (docs/replicas.md discusses keep-alive clients).
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
import requests
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse, serialize
from test_remote_http import require_backend_hook
from test_virtuoso import virtuoso  # noqa: F401  (fixture)

from gcm_graph.config import DEFAULT_BASE_URI
from gcm_graph.publish import publish
from gcm_graph.serve.query.store import release_fingerprint
from testing.clients import ClientThreads
from testing.servers import replicas
from testing.virtuoso import Virtuoso

pytestmark = pytest.mark.slow

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CLIENTS = 8
GUARD_S = 120.0  # only ends a test that hangs: the tests wait for answers, not for times


def make_release(directory: Path, source: Path, extra: int) -> Path:
    """The fixture release plus `extra` triples in the booklet graph (so counts tell them apart)."""
    directory.mkdir(parents=True)
    quads = list(parse(path=source / "gcm.nq", format=RdfFormat.N_QUADS))
    graph = NamedNode(f"{DEFAULT_BASE_URI}graph/booklet")
    for i in range(extra):
        subject = NamedNode(f"{DEFAULT_BASE_URI}objective/7")
        quads.append(Quad(subject, NamedNode("urn:test:note"), Literal(f"note {i}"), graph))
    (directory / "gcm.nq").write_bytes(serialize(quads, format=RdfFormat.N_QUADS))
    triples = sorted({q.triple for q in quads}, key=str)
    (directory / "gcm.nt").write_bytes(serialize(triples, format=RdfFormat.N_TRIPLES))
    manifest = {"base_iri": DEFAULT_BASE_URI, "extra": extra, "triples": len(triples)}
    (directory / "manifest.json").write_text(json.dumps(manifest))
    return directory


def health(url: str) -> dict:
    """/healthz's answer; {} for anything else (the polls have their own guard)."""
    with suppress(requests.RequestException, ValueError):
        response = requests.get(url + "healthz", headers={"Connection": "close"}, timeout=10)
        if response.status_code == 200:
            return response.json()
    return {}


@contextmanager
def running_replicas(instances: int, **config: object) -> Iterator[tuple[str, subprocess.Popen]]:
    """gunicorn with `instances` workers (one query worker each) until the block ends.

    The load's CLIENTS threads and the /healthz polls all come from 127.0.0.1, one client for
    the fairness scheduler; they stand for many clients here, so its per-client limit on
    parallel queries (6 by default, tested in test_hostile_units) is lifted above
    what they can send at once. With the default, a seventh request on one instance (six
    queries and a health probe) was refused 429, and the test failed though no release was
    mixed."""
    settings = {
        "WORKERS": 1,
        "CLIENT_MAX_PARALLEL": CLIENTS + 2,
        "QUEUE_TIMEOUT_S": GUARD_S,  # a loaded machine's slow answers are not refusals
        **config,
    }
    with replicas(instances, threads=8, config=settings) as (server, master):
        yield server.url, master


class Load(ClientThreads):
    """CLIENTS threads querying COUNT (and a resource page) until stopped; tallies answers, and
    keeps (when the request started, what it answered) so that a test can wait for answers
    instead of waiting for a time."""

    def __init__(self, url: str):
        super().__init__(CLIENTS)
        self.url = url
        self.answers: Counter[str] = Counter()
        self.timeline: list[tuple[float, str]] = []
        self.errors: list[str] = []

    def record(self, started: float, answer: str) -> None:
        with self.changed:
            self.answers[answer] += 1
            self.timeline.append((started, answer))
            self.counted()

    def client(self, number: int) -> None:
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                if number % 4 == 3:
                    page = requests.get(
                        self.url + "objective/7.ttl", headers={"Connection": "close"}, timeout=30
                    )
                    self.record(started, "page")
                    if page.status_code != 200 or "Objective" not in page.text:
                        self.errors.append(f"page {page.status_code}: {page.text[:200]}")
                    continue
                response = requests.get(
                    self.url + "sparql",
                    params={"query": COUNT},
                    headers={"Accept": "application/json", "Connection": "close"},
                    timeout=30,
                )
                if response.status_code != 200:
                    self.errors.append(f"{response.status_code}: {response.text[:200]}")
                    continue
                self.record(started, response.json()["results"]["bindings"][0]["n"]["value"])
            except (requests.RequestException, ValueError) as error:
                self.errors.append(repr(error))

    def started_since(self, moment: float) -> list[str]:
        """The counts answered to requests that started after `moment`."""
        return [
            answer for started, answer in self.timeline if started > moment and answer != "page"
        ]


def wait_for_release(url: str, sha: str, instances: int, timeout: float = GUARD_S) -> set[int]:
    """Poll /healthz until `instances` distinct instances in a row report `sha` (the instances
    that answer are the kernel's choice: polling long enough reaches each of them)."""
    seen: set[int] = set()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = health(url)
        if body.get("release") == sha:
            seen.add(body["instance"])
            if len(seen) >= instances:
                return seen
        else:
            seen.clear()
        time.sleep(0.05)
    raise AssertionError(f"not every instance serves {sha[:12]} after {timeout} s")


def test_embedded_replicas_reload_a_new_release_under_load(
    fixture_release: Path, tmp_path: Path
) -> None:
    require_backend_hook()  # /healthz
    release_a = make_release(tmp_path / "a", fixture_release, extra=0)
    release_b = make_release(tmp_path / "b", fixture_release, extra=1)
    current = tmp_path / "current"
    current.symlink_to(release_a)
    with running_replicas(3, RELEASE_DIR=str(current), QUERY_DEADLINE_S=10.0) as (url, master):
        instances = wait_for_release(url, release_fingerprint(release_a), 3)
        assert len(instances) == 3, "one address, three instances answering"
        with Load(url) as load:
            load.wait_for(lambda: load.answers["43"] >= 5, "answered release A")
            switched = tmp_path / "switch"
            switched.symlink_to(release_b)
            switched.replace(current)  # atomic: instances started from now on read B
            master.send_signal(signal.SIGHUP)
            reload_started = time.monotonic()
            wait_for_release(url, release_fingerprint(release_b), 3)
            reloaded = time.monotonic()
            print(f"reloaded in {reloaded - reload_started:.1f} s")
            load.wait_for(lambda: len(load.started_since(reloaded)) >= 5, "answered after reload")
    print(f"answers {dict(load.answers)}, errors {len(load.errors)}")
    assert load.errors == []
    assert load.answers["43"] > 0 and load.answers["44"] > 0  # old release, then the new one
    assert set(load.answers) <= {"43", "44", "page"}
    assert set(load.started_since(reloaded)) == {"44"}  # once all serve B, nobody answers A


def test_remote_replicas_follow_a_release_published_under_load(
    virtuoso: Virtuoso,  # noqa: F811
    fixture_release: Path,
    tmp_path: Path,
) -> None:
    require_backend_hook()
    release_a = make_release(tmp_path / "a", fixture_release, extra=0)
    release_b = make_release(tmp_path / "b", fixture_release, extra=1)
    publish(release_a, virtuoso.gsp, **virtuoso.client_options)
    shutil.copytree(release_a, tmp_path / "dumps")
    config = {"RELEASE_DIR": str(tmp_path / "dumps"), "BACKEND_URL": virtuoso.sparql}
    with running_replicas(2, **config) as (url, _master), Load(url) as load:
        load.wait_for(lambda: load.answers["43"] >= 5, "answered release A")
        publish(release_b, virtuoso.gsp, **virtuoso.client_options)
        wait_for_release(url, release_fingerprint(release_b), 2)
        published = time.monotonic()
        load.wait_for(lambda: len(load.started_since(published)) >= 5, "answered release B")
    print(f"answers {dict(load.answers)}, errors {len(load.errors)}")
    assert load.errors == []
    assert load.answers["43"] > 0 and load.answers["44"] > 0
    assert set(load.answers) <= {"43", "44", "page"}
    assert set(load.started_since(published)) == {"44"}
