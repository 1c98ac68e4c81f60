"""A remote store that goes down, hangs or is overloaded: clear 502/503/504, then recovery.

The server talks to Virtuoso through a loopback TCP proxy that the test switches between
passing traffic, refusing connections (the store is down), accepting and never answering (the
store hangs) and answering 503 (the store is overloaded). The server is never restarted: each
time the proxy passes traffic again, queries and /healthz succeed again.
"""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import pytest
import requests
from conftest import LiveServer, start_server
from test_remote_http import require_backend_hook
from test_virtuoso import virtuoso  # noqa: F401  (fixture)

from gcm_graph.config import DEFAULT_BASE_URI
from gcm_graph.publish import publish
from testing.hostile import distinct
from testing.virtuoso import Virtuoso

pytestmark = pytest.mark.slow

ASK = f"ASK {{ <{DEFAULT_BASE_URI}objective/7> ?p ?o }}"
HOLD_MARKER = b"hold-this-query"
# The marker rides in a string: the query policy drops comments from the text the store gets.
HELD_ASK = f'ASK {{ <{DEFAULT_BASE_URI}objective/7> ?p ?o FILTER (STR(?p) != "hold-this-query") }}'
ASKED = itertools.count()
DEADLINE = 10.0  # the hang test waits it out; the others' queries pass a Python proxy
TIMEOUT = 30
GUARD_S = 120.0  # only ends a test that hangs


class FlakyProxy:
    """TCP proxy 127.0.0.1:port -> upstream; `mode` is pass, down, hang, hold or busy.

    In `hang` mode every request is read and held (never answered); in `hold` mode only those
    whose text contains HOLD_MARKER are, the others pass. `wait_for_held(n)` waits for the n-th
    held request."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.mode = "pass"
        self.port = 0
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self.held: list[bytes] = []
        self.changed = threading.Condition(self._lock)
        self.listen()

    def listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def set(self, mode: str) -> None:
        """Switch mode; connections opened before are cut, as a failing store would cut them."""
        with self._lock:
            self.mode = mode
            for connection in self._open:
                _close(connection)
            self._open.clear()
            self.held.clear()
        if mode == "down" and self._listener is not None:
            _close(self._listener)
            self._listener = None
        elif mode != "down" and self._listener is None:
            self.listen()

    def wait_for_held(self, count: int) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.held) >= count, timeout=GUARD_S)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self._lock:
                self._open.append(client)
                mode = self.mode
            threading.Thread(target=self._serve, args=(client, mode), daemon=True).start()

    def _serve(self, client: socket.socket, mode: str) -> None:
        if mode == "busy":
            with suppress(OSError):
                client.recv(65536)
                client.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 9\r\n"
                    b"Connection: close\r\n\r\ntoo busy\n"
                )
            _close(client)
            return
        upstream: socket.socket | None = None
        while request := _read_request(client):  # each request of a kept-alive connection
            if mode == "hang" or (mode == "hold" and HOLD_MARKER in request):
                with self.changed:
                    self.held.append(request)
                    self.changed.notify_all()
                return  # held: open, never answered
            try:
                if upstream is None:
                    upstream = socket.create_connection(self.upstream)
                    with self._lock:
                        self._open.append(upstream)
                    threading.Thread(target=_pump, args=(upstream, client), daemon=True).start()
                upstream.sendall(request)
            except OSError:
                break
        _close(client)
        if upstream is not None:
            _close(upstream)

    def close(self) -> None:
        self.set("down")


def _read_request(connection: socket.socket) -> bytes:
    """One HTTP request's bytes (headers, and the body its Content-Length announces)."""
    data = b""
    with suppress(OSError):
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            if not chunk:
                return data
            data += chunk
        head = data.split(b"\r\n\r\n", 1)[0].lower()
        length = 0
        for line in head.split(b"\r\n"):
            if line.startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        while len(data) - len(head) - 4 < length:
            chunk = connection.recv(65536)
            if not chunk:
                break
            data += chunk
    return data


def _pump(source: socket.socket, sink: socket.socket) -> None:
    with suppress(OSError):
        while data := source.recv(65536):
            sink.sendall(data)
    _close(sink)


def _close(connection: socket.socket) -> None:
    with suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)
    connection.close()


@pytest.fixture(scope="module")
def proxy(virtuoso: Virtuoso) -> Iterator[FlakyProxy]:  # noqa: F811
    host, port = virtuoso.sparql.split("//")[1].split("/")[0].split(":")
    flaky = FlakyProxy((host, int(port)))
    yield flaky
    flaky.close()


@contextmanager
def behind_the_proxy(release, proxy: FlakyProxy, deadline: float) -> Iterator[LiveServer]:
    """A server answering from the store through the proxy: two connections to it, in one lane
    whoever asks (query/fairness.py), a third query waiting at most 1 s."""
    url = f"http://127.0.0.1:{proxy.port}/sparql"
    with start_server(
        release,
        deadline=deadline,
        BACKEND_URL=url,
        BACKEND_CONNECTIONS=2,
        FAST_LANE_SLOTS=0,
        QUEUE_TIMEOUT_S=1.0,
    ) as server:
        yield server


@pytest.fixture(scope="module")
def flaky_server(
    virtuoso: Virtuoso,  # noqa: F811
    proxy: FlakyProxy,
    fixture_release,
) -> Iterator[LiveServer]:
    require_backend_hook()
    publish(fixture_release, virtuoso.gsp, base_uri=DEFAULT_BASE_URI, **virtuoso.client_options)
    with behind_the_proxy(fixture_release, proxy, DEADLINE) as server:
        yield server


def ask(server: LiveServer) -> requests.Response:
    """A new query each time (the answer cache must not answer for the store)."""
    query = distinct(ASK, next(ASKED))
    return requests.get(server.sparql, params={"query": query}, timeout=TIMEOUT)


def health(server: LiveServer) -> requests.Response:
    return requests.get(server.url + "healthz", timeout=TIMEOUT)


def assert_serving(server: LiveServer) -> None:
    response = ask(server)
    assert response.status_code == 200, response.text
    assert response.json()["boolean"] is True
    assert health(server).status_code == 200


def test_store_down_is_502_and_the_service_recovers(
    flaky_server: LiveServer, proxy: FlakyProxy
) -> None:
    assert_serving(flaky_server)
    proxy.set("down")
    response = ask(flaky_server)
    assert response.status_code == 502
    assert "unreachable" in response.text and response.headers["Content-Type"].startswith(
        "text/plain"
    )
    page = requests.get(flaky_server.url + "objective/7.ttl", timeout=TIMEOUT)
    assert page.status_code in (502, 503), page.text
    sick = health(flaky_server)
    assert sick.status_code == 503 and sick.json()["status"] == "unavailable"
    proxy.set("pass")
    assert_serving(flaky_server)


def test_store_hanging_is_504_at_the_deadline_and_the_service_recovers(
    flaky_server: LiveServer, proxy: FlakyProxy
) -> None:
    assert_serving(flaky_server)
    proxy.set("hang")
    started = time.monotonic()
    response = ask(flaky_server)
    elapsed = time.monotonic() - started
    assert response.status_code == 504, response.text
    assert "deadline" in response.text
    assert elapsed >= DEADLINE - 0.1  # it waited its deadline (no upper bound: machines are slow)
    proxy.set("pass")
    assert_serving(flaky_server)


def test_store_overloaded_is_503_and_the_service_recovers(
    flaky_server: LiveServer, proxy: FlakyProxy
) -> None:
    assert_serving(flaky_server)
    proxy.set("busy")
    response = ask(flaky_server)
    assert response.status_code == 503 and "overloaded" in response.text
    proxy.set("pass")
    assert_serving(flaky_server)


@pytest.fixture(scope="module")
def patient_server(
    proxy: FlakyProxy, flaky_server: LiveServer, fixture_release
) -> Iterator[LiveServer]:
    """Like flaky_server, with a deadline that outlasts the tests: a query the proxy holds keeps
    its connection to the store until the proxy lets it go, whatever the machine's speed."""
    with behind_the_proxy(fixture_release, proxy, 3600.0) as server:
        yield server


def held_asks(server: LiveServer, proxy: FlakyProxy, count: int) -> list[threading.Thread]:
    """`count` queries that the proxy holds, each keeping one of the server's connections."""

    def held() -> None:
        query = distinct(HELD_ASK, next(ASKED))  # distinct: identical ones would share a run
        with suppress(requests.RequestException):
            requests.get(server.sparql, params={"query": query}, timeout=GUARD_S)

    proxy.set("hold")
    threads = [threading.Thread(target=held, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    proxy.wait_for_held(count)
    return threads


def test_no_free_connection_to_the_store_is_503(
    patient_server: LiveServer, proxy: FlakyProxy
) -> None:
    """Two connections allowed (BACKEND_CONNECTIONS=2), both held by queries the store does not
    answer: a third query waits QUEUE_TIMEOUT_S (1 s), then gets 503 with Retry-After."""
    assert_serving(patient_server)
    threads = held_asks(patient_server, proxy, 2)
    third = ask(patient_server)
    assert third.status_code == 503, third.text
    assert third.headers.get("Retry-After")
    proxy.set("pass")  # lets the held queries go (their connections are cut)
    for thread in threads:
        thread.join(timeout=GUARD_S)
    assert_serving(patient_server)


def test_other_queries_are_answered_while_the_store_holds_one(
    patient_server: LiveServer, proxy: FlakyProxy
) -> None:
    """One query held by the store (it would run past any deadline), twenty others all answered
    on the second connection meanwhile: events only, no time limit assumed."""
    assert_serving(patient_server)
    (thread,) = held_asks(patient_server, proxy, 1)
    for number in range(20):
        query = distinct(ASK, 1_000_000 + number)
        response = requests.get(patient_server.sparql, params={"query": query}, timeout=TIMEOUT)
        assert response.status_code == 200, response.text
        assert response.json()["boolean"] is True
    assert thread.is_alive() and len(proxy.held) == 1
    proxy.set("pass")
    thread.join(timeout=GUARD_S)
