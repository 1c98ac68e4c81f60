"""HTTP to a remote SPARQL store: bounded connections, deadlines, clear failures, and the
publication record read as a sequence lock (see gcm_graph/publish.py and client.py). What the
store does beyond the SPARQL 1.1 Protocol is its dialect's business (dialect.py).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from http.client import RemoteDisconnected

import requests
from pyoxigraph import (
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
)
from requests.adapters import HTTPAdapter

from ...publish import Publication, StoreCredentials, parse_state, state_query
from ..query.jobs import DeadlineExceeded, PoolBusy
from .dialect import AUTO, StoreDialect, dialect_named, recognise

log = logging.getLogger(__name__)


RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
RECORD_REFRESH_S = 1.0  # how old the record may be for ETags and /healthz
SWITCH_POLL_S = 0.05


class BackendError(Exception):
    """The store could not answer: an HTTP status for our client and a message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class RemoteBackend:
    """HTTP to the store's SPARQL endpoint, bounded concurrency, the publication record."""

    def __init__(
        self,
        url: str,
        base: str,
        *,
        max_connections: int = 16,
        credentials: StoreCredentials | None = None,
        dialect: str = AUTO,
    ):
        self.url = url
        self.base = base
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=max_connections, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.credentials = credentials  # sent once the store asks (its 401 names the scheme)
        self.slots = threading.BoundedSemaphore(max_connections)
        # Fixed once known: configured, or probed (`auto`) on the first request the store answers.
        self._dialect: StoreDialect | None = None if dialect == AUTO else dialect_named(dialect)
        self._record: Publication | None = None
        self._record_read_at = 0.0
        self._lock = threading.Lock()
        self._check = threading.Condition()  # shared validating reads (record_read_since)
        self._checking = False
        self._checked: Publication | None = None
        self._checked_from = float("-inf")

    # --- raw requests ---------------------------------------------------------------------

    def dialect(self, until: float) -> StoreDialect:
        """The store's dialect; with `auto`, probed now if no request has reached it yet."""
        if self._dialect is None:
            response = self._send([("query", "ASK {}")], RESULTS_JSON, until)
            with response:
                if response.status_code != 200:
                    self._body(response, until, StoreDialect())  # the store's error, as usual
                found = recognise(response.headers.get("Server", ""))
            with self._lock:
                if self._dialect is None:
                    self._dialect = found
                    log.info("SPARQL backend %s: %s dialect", self.url, found.name)
        return self._dialect

    def post(self, query: str, params: list[tuple[str, str]], accept: str, until: float) -> bytes:
        """POST a query; the body of a complete 200 answer, else BackendError/DeadlineExceeded."""
        dialect = self.dialect(until)
        remaining = until - time.monotonic()
        if remaining <= 0:
            raise DeadlineExceeded
        form = [("query", query), *params, *dialect.deadline_params(remaining)]
        return self._body(self._send(form, accept, until), until, dialect)

    def _send(self, form: list[tuple[str, str]], accept: str, until: float) -> requests.Response:
        """The store's response (body not read yet); a stale pooled connection is retried once."""
        for attempt in (1, 2):
            remaining = until - time.monotonic()
            if remaining <= 0:
                raise DeadlineExceeded
            try:
                response = self._post(form, accept, remaining)
                if response.status_code == 401 and self.credentials and not self.session.auth:
                    response.close()
                    self.session.auth = self.credentials.auth_for(response)
                    response = self._post(form, accept, until - time.monotonic())
                return response
            except requests.exceptions.ReadTimeout as error:
                raise DeadlineExceeded from error
            except requests.exceptions.ConnectionError as error:
                if attempt == 1 and _stale_connection(error):
                    continue  # a pooled keep-alive connection the store had closed: once more
                raise BackendError(
                    502, f"The SPARQL backend {self.url} is unreachable ({_reason(error)})."
                ) from error
        raise AssertionError("unreachable")

    def _post(self, form: list[tuple[str, str]], accept: str, remaining: float):
        if remaining <= 0:
            raise DeadlineExceeded
        return self.session.post(
            self.url,
            data=form,
            headers={"Accept": accept},
            timeout=(min(2.0, remaining), remaining),
            stream=True,
        )

    def _body(self, response: requests.Response, until: float, dialect: StoreDialect) -> bytes:
        with response:
            if response.status_code != 200:
                text = response.text.strip()
                detail = " ".join(text.split())[:500] or response.reason
                if response.status_code in (429, 503):
                    raise BackendError(503, f"The SPARQL backend is overloaded: {detail}")
                kind = "refused" if response.status_code < 500 else "failed on"
                raise BackendError(502, f"The SPARQL backend {kind} the query: {detail}")
            partial = dialect.partial_answer(response.headers)
            if partial is not None:  # the store cut its answer short at our deadline
                raise DeadlineExceeded(partial)
            chunks = []
            for chunk in response.iter_content(1 << 16):
                chunks.append(chunk)
                if time.monotonic() > until:
                    raise DeadlineExceeded
            return b"".join(chunks)

    # --- the publication record (sequence lock) -------------------------------------------

    def read_record(self, until: float) -> Publication | None:
        body = self.post(state_query(self.base), [], RESULTS_JSON, until)
        try:
            rows = json.loads(body)["results"]["bindings"]
            # A row without the value (Virtuoso answers one while the record is rewritten) is a
            # record that cannot be read: not stable, like zero or two values.
            values = [row.get("record", {}).get("value") for row in rows]
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            message = f"The SPARQL backend sent an unreadable answer: {error}"
            raise BackendError(502, message) from error
        record = None if None in values else parse_state(values)
        with self._lock:  # a record that is not stable is not remembered: record() waits
            self._record = record if record is not None and record.stable else None
            self._record_read_at = time.monotonic()
        return record

    def record(self, max_age: float | None = None, until: float | None = None) -> Publication:
        """The latest stable record (read again when older than max_age); waits out a switch."""
        until = until if until is not None else time.monotonic() + 5.0
        with self._lock:
            record, age = self._record, time.monotonic() - self._record_read_at
        if record is not None and (max_age is None or age <= max_age):
            return record
        while True:
            fresh = self.read_record(until)
            if fresh is not None and fresh.stable:
                return fresh
            if time.monotonic() + SWITCH_POLL_S >= until:
                raise BackendError(
                    503,
                    "The SPARQL backend has no complete release right now (one is being "
                    "switched in, or none is published); retry in a few seconds.",
                )
            time.sleep(SWITCH_POLL_S)

    def consistent(self, send: Callable[[Publication], bytes], until: float) -> bytes:
        """`send(record)`'s answer, accepted only if the record is unchanged after it."""
        while True:
            before = self.record(until=until)
            answer = send(before)
            after = self.record_read_since(time.monotonic(), until)
            if after is not None and after.stable and after.id == before.id:
                return answer
            log.info("release changed while a query ran; running it again")

    def record_read_since(self, moment: float, until: float) -> Publication | None:
        """The record as read by a request that started after `moment`.

        Concurrent queries share these reads: a read that started after a query ended validates
        it, so under load one read serves every query that ended before it began.
        """
        with self._check:
            while True:
                if self._checked_from >= moment:
                    return self._checked
                if not self._checking:
                    self._checking, started = True, time.monotonic()
                    break
                if not self._check.wait(timeout=max(0.0, until - time.monotonic())):
                    raise DeadlineExceeded
        read = False
        try:
            record = self.read_record(until)
            read = True
        finally:
            with self._check:
                self._checking = False
                if read:  # a failed read validates nothing: the waiting threads try their own
                    self._checked, self._checked_from = record, started
                self._check.notify_all()
        return record

    def acquire(self, wait: float) -> None:
        if not self.slots.acquire(timeout=wait):
            raise PoolBusy

    def close(self) -> None:
        self.session.close()


_STALE = (RemoteDisconnected, ConnectionResetError, BrokenPipeError)


def _stale_connection(error: BaseException) -> bool:
    """The store closed a kept-alive connection before our request (safe to send again).

    requests wraps urllib3's ProtocolError, which carries the socket's error as an argument;
    the chain of causes and arguments is walked, never the text of the error."""
    seen: set[int] = set()
    pending: list[object] = [error]
    while pending:
        current = pending.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, _STALE):
            return True
        pending += [current.__cause__, current.__context__, *current.args]
    return False


def _reason(error: Exception) -> str:
    text = str(error)
    for marker in ("Connection refused", "Name or service not known", "timed out"):
        if marker in text:
            return marker.lower()
    return text[:200]


# --- parsing the store's answers ---------------------------------------------------------------


def parse_results(body: bytes) -> QuerySolutions | QueryBoolean:
    """SPARQL JSON results; Virtuoso's blank node labels (`nodeID://b123`) made valid first."""
    if b'"bnode"' in body:
        data = json.loads(body)
        for row in data.get("results", {}).get("bindings", []):
            for term in row.values():
                if term.get("type") == "bnode":
                    term["value"] = _bnode_label(term["value"])
        body = json.dumps(data).encode()
    return parse_query_results(body, format=QueryResultsFormat.JSON)


def _bnode_label(value: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in value.removeprefix("nodeID://")) or "b"


def parse_triples(body: bytes) -> list[Triple]:
    return [quad.triple for quad in parse(body, format=RdfFormat.N_TRIPLES)]
