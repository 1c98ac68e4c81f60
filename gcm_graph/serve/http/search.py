"""/search: full-text search over the release (gcm_graph.search), as HTML and JSON.

`GET /search?q=TEXT` with optional filters `kind=` (repeatable: objective, action, principle,
practice, instrument, goal, target, country), `objective=N`, `source=ID` (a named graph of the
release that states the resource's kind: resolution, booklet, gfmd, idm, sdg-kos) and `page=N` (20 hits a page).
HTML by default; JSON for `format=json` or an Accept header preferring application/json:
{"query", "total", "page", "per_page", "kinds", "results": [{"iri", "kind", "label", "href",
"snippet", "score"}]} where `snippet` is HTML (the text escaped, matches in <mark>) and `score`
is -bm25 times a prior per kind (higher is better).

The index is built on the first search (under a lock) from the release the app serves and kept
per release fingerprint; with the app setting SEARCH_INDEX_AT_START it is built in a background
thread as the app starts (off by default: test servers that never search would pay for it). Bad parameters (too long a text, an unknown kind, a page or objective
that is not a number) get 400 with a message; no user text reaches FTS5 syntax (see
gcm_graph.search.fts_query). Without FTS5 in this Python's SQLite: 503 with the reason.
"""

from __future__ import annotations

import json
import threading
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, request

from ...search import (
    KINDS,
    FullTextUnavailable,
    Results,
    SearchIndex,
    SearchQueryError,
    store_select,
)
from .compression import compress
from .responses import finish, html
from .site import current

bp = Blueprint("search", __name__)

EXTENSION_KEY = "gcm_search"
PER_PAGE = 20
MAX_PAGE = 500
_build_lock = threading.Lock()


class BadSearch(ValueError):
    """A parameter of the request is not usable; the message says which."""


def search_index() -> SearchIndex:
    """The index of the app's release, built on first use (one build at a time)."""
    release = current().release
    cached = current_app.extensions.get(EXTENSION_KEY)
    if cached is not None and cached[0] == release.fingerprint:
        return cached[1]
    with _build_lock:
        cached = current_app.extensions.get(EXTENSION_KEY)
        if cached is None or cached[0] != release.fingerprint:
            index = SearchIndex(store_select(release.store))
            current_app.logger.info(
                "search index: %d resources in %.0f ms", index.size, index.build_ms
            )
            cached = (release.fingerprint, index)
            current_app.extensions[EXTENSION_KEY] = cached
        return cached[1]


@bp.record_once
def _build_at_start(state) -> None:
    """With SEARCH_INDEX_AT_START, build the index in the background as the app is created
    (beside the query workers' warm-up) instead of on the first search."""
    app = state.app
    if not app.config.get("SEARCH_INDEX_AT_START"):
        return

    def build() -> None:
        with app.app_context():
            try:
                search_index()
            except Exception:  # the first search builds again and reports what goes wrong
                app.logger.exception("search index: the build at start failed")

    threading.Thread(target=build, name="search-index", daemon=True).start()


def _parameters() -> dict:
    args = request.args
    kinds = [k for k in args.getlist("kind") if k]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise BadSearch(f"Unknown kind {unknown[0]!r}; use one of: {', '.join(KINDS)}.")
    found: dict = {"q": args.get("q", ""), "kinds": kinds, "source": args.get("source") or None}
    for name, upper in (("objective", 1000), ("page", MAX_PAGE)):
        value = args.get(name, "").strip()
        if not value:
            found[name] = None
            continue
        if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= upper:
            raise BadSearch(f"{name} must be a whole number from 1 to {upper}, not {value[:40]!r}.")
        found[name] = int(value)
    return found


def _wants_json() -> bool:
    requested = request.args.get("format")
    if requested:
        return requested == "json"
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


@bp.get("/search")
@compress.compressed()
def search() -> Response:
    as_json = _wants_json()
    try:
        params = _parameters()
        index = search_index()
        if params["source"] and params["source"] not in index.sources:
            known = ", ".join(index.sources)
            raise BadSearch(f"Unknown source {params['source'][:80]!r}; use one of: {known}.")
        page = params["page"] or 1
        results = index.search(
            params["q"],
            kinds=params["kinds"],
            objective=params["objective"],
            source=params["source"],
            limit=PER_PAGE,
            offset=(page - 1) * PER_PAGE,
        )
    except (BadSearch, SearchQueryError) as error:
        return _error(400, str(error), as_json)
    except FullTextUnavailable as error:
        return _error(503, str(error), as_json)
    key = ("search", "json" if as_json else "html", request.query_string.decode("latin-1"))
    if as_json:
        response = Response(
            json.dumps(_json_body(results, page), ensure_ascii=False, indent=1),
            content_type="application/json",
        )
    else:
        response = html("search.html", **_page_context(index, results, params, page))
    response.headers["Vary"] = "Accept"
    return finish(response, *key)


def _href(iri: str) -> str | None:
    return current().linker().href(iri)


def _json_body(results: Results, page: int) -> dict:
    return {
        "query": results.query,
        "total": results.total,
        "page": page,
        "per_page": PER_PAGE,
        "kinds": results.kinds,
        "results": [
            {
                "iri": hit.iri,
                "kind": hit.kind,
                "label": hit.label,
                "href": _href(hit.iri),
                "snippet": hit.snippet,
                "score": hit.score,
            }
            for hit in results.hits
        ],
    }


def _url(params: dict, **changes: object) -> str:
    merged = {**params, **changes}
    pairs: list[tuple[str, object]] = [("q", merged["q"])]
    pairs += [("kind", kind) for kind in merged["kinds"]]
    pairs += [(n, merged[n]) for n in ("objective", "source", "page") if merged.get(n)]
    return f"{request.script_root}/search?{urlencode(pairs)}"


def _page_context(index: SearchIndex, results: Results, params: dict, page: int) -> dict:
    facets = [
        {
            "kind": kind,
            "label": KINDS[kind][2],
            "count": count,
            "href": _url(params, kinds=[kind], page=None),
            "active": params["kinds"] == [kind],
        }
        for kind, count in results.kinds.items()
    ]
    pages = max(1, -(-results.total // PER_PAGE))
    hits = [
        {"hit": hit, "href": _href(hit.iri), "kind_label": KINDS[hit.kind][1]}
        for hit in results.hits
    ]
    return {
        "params": params,
        "search_text": params["q"],
        "results": results,
        "hits": hits,
        "facets": facets,
        "all_kinds_href": _url(params, kinds=[], page=None),
        "first": (page - 1) * PER_PAGE + 1,
        "page": page,
        "pages": pages,
        "previous_href": _url(params, page=page - 1) if page > 1 else None,
        "next_href": _url(params, page=page + 1) if page < pages else None,
        "json_href": _url(params) + "&format=json",
        "sources": index.sources,
        "objectives": index.objectives,
        "kinds": [(kind, names[2]) for kind, names in KINDS.items()],
    }


def _error(status: int, message: str, as_json: bool) -> Response:
    if as_json:
        body = json.dumps({"error": message}, ensure_ascii=False)
        response = Response(body, status=status, content_type="application/json")
    else:
        heading = "Bad search" if status == 400 else "Search unavailable"
        response = html("error.html", status, code=status, heading=heading, message=message)
    response.headers["Cache-Control"] = "no-store"
    return response
