"""What a query engine is asked and what it answers: the interface between the HTTP layer and
whoever evaluates queries (the embedded store's worker pool, pool.py, or a remote store,
gcm_graph/serve/remote/client.py).

An engine is kept in `app.extensions[ENGINE_EXTENSION]` and has `run(job, deadline,
queue_timeout) -> QueryAnswer`, `sandboxed` and `close()`; it raises the exceptions below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

ENGINE_EXTENSION = "gcm_query_pool"  # app.extensions key of the app's query engine


@dataclass(frozen=True)
class QueryJob:
    """What a worker needs to answer one request (picklable)."""

    query: str
    results_format: str | None  # format name for SELECT/ASK, None if the client accepts none
    graph_format: str | None  # format name for CONSTRUCT/DESCRIBE
    default_graphs: tuple[str, ...] | None = None  # protocol default-graph-uri (None: not given)
    named_graphs: tuple[str, ...] | None = None  # protocol named-graph-uri
    max_result_bytes: int = 64 * 1024 * 1024


@dataclass(frozen=True)
class QueryAnswer:
    status: int
    body: bytes
    format: str | None = None  # set on success

    @property
    def message(self) -> str:
        return self.body.decode("utf-8", "replace")


class DeadlineExceeded(Exception):
    """The query ran past its deadline; its worker was killed."""


class PoolBusy(Exception):
    """No worker became free in time to even start the query."""


class WorkerDied(Exception):
    """The worker process ended while answering (e.g. killed by the kernel for memory)."""


class QueryEngine(Protocol):
    """What answers queries for the app (QueryPool, remote.client.RemotePool)."""

    sandboxed: bool

    def run(self, job: QueryJob, deadline: float, queue_timeout: float) -> QueryAnswer: ...

    def close(self) -> None: ...
