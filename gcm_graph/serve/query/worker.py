"""One query worker process: the release loaded once, then queries answered one at a time.

pyoxigraph cannot cancel a running query, so each query runs in a worker *process* that the pool
(pool.py) can kill. A worker is started from a clean forkserver (never forked from the threaded
web server), finds the release loaded (preload.py) or loads it, caps its address space, installs the network sandbox, says
`ready` on its pipe and then answers jobs from that pipe until the pipe closes. Its answer is
bytes already serialised in the negotiated format (so the web process only copies them out) and
its resident memory after the query (so the pool can recycle a worker that has grown).
"""

from __future__ import annotations

import io
import logging
import os
import resource
import signal
import time
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path

from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, Store

from .. import formats
from .jobs import QueryAnswer, QueryJob
from .ldcontext import write_graph
from .prefixes import declare_standard_prefixes, explain_syntax_error
from .preload import preloaded_store
from .store import NQUADS_FILE, PREFIX_MAP, load_store

log = logging.getLogger(__name__)

READY = "ready"  # first message of a worker: (READY, pid, sandboxed, rss_bytes)
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


class _ResultTooLarge(Exception):
    pass


class _BoundedBuffer(io.RawIOBase):
    """A write-only buffer that stops the serialiser (by raising) past `limit` bytes."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit
        self.chunks: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        self.size += len(data)
        if self.size > self.limit:
            raise _ResultTooLarge
        self.chunks.append(bytes(data))
        return len(data)

    def getvalue(self) -> bytes:
        return b"".join(self.chunks)


def resident_bytes() -> int:
    """This process's resident memory now (not its peak: memory given back counts as gone)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):  # no /proc: the peak is the best we know
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main(
    conn: Connection, stderr: Connection, release_dir: str, sandbox: bool, memory_mb: int | None
) -> None:
    """The worker process: get warm, say so, answer jobs until the pool closes the pipe.

    Its standard error goes to `stderr`, a pipe the pool reads: the pool passes the text on to
    its own standard error and keeps the last of it, where the allocator says why it aborted."""
    os.dup2(stderr.fileno(), 2)
    stderr.close()
    # Ctrl-C in a terminal reaches the whole process group: the web process stops the pool, the
    # workers must not die first with a traceback. SIGTERM and SIGKILL end a worker at once.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    started = time.perf_counter()
    store = preloaded_store(release_dir) or load_store(Path(release_dir) / NQUADS_FILE)
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sandboxed = False
    if sandbox:
        from .sandbox import SandboxUnavailable, deny_internet_sockets

        try:
            deny_internet_sockets()
            sandboxed = True
        except SandboxUnavailable as error:  # the lexical SERVICE check still applies
            log.warning("query worker runs without network sandbox: %s", error)
    log.info("query worker %d warm in %.2fs", os.getpid(), time.perf_counter() - started)
    conn.send((READY, os.getpid(), sandboxed, resident_bytes()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the pool closed the pipe (recycled, or the server stops)
            return
        answer = execute(store, job)
        conn.send((answer, resident_bytes()))


def execute(store: Store, job: QueryJob) -> QueryAnswer:
    """Run one query and serialise its answer (or an error status and message). The release's
    standard prefixes are declared for a query that uses them without PREFIX lines (prefixes.py)."""
    query, added = declare_standard_prefixes(job.query, PREFIX_MAP)
    try:
        return _answer(store, replace(job, query=query))
    except SyntaxError as error:
        message = explain_syntax_error(str(error), added, job.query, PREFIX_MAP)
        return _error(400, f"Malformed query: {message}")
    except _ResultTooLarge:
        limit = job.max_result_bytes / (1024 * 1024)
        return _error(422, f"The result is larger than {limit:g} MiB; add a LIMIT or narrow it.")
    except PermissionError as error:  # the sandbox stopped an outbound connection
        return _error(403, f"Outbound connections are not allowed: {error}")
    except ValueError as error:  # e.g. an invalid IRI in default-graph-uri
        return _error(400, f"Bad request: {error}")
    except MemoryError:
        return _error(
            500, "The query needed more memory than a query worker may use; narrow it and retry."
        )
    except (OSError, RuntimeError) as error:
        return _error(500, f"Query evaluation failed: {error}")


def _answer(store: Store, job: QueryJob) -> QueryAnswer:
    result = store.query(job.query, **_dataset(job))  # evaluation is lazy: errors may come later
    tabular = isinstance(result, QuerySolutions | QueryBoolean)
    name = job.results_format if tabular else job.graph_format
    if name is None:
        offered = formats.of_kind("results" if tabular else "graph")
        kind = "SELECT/ASK" if tabular else "CONSTRUCT/DESCRIBE"
        return _error(
            406,
            f"Cannot answer a {kind} query in any of the accepted types; available: "
            + ", ".join(f.media_type for f in offered),
        )
    fmt = formats.by_name(name, ["results" if tabular else "graph"])
    assert fmt is not None and fmt.oxigraph is not None
    buffer = _BoundedBuffer(job.max_result_bytes)
    if tabular:
        result.serialize(buffer, format=fmt.oxigraph)
    else:
        write_graph(result, fmt, buffer, job)
    return QueryAnswer(200, buffer.getvalue(), fmt.name)


def _dataset(job: QueryJob) -> dict:
    """Protocol dataset: given either list, the request's lists replace the whole dataset."""
    if job.default_graphs is None and job.named_graphs is None:
        return {}
    return {
        "default_graph": [NamedNode(iri) for iri in job.default_graphs or ()],
        "named_graphs": [NamedNode(iri) for iri in job.named_graphs or ()],
    }


def _error(status: int, message: str) -> QueryAnswer:
    return QueryAnswer(status, message.encode("utf-8"))
