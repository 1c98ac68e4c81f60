"""The responses every route shares: caching (ETag from the release, 304), HTML from the
templates (the Content-Security-Policy of every HTML answer: security.py), RDF documents,
plain-text errors, 303 redirects (always on our own origin: security.py),
and the negotiation of a document's format (formats.py's table, werkzeug's best_match)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from flask import Response, redirect, render_template, request
from pyoxigraph import Triple, serialize

from .. import formats
from ..formats import Format
from ..query.ldcontext import compact_triples
from ..query.store import PREFIX_MAP
from . import site
from .security import same_origin_location

DOCUMENT_KINDS: tuple[formats.Kind, ...] = ("graph", "page")
CACHE_CONTROL = "public, max-age=300"
Twin = Callable[[str], str]  # extension -> URL of that twin


# --- responses ---------------------------------------------------------------------------


def finish(response: Response, *key: str) -> Response:
    """ETag from the release and `key`, caching headers, 304 on a matching revalidation.

    A revalidation may carry the tag of the gzip-compressed representation (`"tag:gzip"`, which
    flask-compress derives from ours), so that form matches as well.
    """
    fingerprint = site.current().release.fingerprint
    digest = hashlib.sha256("\n".join((fingerprint, *key)).encode()).hexdigest()[:32]
    response.set_etag(digest)
    response.headers.setdefault("Cache-Control", CACHE_CONTROL)
    tags = request.if_none_match
    if request.method in ("GET", "HEAD") and response.status_code == 200 and tags:
        matched = next((t for t in (digest, f"{digest}:gzip") if tags.contains_weak(t)), None)
        if matched or tags.star_tag:
            response.status_code = 304
            response.set_data(b"")
            response.set_etag(matched or digest)
            return response
    return response


def html(template: str, status: int = 200, **context: object) -> Response:
    body = render_template(template, base_uri=site.current().base_uri, **context)
    return Response(body, status=status, content_type="text/html; charset=utf-8")


def rdf_document(triples: Iterable[Triple], fmt: Format, *key: str, links: str = "") -> Response:
    if fmt.name == "jsonld":  # compact, with the published @context
        s = site.current()
        body = compact_triples(triples, str(s.release.directory), s.base_uri)
    else:
        body = serialize(list(triples), format=fmt.oxigraph, prefixes=PREFIX_MAP)
    response = Response(body, content_type=fmt.content_type)
    if links:
        response.headers["Link"] = links
    return finish(response, *key, fmt.name)


def plain(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def not_found(message: str, iri: str | None = None) -> Response:
    """404: an HTML page for clients that prefer HTML, plain text for everybody else."""
    best = request.accept_mimetypes.best_match(["text/plain", "text/html"])
    if best == "text/html" and request.accept_mimetypes.quality("text/html") > 0:
        return html("error.html", 404, code=404, heading="Not found", message=message, iri=iri)
    return plain(404, message)


def not_acceptable() -> Response:
    offered = ", ".join(f.media_type for f in formats.of_kind(*DOCUMENT_KINDS))
    return plain(406, f"Not Acceptable: this resource is available as {offered}")


def see_other(location: str) -> Response:
    response = redirect(same_origin_location(location), code=303)
    response.headers["Vary"] = "Accept"
    return response


def negotiated() -> Format | None:
    return formats.choose(request.accept_mimetypes, request.args.get("format"), DOCUMENT_KINDS)


def twin_format(extension: str) -> Format | None:
    return formats.by_extension(extension, DOCUMENT_KINDS)


def twin_links(twin: Twin, current: Format) -> tuple[list[dict[str, str]], str]:
    """The formats of a document (for the page) and the Link header naming the other ones."""
    links = [
        {"href": twin(f.extension), "label": f.label, "media_type": f.media_type, "name": f.name}
        for f in formats.of_kind("page", "graph")
    ]
    header = ", ".join(
        f'<{link["href"]}>; rel="alternate"; type="{link["media_type"]}"'
        for link in links
        if link["name"] != current.name
    )
    return links, header
