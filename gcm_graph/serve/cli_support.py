"""Library functions behind `gcm-graph serve` and `gcm-graph query` (the CLI stays a thin shell).

serve(host, port, base_uri, deadline, release_dir, workers, backend, ...) -> None
run_catalogue_query(name_or_path, release_dir, fmt) -> str
"""

from __future__ import annotations

import errno
import socket
import sys
from pathlib import Path

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, serialize

from ..catalogue import find_query
from ..config import BUILD_DIR, base_uri
from ..errors import GcmError
from ..publish import StoreCredentials
from .query.policy import PolicyError, analyse
from .query.store import PREFIX_MAP, Release, ReleaseNotFound

QUERY_FORMATS = ("table", "csv", "json")
MAX_CELL = 80  # characters of a value shown in a table cell


class QueryFailed(GcmError):
    """The query cannot run (malformed, refused, or no release to run it on)."""

    exit_code = 2


class CannotServe(GcmError):
    """No release to serve, or the address cannot be listened on."""

    exit_code = 2


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    base_uri: str | None = None,
    deadline: float = 10.0,
    release_dir: Path | str = BUILD_DIR,
    workers: int | None = None,
    backend: str | None = None,
    worker_max_queries: int | None = None,
    worker_recycle_mb: float | None = None,
    fast_lane_workers: int | None = None,
    credentials: StoreCredentials | None = None,
    dialect: str = "auto",
    trusted_proxy: str | None = None,
    trusted_proxy_header: str = "x-forwarded-for",
) -> None:
    """Serve the release with waitress until Ctrl-C; prints the URLs to open once ready.

    With `backend`, queries are answered by that SPARQL endpoint (a store the release was
    published into with `gcm-graph publish`), as `credentials` at the store, speaking its
    `dialect` (remote/dialect.py); release_dir still provides /dumps/.
    """
    from . import DEFAULT_CONFIG, create_app
    from .http.wsgi import run, stop_on_sigterm

    check_can_listen(host, port)  # before the query workers start: fail in a second, not ten
    config = {
        "RELEASE_DIR": str(release_dir),
        "BASE_URI": base_uri,
        "QUERY_DEADLINE_S": deadline,
        "WORKERS": workers or DEFAULT_CONFIG["WORKERS"],
        "BACKEND_URL": backend,
        "BACKEND_USER": credentials.user if credentials else None,
        "BACKEND_PASSWORD": credentials.password if credentials else None,
        "BACKEND_DIALECT": dialect,
        "TRUSTED_PROXY": trusted_proxy,  # the client's address from its header (http/wsgi.py)
        "TRUSTED_PROXY_HEADER": trusted_proxy_header,
    }
    if fast_lane_workers is not None:
        config["FAST_LANE_SLOTS"] = fast_lane_workers
    if worker_max_queries is not None:
        config["WORKER_MAX_QUERIES"] = worker_max_queries
    if worker_recycle_mb is not None:
        config["WORKER_RECYCLE_MB"] = worker_recycle_mb
    try:
        app = create_app(config)
    except ReleaseNotFound as error:
        raise CannotServe(str(error)) from error

    def announce(line: str) -> None:
        url = line.split()[-1].replace("://0.0.0.0:", "://127.0.0.1:")
        print(f"gcm-graph serving {app.config['RELEASE_DIR']} ({line})", file=sys.stderr)
        print(f"  home page        {url}", file=sys.stderr)
        print(f"  SPARQL endpoint  {url}sparql", file=sys.stderr)
        print(f"  a resource       {url}objective/7", file=sys.stderr)
        print(f"  dumps            {url}dumps/", file=sys.stderr, flush=True)

    stop_on_sigterm()
    try:
        run(app, host, port, app.config["THREADS"], announce=announce)
    except OSError as error:  # taken between the check and the bind
        raise CannotServe(_listen_problem(host, port, error)) from error


def check_can_listen(host: str, port: int) -> None:
    """CannotServe, with one clear line, if (host, port) cannot be listened on right now."""
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise CannotServe(f"cannot listen on {host}:{port}: unknown host ({error})") from None
    family, kind, proto, _, address = addresses[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as waitress binds
        try:
            probe.bind(address)
        except OSError as error:
            raise CannotServe(_listen_problem(host, port, error)) from None


def _listen_problem(host: str, port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"cannot listen on {host}:{port}: the port is already in use (choose another --port)"
    if error.errno == errno.EACCES:
        return f"cannot listen on {host}:{port}: permission denied (ports below 1024 need root)"
    return f"cannot listen on {host}:{port}: {error.strerror or error}"


def run_catalogue_query(
    name_or_path: str, release_dir: Path | str = BUILD_DIR, fmt: str = "table"
) -> str:
    """Run a catalogue query (name = file stem in sparql_queries/, or a path to a .rq file) on
    the release and return the answer: `table` (aligned text; Turtle for CONSTRUCT/DESCRIBE),
    `csv` (SPARQL CSV; SELECT/ASK only) or `json` (SPARQL JSON; JSON-LD for graphs)."""
    if fmt not in QUERY_FORMATS:
        raise QueryFailed(f"unknown format {fmt!r}; use one of {', '.join(QUERY_FORMATS)}")
    entry = find_query(name_or_path)
    try:  # the policy of every route of the endpoint (same messages as /sparql)
        plan = analyse(entry.text, base_iri=base_uri() + "sparql")
    except PolicyError as refusal:
        raise QueryFailed(f"{entry.path}: {refusal.message}") from refusal
    try:
        result = Release(release_dir).store.query(plan.text)  # the text the policy read
    except ReleaseNotFound as error:
        raise QueryFailed(str(error)) from error
    except SyntaxError as error:
        raise QueryFailed(f"{entry.path}: Malformed query: {error}") from error
    if isinstance(result, QueryBoolean):
        if fmt == "table":
            return "true\n" if bool(result) else "false\n"
        return _results(result, fmt)
    if isinstance(result, QuerySolutions):
        return _table(result) if fmt == "table" else _results(result, fmt)
    if fmt == "csv":
        raise QueryFailed(f"{entry.name} is a CONSTRUCT/DESCRIBE query: use table or json")
    rdf_format = RdfFormat.TURTLE if fmt == "table" else RdfFormat.JSON_LD
    return serialize(result, format=rdf_format, prefixes=PREFIX_MAP).decode("utf-8")


def _results(result: QuerySolutions | QueryBoolean, fmt: str) -> str:
    target = QueryResultsFormat.CSV if fmt == "csv" else QueryResultsFormat.JSON
    text = result.serialize(format=target).decode("utf-8")
    return text if text.endswith("\n") else text + "\n"


def _table(solutions: QuerySolutions) -> str:
    """Columns padded to their widest value (values cut at MAX_CELL characters)."""
    names = [variable.value for variable in solutions.variables]
    rows = [[_cell(solution[name]) for name in names] for solution in solutions]
    widths = [max([len(name), *(len(row[i]) for row in rows)]) for i, name in enumerate(names)]

    def line(cells: list[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    out = [line(names), line(["-" * width for width in widths])]
    out += [line(row) for row in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(text.rstrip() for text in out) + "\n"


def _cell(term: object) -> str:
    if term is None:
        return ""
    text = " ".join(str(getattr(term, "value", term)).split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"
