"""Queries run in a pebble process pool: warm workers, a hard deadline, workers really killed.

pyoxigraph cannot cancel a running query, so each query runs in a worker *process*. pebble's
`ProcessPool.schedule(..., timeout=deadline)` terminates (SIGTERM, then SIGKILL) the worker whose
task passes its deadline and starts a replacement. Workers are started from a clean forkserver
(never forked from the threaded web server) and load the release in their initializer, before they
take any task: a worker is warm when it answers. The initializer also installs the network sandbox.

The worker answers with bytes already serialised in the negotiated format, so the web process only
copies them out; a result larger than the limit is refused, never truncated.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
from concurrent.futures import CancelledError
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from pebble import ProcessExpired, ProcessPool
from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, Store, serialize

from .. import formats
from .jobs import DeadlineExceeded, PoolBusy, QueryAnswer, QueryJob, WorkerDied
from .store import NQUADS_FILE, PREFIX_MAP, load_store

log = logging.getLogger(__name__)

STARTUP_SLACK_S = 30.0  # longest wait for a (replacement) worker to load the release
_STORE: Store | None = None  # the worker process's copy of the release
_SANDBOXED = False  # whether this worker cannot open Internet sockets


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


def init_worker(release_dir: str, sandbox: bool, memory_mb: int | None = None) -> None:
    """Pool initializer: load the release (the worker starts warm), then lock the network and cap
    the worker's address space (a query that needs more dies alone: WorkerDied, not the host)."""
    global _STORE, _SANDBOXED
    # pebble installs a Python SIGTERM handler, which cannot run while pyoxigraph (Rust) evaluates:
    # pebble would then wait 3 s before SIGKILL, stalling the whole pool. Die at once instead.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    started = time.perf_counter()
    _STORE = load_store(Path(release_dir) / NQUADS_FILE)
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if sandbox:
        from .sandbox import SandboxUnavailable, deny_internet_sockets

        try:
            deny_internet_sockets()
            _SANDBOXED = True
        except SandboxUnavailable as error:  # the lexical SERVICE check still applies
            log.warning("query worker runs without network sandbox: %s", error)
    log.info("query worker %d warm in %.2fs", os.getpid(), time.perf_counter() - started)


def ping() -> tuple[int, bool]:
    """A no-op task: proves a worker is up and loaded; answers (pid, sandboxed)."""
    if _STORE is None:
        raise RuntimeError("worker started without a store")
    return os.getpid(), _SANDBOXED


def execute(job: QueryJob) -> QueryAnswer:
    """Run one query in this worker and serialise its answer (or an error status and message)."""
    assert _STORE is not None, "init_worker did not run"
    try:
        return _answer(_STORE, job)
    except SyntaxError as error:
        return _error(400, f"Malformed query: {error}")
    except _ResultTooLarge:
        limit = job.max_result_bytes / (1024 * 1024)
        return _error(422, f"The result is larger than {limit:g} MiB; add a LIMIT or narrow it.")
    except PermissionError as error:  # the sandbox stopped an outbound connection
        return _error(403, f"Outbound connections are not allowed: {error}")
    except ValueError as error:  # e.g. an invalid IRI in default-graph-uri
        return _error(400, f"Bad request: {error}")
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
        serialize(result, buffer, format=fmt.oxigraph, prefixes=PREFIX_MAP)
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


class QueryPool:
    """The pool of query worker processes, shared by all threads of the web server."""

    def __init__(
        self, release_dir: str, workers: int, sandbox: bool = True, memory_mb: int | None = None
    ):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        self.workers = workers
        self.sandboxed = False  # known after warm_up()
        # admission: a query is handed to pebble only when a worker is free for it, so that
        # nothing waits inside pebble's queue (where a cancelled task would cost a worker)
        self._free = threading.BoundedSemaphore(workers)
        self._pool = ProcessPool(
            max_workers=workers,
            initializer=init_worker,
            initargs=(release_dir, sandbox, memory_mb),
            context=context,
        )

    def warm_up(self, timeout: float = 120.0) -> None:
        """Block until the workers answer (each has loaded the release)."""
        futures = [self._pool.schedule(ping) for _ in range(self.workers)]
        answers = [future.result(timeout=timeout) for future in futures]
        self.sandboxed = all(sandboxed for _, sandboxed in answers)

    def run(self, job: QueryJob, deadline: float, queue_timeout: float) -> QueryAnswer:
        """Answer `job`. PoolBusy if no worker is free within `queue_timeout` seconds (nothing
        runs then); DeadlineExceeded once it has run `deadline` seconds (its worker is killed)."""
        if not self._free.acquire(timeout=queue_timeout):
            raise PoolBusy
        try:
            future = self._pool.schedule(execute, args=(job,), timeout=deadline)
            try:
                # pebble's clock starts when a worker takes the task; a replacement worker may
                # still be loading the release, hence the slack
                return future.result(timeout=deadline + STARTUP_SLACK_S)
            except FutureTimeout as error:
                if future.done():  # pebble stopped the worker at the deadline
                    raise DeadlineExceeded from error
                future.cancel()  # no worker came up in time (pebble kills it if it started)
                raise PoolBusy from error
            except ProcessExpired as error:
                raise WorkerDied(str(error)) from error
            except CancelledError as error:
                raise PoolBusy from error
        finally:
            self._free.release()

    def close(self) -> None:
        self._pool.stop()
        self._pool.join(timeout=5)
