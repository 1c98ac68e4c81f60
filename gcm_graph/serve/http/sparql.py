"""The SPARQL 1.1 Protocol endpoint at /sparql (query only; read-only; deadline per query).

Request forms: GET ?query=, POST form-encoded query=, POST application/sparql-query. The answer
format comes from a `format` parameter (a name of formats.py, an alias or a media type), else from
the Accept header's q-values. Without a query, GET returns the SPARQL Service Description.

Every query is first read by the query policy (query/policy.py: a parse tree, never the text's
look) and the text the policy read is what runs. Status codes: 400 malformed (line:column),
403 update, SERVICE or a FROM graph outside the release, 406 no acceptable format, 413 query too
long, 415 unsupported POST body or a direct POST not in UTF-8, 422 result over the size limit,
429 the client used its query time (query/fairness.py; Retry-After), 502 the worker died (the
message says how: its memory limit, or killed from outside), 503 no free worker, 504 deadline
passed (the worker was killed). Identical queries on the same release are answered from the
answer cache (query/cache.py; `X-Cache: hit`). Errors are text/plain; a 200 always carries a
complete, well-formed body.
"""

from __future__ import annotations

from flask import Blueprint, Request, Response, current_app, request

from .. import formats
from ..query import admission
from ..query.jobs import ENGINE_EXTENSION, QueryEngine, QueryJob
from ..query.policy import (
    UPDATE_REFUSED,
    PolicyError,
    QueryPlan,
    analyse,
    refuse_foreign_graphs,
)
from ..query.prefixes import unknown_prefix_error
from ..query.store import PREFIX_MAP, current_release
from .compression import compress
from .protocol import BodyError, decode_query_body
from .service_description import service_description

bp = Blueprint("sparql", __name__)


class ProtocolError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def query_pool() -> QueryEngine:
    pool = current_app.extensions.get(ENGINE_EXTENSION)
    if pool is None:  # an app made with START_QUERY_POOL=False (pages-only tests)
        raise ProtocolError(503, "This server runs without query workers.")
    return pool


@bp.route("/sparql", methods=["GET", "POST"])
@compress.compressed()  # gzip when asked; the ETag then becomes "<etag>:gzip" (see _matching_tag)
def endpoint() -> Response:
    try:
        query, params = _read_request(request)
        if query is None:
            return _service_description()
        query_pool()  # 503 on a server without query workers
        job = _job(checked_query(query).text, params)  # what runs is the text the policy read
    except ProtocolError as error:
        return _error(error.status, error.message)
    except PolicyError as refusal:
        return _error(refusal.status, refusal.message)

    etag = admission.etag_of(job)
    cache_headers = {
        "ETag": f'"{etag}"',
        "Cache-Control": f"public, max-age={current_app.config['CACHE_MAX_AGE']}",
        "Vary": "Accept",
    }
    matched = _matching_tag(etag)
    if matched is not None and request.method in ("GET", "HEAD"):
        return Response(status=304, headers={**cache_headers, "ETag": matched})

    try:
        answer = admission.answer(job)
    except admission.QueryNotRun as refusal:
        response = _error(refusal.status, refusal.message)
        if refusal.retry_after is not None:
            response.headers["Retry-After"] = str(refusal.retry_after)
        return response
    if answer.status != 200:
        return _error(answer.status, answer.message)
    fmt = formats.by_name(answer.format or "", ["results", "graph"])
    assert fmt is not None
    headers = {**cache_headers, "X-Cache": "hit" if answer.cached else "miss"}
    return Response(answer.body, status=200, content_type=fmt.content_type, headers=headers)


def checked_query(text: str) -> QueryPlan:
    """The policy's plan for a query of any route (PolicyError: 4xx). Relative IRIs resolve
    against the endpoint's public IRI (the protocol's base), not the Host the client sent.
    FROM / FROM NAMED may name only the release's graphs (403 otherwise, naming the graph): the
    built release's, or with --backend the publication record's (issue 11: nothing reaches a
    graph of the store that is not part of the published release)."""
    config = current_app.config
    if len(text) <= config["MAX_QUERY_LENGTH"]:  # a prefix no one declared: where, as written
        unknown = unknown_prefix_error(text, PREFIX_MAP)
        if unknown is not None:
            raise PolicyError(400, unknown)
    base, limit = config["BASE_URI"] + "sparql", config["MAX_QUERY_LENGTH"]
    plan = analyse(text, base_iri=base, max_length=limit)
    if plan.has_dataset:  # the release's graphs are looked up only for a query that names some
        refuse_foreign_graphs(plan, current_release().graph_names())
    return plan


def _read_request(req: Request) -> tuple[str | None, dict[str, list[str]]]:
    """The query text (None if absent) and the protocol parameters, per request form."""
    if req.method in ("GET", "HEAD"):
        params = req.args.to_dict(flat=False)
        if "update" in params:
            raise ProtocolError(403, UPDATE_REFUSED)
        return _single(params, "query"), params
    mimetype = req.mimetype
    if mimetype == "application/sparql-update":
        raise ProtocolError(403, UPDATE_REFUSED)
    if mimetype == "application/sparql-query":
        try:
            query = decode_query_body(req.get_data(cache=False), req.mimetype_params)
        except BodyError as error:  # 415 for a charset other than UTF-8
            raise ProtocolError(error.status, error.message) from error
        return query, req.args.to_dict(flat=False)
    if mimetype == "application/x-www-form-urlencoded":
        params = req.form.to_dict(flat=False)
        if "update" in params:
            raise ProtocolError(403, UPDATE_REFUSED)
        for key, values in req.args.to_dict(flat=False).items():
            params.setdefault(key, values)
        query = _single(params, "query")
        if query is None:
            raise ProtocolError(400, "POST without a `query` parameter.")
        return query, params
    raise ProtocolError(
        415,
        f"Unsupported POST body type {mimetype!r}; use application/sparql-query or "
        "application/x-www-form-urlencoded.",
    )


def _single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise ProtocolError(400, f"Exactly one `{name}` parameter is allowed.")
    return values[0]


def _job(query: str, params: dict[str, list[str]]) -> QueryJob:
    requested = _single(params, "format")
    results_format = formats.choose(request.accept_mimetypes, requested, ["results"])
    graph_format = formats.choose(request.accept_mimetypes, requested, ["graph"])
    if requested and results_format is None and graph_format is None:
        names = ", ".join(f.name for f in formats.of_kind("results", "graph"))
        raise ProtocolError(400, f"Unknown format {requested!r}; use one of: {names}.")
    if results_format is None and graph_format is None:
        offered = ", ".join(f.media_type for f in formats.of_kind("results", "graph"))
        raise ProtocolError(406, f"None of the accepted media types can be produced: {offered}.")
    has_dataset = "default-graph-uri" in params or "named-graph-uri" in params
    return QueryJob(
        query=query,
        results_format=results_format.name if results_format else None,
        graph_format=graph_format.name if graph_format else None,
        default_graphs=tuple(params.get("default-graph-uri", ())) if has_dataset else None,
        named_graphs=tuple(params.get("named-graph-uri", ())) if has_dataset else None,
        max_result_bytes=current_app.config["MAX_RESULT_BYTES"],
        release_dir=str(current_app.config["RELEASE_DIR"]),
        base_iri=current_app.config["BASE_URI"],
    )


def _matching_tag(etag: str) -> str | None:
    """The If-None-Match tag that matches our ETag (also its compressed form `etag:gzip`)."""
    header = request.headers.get("If-None-Match", "")
    for raw in header.split(","):
        tag = raw.strip().removeprefix("W/").strip('"')
        if tag == "*" or tag == etag or tag.startswith(etag + ":"):
            return raw.strip()
    return None


def _service_description() -> Response:
    fmt = formats.choose(request.accept_mimetypes, request.args.get("format"), ["graph"])
    if fmt is None:
        offered = ", ".join(f.media_type for f in formats.of_kind("graph"))
        return _error(406, f"The service description is available as: {offered}.")
    body = service_description(request.base_url, fmt)
    return Response(body, content_type=fmt.content_type, headers={"Vary": "Accept"})


def _error(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, content_type="text/plain; charset=utf-8")
