"""A remote store that goes down, hangs or is overloaded: clear 502/503/504, then recovery.

The server talks to Virtuoso through a loopback TCP proxy that the test switches between
passing traffic, refusing connections (the store is down), accepting and never answering (the
store hangs) and answering 503 (the store is overloaded). The server is never restarted: each
time the proxy passes traffic again, queries and /healthz succeed again.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import suppress

import pytest
import requests
from conftest import LiveServer, start_server
from test_remote_http import require_backend_hook
from test_virtuoso import virtuoso  # noqa: F401  (fixture)

from gcm_graph.config import DEFAULT_BASE_URI
from gcm_graph.publish import publish
from testing.virtuoso import Virtuoso

pytestmark = pytest.mark.slow

ASK = f"ASK {{ <{DEFAULT_BASE_URI}objective/7> ?p ?o }}"
DEADLINE = 2.0
TIMEOUT = 30


class FlakyProxy:
    """TCP proxy 127.0.0.1:port -> upstream; `mode` is pass, down, hang or busy."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.mode = "pass"
        self.port = 0
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
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
        if mode == "down" and self._listener is not None:
            _close(self._listener)
            self._listener = None
        elif mode != "down" and self._listener is None:
            self.listen()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self._lock:
                self._open.append(client)
                mode = self.mode
            if mode == "busy":
                client.recv(65536)
                client.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 9\r\n"
                    b"Connection: close\r\n\r\ntoo busy\n"
                )
                _close(client)
            elif mode == "pass":
                upstream = socket.create_connection(self.upstream)
                with self._lock:
                    self._open.append(upstream)
                for a, b in ((client, upstream), (upstream, client)):
                    threading.Thread(target=_pump, args=(a, b), daemon=True).start()
            # "hang": keep the connection open and never answer

    def close(self) -> None:
        self.set("down")


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


@pytest.fixture(scope="module")
def flaky_server(
    virtuoso: Virtuoso,  # noqa: F811
    proxy: FlakyProxy,
    fixture_release,
) -> Iterator[LiveServer]:
    require_backend_hook()
    publish(fixture_release, virtuoso.gsp, base_uri=DEFAULT_BASE_URI, **virtuoso.client_options)
    url = f"http://127.0.0.1:{proxy.port}/sparql"
    with start_server(
        fixture_release,
        deadline=DEADLINE,
        BACKEND_URL=url,
        BACKEND_CONNECTIONS=2,
        QUEUE_TIMEOUT_S=1.0,
    ) as server:
        yield server


def ask(server: LiveServer) -> requests.Response:
    return requests.get(server.sparql, params={"query": ASK}, timeout=TIMEOUT)


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
    assert DEADLINE - 0.1 <= elapsed < DEADLINE + 1.5
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


def test_no_free_connection_to_the_store_is_503(
    flaky_server: LiveServer, proxy: FlakyProxy
) -> None:
    """Two connections allowed (BACKEND_CONNECTIONS=2), both held by hanging queries: a third
    query waits QUEUE_TIMEOUT_S (1 s), then gets 503 with Retry-After."""
    assert_serving(flaky_server)
    proxy.set("hang")
    held = [threading.Thread(target=ask, args=(flaky_server,)) for _ in range(2)]
    for thread in held:
        thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    third = ask(flaky_server)
    assert third.status_code == 503, third.text
    assert third.headers.get("Retry-After") and time.monotonic() - started < DEADLINE
    for thread in held:
        thread.join()
    proxy.set("pass")
    assert_serving(flaky_server)
