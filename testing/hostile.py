"""Hostile clients for tests and benchmarks/abuse_test.py: idle sockets, slow headers, huge
announced bodies, chunked floods, and plain requests from chosen loopback addresses (Linux routes
all of 127.0.0.0/8 to this machine, so each address is another client to the server).

Client-side sockets are written by hand on purpose: a hostile client does what no library does.
"""

from __future__ import annotations

import http.client
import os
import resource
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlparse

from testing.clients import ClientThreads
from testing.processes import descendants


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def address(url: str) -> tuple[str, int]:
    parsed = urlparse(url)
    return parsed.hostname or "127.0.0.1", parsed.port or 80


def client(number: int) -> str:
    """The loopback address of client `number` (1..250): 127.0.0.<number+1>."""
    return f"127.0.0.{number + 1}"


def fetch(
    url: str,
    path: str,
    *,
    params: dict | None = None,
    method: str = "GET",
    headers: dict | None = None,
    body: bytes | None = None,
    source: str = "127.0.0.1",
    timeout: float = 60.0,
) -> Reply:
    """One request on a new connection from `source`; the whole answer and its duration."""
    host, port = address(url)
    target = path + ("?" + urlencode(params) if params else "")
    started = time.perf_counter()
    connection = http.client.HTTPConnection(host, port, timeout=timeout, source_address=(source, 0))
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        names = {name.lower(): value for name, value in response.getheaders()}
        return Reply(response.status, names, data, time.perf_counter() - started)
    finally:
        connection.close()


def raise_open_files(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


@contextmanager
def idle_connections(url: str, count: int, source: str = "127.0.0.250") -> Iterator[list]:
    """`count` connections that send nothing, open until the block ends."""
    raise_open_files(count + 1024)
    sockets = []
    try:
        for _ in range(count):
            sockets.append(socket.create_connection(address(url), 30, (source, 0)))
        yield sockets
    finally:
        for sock in sockets:
            sock.close()


class SlowHeaders:
    """`count` clients that each begin a request and then send one header line every
    `interval` seconds, never ending it (one thread drives them all). `closed` counts the
    sockets the server has closed."""

    def __init__(self, url: str, count: int, interval: float = 5.0, source: str = "127.0.0.249"):
        raise_open_files(count + 1024)
        self.url, self.count, self.interval, self.source = url, count, interval, source
        self.sockets: list[socket.socket] = []
        self.closed = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._drip, daemon=True)

    def __enter__(self) -> SlowHeaders:
        host, _ = address(self.url)
        for _ in range(self.count):
            sock = socket.create_connection(address(self.url), 30, (self.source, 0))
            sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n".encode())
            self.sockets.append(sock)
        self.thread.start()
        return self

    def _drip(self) -> None:
        line = 0
        while not self.stop.wait(self.interval):
            line += 1
            for sock in list(self.sockets):
                try:
                    sock.sendall(f"X-Slow-{line}: 1\r\n".encode())
                except OSError:
                    self.sockets.remove(sock)
                    self.closed += 1

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=30)
        for sock in self.sockets:
            sock.close()


def announce_body(
    url: str, size: int, path: str = "/sparql", send: int = 0, timeout: float = 60.0
) -> tuple[int, int]:
    """POST announcing `size` body bytes; send `send` of them (stopping when the server closes),
    then read the status line. Returns (status, bytes the server took before answering);
    status 0 if the server closed without an answer. socket.timeout if it waits for the body."""
    host, _ = address(url)
    sent = 0
    with socket.create_connection(address(url), timeout) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\n"
            "Content-Type: application/sparql-query\r\n"
            f"Content-Length: {size}\r\n\r\n"
        )
        sock.sendall(head.encode())
        block = b"#" * 65536
        with suppress(OSError):
            while sent < send:
                sent += sock.send(block[: min(len(block), send - sent)])
        return _status(sock), sent


def chunked_body(url: str, total: int, path: str = "/sparql", timeout: float = 60.0) -> int:
    """POST a chunked body of up to `total` bytes (stopping when the server answers or closes);
    the status of the answer (0: closed without one)."""
    host, _ = address(url)
    with socket.create_connection(address(url), timeout) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\n"
            "Content-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        sock.sendall(head.encode())
        chunk = b"10000\r\n" + b"#" * 0x10000 + b"\r\n"
        sent = 0
        with suppress(OSError):
            while sent < total:
                sock.sendall(chunk)
                sent += 0x10000
            sock.sendall(b"0\r\n\r\n")
        return _status(sock)


def _status(sock: socket.socket) -> int:
    data = b""
    with suppress(ConnectionResetError, BrokenPipeError):
        while b"\r\n" not in data:
            more = sock.recv(4096)
            if not more:
                break
            data += more
    first = data.split(b"\r\n", 1)[0].split()
    return int(first[1]) if len(first) >= 2 and first[1].isdigit() else 0


def spooled_files(pid: int) -> list[str]:
    """Temporary files (or deleted files) the server's processes hold open right now."""
    temp = tempfile.gettempdir()
    found = []
    for process in {pid} | descendants(pid):
        with suppress(OSError):
            for fd in os.listdir(f"/proc/{process}/fd"):
                with suppress(OSError):
                    target = os.readlink(f"/proc/{process}/fd/{fd}")
                    if target.endswith("(deleted)") or target.startswith(temp + "/"):
                        found.append(f"{process}: {target}")
    return found


def tree_rss_mib(pid: int) -> float:
    """Resident memory of the server and all its descendants, in MiB."""
    total = 0
    for process in {pid} | descendants(pid):
        with suppress(OSError, ValueError):
            for line in Path(f"/proc/{process}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def distinct(query: str, nonce: int) -> str:
    """`query` made distinct for the answer cache, which keys on the text the query policy parsed
    (comments dropped, so `# 1` and `# 2` are one query): a BIND of a new variable at the end of
    the query's last group, which changes no answer's rows (every store we test accepts it; a
    trailing VALUES clause, Virtuoso refuses after ASK)."""
    end = query.rindex("}")
    return f"{query[:end]} BIND ({nonce} AS ?nonce) {query[end:]}"


class HeavyClients(ClientThreads):
    """`count` clients (addresses client(first) ...) each sending `query` (made distinct per
    request, so no cache answers it) in a loop until the block ends; `statuses` collects their
    answers' statuses (an exception's name if the request failed)."""

    def __init__(self, url: str, query: str, count: int, first: int, timeout: float = 120.0):
        super().__init__(count)
        self.url, self.query, self.first, self.timeout = url, query, first, timeout
        self.statuses: list[int | str] = []

    def client(self, number: int) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            text = distinct(self.query, number * 1_000_000 + n)
            try:
                reply = fetch(
                    self.url, "/sparql", params={"query": text},
                    source=client(self.first + number), timeout=self.timeout,
                )  # fmt: skip
                self.statuses.append(reply.status)
            except OSError as error:
                self.statuses.append(type(error).__name__)
