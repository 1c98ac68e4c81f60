"""A started server against hostile connections: a thousand idle sockets and clients that send
their headers one line every few seconds must not keep others out; a body announced over the
limit is refused from its headers, a chunked one at the limit, and nothing is spooled to disk.

No timing is asserted: the timeouts only catch a server that does not answer (waitress'
defaults locked every client out for 150 s behind 100 idle sockets)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import LiveServer, start_server

from testing.hostile import (
    SlowHeaders,
    announce_body,
    chunked_body,
    fetch,
    idle_connections,
    spooled_files,
)

TIMEOUT = 60.0  # a hang, not a speed
MIB = 1024 * 1024

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(fixture_release: Path) -> Iterator[LiveServer]:
    with start_server(fixture_release, workers=1) as started:
        yield started


def test_idle_and_slow_header_clients_do_not_keep_others_out(server: LiveServer) -> None:
    with idle_connections(server.url, 1000), SlowHeaders(server.url, 50, interval=1.0) as slow:
        for _ in range(3):
            health = fetch(server.url, "/healthz", timeout=TIMEOUT)
            assert health.status == 200, health.text
            query = fetch(server.url, "/sparql", params={"query": "ASK {}"}, timeout=TIMEOUT)
            assert query.status == 200, query.text
        assert len(slow.sockets) == 50  # they were still there, dripping headers
    assert fetch(server.url, "/healthz", timeout=TIMEOUT).status == 200


def test_body_announced_over_the_limit_is_refused_from_its_headers(server: LiveServer) -> None:
    before = spooled_files(server.pid)
    status, sent = announce_body(server.url, 300 * MIB, timeout=TIMEOUT)  # no body byte sent
    assert (status, sent) == (413, 0)
    status, _ = announce_body(server.url, 300 * MIB, send=8 * MIB, timeout=TIMEOUT)
    assert status in (413, 0)  # answered 413, or the connection was closed while we pushed
    assert spooled_files(server.pid) == before


def test_chunked_body_is_cut_at_the_limit_without_spooling(server: LiveServer) -> None:
    before = spooled_files(server.pid)
    assert chunked_body(server.url, 4 * MIB, timeout=TIMEOUT) == 413
    assert spooled_files(server.pid) == before


def test_a_body_at_the_limit_is_still_read(server: LiveServer) -> None:
    """The limit itself is allowed: a 1 MiB query body reaches the endpoint (which refuses the
    text as too long, 413 with its own message, not the server's)."""
    body = b"ASK {}" + b" " * (MIB - 6)
    reply = fetch(
        server.url,
        "/sparql",
        method="POST",
        body=body,
        headers={"Content-Type": "application/sparql-query"},
        timeout=TIMEOUT,
    )
    assert reply.status == 413
    assert "characters" in reply.text or "long" in reply.text
