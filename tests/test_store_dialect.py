"""The remote client against a fake SPARQL store (a real HTTP server on loopback that records each
request): its dialect is configured or probed once, never re-decided from a later answer;
credentials go with the scheme the store asks for; a stale pooled connection is recognised by its
exception, not by the text of the error; a switch that outlasts a reader's patience is a 503."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.client import RemoteDisconnected
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import requests
from urllib3.exceptions import ProtocolError

from gcm_graph.publish import SWITCHING, Publication, StoreCredentials
from gcm_graph.serve.query.jobs import DeadlineExceeded
from gcm_graph.serve.remote.backend import RESULTS_JSON, BackendError, RemoteBackend
from gcm_graph.serve.remote.backend import _stale_connection as stale_connection
from gcm_graph.serve.remote.dialect import dialect_named, recognise

BASE = "https://example.org/gcm-test/"
ASK_TRUE = json.dumps({"head": {}, "boolean": True}).encode()


@dataclass
class FakeStore:
    """Answers every query with `body` (ASK_TRUE), with the Server header `servers[i]` for
    request i (the last one repeated) and the extra headers given; asks for credentials if
    `password`."""

    servers: list[str]
    body: bytes = ASK_TRUE
    headers: dict[str, str] = field(default_factory=dict)
    password: str | None = None
    requests: list[dict] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def store() -> Iterator[FakeStore]:
    fake = FakeStore(servers=["Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu"])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = parse_qs(self.rfile.read(length).decode())
            seen = {"form": form, "authorization": self.headers.get("Authorization")}
            fake.requests.append(seen)
            if fake.password is not None and not seen["authorization"]:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="store"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", RESULTS_JSON)
            self.send_header("Content-Length", str(len(fake.body)))
            for name, value in fake.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(fake.body)

        def version_string(self) -> str:
            index = min(len(fake.requests) - 1, len(fake.servers) - 1)
            return fake.servers[max(index, 0)]

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    yield fake
    server.shutdown()
    server.server_close()


def later(seconds: float = 60.0) -> float:
    return time.monotonic() + seconds


def test_auto_dialect_is_probed_once_and_kept(store: FakeStore) -> None:
    """The first answer says Virtuoso, every later one something else: still Virtuoso's dialect
    (its `timeout` parameter is sent on every query), decided by one probe."""
    store.servers = ["Virtuoso/07.20.3229 (Linux)", "SomethingElse/1.0"]
    backend = RemoteBackend(store.url, BASE)
    for _ in range(3):
        backend.post("ASK { ?s ?p ?o }", [], RESULTS_JSON, later())
    probe, *queries = store.requests
    assert probe["form"]["query"] == ["ASK {}"] and "timeout" not in probe["form"]
    assert len(queries) == 3 and all("timeout" in q["form"] for q in queries)
    assert backend.dialect(later()).name == "virtuoso"


def test_configured_generic_dialect_sends_nothing_of_virtuoso(store: FakeStore) -> None:
    """Configured `generic`: no probe, no `timeout` parameter, and Virtuoso's X-SQL-State header
    (from a store that is not asked to be Virtuoso) does not turn an answer into a 504."""
    store.headers = {"X-SQL-State": "S1TAT"}
    backend = RemoteBackend(store.url, BASE, dialect="generic")
    assert backend.post("ASK { ?s ?p ?o }", [], RESULTS_JSON, later()) == ASK_TRUE
    assert [list(r["form"]) for r in store.requests] == [["query"]]


def test_virtuoso_partial_answer_is_a_deadline(store: FakeStore) -> None:
    store.headers = {"X-SQL-State": "S1TAT", "X-SQL-Message": "anytime timeout"}
    backend = RemoteBackend(store.url, BASE, dialect="virtuoso")
    with pytest.raises(DeadlineExceeded):
        backend.post("ASK { ?s ?p ?o }", [], RESULTS_JSON, later())


def test_dialects_know_their_own_behaviour() -> None:
    virtuoso, generic = dialect_named("virtuoso"), dialect_named("generic")
    assert virtuoso.deadline_params(2.5) == [("timeout", "2500")]
    assert generic.deadline_params(2.5) == []
    assert virtuoso.describe("DESCRIBE <x>").startswith('define sql:describe-mode "CBD"')
    assert generic.describe("DESCRIBE <x>") == "DESCRIBE <x>"
    assert (virtuoso.blank_node_iri("b1"), generic.blank_node_iri("b1")) == ("<nodeID://b1>", None)
    assert recognise("Virtuoso/07.20.3229 (Linux)").name == "virtuoso"
    assert recognise("Apache-Jena-Fuseki/5.0").name == "generic"
    with pytest.raises(ValueError, match="unknown store dialect"):
        dialect_named("oracle")


def test_credentials_are_sent_with_the_scheme_the_store_asks_for(store: FakeStore) -> None:
    store.password = "s3cret"
    credentials = StoreCredentials("reader", "s3cret")
    backend = RemoteBackend(store.url, BASE, credentials=credentials, dialect="generic")
    assert backend.post("ASK { ?s ?p ?o }", [], RESULTS_JSON, later()) == ASK_TRUE
    asked, answered = store.requests
    assert asked["authorization"] is None  # nothing sent before the store asks
    assert answered["authorization"].startswith("Basic ")


def test_credentials_come_from_the_option_or_the_environment(monkeypatch) -> None:
    monkeypatch.delenv("GCM_STORE_USER", raising=False)
    monkeypatch.setenv("GCM_STORE_PASSWORD", "pw")
    assert StoreCredentials.given(None) is None
    assert StoreCredentials.given("dba") == StoreCredentials("dba", "pw")
    monkeypatch.setenv("GCM_STORE_USER", "env-user")
    assert StoreCredentials.given(None) == StoreCredentials("env-user", "pw")


def test_stale_connection_is_recognised_by_its_exception_not_its_text() -> None:
    """requests wraps urllib3's ProtocolError, which carries the socket's error as an argument."""
    closed = requests.exceptions.ConnectionError(
        ProtocolError("Connection aborted.", RemoteDisconnected("Remote end closed connection"))
    )
    assert stale_connection(closed)
    reset = requests.exceptions.ConnectionError(ProtocolError("x", ConnectionResetError(104, "")))
    assert stale_connection(reset)
    refused = requests.exceptions.ConnectionError(ConnectionRefusedError(111, "refused"))
    assert not stale_connection(refused)
    # A message that merely mentions the words is not a stale connection.
    assert not stale_connection(requests.exceptions.ConnectionError("RemoteDisconnected?"))


def test_a_switch_that_outlasts_the_patience_is_a_503() -> None:
    """While the record says `switching`, record() waits; when its patience ends, 503. (The
    record is read from a stand-in that answers at once: the outcome cannot depend on speed.)"""
    backend = RemoteBackend("http://127.0.0.1:9/sparql", BASE, dialect="generic")
    switching = Publication(SWITCHING, "0" * 64, "crashed", f"{BASE}graph/merged")
    reads: list[float] = []

    def read_record(until: float) -> Publication:
        reads.append(until)
        return switching

    backend.read_record = read_record  # type: ignore[method-assign]
    with pytest.raises(BackendError) as refused:
        backend.record(until=time.monotonic() + 0.2)
    assert refused.value.status == 503 and "switched in" in refused.value.message
    assert len(reads) >= 1


def test_a_record_row_without_its_value_is_not_a_record(store: FakeStore) -> None:
    """Regression: Virtuoso answered a row without the value while the record was rewritten, and
    the reader died with KeyError (a 500 in the server). It is a record not readable yet."""
    store.body = json.dumps({"head": {"vars": ["record"]}, "results": {"bindings": [{}]}}).encode()
    backend = RemoteBackend(store.url, BASE, dialect="generic")
    assert backend.read_record(later()) is None
    store.body = b"<html>not results</html>"
    with pytest.raises(BackendError) as unreadable:
        backend.read_record(later())
    assert unreadable.value.status == 502
