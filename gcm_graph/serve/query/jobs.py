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
    """The worker process ended while answering: `str()` says how; `memory` is True when it
    was stopped by its memory limit (the query needed more), False for any other death."""

    def __init__(self, cause: str, memory: bool = False):
        super().__init__(cause)
        self.memory = memory

    STATUS = 502  # the process that evaluates queries failed: a bad gateway, not a bad request

    def explain(self) -> str:
        """The message for the client whose query it was."""
        if self.memory:
            return f"The query was stopped: {self}. Narrow it (more specific patterns, a LIMIT)."
        return (
            f"The query worker died while answering ({self}); it has been replaced. "
            "Nothing says the query was at fault: retry it."
        )


class QueryEngine(Protocol):
    """What answers queries for the app (QueryPool, remote.client.RemotePool)."""

    sandboxed: bool

    def run(self, job: QueryJob, deadline: float, queue_timeout: float) -> QueryAnswer: ...

    def close(self) -> None: ...
