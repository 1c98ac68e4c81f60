"""Publish the release into a SPARQL 1.1 triplestore (Graph Store Protocol + Update + Query).

Layout in the store (base = the release's base IRI):

* every named graph of build/gcm.nq under its own name (`<base>graph/{source id}`);
* the merged graph (build/gcm.nt, the release's default graph) as the named graph
  `<base>graph/merged` (MERGED_GRAPH). Stores differ in what their "default graph" is (Virtuoso's is
  the union of every graph it holds, duplicates included), so the merge is stored by name and
  readers ask for it with the protocol's `default-graph-uri`;
* one *publication record*: a single triple in the graph `urn:gcm-graph:publication:<base>` whose
  object is a JSON object {"state": "stable"|"switching", "sha", "id", "default", "graphs"}.

How a new release replaces the old one. Measured on Virtuoso 7.2.5 (tests/test_virtuoso.py):
neither a multi-operation Update request nor a single DELETE/INSERT operation is isolated —
concurrent queries see graphs half replaced, and a failing operation does not undo the earlier
ones of its request. So publishing does not rely on store transactions:

1. **stage**: each graph is PUT (Graph Store Protocol; PUT replaces, so a retry is harmless) under
   `urn:gcm-graph:staging:{sha}:{graph}`, and the staged triple counts are checked;
2. **mark**: the record becomes `switching` (a new id);
3. **swap**: `MOVE` staging -> live for every graph, `DROP` the live graphs the new release no
   longer has; then the live counts are checked against the release;
4. **mark**: the record becomes `stable` with the new sha and a new id.

Readers that must never mix releases (gcm_graph/serve/remote/client.py) use the record as a sequence
lock: answer only if the record read *after* the query equals the stable record they read before
it (same id); otherwise retry, and while it says `switching`, wait. A reader can therefore never
return an answer computed during steps 2-4. Any transitional state of the record itself (zero or
two triples while it is rewritten) reads as "not stable". Clients that query the store directly do
not get this guarantee; the swap window is kept short (staging happens before it) and is measured.

Publishing the same release again is a no-op when the record is stable with the same sha and
the live counts match (otherwise it runs again; every step is idempotent). An interrupted publish
leaves the record `switching`: readers answer 503 until a publish completes. One publisher at a
time (the record is not a lock: two concurrent publishes may interleave).
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import requests
from pyoxigraph import DefaultGraph, RdfFormat, parse, serialize
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from . import config
from .errors import GcmError

NQUADS_FILE = "gcm.nq"
MERGED_FILE = "gcm.nt"
MANIFEST_FILE = "manifest.json"
STATE_PREDICATE = "urn:gcm-graph:publication-state"
STABLE, SWITCHING = "stable", "switching"
# (GSP path suffix, update suffix, query suffix) of stores whose layout is known.
KNOWN_LAYOUTS = (
    ("/sparql-graph-crud-auth", "/sparql-auth", "/sparql-auth"),  # Virtuoso
    ("/sparql-graph-crud", "/sparql", "/sparql"),  # Virtuoso, SPARQL user granted updates
    ("/data", "/update", "/query"),  # Apache Jena Fuseki (/{dataset}/data)
    ("/store", "/update", "/query"),  # Oxigraph server
)


class PublishError(GcmError):
    """The store refused or failed (HTTP error, unreachable, wrong counts): exit code 3."""

    exit_code = 3


class PublishInputError(GcmError):
    """No release to publish, or a store URL we cannot use: bad input (exit code 2)."""

    exit_code = 2


@dataclass(frozen=True)
class StoreCredentials:
    """A user name and password at the store, for `publish` and `serve --backend` alike.

    The password never comes from the command line (other users see it there): only from
    $GCM_STORE_PASSWORD. They are sent with the scheme the store asks for in its 401 answer
    (Virtuoso: Digest; Fuseki: Basic), never before it asks.
    """

    user: str
    password: str

    @classmethod
    def given(cls, user: str | None = None) -> StoreCredentials | None:
        """From the option (else $GCM_STORE_USER) and $GCM_STORE_PASSWORD; None without a user."""
        name = user or os.environ.get(config.STORE_USER_ENV)
        if not name:
            return None
        return cls(name, os.environ.get(config.STORE_PASSWORD_ENV, ""))

    def auth_for(self, challenge: requests.Response) -> AuthBase:
        """The requests auth object for the scheme a 401 answer asks for."""
        asked = challenge.headers.get("WWW-Authenticate", "").lower()
        scheme = HTTPDigestAuth if asked.startswith("digest") else HTTPBasicAuth
        return scheme(self.user, self.password)


def merged_graph_iri(base: str) -> str:
    return f"{base}graph/merged"


def publication_graph_iri(base: str) -> str:
    return f"urn:gcm-graph:publication:{base}"


def staging_graph_iri(sha: str, graph: str) -> str:
    return f"urn:gcm-graph:staging:{sha[:16]}:{graph}"


# --- the publication record ----------------------------------------------------------------


@dataclass(frozen=True)
class Publication:
    """What the store holds: the record's state, the release sha, the graphs and their sizes."""

    state: str
    sha: str
    id: str
    default: str  # IRI of the merged (default) graph
    graphs: dict[str, int] = field(default_factory=dict)  # named graph IRI -> triples
    default_triples: int = 0

    @property
    def stable(self) -> bool:
        return self.state == STABLE

    def to_json(self) -> str:
        record = {
            "state": self.state,
            "sha": self.sha,
            "id": self.id,
            "default": self.default,
            "default_triples": self.default_triples,
            "graphs": dict(sorted(self.graphs.items())),
        }
        return json.dumps(record, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Publication:
        data = json.loads(text)
        return cls(
            state=data["state"],
            sha=data["sha"],
            id=data["id"],
            default=data["default"],
            graphs={str(k): int(v) for k, v in data.get("graphs", {}).items()},
            default_triples=int(data.get("default_triples", 0)),
        )


def state_query(base: str) -> str:
    """SELECT the record's value(s): exactly one row when the record is readable."""
    return (
        f"SELECT ?record WHERE {{ GRAPH <{publication_graph_iri(base)}> "
        f"{{ <{base}dataset> <{STATE_PREDICATE}> ?record }} }}"
    )


def parse_state(values: list[str | None]) -> Publication | None:
    """The record from the values of state_query; None unless exactly one well-formed value."""
    if len(values) != 1:
        return None
    try:
        return Publication.from_json(values[0])
    except (ValueError, KeyError, TypeError):
        return None


def _literal(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid SPARQL string literal


def write_state_update(base: str, record: Publication) -> str:
    graph = publication_graph_iri(base)
    return (
        f"DROP SILENT GRAPH <{graph}> ;\n"
        f"INSERT DATA {{ GRAPH <{graph}> {{ <{base}dataset> <{STATE_PREDICATE}> "
        f"{_literal(record.to_json())} }} }}"
    )


# --- the release -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseGraphs:
    """The release as N-Triples payloads: one per named graph plus the merged graph."""

    sha: str
    base: str
    named: dict[str, bytes]
    counts: dict[str, int]
    merged: bytes
    merged_count: int


def read_release(release_dir: Path | str, base_uri: str | None = None) -> ReleaseGraphs:
    from .serve.query.store import release_fingerprint

    directory = Path(release_dir)
    if not (directory / NQUADS_FILE).is_file():
        raise PublishInputError(
            f"{directory / NQUADS_FILE}: no release; run `gcm-graph build` first"
        )
    manifest = _manifest(directory)
    base = config.base_uri(base_uri or manifest.get("base_iri"))
    triples: dict[str, list] = {}
    merged = set()
    for quad in parse(path=directory / NQUADS_FILE, format=RdfFormat.N_QUADS):
        merged.add(quad.triple)
        if quad.graph_name != DefaultGraph():
            triples.setdefault(quad.graph_name.value, []).append(quad.triple)
    if (directory / MERGED_FILE).is_file():  # the release's own merged graph, when written
        merged = {q.triple for q in parse(path=directory / MERGED_FILE, format=RdfFormat.N_TRIPLES)}
    named = {g: _ntriples(ts) for g, ts in sorted(triples.items())}
    counts = {g: len(set(ts)) for g, ts in sorted(triples.items())}
    return ReleaseGraphs(
        sha=release_fingerprint(directory),
        base=base,
        named=named,
        counts=counts,
        merged=_ntriples(merged),
        merged_count=len(merged),
    )


def _manifest(directory: Path) -> dict:
    try:
        return json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _ntriples(triples: Iterable) -> bytes:
    return serialize(sorted(set(triples), key=str), format=RdfFormat.N_TRIPLES)


# --- the store's three endpoints -------------------------------------------------------------


@dataclass(frozen=True)
class Endpoints:
    graph_store: str
    update: str
    query: str


def resolve_endpoints(url: str, update_url: str | None, query_url: str | None) -> Endpoints:
    """The Update and Query endpoints: given, or derived from a known Graph Store layout."""
    if update_url and query_url:
        return Endpoints(url, update_url, query_url)
    for gsp, update, query in KNOWN_LAYOUTS:
        if url.rstrip("/").endswith(gsp):
            root = url.rstrip("/")[: -len(gsp)]
            return Endpoints(url, update_url or root + update, query_url or root + query)
    raise PublishInputError(
        f"{url}: unknown Graph Store layout; give the SPARQL Update and Query endpoints too"
    )


class StoreClient:
    """HTTP to one store: Graph Store PUT, SPARQL Update, SPARQL SELECT (JSON results).

    Credentials are sent with the scheme the server asks for (StoreCredentials.auth_for).
    """

    def __init__(
        self,
        endpoints: Endpoints,
        credentials: StoreCredentials | None = None,
        timeout: float = 300.0,
    ):
        self.endpoints = endpoints
        self.session = requests.Session()
        self.timeout = (10.0, timeout)
        self.credentials = credentials

    def _send(self, method: str, url: str, **kwargs) -> requests.Response:
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            if response.status_code == 401 and self.credentials and self.session.auth is None:
                self.session.auth = self.credentials.auth_for(response)
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as error:
            raise PublishError(f"{method} {url}: the store did not answer ({error})") from error
        if response.status_code >= 300:
            body = response.text.strip().splitlines()
            detail = " | ".join(line.strip() for line in body[:6])[:600] or response.reason
            raise PublishError(f"{method} {url}: HTTP {response.status_code}: {detail}")
        return response

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        self._send(
            "PUT",
            self.endpoints.graph_store,
            params={"graph": graph},
            data=ntriples,
            headers={"Content-Type": "application/n-triples"},
        )

    def update(self, text: str) -> None:
        self._send("POST", self.endpoints.update, data={"update": text})

    def select(self, query: str) -> list[dict[str, str]]:
        response = self._send(
            "POST",
            self.endpoints.query,
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
        )
        rows = response.json()["results"]["bindings"]
        return [{k: v["value"] for k, v in row.items()} for row in rows]

    def counts(self, graphs: Iterable[str]) -> dict[str, int]:
        """Triples per graph (graphs without triples are absent)."""
        names = sorted(set(graphs))
        if not names:
            return {}
        values = " ".join(f"<{g}>" for g in names)
        rows = self.select(
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
            "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        return {row["g"]: int(row["n"]) for row in rows}

    def publication(self, base: str) -> tuple[Publication | None, int]:
        """The record and the number of values read (1 when readable)."""
        values = [row.get("record") for row in self.select(state_query(base))]
        return parse_state(values), len(values)


# --- publish ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishResult:
    sha: str
    changed: bool  # False: the store already had this release (nothing written)
    graphs: dict[str, int]  # named graph -> triples, plus the merged graph
    seconds: dict[str, float]  # per step: stage, swap (the window readers wait), verify


def publish(
    release_dir: Path | str,
    url: str,
    *,
    update_url: str | None = None,
    query_url: str | None = None,
    credentials: StoreCredentials | None = None,
    base_uri: str | None = None,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
    timeout: float = 300.0,
) -> PublishResult:
    """Load the release in `release_dir` into the store whose Graph Store endpoint is `url`.

    `timeout`: seconds to wait for any one answer of the store (PublishError after that)."""
    say = progress or (lambda message: None)
    release = read_release(release_dir, base_uri)
    client = StoreClient(resolve_endpoints(url, update_url, query_url), credentials, timeout)
    try:
        return _publish(release, client, force, say)
    finally:
        client.session.close()  # no idle connection left holding a thread of the store


def _publish(
    release: ReleaseGraphs, client: StoreClient, force: bool, say: Callable[[str], None]
) -> PublishResult:
    base, merged = release.base, merged_graph_iri(release.base)
    expected = {**release.counts, merged: release.merged_count}
    current, _ = client.publication(base)
    unchanged = current is not None and current.stable and current.sha == release.sha
    if not force and unchanged and client.counts(expected) == expected:
        say(f"release {release.sha[:12]} is already published; nothing to do")
        return PublishResult(release.sha, False, expected, {})
    timings: dict[str, float] = {}
    started = time.perf_counter()
    payloads = {**release.named, merged: release.merged}
    for graph, body in payloads.items():
        say(f"staging {graph} ({expected[graph]} triples)")
        client.put_graph(staging_graph_iri(release.sha, graph), body)
    staged = client.counts(staging_graph_iri(release.sha, g) for g in payloads)
    for graph, count in expected.items():
        found = staged.get(staging_graph_iri(release.sha, graph), 0)
        if found != count:
            raise PublishError(f"staging {graph}: the store holds {found} triples, not {count}")
    timings["stage"] = time.perf_counter() - started

    started = time.perf_counter()
    switching = Publication(SWITCHING, release.sha, _new_id(), merged, release.counts)
    client.update(write_state_update(base, switching))
    old_graphs = set(current.graphs) if current is not None else set()
    client.update(swap_update(release.sha, payloads, old_graphs - set(payloads)))
    live = client.counts(expected)
    if live != expected:
        raise PublishError(f"after the swap the store holds {live}, expected {expected}")
    stable = Publication(
        STABLE, release.sha, _new_id(), merged, release.counts, release.merged_count
    )
    client.update(write_state_update(base, stable))
    timings["swap"] = time.perf_counter() - started
    say(f"published release {release.sha[:12]}: {len(payloads)} graphs")
    return PublishResult(release.sha, True, expected, timings)


def swap_update(sha: str, graphs: Iterable[str], dropped: Iterable[str]) -> str:
    """Staging -> live for each graph; drop the live graphs the new release does not have."""
    operations = [f"MOVE SILENT <{staging_graph_iri(sha, g)}> TO <{g}>" for g in sorted(graphs)]
    operations += [f"DROP SILENT GRAPH <{g}>" for g in sorted(dropped)]
    return " ;\n".join(operations)


def _new_id() -> str:
    return f"{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-{uuid.uuid4().hex[:12]}"
