"""Answer from a remote SPARQL endpoint (e.g. Virtuoso) instead of the embedded store.

The service keeps its own behaviour; only evaluation moves. For every query:

1. the query is parsed here by the same parser as the embedded store (pyoxigraph, on an empty
   store), so a malformed query gets the same 400 message, and its form (SELECT/ASK or
   CONSTRUCT/DESCRIBE) is known before anything is sent; guard.py's checks (update, SERVICE,
   length) have already run in http/sparql.py;
2. its dataset is confined to the published release (dataset.py);
3. it is sent with a deadline (and, if the store's dialect has one, a parameter that makes the
   store stop too: Virtuoso's `timeout`; dialect.py); the
   store answers in one format we parse (SPARQL JSON or N-Triples) and the answer is serialised
   here, by pyoxigraph, in the negotiated format: the bytes a client gets do not depend on the
   store's serialisers, and a partial answer (Virtuoso's "anytime" results) is never passed on;
4. it is accepted only if the store's publication record read *after* it equals the stable
   record it was sent under (sequence lock; see gcm_graph/publish.py), so an answer never
   mixes two releases. While a release is being switched in, queries wait (within their deadline).

Failures: store unreachable -> 502; store overloaded (503/429), no free connection, or a switch
that outlasts the deadline -> 503; deadline passed -> 504 (http/sparql.py's message). Nothing is kept
between requests except pooled connections and the last record, so the service recovers by itself.
Modules: backend.py (HTTP to the store, the record), dataset.py (confinement),
release.py (the pages' view: the part of pyoxigraph's Store interface they use).
"""

from __future__ import annotations

import io
import logging
import re
import threading
import time
from pathlib import Path

from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, Store, serialize

from ...publish import Publication, StoreCredentials
from .. import formats
from ..query.guard import skeleton
from ..query.jobs import ENGINE_EXTENSION, DeadlineExceeded, PoolBusy, QueryAnswer, QueryJob
from ..query.store import PREFIX_MAP, RELEASE_EXTENSION
from .backend import (
    NTRIPLES,
    RECORD_REFRESH_S,
    RESULTS_JSON,
    BackendError,
    RemoteBackend,
    parse_results,
    parse_triples,
)
from .dataset import Dataset, confine, protocol_params, split_dataset_clauses
from .dialect import AUTO

log = logging.getLogger(__name__)

__all__ = ["BackendError", "RemoteBackend", "RemotePool", "install_backend", "is_describe"]


class _Limited(io.RawIOBase):
    """A write-only buffer that refuses to grow past `limit` bytes (the answer is then 422)."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit, self.parts, self.size = limit, [], 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        self.size += len(data)
        if self.size > self.limit:
            raise OverflowError
        self.parts.append(bytes(data))
        return len(data)


# --- the query pool interface (query/jobs.py's QueryEngine) ----------------------------


class RemotePool:
    """Same interface as worker.QueryPool: run(job, deadline, queue_timeout) -> QueryAnswer."""

    # No seccomp sandbox can stop another server from federating, so http/sparql.py applies its
    # strict SERVICE check (the whole text, literals included) to every query sent out.
    sandboxed = False

    def __init__(self, backend: RemoteBackend, workers: int):
        self.backend = backend
        self.workers = workers

    def warm_up(self, timeout: float = 10.0) -> None:
        try:
            self.backend.record(until=time.monotonic() + timeout)
        except (BackendError, DeadlineExceeded) as error:  # start anyway; /healthz says 503
            log.warning("SPARQL backend not ready at start: %s", error)

    def run(self, job: QueryJob, deadline: float, queue_timeout: float) -> QueryAnswer:
        try:
            form = Store().query(job.query)  # parse only: the empty store answers nothing
            requested = _requested_dataset(job)
        except SyntaxError as error:
            return _answer(400, f"Malformed query: {error}")
        except ValueError as error:
            return _answer(400, f"Bad request: {error}")
        tabular = isinstance(form, QuerySolutions | QueryBoolean)
        name = job.results_format if tabular else job.graph_format
        if name is None:
            kind = "SELECT/ASK" if tabular else "CONSTRUCT/DESCRIBE"
            offered = formats.of_kind("results" if tabular else "graph")
            return _answer(
                406,
                f"Cannot answer a {kind} query in any of the accepted types; available: "
                + ", ".join(f.media_type for f in offered),
            )
        text, from_clauses = split_dataset_clauses(job.query)
        self.backend.acquire(queue_timeout)
        try:
            until = time.monotonic() + deadline
            if not tabular and is_describe(text):  # the embedded store's meaning (CBD)
                text = self.backend.dialect(until).describe(text)

            def send(record: Publication) -> bytes:
                dataset = confine(
                    requested or from_clauses, record.default, frozenset(record.graphs)
                )
                accept = RESULTS_JSON if tabular else NTRIPLES
                return self.backend.post(text, protocol_params(dataset), accept, until)

            body = self.backend.consistent(send, until)
        except BackendError as error:
            return _answer(error.status, error.message)
        finally:
            self.backend.slots.release()
        return _serialise(body, tabular, name, job.max_result_bytes)

    def close(self) -> None:
        self.backend.close()


_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s+[^\s:]*:|BASE)\s*<\s*>\s*)*", re.IGNORECASE)


def is_describe(query: str) -> bool:
    shape = skeleton(query)
    return shape[_PROLOGUE.match(shape).end() :].lstrip().upper().startswith("DESCRIBE")


def _requested_dataset(job: QueryJob) -> Dataset | None:
    if job.default_graphs is None and job.named_graphs is None:
        return None
    graphs = (*(job.default_graphs or ()), *(job.named_graphs or ()))
    for iri in graphs:
        NamedNode(iri)  # ValueError for an invalid IRI, as the embedded store raises
    return Dataset(tuple(job.default_graphs or ()), tuple(job.named_graphs or ()))


def _serialise(body: bytes, tabular: bool, name: str, limit: int) -> QueryAnswer:
    fmt = formats.by_name(name, ["results" if tabular else "graph"])
    assert fmt is not None and fmt.oxigraph is not None
    buffer = _Limited(limit)
    try:
        if tabular:
            parse_results(body).serialize(buffer, format=fmt.oxigraph)
        else:
            serialize(parse_triples(body), buffer, format=fmt.oxigraph, prefixes=PREFIX_MAP)
    except OverflowError:
        return _answer(422, f"The result is larger than {limit / 2**20:g} MiB; add a LIMIT.")
    except (SyntaxError, ValueError) as error:
        return _answer(502, f"The SPARQL backend sent an answer that does not parse: {error}")
    return QueryAnswer(200, b"".join(buffer.parts), fmt.name)


def _answer(status: int, message: str) -> QueryAnswer:
    return QueryAnswer(status, message.encode("utf-8"))


# --- wiring into the app (called by create_app when BACKEND_URL is set) ---------------------------


def install_backend(app) -> None:
    """Make `app` answer from the store at app.config["BACKEND_URL"] (a SPARQL query endpoint).

    Settings: BACKEND_USER / BACKEND_PASSWORD (sent with the scheme the store asks for),
    BACKEND_CONNECTIONS (concurrent queries to the store; default 16), BACKEND_DIALECT (`auto`,
    `virtuoso` or `generic`; dialect.py). RELEASE_DIR, if it holds the release files, is
    still served at /dumps/. RELEASE_FINGERPRINT follows the store's publication record.
    """
    import atexit

    from flask import Response

    from .release import RemoteRelease

    config = app.config
    user = config.get("BACKEND_USER")
    backend = RemoteBackend(
        config["BACKEND_URL"],
        config["BASE_URI"],
        max_connections=int(config.get("BACKEND_CONNECTIONS") or 16),
        credentials=StoreCredentials(user, config.get("BACKEND_PASSWORD") or "") if user else None,
        dialect=config.get("BACKEND_DIALECT") or AUTO,
    )
    pool = RemotePool(backend, int(config.get("BACKEND_CONNECTIONS") or 16))
    directory = Path(config["RELEASE_DIR"]).resolve()
    app.extensions[ENGINE_EXTENSION] = pool
    app.extensions[RELEASE_EXTENSION] = RemoteRelease(
        backend, directory, config["QUERY_DEADLINE_S"]
    )
    config["RELEASE_FINGERPRINT"] = "unpublished"
    refreshing = threading.Lock()

    def refresh_fingerprint() -> None:
        """Keep ETags on the store's current release (one thread refreshes; none waits)."""
        if not refreshing.acquire(blocking=False):
            return
        try:
            record = backend.record(max_age=RECORD_REFRESH_S, until=time.monotonic() + 2.0)
            config["RELEASE_FINGERPRINT"] = record.sha
        except (BackendError, DeadlineExceeded, PoolBusy):
            pass  # the request itself will report the store's state
        finally:
            refreshing.release()

    def backend_failed(error: BackendError) -> Response:
        return Response(
            error.message + "\n", error.status, content_type="text/plain; charset=utf-8"
        )

    def deadline_passed(error: DeadlineExceeded) -> Response:
        message = "The SPARQL backend did not answer within the deadline; retry later.\n"
        return Response(message, 504, content_type="text/plain; charset=utf-8")

    app.before_request(refresh_fingerprint)
    app.register_error_handler(BackendError, backend_failed)
    app.register_error_handler(DeadlineExceeded, deadline_passed)
    atexit.register(pool.close)
